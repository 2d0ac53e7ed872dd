import type { OrderEventMessage } from '@flashcart/client/protocol';
import { io, type Socket } from 'socket.io-client';

/**
 * socket.io subscribers: connect, subscribe, and time each order.event that `counts` from its
 * commit; an event a socket receives twice (same seq) is counted apart, not timed again. With
 * `defaultTransports`, clients start on long-polling and upgrade to a websocket, as browsers do
 * (behind the balancer, the stickiness cookie keeps a client's polling requests on one
 * instance: `withCredentials` gives a Node client a cookie jar); otherwise websocket only.
 * Connects in batches, so that the handshakes measure the servers, not a thundering herd.
 */
export async function subscribers(
  targets: { url: string; token: string; orderId: string }[],
  o: {
    defaultTransports?: boolean;
    batch?: number;
    counts?: (event: OrderEventMessage) => boolean;
  } = {},
): Promise<{ latencies: number[]; duplicates: () => number; sockets: Socket[] }> {
  const latencies: number[] = [];
  let duplicates = 0;
  const sockets: Socket[] = [];
  const batch = o.batch ?? 250;
  for (let i = 0; i < targets.length; i += batch) {
    sockets.push(
      ...(await Promise.all(
        targets.slice(i, i + batch).map(async ({ url, token, orderId }) => {
          const socket = io(`${url}/tracking`, {
            auth: { token },
            ...(o.defaultTransports ? { withCredentials: true } : { transports: ['websocket'] }),
            forceNew: true,
            reconnection: false,
          });
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
          });
          const seen = new Set<number>();
          socket.on('order.event', (event: OrderEventMessage) => {
            if (seen.has(event.seq)) duplicates++;
            else if (o.counts?.(event) ?? true) latencies.push(Date.now() - Date.parse(event.at));
            seen.add(event.seq);
          });
          const ack = await socket.timeout(20_000).emitWithAck('subscribe', { orderId });
          if (!ack.ok) throw new Error(`subscribe failed: ${JSON.stringify(ack)}`);
          return socket;
        }),
      )),
    );
  }
  return { latencies, duplicates: () => duplicates, sockets };
}
