import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import type { OrderEventConsumer, OrderEventView } from '#libs/orders';
import { JobProducer } from './job-producer.js';

/**
 * Outbox consumer `order-jobs`: a placed order's auto-cancel and SLA check jobs.
 * Job ids are deterministic, so a batch delivered twice enqueues nothing new.
 */
@Injectable()
export class OrderJobsScheduler implements OrderEventConsumer {
  readonly name = 'order-jobs';

  constructor(private readonly producer: JobProducer) {}

  handle(events: OrderEventView[]): Promise<void> {
    return this.producer.addPlacementJobs(events);
  }
}

/** Outbox consumer `notifications`: status-change notifications and SLA alerts, as jobs. */
@Injectable()
export class NotificationJobsScheduler implements OrderEventConsumer {
  readonly name = 'notifications';

  constructor(private readonly producer: JobProducer) {}

  handle(events: OrderEventView[]): Promise<void> {
    return this.producer.addNotificationJobs(events);
  }
}

/**
 * Outbox consumer `demo-simulation`: walks placed orders through their states (DELIVERY_SIMULATION
 * only; a process without it does not take this consumer's lease).
 */
@Injectable()
export class SimulationJobsScheduler implements OrderEventConsumer {
  readonly name = 'demo-simulation';
  readonly enabled: boolean;

  constructor(
    private readonly producer: JobProducer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.enabled = config.jobs.simulation;
  }

  handle(events: OrderEventView[]): Promise<void> {
    return this.producer.addSimulationJobs(events);
  }
}
