import type { AppConfig } from '#libs/config';

/** The Redis pub/sub channel on which every committed order event is published. */
export function orderEventsChannel(config: AppConfig): string {
  return `${config.redis.prefix}:order-events`;
}
