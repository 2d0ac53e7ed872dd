import {
  Controller,
  Get,
  Inject,
  ServiceUnavailableException,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  type ApiPropertyOptions,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import {
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { REDIS } from '#libs/redis';
import { Public } from '../http/public.decorator.js';
import { Drain } from './drain.js';

const CHECK_TIMEOUT_MS = 1_500;

/** `checks`: each dependency (database, redis) by name, as @nestjs/terminus reports it. */
const CHECKS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['up', 'down'] },
      message: { type: 'string', description: 'Why it is down' },
    },
    required: ['status'],
  },
  example: { database: { status: 'up' }, redis: { status: 'up' } },
};
type Checks = Record<string, { status: string; [detail: string]: unknown }>;

class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class ReadyDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({ ...CHECKS, description: 'Per dependency: { status, message? }' })
  checks!: Record<string, unknown>;
}

class ServingDto {
  @ApiProperty({
    enum: ['ok', 'degraded'],
    description: '`degraded`: Redis is down (the api serves on without it)',
  })
  status!: 'ok' | 'degraded';
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({ ...CHECKS, description: 'Per dependency: { status, message? }' })
  checks!: Record<string, unknown>;
}

/** The one error body plus what is down (503). */
class NotReadyDto {
  @ApiProperty({ type: 'integer', example: 503 }) statusCode!: number;
  @ApiProperty({ example: 'Service Unavailable' }) error!: string;
  @ApiProperty({ example: 'Not ready: redis down' }) message!: string;
  @ApiProperty() requestId!: string;
  @ApiProperty() version!: string;
  @ApiProperty({
    ...CHECKS,
    example: { database: { status: 'up' }, redis: { status: 'down', message: 'timeout' } },
  })
  checks!: Record<string, unknown>;
}

/**
 * Three probes for three readers (docs/operations.md, "Health"): `live` for a supervisor that
 * restarts the process, `serving` for whatever routes traffic to it (a load balancer), `ready`
 * for whoever needs every dependency up (a deploy gate, monitoring). Only `serving` ignores
 * Redis: the api serves without it, and a balancer that drops every instance when Redis is down
 * turns a degraded service into an outage.
 */
@ApiTags('health')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly drain: Drain,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Liveness: the process is up and its event loop answers. */
  @ApiOperation({ operationId: 'checkLiveness', summary: 'Liveness probe' })
  @Get('live')
  @ApiOkResponse({ type: LiveDto, description: 'The process is up.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** For load balancers: this instance can serve requests (PostgreSQL answers, not draining). */
  @ApiOperation({
    operationId: 'checkServing',
    summary: 'Load balancer check (PostgreSQL answers and the process is not stopping)',
  })
  @Get('serving')
  @ApiOkResponse({
    type: ServingDto,
    description: 'This instance serves requests; `degraded` while Redis is down.',
  })
  @ApiServiceUnavailableResponse({
    type: NotReadyDto,
    description: 'PostgreSQL is down, or the process is draining before it stops.',
  })
  async serving(): Promise<{ status: 'ok' | 'degraded'; version: string; checks: Checks }> {
    const checks = await this.dependencies('Not serving');
    if (checks.database.status !== 'up')
      throw this.unavailable('Not serving: database down', checks);
    return {
      status: checks.redis.status === 'up' ? 'ok' : 'degraded',
      version: this.config.version,
      checks,
    };
  }

  /** Readiness: PostgreSQL and Redis both answer, and the process is not draining. */
  @ApiOperation({
    operationId: 'checkReadiness',
    summary: 'Readiness probe (PostgreSQL and Redis)',
  })
  @Get('ready')
  @ApiOkResponse({ type: ReadyDto, description: 'PostgreSQL and Redis answer.' })
  @ApiServiceUnavailableResponse({
    type: NotReadyDto,
    description: 'A dependency is down, or the process is draining; the message says which.',
  })
  async ready(): Promise<{ status: 'ok'; version: string; checks: Checks }> {
    const checks = await this.dependencies('Not ready');
    const down = Object.keys(checks).filter((name) => checks[name].status !== 'up');
    if (down.length > 0) throw this.unavailable(`Not ready: ${down.join(', ')} down`, checks);
    return { status: 'ok', version: this.config.version, checks };
  }

  /** Both dependencies, checked at once; a draining process answers 503 without looking. */
  private async dependencies(refusal: string): Promise<Checks> {
    if (this.drain.draining) throw this.unavailable(`${refusal}: draining (stopping)`, {});
    const [database, redis] = await Promise.all([
      this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      this.pingRedis(),
    ]);
    return { ...database, ...redis } as Checks;
  }

  private unavailable(message: string, checks: Checks): ServiceUnavailableException {
    return new ServiceUnavailableException({ message, version: this.config.version, checks });
  }

  private async pingRedis(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('redis');
    try {
      await this.redis.ping();
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }
}
