import type { Logger } from '@nestjs/common';
import type { Namespace, Socket } from 'socket.io';
import type { UnsubscribedMessage } from '@flashcart/client/protocol';
import type { Authenticator, Principal, Role } from '#libs/auth';
import type { OrderQueries } from '#libs/orders';
import { orderRoom, storeRoom } from '#libs/tracking';
import type { MessageBudget } from './message-budget.js';
import type { OrderStream } from './order-streams.js';

/** What the gateway keeps on each socket; `role` is the user's role now, not at connect. */
export interface SocketData extends Principal {
  orders: Map<string, OrderStream>;
  expiry?: NodeJS.Timeout;
  /** Bumped when a change to the user is heard: an authorisation begun before it is stale. */
  version: number;
  ip: string;
  budget: MessageBudget;
  /** Counted in the per-user and per-IP limits (released on disconnect). */
  counted: boolean;
}

/** Each user's sockets on this instance, so that a change to the user reaches them at once. */
export const userRoom = (userId: string) => `user:${userId}`;

const STORE_ROOM = storeRoom('');

/**
 * Keeps every socket's principal current, so each message is authorised on the user's role now:
 * re-read before every message (from the process's memory of live principals, which every
 * process empties the moment a user changes, so no round trip while nothing changed), and at
 * once for all of a user's sockets when a change to them is heard. A role that no longer allows
 * a subscription ends it (`unsubscribed`); a logged-out, disabled or revoked user is disconnected.
 */
export class SocketAuthority {
  constructor(
    private readonly auth: Authenticator,
    private readonly orders: OrderQueries,
    private readonly logger: Logger,
  ) {}

  /** Hears changes to users from now on; returns the unsubscribe. */
  watch(namespace: Namespace): () => void {
    return this.auth.onChange((userId) => {
      for (const id of namespace.adapter.rooms.get(userRoom(userId)) ?? []) {
        const socket = namespace.sockets.get(id);
        if (!socket) continue;
        (socket.data as SocketData).version++;
        this.refresh(socket).catch((err: unknown) =>
          this.logger.warn({ err, userId }, 'tracking socket re-authorisation failed'),
        );
      }
    });
  }

  /**
   * Re-reads the socket's principal and applies it: true while it is live (its `role` now
   * current), false once it is not (the socket is disconnected). Throws if PostgreSQL cannot
   * answer. An answer that a change heard meanwhile may have outdated is asked again.
   */
  async refresh(socket: Socket): Promise<boolean> {
    const data = socket.data as SocketData;
    let live: Principal | null;
    for (let attempt = 1; ; attempt++) {
      const version = data.version;
      live = await this.auth.stillLive(data.claims);
      if (version === data.version || attempt === 3) break;
    }
    if (!live) {
      socket.disconnect(true);
      return false;
    }
    if (live.role !== data.role) await this.narrow(socket, live.role);
    return true;
  }

  /** The role changed: ends each subscription it no longer allows. */
  private async narrow(socket: Socket, role: Role): Promise<void> {
    const data = socket.data as SocketData;
    data.role = role;
    if (role !== 'admin') {
      for (const room of [...socket.rooms].filter((r) => r.startsWith(STORE_ROOM))) {
        void socket.leave(room);
        this.ended(socket, { storeId: room.slice(STORE_ROOM.length), error: 'FORBIDDEN' });
      }
    }
    for (const orderId of [...data.orders.keys()]) {
      const visible = await this.orders.statusIfVisible(orderId, { id: data.userId, role });
      if (visible || data.role !== role || !data.orders.has(orderId)) continue;
      data.orders.delete(orderId);
      void socket.leave(orderRoom(orderId));
      this.ended(socket, { orderId, error: 'NOT_FOUND' });
    }
  }

  private ended(socket: Socket, message: UnsubscribedMessage): void {
    socket.emit('unsubscribed', message);
  }
}
