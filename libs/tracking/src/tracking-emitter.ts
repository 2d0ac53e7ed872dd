import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Emitter } from '@socket.io/redis-emitter';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { redisConnection } from '#libs/redis';
import type { RiderLocation } from './rider-locations.js';

/** The socket.io namespace and room names every process agrees on. */
export const TRACKING_NAMESPACE = '/tracking';
export const orderRoom = (orderId: string) => `order:${orderId}`;
export const storeRoom = (storeId: string) => `store:${storeId}`;

/** The socket.io Redis adapter's key, shared by the gateway's adapter and this emitter. */
export const socketIoKey = (config: AppConfig) => `${config.redis.prefix}:socket.io`;

/**
 * Broadcasts to tracking subscribers from a process without a socket.io server (the worker),
 * through the Redis emitter that the api instances' Redis adapter listens to.
 */
@Injectable()
export class TrackingEmitter implements OnApplicationShutdown {
  private redis?: Redis;
  private emitter?: Emitter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  riderLocation(location: RiderLocation): void {
    this.namespace().to(orderRoom(location.orderId)).emit('rider.location', location);
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }

  private namespace() {
    if (!this.emitter) {
      // The emitter awaits none of its publishes.
      this.redis = redisConnection(this.config, 'commands', 'tracking-emitter', {
        fireAndForget: true,
      });
      this.emitter = new Emitter(this.redis, { key: socketIoKey(this.config) });
    }
    return this.emitter.of(TRACKING_NAMESPACE);
  }
}
