import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { Metrics } from '#libs/platform';
import { connectionErrorLogger } from '#libs/redis';

/**
 * Base of every processor: logs each job's start, finish and failure with its id, queue, order
 * and duration. Subclasses implement `handle`, which must be idempotent (jobs may run twice).
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  protected readonly logger = new Logger(this.constructor.name);
  /** Property-injected so subclasses keep plain constructors. */
  @Inject(Metrics) private readonly metrics!: Metrics;

  private readonly logConnectionError = connectionErrorLogger(this.logger, 'worker');

  protected abstract handle(job: Job): Promise<unknown>;

  /** Connection trouble, logged once per 30 s (BullMQ prints each failure to stderr otherwise). */
  @OnWorkerEvent('error')
  onWorkerError(err: Error): void {
    this.logConnectionError(err);
  }

  async process(job: Job): Promise<unknown> {
    const context = {
      jobId: job.id,
      queue: job.queueName,
      job: job.name,
      orderId: job.data?.orderId,
      attempt: job.attemptsMade + 1,
    };
    const started = performance.now();
    this.logger.log(context, 'job started');
    try {
      const result = await this.handle(job);
      const seconds = (performance.now() - started) / 1000;
      this.metrics.jobDuration.observe(
        { queue: job.queueName, job: job.name, outcome: 'ok' },
        seconds,
      );
      this.logger.log({ ...context, ms: Math.round(seconds * 1000), result }, 'job finished');
      return result;
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      this.metrics.jobDuration.observe(
        { queue: job.queueName, job: job.name, outcome: 'failed' },
        seconds,
      );
      this.logger.error({ ...context, ms: Math.round(seconds * 1000), err }, 'job failed');
      throw err;
    }
  }
}
