import type { OrderEventMessage } from '@flashcart/client/protocol';
import { ADDRESS, post } from '../fixtures.js';
import { measuringCpu, newKey, percentile } from '../load.js';
import { subscribers } from '../sockets.js';
import { BenchStack, sleep } from '../stack.js';
import { progress, type ScenarioContext } from './context.js';

/** BENCH_SOCKETS raises the socket count (to find the limit); 10 sockets per order. */
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 5000);
const PER_ORDER = 10;

/**
 * Tracking fan-out as operators run it: sockets with socket.io's default transports
 * (long-polling, then the upgrade to a websocket) through HAProxy to two api instances, each
 * subscribed to one order; two status changes per order through REST; latency from the event's
 * commit to its receipt.
 */
export async function tracking(ctx: ScenarioContext): Promise<void> {
  progress(`tracking fan-out, ${SOCKETS} sockets`);
  const { customers, others, store, adminToken, riderId } = ctx.data;
  const via = ctx.balancer.url;
  const orders: { id: string; customer: number }[] = [];
  const count = Math.ceil(SOCKETS / PER_ORDER);
  for (let i = 0; i < count; i += 20) {
    const placed = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, async (_, j) => {
        const customer = (i + j) % customers.length;
        const res = await post(
          via,
          '/v1/orders',
          {
            items: [{ productId: others[(i + j) % others.length]!.id, quantity: 1 }],
            address: ADDRESS,
            storeId: store.id,
          },
          customers[customer]!.token,
          newKey(),
        );
        if (res.status !== 201)
          throw new Error(`placement ${res.status}: ${JSON.stringify(res.body)}`);
        return { id: res.body.id as string, customer };
      }),
    );
    orders.push(...placed);
  }
  const targets = Array.from({ length: SOCKETS }, (_, n) => {
    const order = orders[n % orders.length]!;
    return { url: via, token: customers[order.customer]!.token, orderId: order.id };
  });
  const started = performance.now();
  // Only the changes made below count: not an order's `order.placed` relayed after a socket
  // subscribed, nor the dispatcher's `order.rider_offered` once an order is packed.
  const changes = new Set<OrderEventMessage['type']>(['order.packed', 'order.out_for_delivery']);
  const connecting = await measuringCpu(() =>
    subscribers(targets, {
      defaultTransports: true,
      counts: (event) => changes.has(event.type),
    }),
  );
  const { latencies, duplicates, sockets } = connecting.value;
  const connectSeconds = ((performance.now() - started) / 1000).toFixed(1);
  const transitions = [
    ...orders.map((o) => ({ id: o.id, body: { to: 'PACKED' } })),
    ...orders.map((o) => ({ id: o.id, body: { to: 'OUT_FOR_DELIVERY', riderId } })),
  ];
  const expected = transitions.length * PER_ORDER;
  const run = await measuringCpu(async () => {
    let failed = 0;
    for (let i = 0; i < transitions.length; i += 10) {
      const answers = await Promise.all(
        transitions
          .slice(i, i + 10)
          .map((t) => post(via, `/v1/admin/orders/${t.id}/transitions`, t.body, adminToken)),
      );
      failed += answers.filter((a) => a.status !== 200).length;
    }
    for (let i = 0; i < 300 && latencies.length < expected; i++) await sleep(100);
    return failed;
  });
  const upgraded = sockets.filter((s) => s.io.engine?.transport.name === 'websocket').length;
  const rss = [ctx.apiA, ctx.apiB].map((a) => BenchStack.rssMb(a.process.pid!));
  for (const socket of sockets) socket.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  const [p50, p99] = [percentile(sorted, 50), percentile(sorted, 99)];
  ctx.raw.tracking = {
    sockets: SOCKETS,
    upgraded,
    connectSeconds,
    connectGeneratorCpu: connecting.cpu,
    expected,
    received: latencies.length,
    duplicates: duplicates(),
    p50,
    p99,
    failedTransitions: run.value,
    rssMb: rss,
  };
  ctx.rows.push({
    scenario: `tracking fan-out: ${SOCKETS} sockets (default transports) via HAProxy on 2 apis, ${transitions.length} changes`,
    result: `received ${latencies.length}/${expected}${duplicates() ? ` and ${duplicates()} twice` : ''}, p50 ${p50} ms, p99 ${p99} ms (commit to receipt); ${upgraded} upgraded to websocket; connected and subscribed in ${connectSeconds} s (load generator ${connecting.cpu.generator}%); api RSS ${rss.join(' + ')} MB`,
    baseline: '-',
    ratio: (latencies.length / expected).toFixed(3),
    target: 'received/expected = 1.0, none twice, p99 < 100 ms',
    met: latencies.length === expected && duplicates() === 0 && p99 < 100 && run.value === 0,
    cpu: run.cpu,
  });
}
