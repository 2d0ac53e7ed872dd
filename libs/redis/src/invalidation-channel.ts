import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** What a process keeps in memory on the strength of a channel's messages. */
export interface InvalidatedState {
  /** A message published by some process (this one included). */
  heard(message: string): void;
  /** The subscription started, restarted or stopped: messages may have been missed, forget all. */
  reset(): void;
}

/**
 * A Redis pub/sub channel that lets every process keep state in memory and drop it the moment
 * any process publishes a change. Pub/sub delivers only to connected subscribers, so the state
 * is trusted only while `listening`: each (re)subscription or loss of the connection resets it
 * and bumps `epoch`, and a value read before the current epoch began is not kept (it may
 * predate a message this process never heard). Used by the catalog's read cache and the
 * access-token check (`LivePrincipals`).
 */
export class InvalidationChannel {
  listening = false;
  epoch = 0;
  private subscriber?: Redis;
  /** Set by `stop()`: the connection's end is ours, not a loss worth a warning. */
  private stopping = false;

  constructor(
    private readonly redis: Redis,
    /** Suffix of the channel name, after the Redis key prefix. */
    private readonly name: string,
    private readonly state: InvalidatedState,
    private readonly logger: Logger,
  ) {}

  private get channel(): string {
    return `${this.redis.options.keyPrefix ?? ''}${this.name}`;
  }

  start(): void {
    this.stopping = false;
    const subscriber = this.redis.duplicate({ autoResubscribe: false, commandTimeout: undefined });
    this.subscriber = subscriber;
    subscriber.on('message', (_channel: string, message: string) => this.state.heard(message));
    subscriber.on('ready', () => {
      subscriber.subscribe(this.channel).then(
        () => this.restart(true),
        (err: unknown) => {
          if (!this.stopping) this.logger.warn({ err }, `${this.name} channel unavailable`);
        },
      );
    });
    subscriber.on('close', () => this.restart(false));
    subscriber.on('error', () => undefined); // reconnects by itself; state is not trusted meanwhile
  }

  stop(): void {
    this.stopping = true;
    this.subscriber?.disconnect();
  }

  /** Tells every process (this one too, through its subscription). Never throws. */
  async publish(message: string): Promise<void> {
    try {
      await this.redis.publish(this.channel, message);
    } catch (err) {
      // The other processes are not listening either (their reconnect resets them), or hear it
      // later from the next change; each state's own bound (a TTL) covers the rest.
      this.logger.warn({ err, channel: this.name }, 'invalidation not published');
    }
  }

  /**
   * Logs only a change worth knowing: the first subscription is the normal start (silent), and
   * the end of a connection that `stop()` closed is the normal stop (silent); a loss while
   * running warns, and its recovery says so.
   */
  private restart(listening: boolean): void {
    if (this.listening !== listening && this.epoch > 0 && !this.stopping) {
      this.logger[listening ? 'log' : 'warn'](
        listening
          ? `${this.name} channel back: in-process state trusted again`
          : `${this.name} channel lost: in-process state not trusted until it is back`,
      );
    }
    this.listening = listening;
    this.epoch++;
    this.state.reset();
  }
}
