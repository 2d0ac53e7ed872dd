import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#libs/config';

/** The health probes' requests, as load balancers and orchestrators send them. */
const PROBES = new Set(['/health/live', '/health/ready']);

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
              // Probes would drown everything else. Exactly the probes' paths: a prefix test on
              // the raw URL would also hide from the log whatever an attacker puts after it.
              autoLogging: { ignore: (req) => PROBES.has(req.url ?? '') },
              base: { app },
            },
          }),
        }),
      ],
    };
  }
}
