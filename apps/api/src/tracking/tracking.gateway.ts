import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import type {
  ClientToServerEvents,
  RiderLocationAck,
  RiderLocationMessage,
  SubscribeAck,
  SubscribeStoreAck,
  UnsubscribeAck,
} from '@flashcart/client/protocol';
import { Authenticator } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RiderShifts } from '#libs/dispatch';
import { MAX_EVENT_SEQ, OrderQueries, type OrderEventView } from '#libs/orders';
import { Metrics } from '#libs/platform';
import {
  OrderEventFeed,
  orderRoom,
  RiderLocations,
  storeRoom,
  TRACKING_NAMESPACE,
} from '#libs/tracking';
import { ConnectionLimits } from './connection-limits.js';
import { OrderStreams, toWire } from './order-streams.js';
import { SocketAdmission } from './socket-admission.js';
import { SocketAuthority, userRoom, type SocketData } from './socket-authority.js';

/**
 * The messages this gateway has handlers for (their names, from the protocol); SocketAdmission
 * answers any other with `UNKNOWN_EVENT` rather than leave its acknowledgement waiting forever.
 */
const MESSAGES = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  subscribeStore: 'subscribe.store',
  riderLocation: 'rider.location',
} as const satisfies Record<string, keyof ClientToServerEvents>;
const TRACKING_MESSAGES: ReadonlySet<string> = new Set(Object.values(MESSAGES));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An event seq to resume after (0 = from the start). */
const isSeq = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_EVENT_SEQ;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);
const isCoordinate = (v: unknown, limit: number): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= limit;

/**
 * Realtime order tracking on socket.io, namespace /tracking (protocol in the README).
 * Order events come from the Redis channel every process publishes to after commit; each api
 * instance delivers them to its own sockets, per socket in seq order with gaps filled from
 * order_events and duplicates dropped. Rider positions are broadcast through the Redis adapter.
 */
@WebSocketGateway({ namespace: TRACKING_NAMESPACE })
export class TrackingGateway
  implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy
{
  @WebSocketServer() private namespace!: Namespace;
  private readonly logger = new Logger(TrackingGateway.name);
  private recheck?: NodeJS.Timeout;
  private unwatch?: () => void;
  private readonly streams: OrderStreams;
  private readonly authority: SocketAuthority;
  private readonly admission: SocketAdmission;

  constructor(
    auth: Authenticator,
    private readonly orders: OrderQueries,
    private readonly feed: OrderEventFeed,
    private readonly locations: RiderLocations,
    private readonly shifts: RiderShifts,
    private readonly metrics: Metrics,
    limits: ConnectionLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.streams = new OrderStreams(orders, this.logger);
    this.authority = new SocketAuthority(auth, orders, this.logger);
    this.admission = new SocketAdmission(
      auth,
      limits,
      this.authority,
      config,
      this.logger,
      TRACKING_MESSAGES,
    );
  }

  async afterInit(namespace: Namespace): Promise<void> {
    this.admission.guard(namespace);
    this.unwatch = this.authority.watch(namespace);
    await this.feed.onEvent((event) => this.dispatch(event));
    this.feed.onResume(() => void this.catchUp());
    this.recheck = setInterval(() => void this.recheckAll(), this.config.tracking.authRecheckMs);
    this.recheck.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.recheck);
    this.unwatch?.();
  }

  handleConnection(socket: Socket): void {
    const data = socket.data as SocketData;
    this.metrics.websocketConnections.inc();
    void socket.join(userRoom(data.userId));
    const msLeft = data.claims.exp * 1000 - Date.now();
    data.expiry = setTimeout(() => socket.disconnect(true), Math.max(0, msLeft));
    data.expiry.unref();
  }

  handleDisconnect(socket: Socket): void {
    this.metrics.websocketConnections.dec();
    clearTimeout((socket.data as SocketData).expiry);
    this.admission.release(socket);
  }

  @SubscribeMessage(MESSAGES.subscribe)
  async subscribe(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeAck> {
    const { orderId, afterSeq } = (body ?? {}) as { orderId?: unknown; afterSeq?: unknown };
    if (!isUuid(orderId)) return { ok: false, error: 'BAD_REQUEST' };
    if (afterSeq !== undefined && !isSeq(afterSeq)) {
      return { ok: false, error: 'BAD_REQUEST' };
    }
    const data = socket.data as SocketData;
    let version = data.version;
    let visible = await this.statusIfVisible(orderId, data);
    while (version !== data.version) {
      // A change to the user heard meanwhile (a demotion): decide again on the role now.
      if (!(await this.authority.refresh(socket))) return { ok: false, error: 'NOT_FOUND' };
      version = data.version;
      visible = await this.statusIfVisible(orderId, data);
    }
    if (!visible) return { ok: false, error: 'NOT_FOUND' };
    // Join first, then read the timeline: whatever is published meanwhile queues behind the replay
    // on the stream's chain and is dropped if the replay already sent it. The ack's status and seq
    // come from that same read, so they always belong together.
    const stream = OrderStreams.opening();
    data.orders.set(orderId, stream);
    await socket.join(orderRoom(orderId));
    const current = await this.streams.open(socket, stream, orderId, afterSeq);
    const status = current ? toWire(current).status : visible;
    return { ok: true, order: { id: orderId, status, seq: current?.seq ?? 0 } };
  }

  @SubscribeMessage(MESSAGES.unsubscribe)
  async unsubscribe(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<UnsubscribeAck> {
    const { orderId } = (body ?? {}) as { orderId?: unknown };
    if (!isUuid(orderId)) return { ok: false, error: 'BAD_REQUEST' };
    (socket.data as SocketData).orders.delete(orderId);
    await socket.leave(orderRoom(orderId));
    return { ok: true };
  }

  /** Ops board: every order event of a store (admins). */
  @SubscribeMessage(MESSAGES.subscribeStore)
  async subscribeStore(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<SubscribeStoreAck> {
    const { storeId } = (body ?? {}) as { storeId?: unknown };
    if (!isUuid(storeId)) return { ok: false, error: 'BAD_REQUEST' };
    // Checked and joined in one step: a demotion heard later takes the room away again.
    if ((socket.data as SocketData).role !== 'admin') return { ok: false, error: 'FORBIDDEN' };
    await socket.join(storeRoom(storeId));
    return { ok: true };
  }

  /** A rider's position on an order out for delivery; at most one accepted per second. */
  @SubscribeMessage(MESSAGES.riderLocation)
  async riderLocation(
    @ConnectedSocket() socket: Socket,
    @MessageBody() body: unknown,
  ): Promise<RiderLocationAck> {
    const { orderId, lat, lng } = (body ?? {}) as {
      orderId?: unknown;
      lat?: unknown;
      lng?: unknown;
    };
    if (!isUuid(orderId) || !isCoordinate(lat, 90) || !isCoordinate(lng, 180))
      return { ok: false, error: 'BAD_REQUEST' };
    const data = socket.data as SocketData;
    if (data.role !== 'rider') return { ok: false, error: 'FORBIDDEN' };
    const version = data.version;
    // The rate limit first: a flood costs one Redis call per message, not an order lookup.
    if (!(await this.locations.allow(data.userId))) return { ok: false, error: 'RATE_LIMITED' };
    const order = await this.orders.statusIfVisible(orderId, { id: data.userId, role: 'rider' });
    if (!order) return { ok: false, error: 'NOT_FOUND' };
    // Demoted while this was looked up: not a rider's position any more.
    if (
      version !== data.version &&
      !((await this.authority.refresh(socket)) && data.role === 'rider')
    )
      return { ok: false, error: 'FORBIDDEN' };
    if (order !== 'OUT_FOR_DELIVERY') return { ok: false, error: 'NOT_OUT_FOR_DELIVERY' };
    const location = await this.locations.record(orderId, lat, lng);
    // Dispatch ranks riders by their last position (kept at most every 10 s; never blocks this).
    void this.shifts.notePosition(data.userId, lat, lng).catch(() => undefined);
    this.namespace
      .to(orderRoom(orderId))
      .emit('rider.location', location satisfies RiderLocationMessage);
    return { ok: true };
  }

  private statusIfVisible(orderId: string, data: SocketData) {
    return this.orders.statusIfVisible(orderId, { id: data.userId, role: data.role });
  }

  /** Hands a committed event to this instance's subscribers of its order and its store. */
  private dispatch(event: OrderEventView): void {
    const rooms = this.namespace.adapter.rooms;
    for (const id of rooms.get(orderRoom(event.orderId)) ?? []) {
      const socket = this.namespace.sockets.get(id);
      const stream = (socket?.data as SocketData | undefined)?.orders.get(event.orderId);
      if (socket && stream) this.streams.deliver(socket, stream, event);
    }
    const storeId = event.data.storeId;
    if (typeof storeId === 'string')
      this.namespace.local.to(storeRoom(storeId)).emit('order.event', toWire(event));
  }

  /**
   * After the feed reconnects: what was published meanwhile reached nobody here, so subscribed
   * sockets catch up from order_events; ops boards (no per-order position) get `resync`.
   */
  private async catchUp(): Promise<void> {
    const sockets = [...this.namespace.sockets.values()];
    await this.streams.catchUp(
      sockets.flatMap((socket) =>
        [...(socket.data as SocketData).orders].map(([orderId, stream]) => ({
          socket,
          orderId,
          stream,
        })),
      ),
    );
    for (const room of this.namespace.adapter.rooms.keys())
      if (room.startsWith(storeRoom(''))) this.namespace.local.to(room).emit('resync', {});
  }

  /**
   * A safety net for changes missed while the change channel was down (a Redis outage): logged
   * out, disabled or revoked since connecting, disconnected; a changed role, applied.
   */
  private async recheckAll(): Promise<void> {
    for (const socket of this.namespace.sockets.values())
      await this.authority.refresh(socket).catch(() => undefined);
  }
}
