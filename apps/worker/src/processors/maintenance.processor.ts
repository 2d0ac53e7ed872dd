import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { SessionsService } from '#libs/auth';
import { LoggedWorkerHost, QUEUES, workerOptions } from '#libs/jobs';
import { IdempotencyKeys } from '#libs/orders';

/** Housekeeping: expired idempotency keys and refresh tokens. */
@Processor(QUEUES.maintenance, workerOptions())
export class MaintenanceProcessor extends LoggedWorkerHost {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  protected async handle(_job: Job): Promise<unknown> {
    return {
      idempotencyKeys: await this.keys.purgeExpired(),
      authRows: await this.sessions.purgeExpired(),
    };
  }
}
