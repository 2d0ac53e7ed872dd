/** Injection token of the shared ioredis client (keys are prefixed with REDIS_PREFIX). */
export const REDIS = Symbol('REDIS');
