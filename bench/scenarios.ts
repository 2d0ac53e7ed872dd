import http from 'node:http';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  statuses: Record<string, number>;
}

/** Runs autocannon against one route; `body(connection)` builds each request (fresh keys etc.). */
export async function load(options: {
  url: string;
  path: string;
  method?: 'GET' | 'POST';
  connections: number;
  seconds: number;
  headers?: (connection: number) => Record<string, string>;
  body?: (connection: number) => unknown;
}): Promise<LoadResult> {
  let nextConnection = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: options.method ?? 'GET',
        path: options.path,
        setupRequest: (request: any, context: any) => {
          context.connection ??= nextConnection++;
          const body = options.body?.(context.connection);
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              ...options.headers?.(context.connection),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          };
        },
      },
    ],
  } as autocannon.Options);
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries((result as any).statusCodeStats ?? {}))
    statuses[code] = (stat as any).count;
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * The raw-pg baseline of order placement: the same reservation transaction (conditional updates
 * in product order, order insert, items, ledger rows, event row) from a small script, with the
 * same concurrency and pool size as the api.
 */
export async function rawPgPlacement(options: {
  databaseUrl: string;
  /** Worker n places at storeIds[n % length] (customers are spread over the stores). */
  storeIds: string[];
  userIds: string[];
  pickProducts: () => { id: string; price: number }[];
  concurrency: number;
  seconds: number;
}): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20 });
  const latencies: number[] = [];
  let ok = 0;
  let short = 0;
  const deadline = Date.now() + options.seconds * 1000;
  const worker = async (n: number) => {
    const storeId = options.storeIds[n % options.storeIds.length];
    while (Date.now() < deadline) {
      const lines = options.pickProducts().sort((a, b) => a.id.localeCompare(b.id));
      const started = performance.now();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const subtotal = lines.reduce((sum, l) => sum + l.price, 0);
        const {
          rows: [order],
        } = await client.query(
          `INSERT INTO orders (user_id, store_id, status, address, subtotal_minor, delivery_fee_minor, total_minor, promised_by)
           VALUES ($1, $2, 'PLACED', '{}', $3, 0, $3, now() + interval '10 minutes') RETURNING id`,
          [options.userIds[n % options.userIds.length], storeId, subtotal],
        );
        let enough = true;
        for (const line of lines) {
          const { rowCount } = await client.query(
            `UPDATE store_stock SET quantity = quantity - 1 WHERE store_id = $1 AND product_id = $2 AND quantity >= 1`,
            [storeId, line.id],
          );
          if (rowCount === 0) enough = false;
        }
        if (!enough) {
          await client.query('ROLLBACK');
          short++;
          continue;
        }
        for (const line of lines) {
          await client.query(
            `INSERT INTO order_items (order_id, product_id, sku, name, unit_label, unit_price_minor, quantity, line_total_minor)
             VALUES ($1, $2, 'SKU', 'name', 'unit', $3, 1, $3)`,
            [order.id, line.id, line.price],
          );
        }
        await client.query(
          `INSERT INTO stock_movements (store_id, product_id, delta, quantity_after, reason, order_id)
           SELECT $1, unnest($2::uuid[]), -1, 0, 'order_reserved', $3`,
          [storeId, lines.map((l) => l.id), order.id],
        );
        await client.query(
          `INSERT INTO order_events (order_id, seq, type, to_status, actor_role) VALUES ($1, 1, 'order.placed', 'PLACED', 'customer')`,
          [order.id],
        );
        await client.query('COMMIT');
        ok++;
        latencies.push(performance.now() - started);
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, n) => worker(n)));
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    rps: Math.round(ok / options.seconds),
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    requests: ok + short,
    statuses: { committed: ok, short },
  };
}

/** socket.io subscribers: connect, subscribe, and time each order.event from its commit. */
export async function subscribers(
  targets: { url: string; token: string; orderId: string }[],
): Promise<{ latencies: number[]; sockets: Socket[] }> {
  const latencies: number[] = [];
  const sockets = await Promise.all(
    targets.map(async ({ url, token, orderId }) => {
      const socket = io(`${url}/tracking`, {
        auth: { token },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      socket.on('order.event', (event: { at: string }) =>
        latencies.push(Date.now() - Date.parse(event.at)),
      );
      const ack = await socket.timeout(10_000).emitWithAck('subscribe', { orderId });
      if (!ack.ok) throw new Error(`subscribe failed: ${JSON.stringify(ack)}`);
      return socket;
    }),
  );
  return { latencies, sockets };
}

export function newKey(): string {
  return randomUUID();
}

export { percentile };

/**
 * Open-loop load: request i is due at start + i / rate, whatever happened to the others, and its
 * latency counts from that due time (no coordinated omission: a stall delays every request due
 * during it, and each of them says so).
 */
export async function openLoop(options: {
  url: string;
  path: string;
  rate: number;
  seconds: number;
  headers: (i: number) => Record<string, string>;
  body: (i: number) => unknown;
}): Promise<LoadResult & { max: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const target = new URL(options.path, options.url);
  const send = (i: number) =>
    new Promise<number>((resolve) => {
      const payload = JSON.stringify(options.body(i));
      const request = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            ...options.headers(i),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', () => resolve(0));
      request.end(payload);
    });
  const total = Math.round(options.rate * options.seconds);
  const start = performance.now() + 50;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      send(i).then((status) => {
        latencies.push(performance.now() - due);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rps: Math.round(total / options.seconds),
    p50: Math.round(percentile(sorted, 50)),
    p99: Math.round(percentile(sorted, 99)),
    max: Math.round(sorted.at(-1) ?? 0),
    requests: total,
    statuses,
  };
}
