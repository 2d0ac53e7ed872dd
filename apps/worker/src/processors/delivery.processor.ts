import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { JOBS, LoggedWorkerHost, QUEUES, workerOptions, type SlaCheckJob } from '#libs/jobs';
import { OrderQueries, OrderTransitions } from '#libs/orders';

/**
 * SLA checks (queue `delivery`): at an order's `promisedBy`, and every minute for all open orders,
 * one `order.sla_breached` event per late order. The admins' alert follows that event through the
 * outbox, so a crash after the commit cannot lose it.
 */
@Processor(QUEUES.delivery, workerOptions())
export class DeliveryProcessor extends LoggedWorkerHost {
  constructor(
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    if (job.name !== JOBS.slaCheck) throw new Error(`unknown job ${job.name}`);
    // With an order id: that order; without (the repeatable sweep): every overdue order.
    const { orderId } = job.data as Partial<SlaCheckJob>;
    const ids = orderId ? [orderId] : await this.orders.overduePastPromise();
    let breached = 0;
    for (const id of ids) if (await this.transitions.markSlaBreached(id)) breached++;
    return { breached };
  }
}
