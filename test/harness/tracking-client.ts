import { io, type Socket } from 'socket.io-client';

/** A real socket.io client on /tracking that records what it receives. */
export class TrackingClient {
  readonly events: any[] = [];
  readonly locations: any[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('order.event', (e) => this.events.push(e));
    socket.on('rider.location', (l) => this.locations.push(l));
  }

  /** Connects, or rejects with the server's connect_error message. */
  static connect(baseUrl: string, token?: string): Promise<TrackingClient> {
    const socket = io(`${baseUrl}/tracking`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new TrackingClient(socket)));
      socket.once('connect_error', (err) => {
        socket.close();
        reject(err);
      });
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
