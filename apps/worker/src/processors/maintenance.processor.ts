import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { AccountTokens, SessionsService } from '#libs/auth';
import { Carts } from '#libs/cart';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { LoggedWorkerHost, QUEUES, workerOptions } from '#libs/jobs';
import { IdempotencyKeys, OrdersPersonalData } from '#libs/orders';

/**
 * Housekeeping: expired idempotency keys, refresh tokens and reset/verification tokens, abandoned
 * carts, and any order of an erased customer that escaped the erasure (written just after it).
 */
@Processor(QUEUES.maintenance, workerOptions())
export class MaintenanceProcessor extends LoggedWorkerHost {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly sessions: SessionsService,
    private readonly carts: Carts,
    private readonly accountTokens: AccountTokens,
    private readonly ordersData: OrdersPersonalData,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async handle(_job: Job): Promise<unknown> {
    return {
      idempotencyKeys: await this.keys.purgeExpired(),
      authRows: await this.sessions.purgeExpired(),
      accountTokens: await this.accountTokens.purgeExpired(),
      carts: await this.carts.expire(
        new Date(Date.now() - this.config.orders.cartTtlHours * 3_600_000),
      ),
      erasedCustomersOrders: await this.ordersData.sweepErased(),
    };
  }
}
