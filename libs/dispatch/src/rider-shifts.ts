import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UsersService } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { StoresService } from '#libs/inventory';
import { DomainError } from '#libs/platform';
import { riderLoadSql } from './dispatch-statements.js';
import { Dispatcher } from './dispatcher.js';
import { riderState, toOfferView, type OfferView, type RiderView } from './dispatch-views.js';
import { RiderOffer } from './rider-offer.entity.js';

export interface ShiftChange {
  state: 'AVAILABLE' | 'OFF_DUTY';
  /** The store the rider works for; required the first time, changeable when carrying nothing. */
  storeId?: string;
  lat?: number;
  lng?: number;
}

interface RiderRow {
  rider_id: string;
  name: string | null;
  store_id: string | null;
  on_shift: boolean | null;
  since: Date | null;
  last_lat: number | null;
  last_lng: number | null;
  position_at: Date | null;
  load: number;
  open_offer_id: string | null;
}

const RIDER_COLUMNS = `rs.rider_id, u.name, rs.store_id, rs.on_shift, rs.since, rs.last_lat, rs.last_lng,
  rs.position_at,
  ${riderLoadSql('rs.rider_id')} AS load,
  (SELECT ro.id FROM rider_offers ro WHERE ro.rider_id = rs.rider_id AND ro.status = 'OFFERED') AS open_offer_id`;

/** Riders' shifts: going on and off shift, their last position, their offers. */
@Injectable()
export class RiderShifts {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly stores: StoresService,
    private readonly dispatcher: Dispatcher,
  ) {}

  async get(riderId: string): Promise<RiderView> {
    const [row] = await this.dataSource.query(
      `SELECT ${RIDER_COLUMNS} FROM rider_shifts rs JOIN users u ON u.id = rs.rider_id
        WHERE rs.rider_id = $1`,
      [riderId],
    );
    if (row) return this.toView(row);
    const user = await this.users.get(riderId);
    return this.toView({
      rider_id: riderId,
      name: user.name,
      store_id: null,
      on_shift: false,
      since: null,
      last_lat: null,
      last_lng: null,
      position_at: null,
      load: 0,
      open_offer_id: null,
    });
  }

  /** The riders of a store, on shift first, then by name. */
  async forStore(storeId: string): Promise<RiderView[]> {
    await this.stores.get(storeId);
    const rows: RiderRow[] = await this.dataSource.query(
      `SELECT ${RIDER_COLUMNS} FROM rider_shifts rs JOIN users u ON u.id = rs.rider_id
        WHERE rs.store_id = $1 ORDER BY rs.on_shift DESC, u.name, rs.rider_id`,
      [storeId],
    );
    return rows.map((r) => this.toView(r));
  }

  /**
   * Going on or off shift. Off shift, in the same transaction (the shift row locked first), the
   * rider's open offer is declined, so it can no longer be accepted; after commit its order goes
   * to the next rider. On shift: the store's waiting orders are offered.
   */
  async change(riderId: string, change: ShiftChange): Promise<RiderView> {
    if (change.storeId) {
      const store = await this.stores.get(change.storeId);
      if (!store.active)
        throw new DomainError('VALIDATION_FAILED', 'storeId must be an active store');
    }
    if ((change.lat === undefined) !== (change.lng === undefined))
      throw new DomainError('VALIDATION_FAILED', 'lat and lng go together');
    const { storeId, released } = await this.dataSource.transaction(async (m) => {
      const [current] = await m.query(
        `SELECT store_id, on_shift FROM rider_shifts WHERE rider_id = $1 FOR UPDATE`,
        [riderId],
      );
      const storeId: string | undefined = change.storeId ?? current?.store_id;
      if (!storeId) {
        throw new DomainError(
          'NO_STORE_ASSIGNED',
          'Name the store you work for (storeId) the first time you go on shift',
        );
      }
      if (current && storeId !== current.store_id) {
        const [busy] = await m.query(
          `SELECT EXISTS (SELECT 1 FROM orders WHERE rider_id = $1 AND status = 'OUT_FOR_DELIVERY')
               OR EXISTS (SELECT 1 FROM rider_offers WHERE rider_id = $1 AND status = 'OFFERED') AS busy`,
          [riderId],
        );
        if (busy.busy)
          throw new DomainError(
            'RIDER_BUSY',
            'Finish your orders and offers before changing store',
          );
      }
      const onShift = change.state === 'AVAILABLE';
      await m.query(
        `INSERT INTO rider_shifts (rider_id, store_id, on_shift, since, last_lat, last_lng, position_at, updated_at)
         VALUES ($1, $2, $3, now(), $4, $5, CASE WHEN $4::float8 IS NULL THEN NULL ELSE now() END, now())
         ON CONFLICT (rider_id) DO UPDATE SET
           store_id = EXCLUDED.store_id, on_shift = EXCLUDED.on_shift,
           since = CASE WHEN rider_shifts.on_shift = EXCLUDED.on_shift THEN rider_shifts.since ELSE now() END,
           last_lat = COALESCE(EXCLUDED.last_lat, rider_shifts.last_lat),
           last_lng = COALESCE(EXCLUDED.last_lng, rider_shifts.last_lng),
           position_at = COALESCE(EXCLUDED.position_at, rider_shifts.position_at),
           updated_at = now()`,
        [riderId, storeId, onShift, change.lat ?? null, change.lng ?? null],
      );
      let released: string[] = [];
      if (!onShift) {
        const [rows] = await m.query(
          `UPDATE rider_offers SET status = 'DECLINED', answered_at = clock_timestamp(), end_reason = 'off_shift'
            WHERE rider_id = $1 AND status = 'OFFERED' RETURNING order_id`,
          [riderId],
        );
        released = (rows as { order_id: string }[]).map((r) => r.order_id);
      }
      return { storeId, released };
    });
    for (const orderId of released) await this.dispatcher.offer(orderId);
    if (change.state === 'AVAILABLE') await this.dispatcher.offerWaiting(storeId);
    return this.get(riderId);
  }

  /** The rider's last position (from the tracking socket), at most every 10 s per rider. */
  async notePosition(riderId: string, lat: number, lng: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE rider_shifts SET last_lat = $2, last_lng = $3, position_at = now()
        WHERE rider_id = $1 AND (position_at IS NULL OR position_at < now() - interval '10 seconds')`,
      [riderId, lat, lng],
    );
  }

  /** The rider's open offers (at most one), with what they need to decide. */
  async openOffers(riderId: string): Promise<OfferView[]> {
    const rows: (RiderOffer & {
      address: unknown;
      item_count: number;
      promised_by: Date;
      order_status: string;
    })[] = await this.dataSource.query(
      `SELECT ro.id, ro.order_id AS "orderId", ro.rider_id AS "riderId", ro.store_id AS "storeId",
                ro.status, ro.attempt, ro.offered_at AS "offeredAt", ro.expires_at AS "expiresAt",
                ro.answered_at AS "answeredAt", ro.end_reason AS "endReason",
                o.address, o.promised_by, o.status AS order_status,
                (SELECT COALESCE(sum(i.quantity), 0)::int FROM order_items i WHERE i.order_id = o.id) AS item_count
           FROM rider_offers ro JOIN orders o ON o.id = ro.order_id
          WHERE ro.rider_id = $1 AND ro.status = 'OFFERED' AND ro.expires_at > now()
            AND o.status = 'PACKED'
          ORDER BY ro.offered_at`,
      [riderId],
    );
    return rows.map((r) =>
      toOfferView(r, {
        address: r.address as never,
        itemCount: r.item_count,
        promisedBy: r.promised_by.toISOString(),
        status: r.order_status,
      }),
    );
  }

  /** Every offer of an order, oldest first, with the rider's name (the ops console's order page). */
  async offersOfOrder(orderId: string): Promise<(OfferView & { riderName: string | null })[]> {
    const rows: (RiderOffer & { rider_name: string | null })[] = await this.dataSource.query(
      `SELECT ro.id, ro.order_id AS "orderId", ro.rider_id AS "riderId", ro.store_id AS "storeId",
              ro.status, ro.attempt, ro.offered_at AS "offeredAt", ro.expires_at AS "expiresAt",
              ro.answered_at AS "answeredAt", ro.end_reason AS "endReason", u.name AS rider_name
         FROM rider_offers ro LEFT JOIN users u ON u.id = ro.rider_id
        WHERE ro.order_id = $1
        ORDER BY ro.offered_at, ro.id`,
      [orderId],
    );
    return rows.map((r) => ({ ...toOfferView(r), riderName: r.rider_name }));
  }

  private toView(r: RiderRow): RiderView {
    const maxLoad = this.config.dispatch.maxOrdersPerRider;
    return {
      riderId: r.rider_id,
      name: r.name,
      storeId: r.store_id,
      state: riderState(r.on_shift === true, r.load, maxLoad),
      load: r.load,
      maxLoad,
      openOfferId: r.open_offer_id,
      since: r.since ? r.since.toISOString() : null,
      ...(r.last_lat !== null && r.last_lng !== null && r.position_at
        ? { lastPosition: { lat: r.last_lat, lng: r.last_lng, at: r.position_at.toISOString() } }
        : {}),
    };
  }
}
