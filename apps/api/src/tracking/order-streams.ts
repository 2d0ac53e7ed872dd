import type { Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';
import type { OrderEventMessage } from '@flashcart/client/protocol';
import type { OrderEventView, OrderQueries } from '#libs/orders';

/** Per socket and subscribed order: the last seq sent, and a chain that keeps sends in order. */
export interface OrderStream {
  last: number;
  chain: Promise<void>;
}

/**
 * The wire shape of `order.event`, as the protocol (@flashcart/client/protocol) defines it. The
 * timeline's `data` per event type is what openapi.json's OrderEvent schemas document (libs/orders
 * writes it; e2e tests validate every timeline they read against those schemas).
 */
export function toWire(e: OrderEventView): OrderEventMessage {
  return {
    orderId: e.orderId,
    seq: e.seq,
    type: e.type,
    status: e.toStatus ?? e.data.status,
    at: e.at,
    data: e.data,
  } as OrderEventMessage;
}

/**
 * Delivery of order events to one instance's sockets: per socket and order in seq order, a gap
 * filled from order_events first, anything already sent dropped.
 */
export class OrderStreams {
  constructor(
    private readonly orders: OrderQueries,
    private readonly logger: Logger,
  ) {}

  /** A stream that has joined its room but not read the timeline yet (catch-up skips it). */
  static opening(): OrderStream {
    return { last: Number.MAX_SAFE_INTEGER, chain: Promise.resolve() };
  }

  /**
   * Reads the timeline once the socket has joined the order's room: whatever is published
   * meanwhile queues behind this on the stream's chain and is dropped if already sent. Replays
   * after `afterSeq` (live only without it); returns the latest event, read with the rest.
   */
  async open(
    socket: Socket,
    stream: OrderStream,
    orderId: string,
    afterSeq: number | undefined,
  ): Promise<OrderEventView | undefined> {
    let current: OrderEventView | undefined;
    stream.chain = (async () => {
      const events = await this.orders.eventsAfter(orderId, 0);
      current = events.at(-1);
      stream.last = afterSeq ?? current?.seq ?? 0;
      if (afterSeq !== undefined) for (const event of events) this.send(socket, stream, event);
    })();
    await stream.chain;
    return current;
  }

  deliver(socket: Socket, stream: OrderStream, event: OrderEventView): void {
    stream.chain = stream.chain
      .then(async () => {
        if (event.seq <= stream.last) return;
        if (event.seq > stream.last + 1) {
          for (const missed of await this.orders.eventsAfter(event.orderId, stream.last))
            this.send(socket, stream, missed);
          return;
        }
        this.send(socket, stream, event);
      })
      .catch((err: unknown) =>
        this.logger.warn({ err, orderId: event.orderId }, 'tracking delivery failed'),
      );
  }

  /**
   * Every subscribed order read again from order_events after the lowest seq any socket here has
   * (one query); each socket gets what it lacks, in order.
   */
  async catchUp(
    streams: { socket: Socket; orderId: string; stream: OrderStream }[],
  ): Promise<void> {
    const after = new Map<string, number>();
    for (const { orderId, stream } of streams)
      if (stream.last !== Number.MAX_SAFE_INTEGER)
        after.set(orderId, Math.min(after.get(orderId) ?? stream.last, stream.last));
    try {
      const byOrder = new Map<string, OrderEventView[]>();
      for (const event of await this.orders.eventsAfterEach(after)) {
        const list = byOrder.get(event.orderId);
        if (list) list.push(event);
        else byOrder.set(event.orderId, [event]);
      }
      for (const { socket, orderId, stream } of streams)
        for (const event of byOrder.get(orderId) ?? []) this.deliver(socket, stream, event);
    } catch (err) {
      this.logger.warn({ err }, 'tracking catch-up failed');
    }
  }

  private send(socket: Socket, stream: OrderStream, event: OrderEventView): void {
    if (event.seq <= stream.last) return;
    socket.emit('order.event', toWire(event));
    stream.last = event.seq;
  }
}
