import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Redis } from 'ioredis';
import { InvalidationChannel, REDIS } from '#libs/redis';
import type { Role } from '../users/user.entity.js';

/** A safety net only: every change that ends or alters a session is announced at once. */
const TTL_MS = 5_000;
const MAX_USERS = 20_000;

interface Live {
  role: Role;
  until: number;
}

/**
 * What the database said about a (user, session) pair — live, with this role — remembered by each
 * process so that an authenticated request costs no round trip. Whatever ends a session or
 * changes a user (logout, logout-all, refresh-token reuse, role change, disabling) calls
 * `changed(userId)` after its commit: the entry is dropped here and, over Redis pub/sub, in
 * every process within milliseconds. While a process is not subscribed (Redis away,
 * reconnecting) it remembers nothing and asks PostgreSQL on every request, so a logout holds
 * everywhere through an outage. Only live answers are kept; a refusal is never cached.
 */
@Injectable()
export class LivePrincipals implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Auth');
  /** userId → sessionId → what PostgreSQL said; Map order is insertion order (oldest first). */
  private readonly users = new Map<string, Map<string, Live>>();
  /** Bumped on every change heard: a lookup that began before one is not kept. */
  private changes = 0;
  private readonly channel: InvalidationChannel;
  private readonly listeners = new Set<(userId: string) => void>();

  constructor(@Inject(REDIS) redis: Redis) {
    this.channel = new InvalidationChannel(
      redis,
      'auth-changed',
      { heard: (userId) => this.forget(userId), reset: () => this.users.clear() },
      this.logger,
    );
  }

  onModuleInit(): void {
    this.channel.start();
  }

  onApplicationShutdown(): void {
    this.channel.stop();
  }

  /** Whether answers are being remembered now (subscribed to the changes channel). */
  get subscribed(): boolean {
    return this.channel.listening;
  }

  /** The remembered role, or undefined when PostgreSQL must be asked. */
  get(userId: string, sessionId: string): Role | undefined {
    const live = this.users.get(userId)?.get(sessionId);
    if (!live) return undefined;
    if (live.until > Date.now()) return live.role;
    this.users.get(userId)?.delete(sessionId);
    return undefined;
  }

  /** Runs `lookup` against PostgreSQL and remembers a live answer if nothing changed meanwhile. */
  async lookup(
    userId: string,
    sessionId: string,
    lookup: () => Promise<Role | null>,
  ): Promise<Role | null> {
    const [epoch, changes] = [this.channel.epoch, this.changes];
    const role = await lookup();
    if (role && this.channel.listening && epoch === this.channel.epoch && changes === this.changes)
      this.remember(userId, sessionId, role);
    return role;
  }

  /** After a committed change to the user or one of their sessions: forgotten everywhere. */
  async changed(userId: string): Promise<void> {
    this.forget(userId);
    await this.channel.publish(userId);
  }

  /**
   * Calls `listener` with the user's id whenever a change to them is heard (from any process,
   * this one included), e.g. so that long-lived connections re-read the role at once. Changes
   * missed while the channel was down are not replayed: holders re-check on their own schedule.
   */
  onChange(listener: (userId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private forget(userId: string): void {
    this.changes++;
    this.users.delete(userId);
    for (const listener of this.listeners) listener(userId);
  }

  private remember(userId: string, sessionId: string, role: Role): void {
    let sessions = this.users.get(userId);
    if (!sessions) {
      if (this.users.size >= MAX_USERS) this.users.delete(this.users.keys().next().value!);
      sessions = new Map();
      this.users.set(userId, sessions);
    }
    sessions.set(sessionId, { role, until: Date.now() + TTL_MS });
  }
}
