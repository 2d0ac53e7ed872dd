import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { dataSourceOptions } from './data-source-options.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config),
        // Each lib registers its own entities with TypeOrmModule.forFeature.
        autoLoadEntities: true,
        retryAttempts: 10,
        retryDelay: 2_000,
      }),
    }),
  ],
})
export class DatabaseModule {}
