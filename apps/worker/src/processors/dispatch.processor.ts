import { Processor } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { Dispatcher } from '#libs/dispatch';
import { JOBS, LoggedWorkerHost, QUEUES, workerOptions, type OfferTimeoutJob } from '#libs/jobs';

/** Offer timeouts (`offer-timeout-<offerId>`) and the dispatch sweeper (lost timeouts, waiting orders). */
@Processor(QUEUES.dispatch, workerOptions())
export class DispatchProcessor extends LoggedWorkerHost {
  constructor(private readonly dispatcher: Dispatcher) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.offerTimeout:
        return this.dispatcher.expire((job.data as OfferTimeoutJob).offerId);
      case JOBS.dispatchSweep:
        return this.dispatcher.sweep();
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }
}
