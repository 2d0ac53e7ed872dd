import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

/** A real socket.io client on /tracking that records what it receives. */
export class TrackingClient {
  readonly events: any[] = [];
  readonly locations: any[] = [];
  private constructor(
    readonly socket: Socket,
    /** The engine.io transports used, in order: ['polling', 'websocket'] after an upgrade. */
    readonly transports: string[],
  ) {
    socket.on('order.event', (e) => this.events.push(e));
    socket.on('rider.location', (l) => this.locations.push(l));
  }

  /**
   * Connects, or rejects with the server's connect_error message. By default websocket only and
   * without reconnection; `options` override that (e.g. socket.io's default transports).
   */
  static connect(
    baseUrl: string,
    token?: string,
    options: Partial<ManagerOptions & SocketOptions> = {},
  ): Promise<TrackingClient> {
    const socket = io(`${baseUrl}/tracking`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...options,
    });
    const transports: string[] = [];
    // Each (re)connection opens a new engine: record its transport and any upgrade.
    socket.io.on('open', () => {
      const engine = socket.io.engine;
      transports.push(engine.transport.name);
      engine.once('upgrade', (transport: { name: string }) => transports.push(transport.name));
    });
    return new Promise((resolve, reject) => {
      const refused = (err: Error) => {
        socket.close();
        reject(err);
      };
      socket.once('connect', () => {
        socket.off('connect_error', refused); // later attempts (reconnections) may fail and retry
        resolve(new TrackingClient(socket, transports));
      });
      socket.once('connect_error', refused);
    });
  }

  emit<T = any>(event: string, body: unknown): Promise<T> {
    return this.socket.timeout(5_000).emitWithAck(event, body) as Promise<T>;
  }

  /** Waits until `count` order events of this order arrived. */
  async eventsOf(orderId: string, count: number, timeoutMs = 10_000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const mine = this.events.filter((e) => e.orderId === orderId);
      if (mine.length >= count) return mine;
      await new Promise((r) => setTimeout(r, 25));
    }
    return this.events.filter((e) => e.orderId === orderId);
  }

  close(): void {
    this.socket.close();
  }
}
