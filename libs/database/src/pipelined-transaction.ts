import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { PreparedStatement } from './prepared.js';

/** A named prepared statement, or a plain one (BEGIN, COMMIT, a rare query). */
type Statement = PreparedStatement | { text: string; values?: unknown[] };

/** Where a transaction gets its connection: the app's DataSource, or a plain pg pool (the bench). */
export type ConnectionSource = DataSource | pg.Pool;

/**
 * A transaction in two flights instead of four round trips: BEGIN goes out with the first
 * statements, the last statement with COMMIT. It relies on node-postgres's documented pipeline
 * mode (`pipeline: true` in the client's options, set through TypeORM's `extra` in
 * data-source-options.ts): queries issued without awaiting the one before go out at once and are
 * answered in order. test/pipelined-transaction.medium-spec.ts pins that (a flight costs one round
 * trip) so that an upgrade that changes it fails there. A statement that fails rolls the
 * transaction back by itself: its COMMIT, already on the wire, answers ROLLBACK. So whatever must
 * undo the write has to make the last statement fail, in SQL, not be checked afterwards in
 * JavaScript. For the hot path only (order placement, and its raw-pg baseline in the bench):
 * everything else uses TypeORM's transactions (docs/architecture.md, "Transactions").
 */
export class PipelinedTransaction {
  private constructor(private readonly client: pg.Client) {}

  /** Runs `work` on a pooled connection; rolls back whatever it began and did not commit. */
  static async run<T>(
    source: ConnectionSource,
    work: (tx: PipelinedTransaction) => Promise<T>,
  ): Promise<T> {
    const lease = await leaseConnection(source);
    if (!lease.client.pipeline) {
      await lease.release();
      throw new Error('PipelinedTransaction needs a pg connection in pipeline mode');
    }
    const tx = new PipelinedTransaction(lease.client);
    try {
      return await work(tx);
    } finally {
      await tx.end(lease);
    }
  }

  /** BEGIN and the first statements, in one flight; the rows of the last one. */
  async begin<R>(...first: Statement[]): Promise<R[]> {
    return rowsOf<R>(await this.flight([{ text: 'BEGIN' }, ...first]), first.length);
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

  /** Issues the statements without waiting in between (pipeline mode) and waits for every answer. */
  private flight(statements: Statement[]): Promise<PromiseSettledResult<pg.QueryResult>[]> {
    return Promise.allSettled(statements.map((s) => this.client.query(s as pg.QueryConfig)));
  }

  /** Back to the pool, rolled back if a transaction is still open; a broken connection is discarded. */
  private async end(lease: Lease): Promise<void> {
    try {
      if (this.client.getTransactionStatus() !== 'I') await this.client.query('ROLLBACK');
    } catch {
      // The pool discards a client that is ending instead of lending it out again.
      this.client.end().catch(() => undefined);
    }
    await lease.release();
  }
}

interface Lease {
  client: pg.Client;
  release(): Promise<void>;
}

/** A connection from TypeORM's pool (through a query runner, its public API) or a pg pool. */
async function leaseConnection(source: ConnectionSource): Promise<Lease> {
  if (source instanceof DataSource) {
    const runner = source.createQueryRunner('master');
    try {
      const client = (await runner.connect()) as pg.Client;
      return { client, release: () => runner.release() };
    } catch (err) {
      await runner.release();
      throw err;
    }
  }
  const client = await source.connect();
  return {
    client,
    release: async () => client.release(),
  };
}

/** The first failure of a flight, else the rows of its statement number `index`. */
function rowsOf<R>(settled: PromiseSettledResult<pg.QueryResult>[], index: number): R[] {
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return (settled[index] as PromiseFulfilledResult<pg.QueryResult>).value.rows as R[];
}
