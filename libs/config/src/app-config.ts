import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { processEnvironment } from './env-files.js';
import { Environment, INSECURE_SECRET_MARKER } from './environment.js';
import { secretWeakness } from './secret-strength.js';

/** Typed, validated configuration; the only view of the environment the rest of the code gets. */
export interface AppConfig {
  env: Environment['NODE_ENV'];
  version: string;
  http: {
    host: string;
    port: number;
    corsOrigins: string[];
    bodyLimit: number;
    /** Fastify's trustProxy: false, true (every hop) or the trusted proxies' addresses. */
    trustProxy: boolean | string[];
    shutdownTimeoutMs: number;
    /** The api's drain on SIGTERM, before it closes (docs/operations.md, "Health"). */
    shutdownDrainMs: number;
  };
  worker: { healthPort: number };
  database: { url: string };
  redis: { url: string; prefix: string };
  auth: {
    accessSecret: string;
    refreshSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    refreshGraceSeconds: number;
    issuer: string;
    audience: string;
    rateLimitPerIp: number;
    rateLimitPerAccount: number;
  };
  orders: {
    deliveryFeeMinor: number;
    freeDeliveryAboveMinor: number;
    smallBasketBelowMinor: number;
    smallBasketFeeMinor: number;
    minimumOrderMinor: number;
    feeTaxRateBp: number;
    cartTtlHours: number;
    promiseMinutes: number;
    maxOpenPerCustomer: number;
  };
  jobs: {
    packTimeoutSeconds: number;
    sweepIntervalMs: number;
    lockMs: number;
    concurrency: number;
    simulation: boolean;
    simulationStepSeconds: number;
  };
  dispatch: {
    offerTimeoutSeconds: number;
    maxOrdersPerRider: number;
    batchRadiusM: number;
    sweepIntervalMs: number;
    riderSpeedKmh: number;
    packingSeconds: number;
  };
  payments: {
    provider: 'stripe' | 'fake';
    timeoutSeconds: number;
    sweepIntervalMs: number;
    refundRetryBaseMs: number;
    refundRetryMaxMs: number;
    refundAlertAfterAttempts: number;
    stripe: {
      secretKey?: string;
      webhookSecret: string;
      webhookToleranceSeconds: number;
      host?: string;
      port?: number;
      protocol?: 'http' | 'https';
      timeoutMs: number;
    };
  };
  metrics: { token?: string };
  /** Whether the api serves Swagger UI (/docs) and the OpenAPI document (/docs-json). */
  docs: { enabled: boolean };
  tracking: {
    authRecheckMs: number;
    maxSocketsPerUser: number;
    maxSocketsPerIp: number;
    messagesPerSecond: number;
    messageBurst: number;
  };
  log: { level: Environment['LOG_LEVEL'] };
  admin: { email?: string; password?: string };
}

/** Thrown when the environment is invalid; its message is one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const SECRETS = ['JWT_ACCESS_SECRET', 'JWT_REFRESH_SECRET'] as const;

function describe(errors: ValidationError[]): string[] {
  // class-validator messages start with the property name ("PORT must be an integer number").
  return errors.map(
    (e) => Object.values(e.constraints ?? {}).join(', ') || `${e.property} is invalid`,
  );
}

/** VERSION sits at the project root, which is the working directory of every process we start. */
function readVersion(): string {
  try {
    return readFileSync(join(process.cwd(), 'VERSION'), 'utf8').trim();
  } catch {
    return '0.0.0-unknown';
  }
}

/** Names of address ranges that Fastify's trustProxy (proxy-addr) knows. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as Fastify takes it (no hop count: Fastify 5.12 trusts nobody for one); undefined when malformed. */
function trustedProxies(value: string): boolean | string[] | undefined {
  if (value === 'false' || value === 'true') return value === 'true';
  const items = value.split(',').map((item) => item.trim());
  const valid = (item: string) => {
    if (PROXY_RANGES.has(item)) return true;
    const [address, prefix, ...rest] = item.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    return (
      prefix === undefined || (/^\d{1,3}$/.test(prefix) && +prefix <= (family === 4 ? 32 : 128))
    );
  };
  return items.every(valid) ? items : undefined;
}

/**
 * Builds the configuration from an environment or throws ConfigError. By default: the process
 * environment, completed from `.env` and `.local/services.env` without overriding anything.
 */
export function loadConfig(source: NodeJS.ProcessEnv = processEnvironment()): AppConfig {
  // Empty strings mean "unset" so that `FOO=` in an .env file falls back to the default.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const env = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const problems = describe(validateSync(env, { whitelist: false }));

  if (env.NODE_ENV === 'production') {
    for (const name of SECRETS) {
      if (!source[name] || env[name].includes(INSECURE_SECRET_MARKER)) {
        problems.push(`${name} must be set to a real secret in production (not the example)`);
      } else {
        const weakness = secretWeakness(env[name]);
        if (weakness) problems.push(`${name} is too weak for production: it ${weakness}`);
      }
    }
  }
  if (env.NODE_ENV === 'production' && !env.METRICS_TOKEN) {
    problems.push(
      'METRICS_TOKEN must be set in production (GET /metrics requires it as a bearer token)',
    );
  }
  const trustProxy = trustedProxies(env.TRUST_PROXY);
  if (trustProxy === undefined) {
    problems.push(
      'TRUST_PROXY must be false, true, or comma-separated proxy addresses or CIDRs (or loopback, linklocal, uniquelocal)',
    );
  }
  if (env.NODE_ENV === 'production') {
    if (env.PAYMENT_PROVIDER !== 'stripe')
      problems.push('PAYMENT_PROVIDER must be stripe in production (fake moves no money)');
    if (env.STRIPE_WEBHOOK_SECRET.includes(INSECURE_SECRET_MARKER))
      problems.push(
        'STRIPE_WEBHOOK_SECRET must be set to the endpoint’s signing secret in production',
      );
    if (env.STRIPE_API_HOST || env.STRIPE_API_PORT || env.STRIPE_API_PROTOCOL)
      problems.push('STRIPE_API_HOST/PORT/PROTOCOL are for tests; unset them in production');
  }
  if (env.PAYMENT_PROVIDER === 'stripe' && !env.STRIPE_SECRET_KEY) {
    problems.push('STRIPE_SECRET_KEY must be set when PAYMENT_PROVIDER=stripe');
  }
  if (env.JWT_ACCESS_SECRET === env.JWT_REFRESH_SECRET) {
    problems.push('JWT_REFRESH_SECRET must differ from JWT_ACCESS_SECRET');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: env.NODE_ENV,
    version: readVersion(),
    http: {
      host: env.HOST,
      port: env.PORT,
      corsOrigins: env.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      bodyLimit: env.BODY_LIMIT,
      trustProxy: trustProxy ?? false,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    },
    worker: { healthPort: env.WORKER_HEALTH_PORT },
    database: { url: env.DATABASE_URL },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    auth: {
      accessSecret: env.JWT_ACCESS_SECRET,
      refreshSecret: env.JWT_REFRESH_SECRET,
      accessTtlSeconds: env.JWT_ACCESS_TTL,
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL,
      refreshGraceSeconds: env.REFRESH_GRACE_SECONDS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      rateLimitPerIp: env.AUTH_RATE_LIMIT_IP,
      rateLimitPerAccount: env.AUTH_RATE_LIMIT_ACCOUNT,
    },
    orders: {
      deliveryFeeMinor: env.DELIVERY_FEE_MINOR,
      freeDeliveryAboveMinor: env.FREE_DELIVERY_ABOVE_MINOR,
      smallBasketBelowMinor: env.SMALL_BASKET_BELOW_MINOR,
      smallBasketFeeMinor: env.SMALL_BASKET_FEE_MINOR,
      minimumOrderMinor: env.MINIMUM_ORDER_MINOR,
      feeTaxRateBp: env.FEE_TAX_RATE_BP,
      cartTtlHours: env.CART_TTL_HOURS,
      promiseMinutes: env.DELIVERY_PROMISE_MINUTES,
      maxOpenPerCustomer: env.MAX_OPEN_ORDERS_PER_CUSTOMER,
    },
    jobs: {
      packTimeoutSeconds: env.ORDER_PACK_TIMEOUT_SECONDS,
      sweepIntervalMs: env.ORDER_SWEEP_INTERVAL_MS,
      lockMs: env.JOB_LOCK_MS,
      concurrency: env.WORKER_CONCURRENCY,
      simulation: env.DELIVERY_SIMULATION === 'true',
      simulationStepSeconds: env.DELIVERY_SIMULATION_STEP_SECONDS,
    },
    dispatch: {
      offerTimeoutSeconds: env.RIDER_OFFER_TIMEOUT_SECONDS,
      maxOrdersPerRider: env.RIDER_MAX_ORDERS,
      batchRadiusM: env.RIDER_BATCH_RADIUS_M,
      sweepIntervalMs: env.DISPATCH_SWEEP_INTERVAL_MS,
      riderSpeedKmh: env.RIDER_SPEED_KMH,
      packingSeconds: env.ORDER_PACKING_SECONDS,
    },
    payments: {
      provider: env.PAYMENT_PROVIDER,
      timeoutSeconds: env.PAYMENT_TIMEOUT_SECONDS,
      sweepIntervalMs: env.PAYMENT_SWEEP_INTERVAL_MS,
      refundRetryBaseMs: env.REFUND_RETRY_BASE_MS,
      refundRetryMaxMs: env.REFUND_RETRY_MAX_MS,
      refundAlertAfterAttempts: env.REFUND_ALERT_AFTER_ATTEMPTS,
      stripe: {
        secretKey: env.STRIPE_SECRET_KEY,
        webhookSecret: env.STRIPE_WEBHOOK_SECRET,
        webhookToleranceSeconds: env.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        host: env.STRIPE_API_HOST,
        port: env.STRIPE_API_PORT,
        protocol: env.STRIPE_API_PROTOCOL,
        timeoutMs: env.STRIPE_TIMEOUT_MS,
      },
    },
    metrics: { token: env.METRICS_TOKEN },
    docs: {
      enabled: env.DOCS_ENABLED ? env.DOCS_ENABLED === 'true' : env.NODE_ENV !== 'production',
    },
    tracking: {
      authRecheckMs: env.TRACKING_AUTH_RECHECK_MS,
      maxSocketsPerUser: env.TRACKING_MAX_SOCKETS_PER_USER,
      maxSocketsPerIp: env.TRACKING_MAX_SOCKETS_PER_IP,
      messagesPerSecond: env.TRACKING_MESSAGES_PER_SECOND,
      messageBurst: env.TRACKING_MESSAGE_BURST,
    },
    log: { level: env.LOG_LEVEL },
    admin: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
  };
}
