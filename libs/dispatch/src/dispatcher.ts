import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { JobProducer } from '#libs/jobs';
import {
  OrderTransitions,
  OutboxSignal,
  type ActingAs,
  type Order,
  type OrderView,
} from '#libs/orders';
import { DomainError, NotFoundError } from '#libs/platform';
import { insertOffer, nextRider, riderLoad } from './dispatch-statements.js';
import { nextOfferStep, notesAwaitingRider, offerNotOpen } from './offer-life.js';
import { RiderOffer } from './rider-offer.entity.js';

const SYSTEM = { id: null, role: 'system' } as const;

export type OfferOutcome =
  | { kind: 'offered'; offer: { id: string; riderId: string; expiresAt: Date } }
  | { kind: 'open'; offer: { id: string; riderId: string; expiresAt: Date } }
  | { kind: 'waiting'; noted: boolean }
  | { kind: 'skipped' };

/**
 * Automatic assignment. Every change is a compare-and-set in PostgreSQL, and every transaction
 * takes its locks in one order: the order row (through OrderTransitions), then the rider's shift
 * row, then offer rows. The partial unique indexes of `rider_offers` back it: one open and one
 * accepted offer per order, one open offer per rider. Timeouts are BullMQ jobs scheduled after
 * commit (never inside a transaction); the sweeper catches the ones Redis lost.
 */
@Injectable()
export class Dispatcher {
  private readonly logger = new Logger(Dispatcher.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transitions: OrderTransitions,
    private readonly outbox: OutboxSignal,
    private readonly producer: JobProducer,
  ) {}

  /**
   * Offers a PACKED order without an open or accepted offer to the next rider (idempotent: an
   * order that already has an open offer keeps it, and its timeout is scheduled again).
   */
  async offer(orderId: string): Promise<OfferOutcome> {
    const outcome = await this.dataSource.transaction((m) => this.offerIn(m, orderId));
    if (outcome.kind === 'offered' || (outcome.kind === 'waiting' && outcome.noted))
      this.outbox.committed();
    if (outcome.kind === 'offered' || outcome.kind === 'open') await this.schedule([outcome.offer]);
    return outcome;
  }

  private async offerIn(m: EntityManager, orderId: string): Promise<OfferOutcome> {
    const order = await this.transitions.lock(m, orderId);
    // The offers of an order that is not PACKED do not matter (it is skipped): not read.
    const [current] =
      order?.status === 'PACKED'
        ? await m.query(
            `SELECT id, rider_id, status, expires_at FROM rider_offers
            WHERE order_id = $1 AND status IN ('OFFERED', 'ACCEPTED')`,
            [orderId],
          )
        : [];
    const step = nextOfferStep(
      order?.status,
      current && {
        id: current.id,
        riderId: current.rider_id,
        status: current.status,
        expiresAt: current.expires_at,
      },
    );
    if (step.kind !== 'find-rider') return step;
    if (!order) throw new Error('unreachable: a rider is looked for only for a PACKED order');
    // Read in the transaction: a second connection per dispatch could starve the pool.
    const [store] = await m.query(`SELECT latitude, longitude FROM stores WHERE id = $1`, [
      order.storeId,
    ]);
    const [previous] = await m.query(
      `SELECT rider_id, status FROM rider_offers WHERE order_id = $1 ORDER BY offered_at DESC LIMIT 1`,
      [orderId],
    );
    const after = previous ? { riderId: previous.rider_id, outcome: previous.status } : undefined;
    // A rider locked by another dispatch is skipped; a race the lock cannot see (a snapshot
    // taken before another offer committed) ends in ON CONFLICT DO NOTHING: try the next one.
    for (let tries = 0; tries < 3; tries++) {
      const riderId = await nextRider(
        m,
        {
          orderId,
          storeId: order.storeId,
          lat: order.address.lat,
          lng: order.address.lng,
          storeLat: store.latitude,
          storeLng: store.longitude,
        },
        {
          maxLoad: this.config.dispatch.maxOrdersPerRider,
          batchRadiusM: this.config.dispatch.batchRadiusM,
        },
      );
      if (!riderId) break;
      const offer = await insertOffer(m, {
        orderId,
        riderId,
        storeId: order.storeId,
        timeoutSeconds: this.config.dispatch.offerTimeoutSeconds,
      });
      if (!offer) continue;
      await this.transitions.note(m, order, {
        type: 'order.rider_offered',
        actor: SYSTEM,
        data: {
          offerId: offer.id,
          riderId,
          attempt: offer.attempt,
          expiresAt: offer.expires_at.toISOString(),
          ...(after ? { previous: after } : {}),
        },
      });
      return { kind: 'offered', offer: { id: offer.id, riderId, expiresAt: offer.expires_at } };
    }
    return { kind: 'waiting', noted: await this.noteWaiting(m, order, after) };
  }

  /**
   * Nobody to offer to: the order waits. The packed event already says so; after an offer ended,
   * `order.awaiting_rider` tells the ops board (once per ended offer).
   */
  private async noteWaiting(
    m: EntityManager,
    order: Order,
    after: { riderId: string; outcome: string } | undefined,
  ): Promise<boolean> {
    if (!after) return false;
    const [last] = await m.query(
      `SELECT type FROM order_events WHERE order_id = $1
          AND type IN ('order.rider_offered', 'order.awaiting_rider')
        ORDER BY seq DESC LIMIT 1`,
      [order.id],
    );
    if (!notesAwaitingRider(after, last?.type)) return false;
    await this.transitions.note(m, order, {
      type: 'order.awaiting_rider',
      actor: SYSTEM,
      data: { previous: after },
    });
    return true;
  }

  /**
   * Offers the store's waiting orders (PACKED, no open or accepted offer), oldest first, until
   * nobody is left to offer to. Called when a rider becomes available.
   */
  async offerWaiting(storeId: string, limit = 50): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT o.id FROM orders o
        WHERE o.store_id = $1 AND o.status = 'PACKED'
          AND NOT EXISTS (SELECT 1 FROM rider_offers ro
                           WHERE ro.order_id = o.id AND ro.status IN ('OFFERED', 'ACCEPTED'))
        ORDER BY o.updated_at, o.id LIMIT $2`,
      [storeId, limit],
    );
    let offered = 0;
    for (const { id } of rows) {
      const outcome = await this.offer(id);
      if (outcome.kind === 'offered') offered++;
      if (outcome.kind === 'waiting') break;
    }
    return offered;
  }

  /**
   * Accepting, in one transaction: the order row locked, the rider's shift row locked, the offer
   * compare-and-set OFFERED → ACCEPTED while not expired, the rider's load checked, and the order
   * PACKED → OUT_FOR_DELIVERY with this rider (OrderTransitions, with its event). Any failure
   * rolls all of it back: exactly one rider ever holds an order.
   */
  async accept(offerId: string, riderId: string): Promise<OrderView> {
    const offer = await this.ownOffer(offerId, riderId);
    const view = await this.dataSource.transaction(async (m) => {
      await this.transitions.lock(m, offer.orderId);
      await m.query(`SELECT 1 FROM rider_shifts WHERE rider_id = $1 FOR UPDATE`, [riderId]);
      const [accepted] = await m.query(
        `UPDATE rider_offers SET status = 'ACCEPTED', answered_at = clock_timestamp()
          WHERE id = $1 AND rider_id = $2 AND status = 'OFFERED' AND expires_at > clock_timestamp()
          RETURNING id`,
        [offerId, riderId],
      );
      if (!accepted?.length) throw await this.notOpen(m, offerId);
      if ((await riderLoad(m, riderId)) >= this.config.dispatch.maxOrdersPerRider) {
        throw new DomainError('RIDER_AT_CAPACITY', 'You are carrying as many orders as allowed');
      }
      return this.transitions.transitionIn(m, offer.orderId, SYSTEM, {
        from: 'PACKED',
        to: 'OUT_FOR_DELIVERY',
        riderId,
        reason: 'offer_accepted',
        data: { offerId },
      });
    });
    this.outbox.committed();
    return view;
  }

  /**
   * Store staff sending a PACKED order out with a rider they chose, under the same rules as an
   * offer: in one transaction the order row locked, then the rider's shift row; the rider must
   * be on shift at the order's store (RIDER_OFF_SHIFT, RIDER_OF_ANOTHER_STORE). The load limit is
   * the admin's call (docs/dispatch.md). An order not PACKED is refused by the state machine.
   */
  async sendOutByHand(orderId: string, riderId: string, actor: ActingAs): Promise<OrderView> {
    const view = await this.dataSource.transaction(async (m) => {
      const order = await this.transitions.lock(m, orderId);
      if (order?.status === 'PACKED') {
        const [shift] = await m.query(
          `SELECT store_id, on_shift FROM rider_shifts WHERE rider_id = $1 FOR UPDATE`,
          [riderId],
        );
        // No shift row: never on shift, unless not a rider at all (the state machine's 400).
        const known = shift ? true : await this.isActiveRider(m, riderId);
        if (known && shift && shift.store_id !== order.storeId)
          throw new DomainError('RIDER_OF_ANOTHER_STORE', 'The rider works for another store');
        if (known && !shift?.on_shift)
          throw new DomainError('RIDER_OFF_SHIFT', 'The rider is not on shift');
      }
      return this.transitions.transitionIn(m, orderId, actor, {
        to: 'OUT_FOR_DELIVERY',
        riderId,
      });
    });
    this.outbox.committed();
    return view;
  }

  private async isActiveRider(m: EntityManager, userId: string): Promise<boolean> {
    const [user] = await m.query(`SELECT role, disabled FROM users WHERE id = $1`, [userId]);
    return user?.role === 'rider' && !user.disabled;
  }

  /** Declining: OFFERED → DECLINED, then the order goes to the next rider. */
  async decline(offerId: string, riderId: string): Promise<RiderOffer> {
    const offer = await this.ownOffer(offerId, riderId);
    const declined = await this.dataSource.transaction(async (m) => {
      const [rows] = await m.query(
        `UPDATE rider_offers SET status = 'DECLINED', answered_at = clock_timestamp(), end_reason = 'declined'
          WHERE id = $1 AND rider_id = $2 AND status = 'OFFERED' RETURNING id`,
        [offerId, riderId],
      );
      if (!rows.length) throw await this.notOpen(m, offerId);
      return m.findOneByOrFail(RiderOffer, { id: offerId });
    });
    await this.offer(offer.orderId);
    return declined;
  }

  /**
   * The offer's timeout: OFFERED → EXPIRED once due, then the next rider. Not yet due (a clock
   * ahead of the database's): an error, so that the job is retried a second later.
   */
  async expire(offerId: string): Promise<'expired' | 'answered'> {
    const [rows] = await this.dataSource.query(
      `UPDATE rider_offers SET status = 'EXPIRED', answered_at = clock_timestamp(), end_reason = 'timeout'
        WHERE id = $1 AND status = 'OFFERED' AND expires_at <= clock_timestamp()
        RETURNING order_id`,
      [offerId],
    );
    if (rows.length === 0) {
      const offer = await this.dataSource.getRepository(RiderOffer).findOneBy({ id: offerId });
      if (offer?.status === 'OFFERED') throw new Error(`offer ${offerId} is not due yet`);
      return 'answered';
    }
    await this.offer(rows[0].order_id);
    return 'expired';
  }

  /** An order cancelled or sent out by hand: its open offer is withdrawn. */
  async withdraw(orderId: string, reason: string): Promise<number> {
    const [, count] = await this.dataSource.query(
      `UPDATE rider_offers SET status = 'WITHDRAWN', answered_at = clock_timestamp(), end_reason = $2
        WHERE order_id = $1 AND status = 'OFFERED'`,
      [orderId, reason],
    );
    return Number(count ?? 0);
  }

  /**
   * The sweeper: expires offers past due whose timeout job was lost (then offers their orders to
   * the next rider), and offers waiting orders in every store that has an available rider.
   */
  async sweep(): Promise<{ expired: number; offered: number }> {
    const [expired] = await this.dataSource.query(
      `UPDATE rider_offers SET status = 'EXPIRED', answered_at = clock_timestamp(), end_reason = 'timeout'
        WHERE status = 'OFFERED' AND expires_at <= clock_timestamp()
        RETURNING order_id`,
    );
    let offered = 0;
    for (const { order_id } of expired as { order_id: string }[])
      if ((await this.offer(order_id)).kind === 'offered') offered++;
    const stores: { store_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT o.store_id FROM orders o
        WHERE o.status = 'PACKED'
          AND NOT EXISTS (SELECT 1 FROM rider_offers ro
                           WHERE ro.order_id = o.id AND ro.status IN ('OFFERED', 'ACCEPTED'))
          AND EXISTS (SELECT 1 FROM rider_shifts rs WHERE rs.store_id = o.store_id AND rs.on_shift)`,
    );
    for (const { store_id } of stores) offered += await this.offerWaiting(store_id);
    return { expired: expired.length, offered };
  }

  /** The order's open offer, if any (the demo simulation answers it). */
  async openOfferFor(orderId: string): Promise<RiderOffer | null> {
    return this.dataSource
      .getRepository(RiderOffer)
      .findOneBy({ orderId, status: 'OFFERED' as const });
  }

  /** Schedules offer timeouts after commit; a failure is logged (the sweeper covers it). */
  async schedule(offers: { id: string; expiresAt: Date }[]): Promise<void> {
    try {
      await this.producer.scheduleOfferTimeouts(offers);
    } catch (err) {
      this.logger.warn({ err, offers: offers.map((o) => o.id) }, 'offer timeout not scheduled');
    }
  }

  /** The rider's own offer; anyone else's is "not found" (its existence is not revealed). */
  private async ownOffer(offerId: string, riderId: string): Promise<RiderOffer> {
    const offer = await this.dataSource.getRepository(RiderOffer).findOneBy({ id: offerId });
    if (!offer || offer.riderId !== riderId) throw new NotFoundError('Offer');
    return offer;
  }

  private async notOpen(m: EntityManager, offerId: string): Promise<DomainError> {
    return DomainError.of(
      offerNotOpen((await m.findOneByOrFail(RiderOffer, { id: offerId })).status),
    );
  }
}
