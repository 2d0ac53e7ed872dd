import { WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';

/** Observes every job run (for metrics); set by the worker app. */
export type JobObserver = (queue: string, name: string, seconds: number, ok: boolean) => void;

/**
 * Base of every processor: logs each job's start, finish and failure with its id, queue, order
 * and duration. Subclasses implement `handle`, which must be idempotent (jobs may run twice).
 */
export abstract class LoggedWorkerHost extends WorkerHost {
  static observer: JobObserver = () => undefined;
  protected readonly logger = new Logger(this.constructor.name);

  protected abstract handle(job: Job): Promise<unknown>;

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
      LoggedWorkerHost.observer(job.queueName, job.name, seconds, true);
      this.logger.log({ ...context, ms: Math.round(seconds * 1000), result }, 'job finished');
      return result;
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      LoggedWorkerHost.observer(job.queueName, job.name, seconds, false);
      this.logger.error({ ...context, ms: Math.round(seconds * 1000), err }, 'job failed');
      throw err;
    }
  }
}
