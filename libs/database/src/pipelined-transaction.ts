import type pg from 'pg';
import type { PreparedStatement } from './prepared.js';

/** A named prepared statement, or a plain one (BEGIN, COMMIT, a rare query). */
type Statement = PreparedStatement | { text: string; values?: unknown[] };

/**
 * A transaction in two flights instead of four round trips: BEGIN goes out with the first
 * statement, the last statement with COMMIT (node-postgres's pipeline mode, which the pool's
 * connections have on: see data-source-options.ts). A statement that fails rolls the transaction
 * back by itself: its COMMIT, already on the wire, answers ROLLBACK. So whatever must undo the
 * write has to make the last statement fail, in SQL, not be checked afterwards in JavaScript.
 * For the hot path only (order placement, and its raw-pg baseline in the bench): everything else
 * uses TypeORM's transactions.
 */
export class PipelinedTransaction {
  private constructor(private readonly client: pg.PoolClient) {}

  /** Runs `work` on a pooled connection; rolls back whatever it began and did not commit. */
  static async run<T>(pool: pg.Pool, work: (tx: PipelinedTransaction) => Promise<T>): Promise<T> {
    const tx = new PipelinedTransaction(await pool.connect());
    try {
      return await work(tx);
    } finally {
      await tx.end();
    }
  }

  /** BEGIN and the first statement, in one flight. */
  async begin<R>(first: Statement): Promise<R[]> {
    return rowsOf<R>(await this.flight([{ text: 'BEGIN' }, first]), 1);
  }

  /** A statement on its own round trip, inside the transaction. */
  async query<R>(statement: Statement): Promise<R[]> {
    return rowsOf<R>(await this.flight([statement]), 0);
  }

  /**
   * The last statement and COMMIT, in one flight. Throws the statement's error when it failed
   * (the transaction is then rolled back); returns its rows when everything committed.
   */
  async commitWith<R>(last: Statement): Promise<R[]> {
    return rowsOf<R>(await this.flight([last, { text: 'COMMIT' }]), 0);
  }

  /** Sends the statements in one write and waits until every one has answered. */
  private flight(statements: Statement[]): Promise<PromiseSettledResult<pg.QueryResult>[]> {
    const { stream } = this.client.connection;
    stream.cork();
    const answers = statements.map((s) => this.client.query(s as pg.QueryConfig));
    stream.uncork();
    return Promise.allSettled(answers);
  }

  /** Back to the pool, rolled back if a transaction is still open; a broken connection is discarded. */
  private async end(): Promise<void> {
    try {
      if (this.client.getTransactionStatus() !== 'I') await this.client.query('ROLLBACK');
      this.client.release();
    } catch (err) {
      this.client.release(err as Error);
    }
  }
}

/** The first failure of a flight, else the rows of its statement number `index`. */
function rowsOf<R>(settled: PromiseSettledResult<pg.QueryResult>[], index: number): R[] {
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return (settled[index] as PromiseFulfilledResult<pg.QueryResult>).value.rows as R[];
}
