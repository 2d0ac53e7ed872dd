/**
 * The realtime tracking protocol (socket.io, namespace `/tracking`): the one definition of its
 * events, payloads and acknowledgements. The api's gateway (apps/api/src/tracking) imports these
 * types to build what it sends; this package's TrackingClient uses them to receive it. Event
 * `data` shapes come from openapi.json's OrderEvent schemas (the REST timeline), so the REST and
 * live views of an event cannot drift apart. Types only: nothing here runs.
 */
import type { components } from './generated/openapi.js';

type Schemas = components['schemas'];

export type OrderStatus = Schemas['OrderDto']['status'];
/** A timeline event as the REST API returns it (`GET /v1/orders/{id}/events`). */
export type OrderEvent = Schemas['OrderEvent'];
export type OrderEventType = OrderEvent['type'];
export type OrderEventDataOf<T extends OrderEventType> = Extract<OrderEvent, { type: T }>['data'];

/** `order.event`: one committed event of a subscribed order, in seq order, never twice. */
export type OrderEventMessage = {
  [T in OrderEventType]: {
    orderId: string;
    /** 1, 2, 3, … per order. */
    seq: number;
    type: T;
    /** The order's status after this event. */
    status: OrderStatus;
    at: string;
    data: OrderEventDataOf<T>;
  };
}[OrderEventType];

/** `rider.location`: the assigned rider's latest position (at most one per second). */
export interface RiderLocationMessage {
  orderId: string;
  lat: number;
  lng: number;
  at: string;
}

export interface ServerToClientEvents {
  'order.event': (event: OrderEventMessage) => void;
  'rider.location': (location: RiderLocationMessage) => void;
  /** Store subscribers: the event feed was away; reload the board from the REST API. */
  resync: (body: Record<string, never>) => void;
  /** A subscription the server ended because the user's role no longer allows it. */
  unsubscribed: (body: UnsubscribedMessage) => void;
}

/** Sent when a role change ends a subscription (an admin demoted loses store boards). */
export type UnsubscribedMessage =
  { orderId: string; error: 'NOT_FOUND' } | { storeId: string; error: 'FORBIDDEN' };

/**
 * Any message may be refused before it is looked at: `RATE_LIMITED` past the socket's message
 * budget (TRACKING_MESSAGES_PER_SECOND, TRACKING_MESSAGE_BURST), `UNAVAILABLE` when the user's
 * role could not be re-read (database away; send it again shortly), `UNKNOWN_EVENT` for an event
 * name the server has no handler for.
 */
export type RefusedMessage = 'RATE_LIMITED' | 'UNAVAILABLE' | 'UNKNOWN_EVENT';

export interface SubscribeRequest {
  orderId: string;
  /** Replay the events after this seq first (0 = all), then live ones. */
  afterSeq?: number;
}

export type SubscribeAck =
  | { ok: true; order: { id: string; status: OrderStatus; seq: number } }
  | { ok: false; error: 'NOT_FOUND' | 'BAD_REQUEST' | RefusedMessage };
export type UnsubscribeAck = { ok: true } | { ok: false; error: 'BAD_REQUEST' | RefusedMessage };
export type SubscribeStoreAck =
  { ok: true } | { ok: false; error: 'FORBIDDEN' | 'BAD_REQUEST' | RefusedMessage };
export type RiderLocationAck =
  | { ok: true }
  | {
      ok: false;
      error: 'NOT_FOUND' | 'NOT_OUT_FOR_DELIVERY' | 'FORBIDDEN' | 'BAD_REQUEST' | RefusedMessage;
    };

export interface ClientToServerEvents {
  subscribe: (body: SubscribeRequest, ack: (ack: SubscribeAck) => void) => void;
  unsubscribe: (body: { orderId: string }, ack: (ack: UnsubscribeAck) => void) => void;
  'subscribe.store': (body: { storeId: string }, ack: (ack: SubscribeStoreAck) => void) => void;
  'rider.location': (
    body: { orderId: string; lat: number; lng: number },
    ack: (ack: RiderLocationAck) => void,
  ) => void;
}

/**
 * The message of a `connect_error` raised by the server: a refused token (refresh it, then
 * connect again), a passing failure (connect again shortly), or too many open sockets for the
 * user or the client's IP (close one first). The last carries `data`, the API's error shape.
 */
export type ConnectErrorMessage =
  `Unauthorized: ${string}` | `Unavailable: ${string}` | `TooManyConnections: ${string}`;

/** `connect_error`'s `data` when the server refused for a limit. */
export interface ConnectErrorData {
  statusCode: 429;
  error: 'Too Many Requests';
  code: 'RATE_LIMITED';
  message: string;
}
