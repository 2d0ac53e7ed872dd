import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import type { Server, ServerOptions } from 'socket.io';
import type { AppConfig } from '#libs/config';
import { redisConnection } from '#libs/redis';
import { socketIoKey } from '#libs/tracking';

/** socket.io across api instances: room broadcasts go through Redis pub/sub. */
export class RedisIoAdapter extends IoAdapter {
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
    // The adapter awaits none of its commands (e.g. its unsubscribes as the server closes).
    this.pub = redisConnection(config, 'subscriber', 'socket.io-pub', { fireAndForget: true });
    this.sub = redisConnection(config, 'subscriber', 'socket.io-sub', { fireAndForget: true });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.config.http.corsOrigins, credentials: true },
    } as ServerOptions) as Server;
    server.adapter(createAdapter(this.pub, this.sub, { key: socketIoKey(this.config) }));
    return server;
  }

  /**
   * Closes socket.io (its sockets, engine and adapter) but not the HTTP server it is attached to:
   * Fastify owns that one and closes it next, answering 503 on kept-alive connections. socket.io's
   * own close waited for that server to close, which clients keeping their connections busy
   * prevent: the api served on for its whole shutdown timeout and was cut off (exit 1) before its
   * later hooks ran, the outbox relay's hand-over among them.
   */
  override async close(server: Server): Promise<void> {
    server.httpServer = undefined as unknown as Server['httpServer']; // not socket.io's to close
    await super.close(server);
    this.pub.disconnect();
    this.sub.disconnect();
  }
}
