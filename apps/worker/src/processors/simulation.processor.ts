import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import type { Job } from 'bullmq';
import { UsersService } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { StoresService } from '#libs/inventory';
import {
  JobProducer,
  JOBS,
  LoggedWorkerHost,
  QUEUES,
  workerOptions,
  type SimulateJob,
} from '#libs/jobs';
import { Dispatcher } from '#libs/dispatch';
import { OrderQueries, OrderShortPicks, OrderTransitions, type OrderStatus } from '#libs/orders';
import { DomainError } from '#libs/platform';
import { RiderLocations, TrackingEmitter } from '#libs/tracking';

const SYSTEM = { id: null, role: 'system' } as const;
/** Short picks are staff actions; the simulation plays the staff. */
const SYSTEM_AS_ADMIN = { id: null, role: 'admin' } as const;
/** Steps a packed order waits for an offer before the demo rider takes it by hand. */
const WAIT_STEPS = 3;
/** About one order in eight has a short pick (decided by its id, so a retried step agrees). */
const shortPickThis = (orderId: string) => parseInt(orderId.slice(0, 2), 16) % 8 === 0;
/** Positions sent on the way from the store to the address. */
const PATH_LEGS = 4;
/** The demo walk: from each status, the next one. */
const NEXT: Partial<Record<OrderStatus, OrderStatus>> = {
  PLACED: 'PACKED',
  PACKED: 'OUT_FOR_DELIVERY',
  OUT_FOR_DELIVERY: 'DELIVERED',
};

/**
 * The demo delivery simulation (`DELIVERY_SIMULATION=true`, on in `make up`): walks each new order
 * PLACED → PACKED → OUT_FOR_DELIVERY (with the first active rider) → DELIVERED, sending rider
 * positions along the path from the store to the address. Its jobs exist only when the
 * `demo-simulation` outbox consumer runs, i.e. where the simulation is on.
 */
@Processor(QUEUES.simulation, workerOptions())
export class SimulationProcessor extends LoggedWorkerHost {
  constructor(
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
    private readonly shortPicks: OrderShortPicks,
    private readonly dispatcher: Dispatcher,
    private readonly users: UsersService,
    private readonly producer: JobProducer,
    private readonly stores: StoresService,
    private readonly locations: RiderLocations,
    private readonly emitter: TrackingEmitter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async handle(job: Job): Promise<unknown> {
    if (job.name !== JOBS.simulate) throw new Error(`unknown job ${job.name}`);
    return this.simulate(job.data as SimulateJob);
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
    if (order.status === 'PLACED' && shortPickThis(orderId)) {
      // The odd short pick: one unit of the first line with more than one was not on the shelf.
      const line = order.items.find((i) => i.quantity > 1);
      if (line) {
        await this.shortPicks
          .markShort(orderId, line.productId, line.quantity - 1, SYSTEM_AS_ADMIN)
          .catch((e: unknown) => {
            if (!(e instanceof DomainError)) throw e;
          });
      }
    }
    if (to === 'OUT_FOR_DELIVERY') return this.dispatch(orderId, step);
    try {
      await this.transitions.transition(orderId, SYSTEM, {
        from: order.status,
        to,
        reason: 'demo_simulation',
      });
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'INVALID_TRANSITION')) throw e;
    }
    if (to !== 'DELIVERED') await this.producer.simulate({ orderId, step: step + 1 });
    return to;
  }

  /**
   * A packed order: the rider it is offered to accepts it (dispatch offered it when it was
   * packed). No offer after a few steps (no rider on shift at that store): the first active
   * rider takes it by hand, as an admin would.
   */
  private async dispatch(orderId: string, step: number): Promise<string> {
    const offer = await this.dispatcher.openOfferFor(orderId);
    try {
      if (offer) {
        await this.dispatcher.accept(offer.id, offer.riderId);
      } else if (step >= 2 + WAIT_STEPS) {
        const riderId = await this.demoRider();
        if (!riderId) return 'no rider';
        await this.transitions.transition(orderId, SYSTEM, {
          from: 'PACKED',
          to: 'OUT_FOR_DELIVERY',
          riderId,
          reason: 'demo_simulation',
        });
      } else {
        await this.producer.simulate({ orderId, step: step + 1 }, this.retryMs());
        return 'waiting for a rider';
      }
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      await this.producer.simulate({ orderId, step: step + 1 }, this.retryMs());
      return `retry (${e.code})`;
    }
    await this.producer.simulate({ orderId, step: step + 1 });
    return 'OUT_FOR_DELIVERY';
  }

  /** A packed order looks for its offer again after this long. */
  private retryMs(): number {
    return Math.min(2_000, this.config.jobs.simulationStepSeconds * 1000);
  }

  /** The demo rider: the first active rider (`make seed` creates one). */
  private async demoRider(): Promise<string | undefined> {
    return (await this.users.activeIds('rider'))[0];
  }
}
