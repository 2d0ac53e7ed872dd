import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { REDIS } from '#libs/redis';

/**
 * Remembers the pair issued for a spent refresh token for a few seconds. The pair is encrypted
 * with a key derived from the spent token itself, so what sits in Redis is useless without it.
 */
@Injectable()
export class RefreshGrace {
  private readonly logger = new Logger(RefreshGrace.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** How long a spent refresh token may be replayed to get the same new pair. */
  get seconds(): number {
    return this.config.auth.refreshGraceSeconds;
  }

  async remember(spentToken: string, spentHash: string, issued: object): Promise<void> {
    if (this.seconds === 0) return;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keyOf(spentToken), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(issued)), cipher.final()]);
    const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    await this.redis
      .set(`auth:grace:${spentHash}`, sealed, 'EX', this.seconds)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not store refresh grace entry'));
  }

  async recall<T>(spentToken: string, spentHash: string): Promise<T | undefined> {
    const sealed = await this.redis.get(`auth:grace:${spentHash}`).catch(() => null);
    if (!sealed) return undefined;
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(spentToken), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(
      Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(),
    ) as T;
  }
}

function keyOf(token: string): Buffer {
  return createHash('sha256').update(`refresh-grace:${token}`).digest();
}
