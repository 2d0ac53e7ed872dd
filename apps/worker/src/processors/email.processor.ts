import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import {
  JOBS,
  LoggedWorkerHost,
  QUEUES,
  workerOptions,
  type AccountEmailJob,
  type SendEmailJob,
} from '#libs/jobs';
import { AccountEmails, EmailDeliveries, EmailSender } from '#libs/notifications';

/**
 * Queue `email`: sends recorded emails (`send-email`; BullMQ retries with backoff, the last
 * failure marks the delivery dead), records reset/verification emails asked for by address
 * (`account-email`), and re-enqueues deliveries whose job Redis lost (`email-sweep`).
 */
@Processor(QUEUES.email, workerOptions())
export class EmailProcessor extends LoggedWorkerHost {
  constructor(
    private readonly sender: EmailSender,
    private readonly deliveries: EmailDeliveries,
    private readonly accountEmails: AccountEmails,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.sendEmail:
        return this.send(job as Job<SendEmailJob>);
      case JOBS.accountEmail:
        return this.accountEmails.answer(job.data as AccountEmailJob);
      case JOBS.emailSweep:
        return { enqueued: await this.deliveries.sweep() };
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }

  private async send(job: Job<SendEmailJob>): Promise<unknown> {
    const { deliveryId } = job.data;
    try {
      return await this.sender.send(deliveryId);
    } catch (err) {
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await this.deliveries.markFailed(deliveryId, String((err as Error)?.message ?? err), last);
      throw err;
    }
  }
}
