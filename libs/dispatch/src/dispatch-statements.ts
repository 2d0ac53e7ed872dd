import type { EntityManager } from 'typeorm';

/** Approximate distance in metres between two points (equirectangular; fine within a city). */
const distanceSql = (lat1: string, lng1: string, lat2: string, lng2: string) =>
  `(111320 * sqrt(power(${lat1} - ${lat2}, 2) + power(cos(radians(${lat2})) * (${lng1} - ${lng2}), 2)))`;

/**
 * A rider's load: the orders out for delivery with `rider` (a column or a parameter). It reads
 * those alone (orders_rider_out_idx), not every order the rider ever delivered.
 */
export const riderLoadSql = (rider: string) =>
  `(SELECT count(*)::int FROM orders o WHERE o.rider_id = ${rider} AND o.status = 'OUT_FOR_DELIVERY')`;

const LOAD = riderLoadSql('rs.rider_id');

export interface OfferTarget {
  orderId: string;
  storeId: string;
  lat: number;
  lng: number;
  storeLat: number;
  storeLng: number;
}

/**
 * The next rider for an order, locked (FOR UPDATE SKIP LOCKED: concurrent dispatches of other
 * orders take other riders instead of waiting): on shift at the order's store, an active rider,
 * with no open offer, who has not declined this order, carrying fewer than `maxLoad` orders, all
 * of them (batching) within `batchRadiusM` of this address. Ranked by how often this order was
 * already offered to them (a timeout moves on to the next rider), then nearest to the store by
 * last position (unknown last), then longest on shift.
 */
export async function nextRider(
  m: EntityManager,
  t: OfferTarget,
  limits: { maxLoad: number; batchRadiusM: number },
): Promise<string | null> {
  const rows: { rider_id: string }[] = await m.query(
    `SELECT rs.rider_id
       FROM rider_shifts rs
       JOIN users u ON u.id = rs.rider_id AND u.role = 'rider' AND NOT u.disabled
      WHERE rs.store_id = $1 AND rs.on_shift
        AND NOT EXISTS (SELECT 1 FROM rider_offers ro WHERE ro.rider_id = rs.rider_id AND ro.status = 'OFFERED')
        AND NOT EXISTS (SELECT 1 FROM rider_offers ro
                         WHERE ro.rider_id = rs.rider_id AND ro.order_id = $2 AND ro.status = 'DECLINED')
        AND ${LOAD} < $3
        AND NOT EXISTS (SELECT 1 FROM orders o
                         WHERE o.rider_id = rs.rider_id AND o.status = 'OUT_FOR_DELIVERY'
                           AND ${distanceSql("(o.address->>'lat')::float8", "(o.address->>'lng')::float8", '$5', '$6')} > $4)
      ORDER BY (SELECT count(*) FROM rider_offers ro WHERE ro.order_id = $2 AND ro.rider_id = rs.rider_id),
               ${distanceSql('rs.last_lat', 'rs.last_lng', '$7', '$8')} NULLS LAST,
               rs.since, rs.rider_id
      LIMIT 1
      FOR UPDATE OF rs SKIP LOCKED`,
    [
      t.storeId,
      t.orderId,
      limits.maxLoad,
      limits.batchRadiusM,
      t.lat,
      t.lng,
      t.storeLat,
      t.storeLng,
    ],
  );
  return rows[0]?.rider_id ?? null;
}

/** The offer row, or nothing when the order or the rider got an open offer meanwhile. */
export async function insertOffer(
  m: EntityManager,
  o: { orderId: string; riderId: string; storeId: string; timeoutSeconds: number },
): Promise<{ id: string; attempt: number; offered_at: Date; expires_at: Date } | undefined> {
  const rows = await m.query(
    `INSERT INTO rider_offers (order_id, rider_id, store_id, attempt, offered_at, expires_at)
     SELECT $1, $2, $3, (SELECT count(*) + 1 FROM rider_offers WHERE order_id = $1),
            clock_timestamp(), clock_timestamp() + make_interval(secs => $4)
     ON CONFLICT DO NOTHING
     RETURNING id, attempt, offered_at, expires_at`,
    [o.orderId, o.riderId, o.storeId, o.timeoutSeconds],
  );
  return rows[0];
}

/** The rider's load (orders out for delivery with them). */
export async function riderLoad(m: EntityManager, riderId: string): Promise<number> {
  const [row] = await m.query(`SELECT ${riderLoadSql('$1')} AS load`, [riderId]);
  return row.load;
}
