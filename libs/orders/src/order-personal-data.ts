import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { PersonalDataHolder } from '#libs/platform';
import { FINAL_STATUSES } from './order-state-machine.js';
import { Order, OrderEvent, OrderItem } from './order.entity.js';
import { toOrderView } from './order-view.js';

/**
 * An order's address once its personal fields are gone: the street lines and the rider's
 * instructions removed; city and PIN code kept (the invoice's place of supply, for GST), the
 * coordinates rounded to two decimals (about a kilometre: the delivery-time and area statistics).
 */
const ERASED_ADDRESS = `jsonb_build_object(
  'line1', '(erased)', 'city', address->'city', 'pincode', address->'pincode',
  'lat', round((address->>'lat')::numeric, 2), 'lng', round((address->>'lng')::numeric, 2))`;

const FINAL = `(${FINAL_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * For the transition's UPDATE: the columns that drop an order's personal data when the order
 * reaches a final status and its customer was erased while it was in flight (in the same
 * statement as the move: nothing can end the order without it). `$status` is the new status.
 */
export function erasedOnArrivalSql(status: string): string {
  const ends = `erase_personal_data AND ${status}::text IN ${FINAL}`;
  return `address = CASE WHEN ${ends} THEN ${ERASED_ADDRESS} ELSE address END,
          note = CASE WHEN ${ends} THEN NULL ELSE note END,
          erase_personal_data = erase_personal_data AND NOT (${status}::text IN ${FINAL})`;
}

/**
 * Orders' personal data. Exported: every order of the customer with its items and timeline.
 * Erased: orders stay (accounting: totals, items, taxes, the timeline) without their address
 * lines, rider instructions, note and the customer's own cancel reasons; the stored responses of
 * their Idempotency-Keys (copies of the orders) are deleted. An order still open keeps its
 * address for the rider and is marked: the transition that ends it removes them
 * (`erasedOnArrivalSql`). Taken under placement's customer lock and with every order row locked,
 * so a placement or a transition running meanwhile is either seen or sees the mark.
 */
@Injectable()
export class OrdersPersonalData implements PersonalDataHolder {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async exportFor(m: EntityManager, userId: string): Promise<Record<string, unknown>> {
    const orders = await m.find(Order, {
      where: { userId },
      order: { placedAt: 'ASC', id: 'ASC' },
    });
    const ids = orders.map((o) => o.id);
    const items = ids.length > 0 ? await m.findBy(OrderItem, { orderId: In(ids) }) : [];
    const events =
      ids.length > 0
        ? await m.find(OrderEvent, { where: { orderId: In(ids) }, order: { seq: 'ASC' } })
        : [];
    return {
      orders: orders.map((o) =>
        toOrderView(
          o,
          items.filter((i) => i.orderId === o.id),
          events.filter((e) => e.orderId === o.id),
        ),
      ),
    };
  }

  /**
   * The maintenance job's sweep: orders of erased customers not yet marked nor erased (a placement
   * already past authentication when the erasure committed, which took the customer lock right
   * after it) get the same treatment, and their stored Idempotency-Key responses go. Returns how
   * many orders it changed.
   */
  async sweepErased(): Promise<number> {
    const [, changed] = await this.db.query(
      `UPDATE orders o
          SET address = CASE WHEN o.status IN ${FINAL} THEN ${ERASED_ADDRESS} ELSE o.address END,
              note = CASE WHEN o.status IN ${FINAL} THEN NULL ELSE o.note END,
              erase_personal_data = o.status NOT IN ${FINAL}
         FROM users u
        WHERE u.erased_at IS NOT NULL AND o.user_id = u.id AND NOT o.erase_personal_data
          AND o.address->>'line1' IS DISTINCT FROM '(erased)'`,
    );
    await this.db.query(
      `DELETE FROM idempotency_keys k USING users u WHERE u.id = k.user_id AND u.erased_at IS NOT NULL`,
    );
    // Notes staff added after the erasure, once the order has ended.
    await this.db.query(
      `DELETE FROM order_staff_notes n USING orders o, users u
        WHERE n.order_id = o.id AND o.user_id = u.id AND u.erased_at IS NOT NULL
          AND o.status IN ${FINAL}`,
    );
    return Number(changed ?? 0);
  }

  async eraseFor(m: EntityManager, userId: string): Promise<void> {
    // Placement's customer lock (placement-statements.ts): no placement of theirs is half-way.
    await m.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('placement:' || $1::uuid::text, 0))`,
      [userId],
    );
    // Row locks in id order; a transition committing meanwhile is waited for and re-read.
    await m.query(`SELECT id FROM orders WHERE user_id = $1 ORDER BY id FOR UPDATE`, [userId]);
    await m.query(
      `UPDATE orders
          SET address = CASE WHEN status IN ${FINAL} THEN ${ERASED_ADDRESS} ELSE address END,
              note = CASE WHEN status IN ${FINAL} THEN NULL ELSE note END,
              cancel_reason = CASE WHEN EXISTS (
                  SELECT 1 FROM order_events e WHERE e.order_id = orders.id
                     AND e.to_status = 'CANCELLED' AND e.actor_role = 'customer')
                THEN NULL ELSE cancel_reason END,
              erase_personal_data = status NOT IN ${FINAL}
        WHERE user_id = $1`,
      [userId],
    );
    await m.query(
      `UPDATE order_events SET reason = NULL
        WHERE actor_id = $1 AND actor_role = 'customer' AND reason IS NOT NULL`,
      [userId],
    );
    await m.query(`DELETE FROM idempotency_keys WHERE user_id = $1`, [userId]);
    // Staff's internal notes on their orders may name them, their phone, their door.
    await m.query(
      `DELETE FROM order_staff_notes WHERE order_id IN (SELECT id FROM orders WHERE user_id = $1)`,
      [userId],
    );
  }
}
