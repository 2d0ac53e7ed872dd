import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS } from '#libs/redis';

export interface RiderLocation {
  orderId: string;
  lat: number;
  lng: number;
  at: string;
}

/** Position updates: at most one accepted per rider per second; the latest kept in Redis only. */
@Injectable()
export class RiderLocations {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Whether the rider may send a position now: at most one per second (checked first, cheaply). */
  async allow(riderId: string): Promise<boolean> {
    return (await this.redis.set(`rider:loc-rl:${riderId}`, '1', 'PX', 1_000, 'NX')) === 'OK';
  }

  /** Keeps the latest position of an order's rider (Redis only, never a row per update). */
  async record(orderId: string, lat: number, lng: number): Promise<RiderLocation> {
    const location = { orderId, lat, lng, at: new Date().toISOString() };
    await this.redis.set(`rider:pos:${orderId}`, JSON.stringify(location), 'EX', 6 * 3600);
    return location;
  }

  async latest(orderId: string): Promise<RiderLocation | null> {
    const raw = await this.redis.get(`rider:pos:${orderId}`);
    return raw ? (JSON.parse(raw) as RiderLocation) : null;
  }
}
