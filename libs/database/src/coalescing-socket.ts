import { Socket } from 'node:net';

/**
 * The socket of every PostgreSQL connection (pg's documented `stream` option): what is written
 * to it in one tick goes out in one write. node-postgres writes each query on its own (a
 * prepared one as one `writev`, BEGIN and COMMIT as one `write` each), so a pipelined flight of
 * three statements cost three system calls and as many wake-ups of the backend. On the virtual
 * machines we measure on, a system call on a socket costs far more than on bare metal: the api's
 * profile showed a third of its CPU in pg's socket writes (docs/benchmarks.md). Corking until
 * the end of the tick (Node's public `cork`/`uncork`, which nest with pg's own) sends a whole
 * flight at once; nothing waits longer than the tick that wrote it.
 * test/pipelined-transaction.medium-spec.ts pins it: one write per flight.
 */
export class CoalescingSocket extends Socket {
  private corkedForTick = false;

  override connect(...args: unknown[]): this {
    (super.connect as (...a: unknown[]) => this)(...args);
    // connect() sets Socket.prototype.write back as the socket's own `write` (undoing a write
    // refused after a FIN), which hides a subclass's: ours goes on top of it.
    this.write = this.coalescedWrite;
    return this;
  }

  private readonly coalescedWrite = ((...args: unknown[]): boolean => {
    if (!this.corkedForTick) {
      this.corkedForTick = true;
      this.cork();
      process.nextTick(() => {
        this.corkedForTick = false;
        this.uncork();
      });
    }
    return (Socket.prototype.write as (...a: unknown[]) => boolean).apply(this, args);
  }) as Socket['write'];
}
