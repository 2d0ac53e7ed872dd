import { Global, Module } from '@nestjs/common';
import { loadConfig } from './app-config.js';

/** Injection token of the validated AppConfig (override it in tests). */
export const APP_CONFIG = Symbol('APP_CONFIG');

@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: () => loadConfig() }],
  exports: [APP_CONFIG],
})
export class ConfigModule {}
