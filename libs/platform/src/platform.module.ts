import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AllExceptionsFilter } from './errors/all-exceptions.filter.js';
import { createValidationPipe } from './errors/validation.js';
import { HealthController } from './health/health.controller.js';
import { LoggingModule } from './logging/logging.module.js';

/**
 * What every FlashCart process runs on: logs, the error filter, input validation and health
 * probes. Registered as APP_* providers so test apps built from the same module inherit them.
 */
@Module({})
export class PlatformModule {
  static forRoot(app: 'api' | 'worker'): DynamicModule {
    return {
      module: PlatformModule,
      imports: [LoggingModule.forRoot(app), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
