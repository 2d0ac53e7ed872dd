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
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { REDIS } from '#libs/redis';
import { Public } from '../http/public.decorator.js';

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

class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

class ReadyDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({ ...CHECKS, description: 'Per dependency: { status, message? }' })
  checks!: Record<string, unknown>;
}

/** The one error body plus which dependency is down (503). */
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

@ApiTags('health')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
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

  /** Readiness: PostgreSQL and Redis both answer. */
  @ApiOperation({
    operationId: 'checkReadiness',
    summary: 'Readiness probe (PostgreSQL and Redis)',
  })
  @Get('ready')
  @ApiOkResponse({ type: ReadyDto, description: 'PostgreSQL and Redis answer.' })
  @ApiServiceUnavailableResponse({
    type: NotReadyDto,
    description: 'A dependency is down; the message names it.',
  })
  async ready(): Promise<{ status: 'ok'; version: string; checks: Record<string, unknown> }> {
    const version = this.config.version;
    try {
      const result = await this.health.check([
        () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.pingRedis(),
      ]);
      return { status: 'ok', version, checks: result.details };
    } catch (e) {
      const response = (e as ServiceUnavailableException).getResponse?.() as
        { error?: Record<string, unknown>; details?: Record<string, unknown> } | undefined;
      const down = Object.keys(response?.error ?? {});
      throw new ServiceUnavailableException({
        message: `Not ready: ${down.join(', ') || 'unknown'} down`,
        version,
        checks: response?.details ?? {},
      });
    }
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
