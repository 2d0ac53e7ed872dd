import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import {
  JobProducer,
  JOBS,
  LoggedWorkerHost,
  QUEUES,
  workerOptions,
  type SimulateJob,
  type SlaCheckJob,
} from '#libs/jobs';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { StoresService } from '#libs/inventory';
import { OrdersService, type OrderStatus } from '#libs/orders';
import { DomainError } from '#libs/platform';
import { RiderLocations, TrackingEmitter } from '#libs/tracking';

const SYSTEM = { id: null, role: 'system' } as const;
/** Positions sent on the way from the store to the address. */
const PATH_LEGS = 4;
/** The demo walk: from each status, the next one. */
const NEXT: Partial<Record<OrderStatus, OrderStatus>> = {
  PLACED: 'PACKED',
  PACKED: 'OUT_FOR_DELIVERY',
  OUT_FOR_DELIVERY: 'DELIVERED',
};

/** SLA checks, and the demo delivery simulation (states, and rider positions along a path). */
@Processor(QUEUES.delivery, workerOptions())
export class DeliveryProcessor extends LoggedWorkerHost {
  constructor(
    private readonly orders: OrdersService,
    private readonly producer: JobProducer,
    private readonly stores: StoresService,
    private readonly locations: RiderLocations,
    private readonly emitter: TrackingEmitter,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    switch (job.name) {
      case JOBS.slaCheck: {
        // With an order id: that order; without (the repeatable sweep): every overdue order.
        const { orderId } = job.data as Partial<SlaCheckJob>;
        const ids = orderId ? [orderId] : await this.orders.overduePastPromise();
        let breached = 0;
        // The breach event is the outbox's to announce: the admins' alert follows it at least once.
        for (const id of ids) if (await this.orders.markSlaBreached(id)) breached++;
        return { breached };
      }
      case JOBS.simulate:
        return this.simulate(job.data as SimulateJob);
      default:
        throw new Error(`unknown job ${job.name}`);
    }
  }

  private async simulate({ orderId, step, leg = 0 }: SimulateJob): Promise<string> {
    const order = await this.orders.get(orderId, SYSTEM);
    if (order.status === 'OUT_FOR_DELIVERY' && leg < PATH_LEGS) {
      // The rider moves from the store towards the address; subscribers see each position.
      const store = await this.stores.get(order.storeId);
      const f = (leg + 1) / (PATH_LEGS + 1);
      const location = await this.locations.record(
        orderId,
        store.latitude + (order.address.lat - store.latitude) * f,
        store.longitude + (order.address.lng - store.longitude) * f,
      );
      this.emitter.riderLocation(location);
      const legMs = (this.config.jobs.simulationStepSeconds * 1000) / PATH_LEGS;
      await this.producer.simulate({ orderId, step: step + 1, leg: leg + 1 }, legMs);
      return `leg ${leg + 1}`;
    }
    const to = NEXT[order.status];
    if (!to) return 'done';
    const riderId = to === 'OUT_FOR_DELIVERY' ? await this.demoRider() : undefined;
    if (to === 'OUT_FOR_DELIVERY' && !riderId) return 'no rider';
    try {
      await this.orders.transition(orderId, SYSTEM, {
        from: order.status,
        to,
        riderId,
        reason: 'demo_simulation',
      });
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'INVALID_TRANSITION')) throw e;
    }
    if (to !== 'DELIVERED') await this.producer.simulate({ orderId, step: step + 1 });
    return to;
  }

  private async demoRider(): Promise<string | undefined> {
    const [rider] = await this.dataSource.query(
      `SELECT id FROM users WHERE role = 'rider' AND NOT disabled ORDER BY email = 'rider@flashcart.local' DESC, created_at LIMIT 1`,
    );
    return rider?.id;
  }
}
