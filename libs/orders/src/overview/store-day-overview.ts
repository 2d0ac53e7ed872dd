import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CURRENCY } from '#libs/products';
import { ORDER_REVENUE } from './order-revenue.js';

export interface StoreDayFigures {
  storeId: string;
  code: string;
  name: string;
  timezone: string;
  /** The store's local day, YYYY-MM-DD. */
  date: string;
  placed: number;
  delivered: number;
  cancelled: number;
  /** Placed that day and neither delivered nor cancelled yet. */
  open: number;
  /** Placement to delivery, of the day's delivered orders; absent when none was delivered. */
  deliverP50Seconds?: number;
  deliverP90Seconds?: number;
  /** What those orders were promised (placement to promisedBy), median. */
  promisedP50Seconds?: number;
  /** Delivered after their promise. */
  deliveredLate: number;
  /** Lines found short while packing (order.short_picked events). */
  shortPicks: number;
  chargedMinor: number;
  refundedMinor: number;
  netRevenueMinor: number;
  currency: string;
  hourly: StoreHour[];
}

export interface StoreHour {
  /** Local hour of placement, 0–23. */
  hour: number;
  placed: number;
  delivered: number;
  netRevenueMinor: number;
}

/**
 * The day of each store (or one): the store's own local day (`stores.timezone`), today unless a
 * date is given. The day's orders are those *placed* in it; delivered/cancelled/short picks/time
 * to deliver/revenue are what became of them so far (an order placed at 23:55 and delivered at
 * 00:05 counts for the day it was placed). Both queries range over `orders_store_placed_idx`.
 */
const DAY = `
  day AS (
    SELECT s.id, s.code, s.name, s.timezone, d.day,
           (d.day::timestamp AT TIME ZONE s.timezone) AS day_from,
           ((d.day + 1)::timestamp AT TIME ZONE s.timezone) AS day_to
      FROM stores s
      CROSS JOIN LATERAL (SELECT coalesce($1::date, (now() AT TIME ZONE s.timezone)::date) AS day) d
     WHERE $2::uuid IS NULL OR s.id = $2::uuid
  )`;

/** Exported for the test that checks both run on indexes. */
export const FIGURES = `
WITH ${DAY},
  todays AS (
    SELECT o.store_id, o.status, o.placed_at, o.promised_by, o.currency,
           ${ORDER_REVENUE.chargedMinor} AS charged, ${ORDER_REVENUE.refundedMinor} AS refunded,
           ${ORDER_REVENUE.netMinor} AS net,
           (SELECT min(e.created_at) FROM order_events e
             WHERE e.order_id = o.id AND e.to_status = 'DELIVERED') AS delivered_at,
           (SELECT count(*) FROM order_events e
             WHERE e.order_id = o.id AND e.type = 'order.short_picked') AS short_picks
      FROM day
      JOIN orders o ON o.store_id = day.id AND o.placed_at >= day.day_from AND o.placed_at < day.day_to
  )
SELECT day.id AS "storeId", day.code, day.name, day.timezone, day.day::text AS date,
       count(t.status)::int AS placed,
       (count(*) FILTER (WHERE t.status = 'DELIVERED'))::int AS delivered,
       (count(*) FILTER (WHERE t.status = 'CANCELLED'))::int AS cancelled,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.delivered_at - t.placed_at)))::int AS p50,
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM t.delivered_at - t.placed_at)))::int AS p90,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.promised_by - t.placed_at))
             FILTER (WHERE t.delivered_at IS NOT NULL))::int AS promised,
       (count(*) FILTER (WHERE t.delivered_at > t.promised_by))::int AS late,
       coalesce(sum(t.short_picks), 0)::int AS "shortPicks",
       coalesce(sum(t.charged), 0)::bigint AS charged,
       coalesce(sum(t.refunded), 0)::bigint AS refunded,
       coalesce(sum(t.net), 0)::bigint AS net,
       min(t.currency) AS currency
  FROM day LEFT JOIN todays t ON t.store_id = day.id
 GROUP BY day.id, day.code, day.name, day.timezone, day.day
 ORDER BY day.code`;

export const HOURLY = `
WITH ${DAY},
  by_hour AS (
    SELECT o.store_id, extract(hour FROM o.placed_at AT TIME ZONE day.timezone)::int AS hour,
           count(*)::int AS placed,
           (count(*) FILTER (WHERE o.status = 'DELIVERED'))::int AS delivered,
           sum(${ORDER_REVENUE.netMinor})::bigint AS net
      FROM day
      JOIN orders o ON o.store_id = day.id AND o.placed_at >= day.day_from AND o.placed_at < day.day_to
     GROUP BY o.store_id, 2
  )
SELECT day.id AS "storeId", h.hour, coalesce(b.placed, 0) AS placed,
       coalesce(b.delivered, 0) AS delivered, coalesce(b.net, 0)::bigint AS net
  FROM day CROSS JOIN generate_series(0, 23) AS h(hour)
  LEFT JOIN by_hour b ON b.store_id = day.id AND b.hour = h.hour
 ORDER BY day.id, h.hour`;

interface FigureRow {
  storeId: string;
  code: string;
  name: string;
  timezone: string;
  date: string;
  placed: number;
  delivered: number;
  cancelled: number;
  p50: number | null;
  p90: number | null;
  promised: number | null;
  late: number;
  shortPicks: number;
  charged: string;
  refunded: string;
  net: string;
  currency: string | null;
}

/** The overview of the ops console: one query for the figures, one for the hourly series. */
@Injectable()
export class StoreDayOverview {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async of(filter: { date?: string; storeId?: string }): Promise<StoreDayFigures[]> {
    const params = [filter.date ?? null, filter.storeId ?? null];
    const [figures, hours] = await Promise.all([
      this.dataSource.query<FigureRow[]>(FIGURES, params),
      this.dataSource.query<
        { storeId: string; hour: number; placed: number; delivered: number; net: string }[]
      >(HOURLY, params),
    ]);
    return figures.map((r) => ({
      storeId: r.storeId,
      code: r.code,
      name: r.name,
      timezone: r.timezone,
      date: r.date,
      placed: r.placed,
      delivered: r.delivered,
      cancelled: r.cancelled,
      open: r.placed - r.delivered - r.cancelled,
      ...(r.p50 === null ? {} : { deliverP50Seconds: r.p50 }),
      ...(r.p90 === null ? {} : { deliverP90Seconds: r.p90 }),
      ...(r.promised === null ? {} : { promisedP50Seconds: r.promised }),
      deliveredLate: r.late,
      shortPicks: r.shortPicks,
      chargedMinor: Number(r.charged),
      refundedMinor: Number(r.refunded),
      netRevenueMinor: Number(r.net),
      currency: r.currency ?? CURRENCY,
      hourly: hours
        .filter((h) => h.storeId === r.storeId)
        .map((h) => ({
          hour: h.hour,
          placed: h.placed,
          delivered: h.delivered,
          netRevenueMinor: Number(h.net),
        })),
    }));
  }
}
