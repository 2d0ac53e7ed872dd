import { Controller, Get, Header, Headers, Inject, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { DomainError } from '../errors/domain-error.js';
import { Public } from '../http/public.decorator.js';
import { Metrics } from './metrics.js';

/** Equal strings, compared in a time that depends on neither (not even on their lengths). */
const digest = (text: string) => createHash('sha256').update(text).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** The credentials of `Authorization: Bearer <token>`; the scheme in any case (RFC 7235). */
function bearerCredentials(header = ''): string | undefined {
  const space = header.indexOf(' ');
  return space > 0 && header.slice(0, space).toLowerCase() === 'bearer'
    ? header.slice(space + 1)
    : undefined;
}

/**
 * Prometheus text format; behind METRICS_TOKEN when one is configured (always in production:
 * libs/config refuses to start without it there).
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'metrics', version: VERSION_NEUTRAL })
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.metrics.token;
    const credentials = bearerCredentials(authorization);
    if (token && (credentials === undefined || !same(credentials, token))) {
      throw new DomainError('UNAUTHORIZED', 'A metrics token is required');
    }
    return this.metrics.render();
  }
}
