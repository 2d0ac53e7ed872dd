import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AllExceptionsFilter } from './errors/all-exceptions.filter.js';
import { createValidationPipe } from './errors/validation.js';
import { Drain } from './health/drain.js';
import { HealthController } from './health/health.controller.js';
import { UndeclaredBodyInterceptor } from './http/undeclared-body.interceptor.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { Metrics } from './metrics/metrics.js';

/**
 * What every FlashCart process runs on: logs, the error filter, input validation (with the
 * refusal of a body where a route takes none) and health probes. Registered as APP_* providers so
 * test apps built from the same module inherit them.
 */
@Module({})
export class PlatformModule {
  static forRoot(app: 'api' | 'worker'): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      exports: [Metrics, Drain],
      imports: [LoggingModule.forRoot(app), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        Metrics,
        Drain,
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: UndeclaredBodyInterceptor },
      ],
    };
  }
}
