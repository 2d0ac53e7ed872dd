import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#libs/config';

/** Structured JSON logs through pino; every line of a request carries its `reqId`. */
@Module({})
export class LoggingModule {
  static forRoot(app: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.log.level,
              transport:
                config.env === 'development'
                  ? { target: 'pino-pretty', options: { singleLine: true } }
                  : undefined,
              redact: {
                paths: [
                  'req.headers.authorization',
                  'req.headers.cookie',
                  'res.headers["set-cookie"]',
                  '*.password',
                  '*.refreshToken',
                  '*.accessToken',
                ],
                censor: '[redacted]',
              },
              // Probes would drown everything else.
              autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
              base: { app },
            },
          }),
        }),
      ],
    };
  }
}
