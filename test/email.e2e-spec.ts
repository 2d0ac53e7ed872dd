import { ApiError, createFlashCartClient } from '@flashcart/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountTokens } from '#libs/auth';
import { EmailDeliveries, NotificationPreferences } from '#libs/notifications';
import { AppProcess } from './harness/app-process.js';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import {
  placeOrder,
  signup,
  uniqueEmail,
  userWithRole,
  type TestUser,
} from './harness/factories.js';
import { documentedFetch, expectErrorShape, HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { TestSmtp, tokenIn } from './harness/smtp-server.js';
import { TrackingClient } from './harness/tracking-client.js';
import { sendOut } from './harness/rider-shift.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BASE = 'https://shop.flashcart.test';
/** What must never show in an email: an event or reason code, an ISO time. */
const RAW_CODE = /order\.[a-z]|[a-z]+_[a-z]+\b(?!@)|\d{4}-\d\d-\d\dT/;

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

describe('email (SMTP, the worker, preferences, reset and verification)', () => {
  let database: IsolatedDatabase;
  let smtp: TestSmtp;
  let env: Record<string, string>;
  let api: RunningApp;
  let worker: RunningApp | undefined;
  let http: HttpClient;
  let db: DataSource;
  let admin: TestUser;
  let make: CatalogFactory;

  beforeAll(async () => {
    database = await isolatedDatabase();
    smtp = await TestSmtp.start();
    env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_email`,
      EMAIL_ENABLED: 'true',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'FlashCart <orders@flashcart.test>',
      PUBLIC_BASE_URL: BASE,
      // 6 attempts from 800 ms: about 25 s of retries, past the 20 s outage below.
      EMAIL_RETRY_DELAY_MS: '800',
      EMAIL_MAX_ATTEMPTS: '6',
      EMAIL_SEND_TIMEOUT_MS: '5000',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    http = new HttpClient(api.url);
    db = api.app.get(DataSource);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    await smtp.stop();
    await database.drop();
  });

  const deliveriesOf = (userId: string) =>
    db.query(
      `SELECT kind, state, attempts, message_id FROM email_deliveries WHERE user_id = $1 ORDER BY created_at`,
      [userId],
    );
  const askReset = (email: string) => http.post('/v1/auth/password-reset', { email });
  const confirm = (token: string, password: string) =>
    http.post('/v1/auth/password-reset/confirm', { token, password });

  describe('email verification', () => {
    it('sends a link at signup (text and HTML, values escaped) that verifies the address once', async () => {
      const email = uniqueEmail('verify');
      const res = await http.post('/v1/auth/signup', {
        email,
        password: 'verify me please',
        name: 'Asha <b>&</b>',
      });
      expect(res.status).toBe(201);
      const [mail] = await smtp.waitFor(email);
      expect(mail).toBeDefined();
      expect(mail!.subject).toBe('Confirm your email address for FlashCart');
      expect(mail!.from?.value).toEqual([{ name: 'FlashCart', address: 'orders@flashcart.test' }]);
      expect(mail!.text).toContain('Hi Asha <b>&</b>,');
      expect(mail!.html).toContain('Hi Asha &lt;b&gt;&amp;&lt;/b&gt;,');
      expect(mail!.html).not.toContain('<b>&</b>');
      const token = tokenIn(mail!);
      expect(mail!.text).toContain(`${BASE}/verify-email?token=${token}`);
      expect(mail!.html).toContain(`href="${BASE}/verify-email?token=${token}"`);
      expect(mail!.messageId).toMatch(/^<[0-9a-f-]{36}@flashcart\.test>$/);

      const me = () => http.get('/v1/auth/me', { token: res.body.accessToken });
      expect((await me()).body.emailVerified).toBe(false);
      const verified = await http.post('/v1/auth/verify-email', { token });
      expect(verified.status).toBe(204);
      expect((await me()).body.emailVerified).toBe(true);
      const [user] = await db.query(`SELECT email_verified_at FROM users WHERE id = $1`, [
        res.body.user.id,
      ]);
      expect(user.email_verified_at).not.toBeNull();
      const again = await http.post('/v1/auth/verify-email', { token });
      expectErrorShape(again, 400);
      expect(again.body.code).toBe('INVALID_ACCOUNT_TOKEN');
      // Stored hashed only.
      const stored = await db.query(`SELECT token_hash FROM account_tokens WHERE token_hash = $1`, [
        token,
      ]);
      expect(stored).toEqual([]);
    });

    it('resends on request, the newer link replacing the older; nothing for an unknown address', async () => {
      const user = await signup(http, 'resend');
      const [first] = await smtp.waitFor(user.email);
      const ghost = uniqueEmail('ghost');
      const [known, unknown] = await Promise.all([
        http.post('/v1/auth/verify-email/resend', { email: user.email }),
        http.post('/v1/auth/verify-email/resend', { email: ghost }),
      ]);
      expect([known.status, unknown.status]).toEqual([202, 202]);
      expect(known.body).toEqual(unknown.body);
      const mails = await smtp.waitFor(user.email, 2);
      expect(mails).toHaveLength(2);
      expectErrorShape(await http.post('/v1/auth/verify-email', { token: tokenIn(first!) }), 400);
      expect((await http.post('/v1/auth/verify-email', { token: tokenIn(mails[1]!) })).status).toBe(
        204,
      );
      await sleep(500);
      expect(smtp.to(ghost)).toEqual([]);
    });
  });

  describe('password reset', () => {
    it('sets the password and ends every session; the link works once', async () => {
      const user = await signup(http, 'reset');
      expect((await askReset(user.email)).status).toBe(202);
      const [mail] = await smtp.waitFor(user.email, 1, 15_000, /Reset your/);
      expect(mail!.subject).toBe('Reset your FlashCart password');
      const token = tokenIn(mail!);
      expect(mail!.text).toContain(`${BASE}/reset?token=${token}`);
      expect(mail!.html).toContain(`href="${BASE}/reset?token=${token}"`);

      const weak = await confirm(token, 'short');
      expectErrorShape(weak, 400);
      const socket = await TrackingClient.connect(api.url, user.accessToken);
      const disconnected = new Promise<string>((resolve) =>
        socket.socket.once('disconnect', resolve),
      );
      expect((await confirm(token, 'a brand new password')).status).toBe(204);
      // The tracking socket is dropped at once, as logout-all drops it.
      expect(await Promise.race([disconnected, sleep(3_000).then(() => 'still connected')])).toBe(
        'io server disconnect',
      );
      // Sessions ended: the refresh token and the access token are refused.
      const refresh = await http.post('/v1/auth/refresh', { refreshToken: user.refreshToken });
      expectErrorShape(refresh, 401);
      expectErrorShape(await http.get('/v1/auth/me', { token: user.accessToken }), 401);
      expectErrorShape(
        await http.post('/v1/auth/login', { email: user.email, password: user.password }),
        401,
      );
      expect(
        (await http.post('/v1/auth/login', { email: user.email, password: 'a brand new password' }))
          .status,
      ).toBe(200);
      const twice = await confirm(token, 'another new password');
      expectErrorShape(twice, 400);
      expect(twice.body.code).toBe('INVALID_ACCOUNT_TOKEN');
    });

    it('lets exactly one of concurrent uses of a link through, across different accounts', async () => {
      const users = await Promise.all([0, 1, 2].map(() => signup(http, 'race')));
      await Promise.all(users.map((u) => askReset(u.email)));
      const tokens = await Promise.all(
        users.map(async (u) => tokenIn((await smtp.waitFor(u.email, 1, 15_000, /Reset your/))[0]!)),
      );
      const results = await Promise.all(
        tokens.flatMap((token, i) =>
          [0, 1, 2, 3].map((j) => confirm(token, `raced password ${i}-${j}`)),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 204)).toHaveLength(3);
      expect(statuses.filter((s) => s === 400)).toHaveLength(9);
      for (const [i, u] of users.entries()) {
        const winner = results.findIndex((r, k) => Math.floor(k / 4) === i && r.status === 204);
        const login = await http.post('/v1/auth/login', {
          email: u.email,
          password: `raced password ${i}-${winner % 4}`,
        });
        expect(login.status).toBe(200);
      }
    });

    it('refuses an expired link and one replaced by a newer request', async () => {
      const user = await signup(http, 'reset2');
      await askReset(user.email);
      const [first] = await smtp.waitFor(user.email, 1, 15_000, /Reset your/);
      await askReset(user.email);
      const both = await smtp.waitFor(user.email, 2, 15_000, /Reset your/);
      expect(both).toHaveLength(2);
      expectErrorShape(await confirm(tokenIn(first!), 'replaced link pw'), 400);
      await db.query(
        `UPDATE account_tokens SET expires_at = now() - interval '1 second'
          WHERE user_id = $1 AND purpose = 'password_reset' AND used_at IS NULL`,
        [user.id],
      );
      const expired = await confirm(tokenIn(both[1]!), 'expired link pw');
      expectErrorShape(expired, 400);
      expect(expired.body.code).toBe('INVALID_ACCOUNT_TOKEN');
    });

    it('answers an unknown address the same, in the same time (no enumeration)', async () => {
      const user = await signup(http, 'timing');
      const times = { known: [] as number[], unknown: [] as number[] };
      const bodies = new Set<string>();
      for (let i = 0; i < 15; i++) {
        for (const [kind, email] of [
          ['known', user.email],
          ['unknown', uniqueEmail('nobody')],
        ] as const) {
          for (const path of ['/v1/auth/password-reset', '/v1/auth/verify-email/resend']) {
            const started = performance.now();
            const res = await http.post(path, { email });
            times[kind].push(performance.now() - started);
            expect(res.status).toBe(202);
            bodies.add(JSON.stringify(res.body));
          }
        }
      }
      expect(bodies.size).toBe(1);
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const [known, unknown] = [median(times.known), median(times.unknown)];
      // The api does the same work either way (one job enqueued); the worker looks the address up.
      expect(Math.abs(known - unknown)).toBeLessThan(Math.max(5, 0.5 * Math.min(known, unknown)));
    });
  });

  it('the client: verify, preferences, reset (each call as openapi.json documents it)', async () => {
    const client = createFlashCartClient({ baseUrl: api.url, fetch: documentedFetch() });
    const email = uniqueEmail('client');
    await client.signup({ email, password: 'client passphrase', name: 'Client' });
    const [verify] = await smtp.waitFor(email);
    await client.verifyEmail(tokenIn(verify!));
    await expect(client.verifyEmail(tokenIn(verify!))).rejects.toMatchObject({
      code: 'INVALID_ACCOUNT_TOKEN',
    });
    await client.resendVerificationEmail(email);
    const prefs = await client.updateNotificationPreferences([
      { kind: 'refund_issued', email: false },
    ]);
    expect(prefs).toContainEqual({
      kind: 'refund_issued',
      inApp: true,
      email: false,
      locked: false,
    });
    expect(await client.notificationPreferences()).toEqual(prefs);
    await client.requestPasswordReset(email);
    const [reset] = await smtp.waitFor(email, 1, 15_000, /Reset your/);
    await client.resetPassword(tokenIn(reset!), 'a client reset password');
    expect(await client.isSignedIn()).toBe(false);
    await expect(client.notificationPreferences()).rejects.toBeInstanceOf(Error);
    await client.login(email, 'a client reset password');
    expect(await client.isSignedIn()).toBe(true);
    expect(ApiError).toBeDefined();
  });

  describe('order emails and preferences', () => {
    let rider: TestUser;
    beforeAll(async () => {
      rider = await userWithRole(api.app, http, 'rider');
    });

    async function orderFor(customer: TestUser) {
      const { product, address } = await make.stockedStore(10);
      const res = await placeOrder(http, customer.accessToken, {
        productId: product.id,
        quantity: 2,
        address,
      });
      expect(res.status).toBe(201);
      return res.body as { id: string };
    }
    const transition = (id: string, body: unknown) =>
      http.post(`/v1/admin/orders/${id}/transitions`, body, { token: admin.accessToken });
    const inbox = async (customer: TestUser) =>
      (
        await http.get('/v1/notifications?limit=100', { token: customer.accessToken })
      ).body.items.map((n: { type: string }) => n.type);

    it('mails placed, out for delivery and delivered, in words and with a link to the order', async () => {
      const customer = await signup(http, 'orders');
      const order = await orderFor(customer);
      expect((await transition(order.id, { to: 'PACKED' })).status).toBe(200);
      expect((await sendOut(http, admin, rider, order.id)).status).toBe(200);
      const done = await http.post(
        `/v1/rider/orders/${order.id}/transitions`,
        { to: 'DELIVERED' },
        { token: rider.accessToken },
      );
      expect(done.status).toBe(200);
      const mails = await smtp.waitFor(customer.email, 4);
      const subjects = mails.map((m) => m.subject).sort();
      const short = `#${order.id.slice(0, 8)}`;
      expect(subjects).toEqual(
        [
          'Confirm your email address for FlashCart',
          `Delivered: order ${short}`,
          `Order placed: order ${short}`,
          `Out for delivery: order ${short}`,
        ].sort(),
      );
      for (const mail of mails.filter((m) => m.subject?.includes(short))) {
        expect(mail.text).toContain(`${BASE}/track/${order.id}`);
        expect(mail.html).toContain(`href="${BASE}/track/${order.id}"`);
        expect(mail.text).toMatch(/2 items, ₹/);
        expect(RAW_CODE.test(`${mail.subject} ${mail.text}`)).toBe(false);
        expect(mail.text).not.toMatch(/\b(\w+)\. \1\./); // "Delivered. Delivered."
      }
      // Packed is not an email kind: in the inbox only.
      await sleep(500);
      expect(smtp.to(customer.email)).toHaveLength(4);
      expect(await inbox(customer)).toEqual(
        expect.arrayContaining([
          'order.placed',
          'order.packed',
          'order.out_for_delivery',
          'order.delivered',
        ]),
      );
    });

    it('mails a cancellation and a refund (payment.refunded from the outbox)', async () => {
      const customer = await signup(http, 'refund');
      const order = await orderFor(customer);
      await smtp.waitFor(customer.email, 2);
      const cancel = await http.post(
        `/v1/orders/${order.id}/cancel`,
        { reason: 'Changed my mind' },
        { token: customer.accessToken },
      );
      expect(cancel.status).toBe(200);
      // As payments will write it: an order event in the transaction of the refund.
      await db.query(
        `INSERT INTO order_events (order_id, seq, type, actor_role, data)
         SELECT $1, max(seq) + 1, 'payment.refunded', 'system', $2 FROM order_events WHERE order_id = $1`,
        [order.id, { amountMinor: 12345, refundId: randomUUID() }],
      );
      const mails = await smtp.waitFor(customer.email, 4);
      const cancelled = mails.find((m) => m.subject?.startsWith('Order cancelled'));
      expect(cancelled?.text).toContain('You cancelled the order');
      const refund = mails.find((m) => m.subject?.startsWith('Refund issued'));
      expect(refund?.text).toContain('₹123.45 is on its way back to you');
      expect(RAW_CODE.test(`${refund?.subject} ${refund?.text}`)).toBe(false);
      expect(
        await until(
          () => inbox(customer),
          (t) => t.includes('payment.refunded'),
        ),
      ).toContain('payment.refunded');
    });

    it('mails nothing more to an erased account, even for its order still in flight', async () => {
      const erased = await signup(http, 'erased');
      const witness = await signup(http, 'witness');
      const gone = await orderFor(erased);
      const kept = await orderFor(witness);
      await smtp.waitFor(erased.email, 2);
      await smtp.waitFor(witness.email, 2);
      const erase = await http.request(
        'DELETE',
        '/v1/account',
        { password: erased.password },
        { token: erased.accessToken },
      );
      expect(erase.status).toBe(204);
      for (const id of [gone.id, kept.id])
        expect(
          (await transition(id, { to: 'CANCELLED', reason: 'cancelled_by_store' })).status,
        ).toBe(200);
      // The witness's cancellation arrives; the erased customer's is never recorded or sent.
      await smtp.waitFor(witness.email, 3);
      await sleep(1_000);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM email_deliveries WHERE user_id = $1`,
        [erased.id],
      );
      expect(n).toBe(0);
      expect(smtp.to(erased.email)).toHaveLength(2);
      expect(
        smtp.messages.filter((m) => JSON.stringify(m.to).includes('erased.invalid')),
      ).toHaveLength(0);
    });

    it('honours preferences per kind and channel; security mails cannot be switched off', async () => {
      const customer = await signup(http, 'prefs');
      const token = customer.accessToken;
      const initial = await http.get('/v1/account/notification-preferences', { token });
      expect(initial.status).toBe(200);
      expect(initial.body.preferences).toContainEqual({
        kind: 'order_delivered',
        inApp: true,
        email: true,
        locked: false,
      });
      expect(initial.body.preferences).toContainEqual({
        kind: 'password_reset',
        inApp: false,
        email: true,
        locked: true,
      });
      const locked = await http.put(
        '/v1/account/notification-preferences',
        { preferences: [{ kind: 'password_reset', email: false }] },
        { token },
      );
      expectErrorShape(locked, 400);
      const put = await http.put(
        '/v1/account/notification-preferences',
        {
          preferences: [
            { kind: 'order_placed', inApp: false },
            { kind: 'order_delivered', email: false },
          ],
        },
        { token },
      );
      expect(put.status).toBe(200);
      expect(put.body.preferences).toContainEqual({
        kind: 'order_placed',
        inApp: false,
        email: true,
        locked: false,
      });

      const order = await orderFor(customer);
      await transition(order.id, { to: 'PACKED' });
      await sendOut(http, admin, rider, order.id);
      await http.post(
        `/v1/rider/orders/${order.id}/transitions`,
        { to: 'DELIVERED' },
        { token: rider.accessToken },
      );
      const types = await until(
        () => inbox(customer),
        (t) => t.includes('order.delivered'),
      );
      expect(types).not.toContain('order.placed');
      expect(types).toContain('order.out_for_delivery');
      await smtp.waitFor(customer.email, 3);
      await sleep(1000);
      const subjects = smtp.to(customer.email).map((m) => m.subject);
      expect(subjects.some((s) => s?.startsWith('Order placed'))).toBe(true);
      expect(subjects.some((s) => s?.startsWith('Out for delivery'))).toBe(true);
      expect(subjects.some((s) => s?.startsWith('Delivered'))).toBe(false);
      // A reset still arrives.
      await askReset(customer.email);
      expect(await smtp.waitFor(customer.email, 1, 15_000, /Reset your/)).toHaveLength(1);
    });
  });

  it('records an event once under concurrent recording (different users and keys), one email each', async () => {
    const users = await Promise.all([0, 1, 2].map(() => signup(http, 'dedupe')));
    await Promise.all(users.map((u) => smtp.waitFor(u.email)));
    const deliveries = api.app.get(EmailDeliveries);
    const content = { subject: 'Dedupe check', text: 'once', html: '<p>once</p>' };
    await Promise.all(
      users.flatMap((u) =>
        ['a', 'b'].flatMap((key) =>
          [0, 1, 2, 3, 4].map(() =>
            deliveries.record({ userId: u.id, kind: 'order_placed', dedupeKey: key, content }),
          ),
        ),
      ),
    );
    for (const u of users) {
      await smtp.waitFor(u.email, 2, 15_000, /Dedupe check/);
      await sleep(300);
      expect(smtp.to(u.email, /Dedupe check/)).toHaveLength(2);
      expect(
        (await deliveriesOf(u.id)).filter((r: { kind: string }) => r.kind === 'order_placed'),
      ).toHaveLength(2);
    }
  });

  it('exports and erases what it holds of a user (preferences, deliveries, tokens)', async () => {
    const [user, other] = await Promise.all([signup(http, 'rights'), signup(http, 'bystander')]);
    await Promise.all([smtp.waitFor(user.email), smtp.waitFor(other.email)]);
    await http.put(
      '/v1/account/notification-preferences',
      { preferences: [{ kind: 'order_delivered', email: false }] },
      { token: user.accessToken },
    );
    await askReset(user.email);
    await smtp.waitFor(user.email, 1, 15_000, /Reset your/);
    const [tokens, prefs, mails] = [
      api.app.get(AccountTokens),
      api.app.get(NotificationPreferences),
      api.app.get(EmailDeliveries),
    ];
    const exported = {
      tokens: await tokens.exportFor(user.id),
      preferences: await prefs.exportFor(user.id),
      emails: await mails.exportFor(user.id),
    };
    expect(exported.tokens.map((t) => t.purpose).sort()).toEqual([
      'email_verification',
      'password_reset',
    ]);
    expect(JSON.stringify(exported.tokens)).not.toMatch(/hash/i);
    expect(exported.preferences).toContainEqual({
      kind: 'order_delivered',
      inApp: true,
      email: false,
      locked: false,
    });
    expect(exported.emails.map((e) => e.kind).sort()).toEqual([
      'email_verification',
      'password_reset',
    ]);
    expect(JSON.stringify(exported)).not.toContain(other.id);
    await db.transaction(async (m) => {
      await tokens.eraseFor(user.id, m);
      await prefs.eraseFor(user.id, m);
      await mails.eraseFor(user.id, m);
    });
    expect(await deliveriesOf(user.id)).toEqual([]);
    expect(await tokens.exportFor(user.id)).toEqual([]);
    expect(await deliveriesOf(other.id)).toHaveLength(1);
  });

  it('rate limits reset and verification requests like login (per address)', async () => {
    const limited = await startApi({ ...env, AUTH_RATE_LIMIT_ACCOUNT: '3' });
    try {
      const client = new HttpClient(limited.url);
      const email = uniqueEmail('limited');
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await client.post('/v1/auth/password-reset', { email })).status);
      expect(statuses).toEqual([202, 202, 202, 429, 429]);
      const refused = await client.post('/v1/auth/verify-email/resend', { email });
      expectErrorShape(refused, 429);
      expect(refused.body.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  describe('SMTP away', () => {
    it('retries through a 20 s outage and delivers after; a refused address ends dead, listed and retried by ops', async () => {
      const user = await signup(http, 'outage');
      const bounced = await signup(http, 'bounce');
      await smtp.waitFor(bounced.email);
      smtp.refused.add(bounced.email.toLowerCase());
      await smtp.stop();
      const stoppedAt = Date.now();
      await askReset(user.email);
      await askReset(bounced.email);
      const failed = await until(
        () => deliveriesOf(user.id),
        (rows) =>
          rows.some(
            (r: { kind: string; attempts: number }) =>
              r.kind === 'password_reset' && r.attempts >= 2,
          ),
      );
      expect(failed.find((r: { kind: string }) => r.kind === 'password_reset')?.state).toBe(
        'pending',
      );
      await sleep(Math.max(0, 20_000 - (Date.now() - stoppedAt)));
      await smtp.start();
      const [mail] = await smtp.waitFor(user.email, 1, 20_000, /Reset your/);
      expect(mail).toBeDefined();
      await sleep(500);
      expect(smtp.to(user.email, /Reset your/)).toHaveLength(1);
      const reset = (await deliveriesOf(user.id)).find(
        (r: { kind: string }) => r.kind === 'password_reset',
      );
      expect(reset.state).toBe('sent');
      expect(reset.attempts).toBeGreaterThan(2);
      expect((await confirm(tokenIn(mail!), 'after the outage')).status).toBe(204);

      // The refused address: every attempt fails, then the delivery is dead, visible to ops.
      const dead = await until(
        async () =>
          (
            await http.get('/v1/admin/email-deliveries?state=dead', { token: admin.accessToken })
          ).body.items.filter((d: { userId: string }) => d.userId === bounced.id),
        (items) => items.length > 0,
        20_000,
      );
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ kind: 'password_reset', state: 'dead', attempts: 6 });
      expect(dead[0].lastError).toMatch(/550/);
      expectErrorShape(
        await http.get('/v1/admin/email-deliveries?state=dead', { token: bounced.accessToken }),
        403,
      );
      smtp.refused.delete(bounced.email.toLowerCase());
      const retried = await http.post(
        `/v1/admin/email-deliveries/${dead[0].id}/retry`,
        {},
        { token: admin.accessToken },
      );
      expect(retried.status).toBe(200);
      expect(retried.body.state).toBe('pending');
      expect(await smtp.waitFor(bounced.email, 1, 15_000, /Reset your/)).toHaveLength(1);
      const again = await http.post(
        `/v1/admin/email-deliveries/${dead[0].id}/retry`,
        {},
        { token: admin.accessToken },
      );
      expectErrorShape(again, 409);
      expect(again.body.code).toBe('EMAIL_NOT_DEAD');
    }, 90_000);
  });

  describe('the worker killed mid-send (a real process)', () => {
    beforeAll(async () => {
      await worker?.close();
      worker = undefined;
    });

    it('sends the email once when killed before the server accepted it', async () => {
      const user = await signup(http, 'killed');
      const first = await AppProcess.start('worker', { ...env, JOB_LOCK_MS: '2000' });
      await smtp.waitFor(user.email); // its verification email
      smtp.holdMs = 4_000;
      const before = smtp.received;
      await askReset(user.email);
      await until(
        async () => smtp.received,
        (n) => n > before,
      );
      first.kill('SIGKILL');
      await first.exited;
      smtp.holdMs = 0;
      const second = await AppProcess.start('worker', { ...env, JOB_LOCK_MS: '2000' });
      try {
        // Not lost, not twice; how soon is not the claim (alone, this took ~30 s to recover here).
        const mails = await smtp.waitFor(user.email, 1, 90_000, /Reset your/);
        expect(mails).toHaveLength(1);
        await sleep(3_000);
        expect(smtp.to(user.email, /Reset your/)).toHaveLength(1);
        const reset = (await deliveriesOf(user.id)).find(
          (r: { kind: string }) => r.kind === 'password_reset',
        );
        expect(reset.state).toBe('sent');
        expect((await confirm(tokenIn(mails[0]!), 'after the kill')).status).toBe(204);
      } finally {
        second.kill('SIGTERM');
        await second.exited;
      }
    }, 120_000);

    it('killed after the server accepted it, before marking it: at most a second copy, same Message-ID', async () => {
      const user = await signup(http, 'edge');
      const first = await AppProcess.start('worker', { ...env, JOB_LOCK_MS: '2000' });
      await smtp.waitFor(user.email);
      smtp.onAccepted = (mail) => {
        if (/Reset your/.test(mail.subject ?? '')) first.kill('SIGKILL');
      };
      await askReset(user.email);
      await first.exited;
      smtp.onAccepted = undefined;
      const second = await AppProcess.start('worker', { ...env, JOB_LOCK_MS: '2000' });
      try {
        const reset = await until(
          async () =>
            (await deliveriesOf(user.id)).find(
              (r: { kind: string }) => r.kind === 'password_reset',
            ),
          (r) => r?.state === 'sent',
          20_000,
        );
        expect(reset.state).toBe('sent');
        await sleep(1_000);
        const mails = smtp.to(user.email, /Reset your/);
        expect(mails.length).toBeGreaterThanOrEqual(1);
        expect(mails.length).toBeLessThanOrEqual(2);
        expect(new Set(mails.map((m) => m.messageId))).toEqual(new Set([reset.message_id]));
      } finally {
        second.kill('SIGTERM');
        await second.exited;
      }
    }, 60_000);
  });
});
