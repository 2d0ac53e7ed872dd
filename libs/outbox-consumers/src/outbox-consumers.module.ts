import { DispatchConsumer, DispatchModule } from '#libs/dispatch';
import {
  JobsModule,
  NotificationJobsScheduler,
  OrderJobsScheduler,
  SimulationJobsScheduler,
} from '#libs/jobs';
import { OutboxModule } from '#libs/orders';
import { TrackingModule, TrackingPublisher } from '#libs/tracking';

/**
 * The outbox consumers, listed once: the api and the worker both run all of them (whichever
 * process holds a consumer's lease delivers for it). A lib of its own because it sits above
 * tracking, jobs and dispatch (dispatch imports jobs, so the list cannot live in jobs).
 */
export const OutboxConsumersModule = OutboxModule.forConsumers(
  [
    TrackingPublisher,
    OrderJobsScheduler,
    NotificationJobsScheduler,
    SimulationJobsScheduler,
    DispatchConsumer,
  ],
  [TrackingModule, JobsModule, DispatchModule],
);
