import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Secrets that ship in `.env.example` / defaults contain this marker; production refuses them. */
export const INSECURE_SECRET_MARKER = 'insecure-change-me';

const trimmed = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

/**
 * Every environment variable FlashCart reads, with its default.
 * This class is the documentation: `.env.example` and the README table mirror it.
 */
export class Environment {
  /** development | test | production. Production forbids default secrets. */
  @IsIn(NODE_ENVS) @trimmed NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  /** Interface the HTTP servers bind to. */
  @IsString() @trimmed HOST = '0.0.0.0';

  /** API HTTP port. */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT = 3000;

  /** Worker health/metrics port (the worker serves nothing else). */
  @Type(() => Number) @IsInt() @Min(0) @Max(65535) WORKER_HEALTH_PORT = 3001;

  /** PostgreSQL connection URL. */
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: '$property must be a postgres:// URL' })
  @trimmed
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/flashcart';

  /** Redis connection URL (BullMQ needs `maxmemory-policy noeviction`). */
  @Matches(/^rediss?:\/\/\S+$/, { message: '$property must be a redis:// URL' })
  @trimmed
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key (queues, cache, sockets, auth state); one per deployment/test run. */
  @Matches(/^[a-zA-Z0-9_.-]{1,64}$/, { message: '$property must be 1-64 of [a-zA-Z0-9_.-]' })
  @trimmed
  REDIS_PREFIX = 'fc';

  /** HMAC secret of access tokens (at least 32 characters). */
  @IsString() @MinLength(32) JWT_ACCESS_SECRET =
    `dev-${INSECURE_SECRET_MARKER}-access-0123456789abcdef`;

  /** Secret that keys the hashes of stored refresh tokens (at least 32 characters). */
  @IsString() @MinLength(32) JWT_REFRESH_SECRET =
    `dev-${INSECURE_SECRET_MARKER}-refresh-0123456789abcdef`;

  /** Access token lifetime, seconds. */
  @Type(() => Number) @IsInt() @Min(30) @Max(86400) JWT_ACCESS_TTL = 900;

  /** Refresh token lifetime, seconds (30 days). */
  @Type(() => Number) @IsInt() @Min(60) REFRESH_TOKEN_TTL = 2_592_000;

  /** Seconds in which a spent refresh token may be replayed for the same new pair (lost responses). */
  @Type(() => Number) @IsInt() @Min(0) @Max(60) REFRESH_GRACE_SECONDS = 10;

  /** `iss` claim of issued tokens, checked on every request. */
  @IsString() @MinLength(1) @trimmed JWT_ISSUER = 'flashcart';

  /** `aud` claim of issued tokens, checked on every request. */
  @IsString() @MinLength(1) @trimmed JWT_AUDIENCE = 'flashcart-api';

  /** Requests per minute per client IP on login/signup/refresh. */
  @Type(() => Number) @IsInt() @Min(1) AUTH_RATE_LIMIT_IP = 60;

  /** Requests per minute per account (email) on login/signup/refresh. */
  @Type(() => Number) @IsInt() @Min(1) AUTH_RATE_LIMIT_ACCOUNT = 10;

  /** Delivery fee, paise, charged below the free-delivery threshold. */
  @Type(() => Number) @IsInt() @Min(0) DELIVERY_FEE_MINOR = 2_500;

  /** Subtotal (paise) from which delivery is free. */
  @Type(() => Number) @IsInt() @Min(0) FREE_DELIVERY_ABOVE_MINOR = 19_900;

  /** Items worth less than this (paise) pay the small-basket fee. */
  @Type(() => Number) @IsInt() @Min(0) SMALL_BASKET_BELOW_MINOR = 9_900;

  /** The small-basket fee, paise. */
  @Type(() => Number) @IsInt() @Min(0) SMALL_BASKET_FEE_MINOR = 1_500;

  /** Items worth less than this (paise) cannot be checked out from a cart. */
  @Type(() => Number) @IsInt() @Min(0) MINIMUM_ORDER_MINOR = 0;

  /** GST rate (basis points: 1800 = 18 %) included in the fees. */
  @Type(() => Number) @IsInt() @Min(0) @Max(10_000) FEE_TAX_RATE_BP = 1_800;

  /** A cart untouched for this long (hours) is deleted by the worker. */
  @Type(() => Number) @IsInt() @Min(1) CART_TTL_HOURS = 72;

  /** The shortest promise: promisedBy = placed + max(this, packing + travel), see RIDER_SPEED_KMH. */
  @Type(() => Number) @IsInt() @Min(1) @Max(240) DELIVERY_PROMISE_MINUTES = 10;

  /** Open (not delivered/cancelled) orders one customer may have at once. */
  @Type(() => Number) @IsInt() @Min(1) MAX_OPEN_ORDERS_PER_CUSTOMER = 5;

  /** An order still PLACED this many seconds after placement is cancelled by the system. */
  @Type(() => Number) @IsInt() @Min(1) ORDER_PACK_TIMEOUT_SECONDS = 900;

  /** How often the sweeper looks for stale orders a lost job missed, milliseconds. */
  @Type(() => Number) @IsInt() @Min(1000) ORDER_SWEEP_INTERVAL_MS = 60_000;

  /** Job lock (ms): a job whose worker died is retried after about this long. */
  @Type(() => Number) @IsInt() @Min(1000) JOB_LOCK_MS = 30_000;

  /** Jobs one worker process runs at once, per queue. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100) WORKER_CONCURRENCY = 5;

  /** Demo: the system walks orders through their states by itself (on in `make up`). */
  @IsIn(['true', 'false']) @trimmed DELIVERY_SIMULATION: 'true' | 'false' = 'false';

  /** Demo simulation: seconds between steps. */
  @Type(() => Number) @IsInt() @Min(1) DELIVERY_SIMULATION_STEP_SECONDS = 15;

  /** How often open tracking sockets are re-checked, ms: a safety net (changes apply at once). */
  @Type(() => Number) @IsInt() @Min(100) @Max(30_000) TRACKING_AUTH_RECHECK_MS = 15_000;

  /** Tracking sockets one user may hold open at once, across every api instance. */
  @Type(() => Number) @IsInt() @Min(1) TRACKING_MAX_SOCKETS_PER_USER = 10;

  /** Tracking sockets one client IP may hold open at once (NAT: many users), across instances. */
  @Type(() => Number) @IsInt() @Min(1) TRACKING_MAX_SOCKETS_PER_IP = 200;

  /** Messages one tracking socket may send per second, sustained (token bucket). */
  @Type(() => Number) @IsInt() @Min(1) TRACKING_MESSAGES_PER_SECOND = 10;

  /** Messages one tracking socket may send at once (bucket size: a reconnect resubscribes all). */
  @Type(() => Number) @IsInt() @Min(1) TRACKING_MESSAGE_BURST = 60;

  /**
   * GET /metrics (api and worker) requires `Authorization: Bearer <METRICS_TOKEN>`. Required in
   * production (the metrics show business volume, queue depths and versions); elsewhere, enforced
   * when set.
   */
  @IsOptional() @IsString() @MinLength(16) METRICS_TOKEN?: string;

  /** Swagger UI at /docs and the document at /docs-json. Unset: off in production, on otherwise. */
  @IsOptional() @IsIn(['true', 'false']) @trimmed DOCS_ENABLED?: 'true' | 'false';

  /** pino level. */
  @IsIn(LOG_LEVELS) @trimmed LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Comma-separated allowed browser origins; empty = no cross-origin access. */
  @IsString() @trimmed CORS_ORIGINS = 'http://localhost:3000,http://localhost:5173';

  /** Largest accepted request body, bytes. */
  @Type(() => Number) @IsInt() @Min(1024) @Max(10_485_760) BODY_LIMIT = 102_400;

  /**
   * Whose X-Forwarded-For to believe for the client's address (per-IP auth rate limits): `false`,
   * the TCP peer is the client; comma-separated proxy addresses or CIDRs (or `loopback`,
   * `linklocal`, `uniquelocal`: the private ranges), the client is the nearest address that is
   * not one of them; `true`, every hop: only when all traffic comes through a proxy that replaces
   * X-Forwarded-For, as docker/haproxy.cfg does. Checked in loadConfig.
   */
  @IsString() @trimmed TRUST_PROXY = 'false';

  /** Milliseconds allowed for in-flight work to finish on SIGTERM before exiting anyway. */
  @Type(() => Number) @IsInt() @Min(0) SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * Milliseconds the api keeps serving after SIGTERM while its health checks already answer 503,
   * so that a load balancer stops sending to it first (then it closes). 0: no balancer.
   */
  @Type(() => Number) @IsInt() @Min(0) @Max(120_000) SHUTDOWN_DRAIN_MS = 0;

  /** First admin, created by `make seed` / `npm run cli -- create-admin`. */
  @IsOptional() @IsString() @MaxLength(254) @trimmed ADMIN_EMAIL?: string;

  /** Password of the first admin (8..128 characters). */
  @IsOptional() @IsString() @MinLength(8) @MaxLength(128) ADMIN_PASSWORD?: string;

  // --- Email (issue 28; docs/operations.md "Email") ---
  /**
   * Send notification, reset and verification emails through SMTP (the worker sends them).
   * Unset: on outside production; in production on exactly when SMTP_URL is set.
   */
  @IsOptional() @IsIn(['true', 'false']) @trimmed EMAIL_ENABLED?: 'true' | 'false';
  /**
   * The SMTP server, `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`.
   * Unset: `smtp://127.0.0.1:1025` (maildev in `make up`); required in production when email is on.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: '$property must be an smtp:// or smtps:// URL' })
  @trimmed
  SMTP_URL?: string;
  /** The From of every email, e.g. `FlashCart <no-reply@example.com>`; required in production. */
  @IsOptional() @IsString() @MaxLength(200) @trimmed MAIL_FROM?: string;
  /** Where links in emails point (the api's public origin); required in production. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: '$property must be an http(s) URL' })
  @trimmed
  PUBLIC_BASE_URL?: string;
  /** Send attempts per email before it is dead (listed for ops at /v1/admin/email-deliveries). */
  @Type(() => Number) @IsInt() @Min(1) @Max(50) EMAIL_MAX_ATTEMPTS = 10;
  /** First retry delay, ms; doubles each attempt (10 attempts from 30 s: about 4 hours in all). */
  @Type(() => Number) @IsInt() @Min(100) EMAIL_RETRY_DELAY_MS = 30_000;
  /** SMTP connection, greeting and socket timeout, ms. */
  @Type(() => Number) @IsInt() @Min(1000) @Max(300_000) EMAIL_SEND_TIMEOUT_MS = 30_000;
  /** Lifetime of a password reset link, seconds. */
  @Type(() => Number) @IsInt() @Min(60) @Max(86_400) PASSWORD_RESET_TTL_SECONDS = 3_600;
  /** Lifetime of an email verification link, seconds. */
  @Type(() => Number) @IsInt() @Min(60) @Max(2_592_000) EMAIL_VERIFICATION_TTL_SECONDS = 259_200;

  // --- Dispatch, store capacity and the delivery promise (issue 19; docs/dispatch.md) ---
  /** Seconds a rider has to accept an offer before it goes to the next rider. */
  @Type(() => Number) @IsInt() @Min(5) @Max(600) RIDER_OFFER_TIMEOUT_SECONDS = 45;
  /** Orders one rider may carry at once (more than 1: batching of nearby addresses). */
  @Type(() => Number) @IsInt() @Min(1) @Max(5) RIDER_MAX_ORDERS = 1;
  /** Batching: a second order only if its address is this close (metres) to one the rider carries. */
  @Type(() => Number) @IsInt() @Min(0) @Max(10_000) RIDER_BATCH_RADIUS_M = 800;
  /** How often lost offer timeouts and waiting orders are swept, milliseconds. */
  @Type(() => Number) @IsInt() @Min(1000) DISPATCH_SWEEP_INTERVAL_MS = 15_000;
  /** Rider speed used for the promise (store to address), km/h. */
  @Type(() => Number) @IsInt() @Min(1) @Max(120) RIDER_SPEED_KMH = 20;
  /** Picking and packing time used for the promise and for a busy store's retryAfter, seconds. */
  @Type(() => Number) @IsInt() @Min(0) @Max(7200) ORDER_PACKING_SECONDS = 240;

  // --- Payments (issue 26; docs/operations.md "Payments") ---
  /** stripe (the real provider) or fake (local demos: no money moves). Production refuses fake. */
  @IsIn(['stripe', 'fake']) @trimmed PAYMENT_PROVIDER: 'stripe' | 'fake' = 'fake';
  /** An online order not paid this many seconds after placement is cancelled, its stock returned. */
  @Type(() => Number) @IsInt() @Min(10) @Max(86_400) PAYMENT_TIMEOUT_SECONDS = 900;
  /** How often the worker sends due refunds and reconciles payments in flight, milliseconds. */
  @Type(() => Number) @IsInt() @Min(100) PAYMENT_SWEEP_INTERVAL_MS = 30_000;
  /** First wait before a failed refund is sent again (doubling each time), milliseconds. */
  @Type(() => Number) @IsInt() @Min(50) REFUND_RETRY_BASE_MS = 5_000;
  /** Longest wait between two attempts at a refund, milliseconds. */
  @Type(() => Number) @IsInt() @Min(50) REFUND_RETRY_MAX_MS = 600_000;
  /** Failed attempts after which a refund raises an alert to the admins (it keeps being retried). */
  @Type(() => Number) @IsInt() @Min(1) REFUND_ALERT_AFTER_ATTEMPTS = 5;
  /** Stripe secret API key (sk_live_… / sk_test_…); required with PAYMENT_PROVIDER=stripe. */
  @IsOptional() @IsString() @MinLength(8) @trimmed STRIPE_SECRET_KEY?: string;
  /** The webhook endpoint's signing secret (whsec_…); the fake provider signs with it too. */
  @IsString() @MinLength(16) @trimmed STRIPE_WEBHOOK_SECRET = `whsec_dev-${INSECURE_SECRET_MARKER}`;
  /** Oldest webhook signature timestamp accepted, seconds (Stripe's default: 300). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600) STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;
  /** Stripe API host, port and protocol: unset for api.stripe.com (tests point them at a stand-in). */
  @IsOptional() @IsString() @trimmed STRIPE_API_HOST?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(65535) STRIPE_API_PORT?: number;
  @IsOptional() @IsIn(['http', 'https']) @trimmed STRIPE_API_PROTOCOL?: 'http' | 'https';
  /** Milliseconds one call to the provider may take before it counts as failed. */
  @Type(() => Number) @IsInt() @Min(100) @Max(80_000) STRIPE_TIMEOUT_MS = 10_000;
}
