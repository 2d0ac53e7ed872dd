import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Stripe from 'stripe';

/** The webhook signing secret the stand-in and the api under test share. */
export const TEST_WEBHOOK_SECRET = 'whsec_test_standin_0123456789abcdef';

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export interface StandInIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  client_secret: string;
  metadata: Record<string, string>;
  created: number;
}

export interface StandInRefund {
  id: string;
  object: 'refund';
  amount: number;
  payment_intent: string;
  status: string;
  metadata: Record<string, string>;
  created: number;
}

/** `a[b][c]=v` form fields (what stripe-node sends) as nested objects. */
function parseForm(body: string): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, '').split('[');
    let at = out;
    for (const part of path.slice(0, -1)) at = at[part] ??= {};
    at[path.at(-1)!] = value;
  }
  return out;
}

/**
 * A local HTTP server speaking the part of Stripe's REST API that FlashCart uses, as documented:
 * `POST /v1/payment_intents`, `GET /v1/payment_intents/:id`, `POST /v1/refunds`,
 * `GET /v1/refunds/:id` (form-encoded requests, JSON answers, `Idempotency-Key` replaying the
 * first answer), driven by the official SDK through its `host`/`port`/`protocol` settings. Tests
 * pay intents, build events, sign them with the SDK's own test helper, and can make the API
 * fail (500) or slow for a while.
 */
export class StripeStandIn {
  readonly intents = new Map<string, StandInIntent>();
  readonly refunds = new Map<string, StandInRefund>();
  private readonly byKey = new Map<string, { status: number; body: unknown }>();
  private readonly inFlight = new Set<string>();
  /** Every API call, as "METHOD /path". */
  readonly calls: string[] = [];
  /** Until then (epoch ms), every API call answers 500. */
  failUntil = 0;
  /** Answers to refund calls wait this long (a slow provider: kill tests). */
  refundDelayMs = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<StripeStandIn> {
    const ready: { standIn?: StripeStandIn } = {};
    const server = createServer((req, res) => void ready.standIn!.handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    ready.standIn = new StripeStandIn(server, (server.address() as { port: number }).port);
    return ready.standIn;
  }

  /** The api's (and worker's) environment to talk to this stand-in. */
  env(): Record<string, string> {
    return {
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_standin_key',
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(this.port),
      STRIPE_API_PROTOCOL: 'http',
      STRIPE_TIMEOUT_MS: '5000',
    };
  }

  intentOf(orderId: string): StandInIntent | undefined {
    return [...this.intents.values()].find((i) => i.metadata.orderId === orderId);
  }

  refundsOf(intentId: string): StandInRefund[] {
    return [...this.refunds.values()].filter((r) => r.payment_intent === intentId);
  }

  /** The customer pays: the intent succeeds (automatic capture). */
  pay(intentId: string): StandInIntent {
    const intent = this.intents.get(intentId)!;
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
    return intent;
  }

  /** A Stripe event about an intent (a fresh event id each call), as its webhook body. */
  event(type: string, intent: StandInIntent, overrides: Record<string, unknown> = {}) {
    const object = { ...intent };
    if (type === 'payment_intent.succeeded')
      Object.assign(object, { status: 'succeeded', amount_received: intent.amount });
    if (type === 'payment_intent.payment_failed')
      Object.assign(object, { status: 'requires_payment_method' });
    if (type === 'payment_intent.processing') Object.assign(object, { status: 'processing' });
    return {
      id: id('evt'),
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object },
      ...overrides,
    };
  }

  /** A `Stripe-Signature` header for this body, by the SDK's own helper. */
  sign(payload: string, options: { timestamp?: number; secret?: string } = {}): string {
    return Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? TEST_WEBHOOK_SECRET,
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    });
  }

  /** Delivers an event to an api's webhook route, signed (or with the given signature). */
  async deliver(
    apiUrl: string,
    event: object,
    options: { signature?: string; timestamp?: number } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const payload = JSON.stringify(event);
    const res = await fetch(`${apiUrl}/v1/payments/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': options.signature ?? this.sign(payload, options),
      },
      body: payload,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const route = `${req.method} ${url.pathname}`;
    this.calls.push(route);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
      res.end(JSON.stringify(body));
    };
    if (!/^Bearer sk_/.test(req.headers.authorization ?? ''))
      return send(401, { error: { type: 'invalid_request_error', message: 'No API key' } });
    if (Date.now() < this.failUntil)
      return send(500, { error: { type: 'api_error', message: 'Stand-in outage' } });
    const key = req.headers['idempotency-key'];
    const keyed = typeof key === 'string' ? `${route} ${key}` : null;
    if (keyed && this.byKey.has(keyed)) {
      const first = this.byKey.get(keyed)!;
      return send(first.status, first.body);
    }
    // As Stripe: a request whose key is still being answered is refused, not run twice.
    if (keyed && this.inFlight.has(keyed))
      return send(409, { error: { type: 'idempotency_error', message: 'Request in progress' } });
    if (keyed) this.inFlight.add(keyed);
    try {
      const form = parseForm(Buffer.concat(chunks).toString('utf8'));
      const [status, body] = await this.answer(req.method!, url.pathname, form);
      if (keyed && status < 500) this.byKey.set(keyed, { status, body });
      send(status, body);
    } finally {
      if (keyed) this.inFlight.delete(keyed);
    }
  }

  private async answer(
    method: string,
    path: string,
    form: Record<string, any>,
  ): Promise<readonly [number, unknown]> {
    const notFound = [
      404,
      { error: { type: 'invalid_request_error', message: 'No such object' } },
    ] as const;
    if (method === 'POST' && path === '/v1/payment_intents') {
      const intent: StandInIntent = {
        id: id('pi'),
        object: 'payment_intent',
        amount: Number(form.amount),
        amount_received: 0,
        currency: String(form.currency),
        status: 'requires_payment_method',
        client_secret: '',
        metadata: form.metadata ?? {},
        created: Math.floor(Date.now() / 1000),
      };
      intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
      this.intents.set(intent.id, intent);
      return [200, intent] as const;
    }
    const intent = path.match(/^\/v1\/payment_intents\/([\w]+)$/);
    if (method === 'GET' && intent) {
      const found = this.intents.get(intent[1]!);
      return found ? ([200, found] as const) : notFound;
    }
    if (method === 'POST' && path === '/v1/refunds') {
      if (this.refundDelayMs) await new Promise((r) => setTimeout(r, this.refundDelayMs));
      const paid = this.intents.get(String(form.payment_intent));
      if (!paid || paid.status !== 'succeeded') return notFound;
      const refunded = this.refundsOf(paid.id).reduce((s, r) => s + r.amount, 0);
      const amount = Number(form.amount ?? paid.amount_received - refunded);
      if (refunded + amount > paid.amount_received)
        return [
          400,
          { error: { type: 'invalid_request_error', code: 'charge_already_refunded' } },
        ] as const;
      const refund: StandInRefund = {
        id: id('re'),
        object: 'refund',
        amount,
        payment_intent: paid.id,
        status: 'succeeded',
        metadata: form.metadata ?? {},
        created: Math.floor(Date.now() / 1000),
      };
      this.refunds.set(refund.id, refund);
      return [200, refund] as const;
    }
    const refund = path.match(/^\/v1\/refunds\/([\w]+)$/);
    if (method === 'GET' && refund) {
      const found = this.refunds.get(refund[1]!);
      return found ? ([200, found] as const) : notFound;
    }
    return notFound;
  }
}
