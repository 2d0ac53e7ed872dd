import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { SessionExpiredError } from './errors.js';
import type {
  ClientToServerEvents,
  OrderEventMessage,
  RiderLocationAck,
  RiderLocationMessage,
  ServerToClientEvents,
  SubscribeAck,
  SubscribeStoreAck,
  UnsubscribeAck,
} from './protocol.js';
import type { Session } from './session.js';

export interface TrackingOptions {
  /** socket.io options (default: websocket transport, automatic reconnection). */
  socket?: Partial<ManagerOptions & SocketOptions>;
  /** How long an acknowledgement may take, ms (default 10 000). */
  ackTimeoutMs?: number;
}

export interface TrackingEvents {
  'order.event': (event: OrderEventMessage) => void;
  'rider.location': (location: RiderLocationMessage) => void;
  /** Store subscribers: reload the board from the REST API. */
  resync: () => void;
  /** Connected again after a drop; subscriptions are being resumed from their last seq. */
  reconnect: () => void;
  /** The session ended (refresh refused): the connection is closed; sign in again. */
  sessionExpired: (error: SessionExpiredError) => void;
  /** Something failed in the background (a resubscription refused, a refresh that failed). */
  error: (error: Error) => void;
}

type Listeners = { [E in keyof TrackingEvents]: Set<TrackingEvents[E]> };

/**
 * Live order tracking over socket.io. Survives drops: after any reconnection it subscribes again
 * with the last seq it delivered, so the server replays what was missed — no gap — and events at
 * or below that seq are dropped — no duplicate. A refused or expired token is refreshed through
 * the client's session (the same single refresh as REST calls) before connecting again.
 */
export class TrackingClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly listeners: Listeners = {
    'order.event': new Set(),
    'rider.location': new Set(),
    resync: new Set(),
    reconnect: new Set(),
    sessionExpired: new Set(),
    error: new Set(),
  };
  /** Subscribed orders and the last seq delivered for each. */
  private readonly orders = new Map<string, number>();
  private readonly stores = new Set<string>();
  /** Last seq delivered per order, for orders seen through a store subscription too. */
  private readonly seen = new Map<string, number>();
  private handshakeToken: string | undefined;
  private everConnected = false;
  private closed = false;
  private refreshingFor: string | undefined;
  private readonly ackTimeoutMs: number;

  constructor(
    private readonly session: Session,
    url: string,
    options: TrackingOptions = {},
  ) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.socket = io(url, {
      transports: ['websocket'],
      autoConnect: false,
      ...options.socket,
      // Read at every (re)connection, so a refreshed token is always the one sent.
      auth: (cb) => {
        void this.session.tokens().then((tokens) => {
          this.handshakeToken = tokens?.accessToken;
          cb({ token: tokens?.accessToken });
        });
      },
    });
    this.socket.on('connect', () => this.onConnect());
    this.socket.on('connect_error', (error) => void this.onConnectError(error));
    this.socket.on('disconnect', (reason) => void this.onDisconnect(reason));
    this.socket.on('order.event', (event) => this.onOrderEvent(event));
    this.socket.on('rider.location', (location) => this.emit('rider.location', location));
    this.socket.on('resync', () => this.emit('resync'));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** Connects; rejects with SessionExpiredError when the session cannot be refreshed. */
  connect(): Promise<void> {
    this.closed = false;
    return new Promise((resolve, reject) => {
      const done = () => {
        this.socket.off('connect', onConnect);
        offExpired();
      };
      const onConnect = () => {
        done();
        resolve();
      };
      const offExpired = this.on('sessionExpired', (error) => {
        done();
        reject(error);
      });
      this.socket.on('connect', onConnect);
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
      else if (this.socket.connected) onConnect();
    });
  }

  /**
   * Subscribes to an order's events. With `afterSeq`, the events after it are replayed first
   * (0 = the whole timeline). Resolves with the server's acknowledgement.
   */
  async subscribe(orderId: string, options: { afterSeq?: number } = {}): Promise<SubscribeAck> {
    const ack = await this.request('subscribe', { orderId, afterSeq: options.afterSeq });
    if (ack.ok) {
      const last = Math.max(
        this.seen.get(orderId) ?? 0,
        options.afterSeq ?? ack.order.seq,
        ack.order.seq,
      );
      this.orders.set(orderId, last);
      this.seen.set(orderId, last);
    }
    return ack;
  }

  async unsubscribe(orderId: string): Promise<UnsubscribeAck> {
    this.orders.delete(orderId);
    return this.request('unsubscribe', { orderId });
  }

  /** Admins: every order event of a store (ops board). */
  async subscribeStore(storeId: string): Promise<SubscribeStoreAck> {
    const ack = await this.request('subscribe.store', { storeId });
    if (ack.ok) this.stores.add(storeId);
    return ack;
  }

  /** Riders: the position on an order out for delivery (at most one per second is accepted). */
  sendLocation(orderId: string, lat: number, lng: number): Promise<RiderLocationAck> {
    return this.request('rider.location', { orderId, lat, lng });
  }

  /** The last seq delivered for an order (to resume elsewhere, e.g. after a page reload). */
  lastSeq(orderId: string): number | undefined {
    return this.seen.get(orderId);
  }

  on<E extends keyof TrackingEvents>(event: E, listener: TrackingEvents[E]): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }

  private request<E extends keyof ClientToServerEvents>(
    event: E,
    body: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
    // socket.io's typed emitWithAck cannot follow a generic event name; the table above types it.
    const socket = this.socket as unknown as Socket;
    return socket.timeout(this.ackTimeoutMs).emitWithAck(event, body);
  }

  private emit<E extends keyof TrackingEvents>(
    event: E,
    ...args: Parameters<TrackingEvents[E]>
  ): void {
    for (const listener of this.listeners[event])
      (listener as (...a: Parameters<TrackingEvents[E]>) => void)(...args);
  }

  private onOrderEvent(event: OrderEventMessage): void {
    const last = this.seen.get(event.orderId) ?? 0;
    if (event.seq <= last) return; // already delivered (a replay overlapping live events)
    this.seen.set(event.orderId, event.seq);
    if (this.orders.has(event.orderId)) this.orders.set(event.orderId, event.seq);
    this.emit('order.event', event);
  }

  private onConnect(): void {
    this.refreshingFor = undefined;
    if (!this.everConnected) {
      this.everConnected = true;
      return;
    }
    this.emit('reconnect');
    // A new connection has no subscriptions: resume each from the last seq delivered.
    for (const [orderId, afterSeq] of this.orders) {
      this.request('subscribe', { orderId, afterSeq }).then(
        (ack) => {
          if (!ack.ok) {
            this.orders.delete(orderId);
            this.emit('error', new Error(`Resubscribing to order ${orderId} failed: ${ack.error}`));
          }
        },
        (error: Error) => this.emit('error', error),
      );
    }
    for (const storeId of this.stores) {
      this.request('subscribe.store', { storeId }).then(
        () => this.emit('resync'),
        (error: Error) => this.emit('error', error),
      );
    }
  }

  private async onConnectError(error: Error): Promise<void> {
    if (this.closed) return;
    if (error.message.startsWith('Unauthorized')) {
      // Refresh once per refused token; the same token refused again ends the attempt.
      if (this.refreshingFor !== undefined && this.refreshingFor === this.handshakeToken) {
        this.emit('error', error);
        return;
      }
      this.refreshingFor = this.handshakeToken;
      await this.refreshThenConnect();
    } else if (!this.socket.active) {
      // Refused by the server for a passing reason ("Unavailable: …"): try again shortly.
      setTimeout(() => !this.closed && this.socket.connect(), 1_000);
    }
  }

  private async onDisconnect(reason: Socket.DisconnectReason): Promise<void> {
    // The server ends a connection when its token expires or the session is revoked; anything
    // else (network, server restart) socket.io reconnects by itself.
    if (reason === 'io server disconnect' && !this.closed) await this.refreshThenConnect();
  }

  private async refreshThenConnect(): Promise<void> {
    try {
      await this.session.refreshAfter(this.handshakeToken);
    } catch (error) {
      if (error instanceof SessionExpiredError) {
        this.closed = true;
        this.socket.close();
        this.emit('sessionExpired', error);
      } else {
        this.emit('error', error as Error);
        if (!this.closed) setTimeout(() => !this.closed && this.socket.connect(), 1_000);
      }
      return;
    }
    if (!this.closed) this.socket.connect();
  }
}
