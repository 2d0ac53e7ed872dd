import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { normalizeEmail, type Principal } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { DomainError } from '#libs/platform';
import { RateLimiter } from '#libs/redis';

const WINDOW_SECONDS = 60;

/** The account a request is about: its email (normalised: look-alikes share a budget), or its refresh, reset or verification token. */
function accountOf(body: unknown): string | undefined {
  const { email, refreshToken, token } = (body ?? {}) as Record<string, unknown>;
  if (typeof email === 'string') return `email:${normalizeEmail(email)}`;
  if (typeof refreshToken === 'string') {
    return `refresh:${createHash('sha256').update(refreshToken).digest('hex')}`;
  }
  // A reset or verification link's token (guessing tokens is what this budget stops).
  if (typeof token === 'string') return `token:${createHash('sha256').update(token).digest('hex')}`;
  return undefined;
}

/**
 * Counts one sign-in attempt (REST or the pages' form: one budget) per IP and per account; the
 * refusal, if any, with its retry delay. A signed-in request that names no account in its body
 * (re-entering the password to erase the account) counts against the signed-in user: a stolen
 * token must not buy unlimited password guesses from many IPs.
 */
export async function authAttemptRefused(
  limiter: RateLimiter,
  config: AppConfig,
  ip: string,
  body: unknown,
  userId?: string,
): Promise<{ retryAfter: number } | undefined> {
  const { rateLimitPerIp, rateLimitPerAccount } = config.auth;
  const checks = [limiter.hit(`auth:ip:${ip}`, rateLimitPerIp, WINDOW_SECONDS)];
  const account = accountOf(body) ?? (userId ? `user:${userId}` : undefined);
  if (account) {
    checks.push(limiter.hit(`auth:acct:${account}`, rateLimitPerAccount, WINDOW_SECONDS));
  }
  return (await Promise.all(checks)).find((result) => !result.allowed);
}

/** Per IP and per account, counted in Redis so limits hold across api instances. */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // The principal, when the global guard authenticated the request before this one.
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const userId = request.user?.userId;
    const refused = await authAttemptRefused(
      this.limiter,
      this.config,
      request.ip,
      request.body,
      userId,
    );
    if (refused) {
      throw new DomainError('RATE_LIMITED', `Too many attempts; retry in ${refused.retryAfter} s`, {
        retryAfter: refused.retryAfter,
      });
    }
    return true;
  }
}
