import type { Logger } from '@nestjs/common';
import proxyAddr from '@fastify/proxy-addr';
import type { Namespace, Socket } from 'socket.io';
import type {
  ConnectErrorData,
  ConnectErrorMessage,
  RefusedMessage,
} from '@flashcart/client/protocol';
import type { Authenticator } from '#libs/auth';
import type { AppConfig } from '#libs/config';
import type { Admission, ConnectionLimits } from './connection-limits.js';
import { MessageBudget } from './message-budget.js';
import type { SocketAuthority, SocketData } from './socket-authority.js';

const connectError = (message: ConnectErrorMessage) => new Error(message);

/** A limit reached: the message names it; `data` is the API's error shape. */
function tooManyConnections(admission: Exclude<Admission, 'admitted'>, limit: number): Error {
  const message: ConnectErrorMessage = `TooManyConnections: ${
    admission === 'user' ? 'this user' : 'this IP address'
  } already has ${limit} open tracking connections; close one first`;
  const data: ConnectErrorData = {
    statusCode: 429,
    error: 'Too Many Requests',
    code: 'RATE_LIMITED',
    message,
  };
  return Object.assign(connectError(message), { data });
}

/**
 * Who gets a tracking socket, and which of its messages reach the gateway: in the handshake a
 * live token and room under the user's and the IP's socket limits (a refusal never becomes a
 * connection: `connect_error`); before every message its budget, then the user's role now.
 */
export class SocketAdmission {
  private readonly trusted: (address: string, hop: number) => boolean;

  constructor(
    private readonly auth: Authenticator,
    private readonly limits: ConnectionLimits,
    private readonly authority: SocketAuthority,
    private readonly config: AppConfig,
    private readonly logger: Logger,
    /** The events the gateway handles; any other is answered `UNKNOWN_EVENT`. */
    private readonly events: ReadonlySet<string>,
  ) {
    const trust = config.http.trustProxy;
    this.trusted = typeof trust === 'boolean' ? () => trust : proxyAddr.compile(trust);
  }

  /** Installs the handshake on the namespace and keeps its sockets counted. */
  guard(namespace: Namespace): void {
    namespace.use((socket, next) => {
      this.admit(socket).then(next, (err: unknown) => {
        // Never the database's words in a connect_error: the client retries later.
        this.logger.warn({ err }, 'tracking handshake failed');
        next(connectError('Unavailable: try again shortly'));
      });
    });
    this.limits.keepCounting(() =>
      [...namespace.sockets.values()].flatMap((socket) => {
        const { counted, userId, ip } = socket.data as SocketData;
        return counted ? [{ id: socket.id, userId, ip }] : [];
      }),
    );
  }

  /** On disconnect: the socket no longer counts against its user and IP. */
  release(socket: Socket): void {
    const data = socket.data as SocketData;
    if (!data.counted) return;
    data.counted = false;
    void this.limits.release({ id: socket.id, userId: data.userId, ip: data.ip });
  }

  private async admit(socket: Socket): Promise<Error | undefined> {
    const principal = await this.auth.fromToken(socket.handshake.auth?.token);
    if (!principal)
      return connectError('Unauthorized: a valid access token is required in auth.token');
    const { messagesPerSecond, messageBurst, maxSocketsPerUser, maxSocketsPerIp } =
      this.config.tracking;
    const ip = this.clientIp(socket);
    const admission = await this.limits.admit({ id: socket.id, userId: principal.userId, ip });
    if (admission !== 'admitted')
      return tooManyConnections(
        admission,
        admission === 'user' ? maxSocketsPerUser : maxSocketsPerIp,
      );
    socket.data = {
      ...principal,
      orders: new Map(),
      version: 0,
      ip,
      budget: new MessageBudget(messagesPerSecond, messageBurst),
      counted: true,
    } satisfies SocketData;
    socket.use((packet, proceed) => this.authorise(socket, packet, proceed));
    return undefined;
  }

  /**
   * Before every message: its budget (refused before it costs anything), its name (an event no
   * handler answers would leave the client's acknowledgement waiting forever), then the user's
   * role now (a demoted admin or rider loses their powers with their next message).
   */
  private authorise(socket: Socket, packet: unknown[], proceed: () => void): void {
    const ack = packet.at(-1);
    const refuse = (error: RefusedMessage) => {
      if (typeof ack === 'function') ack({ ok: false, error });
    };
    if (!(socket.data as SocketData).budget.take()) return refuse('RATE_LIMITED');
    if (typeof packet[0] !== 'string' || !this.events.has(packet[0]))
      return refuse('UNKNOWN_EVENT');
    this.authority.refresh(socket).then(
      (live) => live && proceed(),
      (err: unknown) => {
        this.logger.warn({ err }, 'tracking message not authorised: principal unavailable');
        refuse('UNAVAILABLE');
      },
    );
  }

  /**
   * The client's address as the REST API finds it (Fastify's TRUST_PROXY rule), from the
   * handshake's copy of the peer address: with long-polling, the request that opened the
   * session may be closed by now, and a closed socket has no remoteAddress.
   */
  private clientIp({ handshake }: Socket): string {
    const request = { headers: handshake.headers, socket: { remoteAddress: handshake.address } };
    return proxyAddr(request as never, this.trusted);
  }
}
