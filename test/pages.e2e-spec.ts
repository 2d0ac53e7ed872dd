import type { Browser, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { QUEUES } from '#libs/jobs';
import { describeEvent, type OrderEventView } from '#libs/orders';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import {
  launchChromium,
  overflowsHorizontally,
  screenshot,
  signInThroughForm,
  watchedContext,
  type WatchedContext,
} from './harness/browser.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { placeOrder, signup, userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';
import { TrackingClient } from './harness/tracking-client.js';

const COOKIE = 'flashcart_session';
const LIVE_MS = 2_000;

/** Keeps a copy of a screenshot under .local/ too (for a look outside the test run). */
function keep(path: string, name: string) {
  mkdirSync('.local', { recursive: true });
  copyFileSync(path, `.local/${name}.png`);
}

/** A raw HTTP request (no redirects followed), as a browser or an attacker would send it. */
async function raw(url: string, init: RequestInit & { cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', `${COOKIE}=${init.cookie}`);
  return fetch(url, { ...init, headers, redirect: 'manual' });
}

describe('browser pages (headless Chromium)', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let http: HttpClient;
  let browser: Browser;
  let admin: TestUser;
  let make: CatalogFactory;
  const contexts: WatchedContext[] = [];

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_pages`,
      TRACKING_AUTH_RECHECK_MS: '300',
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
      AUTH_RATE_LIMIT_IP: '1000',
      AUTH_RATE_LIMIT_ACCOUNT: '30',
    };
    [api, browser] = await Promise.all([startApi(env), launchChromium()]);
    worker = await startWorker(env);
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
    make = new CatalogFactory(http, admin.accessToken);
  }, 60_000);

  afterEach(async () => {
    // Nothing a page did may have left the server, and no page hit an error or a CSP refusal.
    for (const watched of contexts.splice(0)) {
      await watched.context.close();
      expect(watched.foreign).toEqual([]);
      expect(watched.problems).toEqual([]);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await database?.drop();
  });

  async function context(options = {}) {
    const watched = await watchedContext(browser, api.url, options);
    contexts.push(watched);
    return watched;
  }

  async function signedInPage(user: TestUser, next?: string, options = {}): Promise<Page> {
    const page = await (await context(options)).newPage();
    await signInThroughForm(page, user.email, user.password, next);
    return page;
  }

  async function sessionCookieOf(page: Page): Promise<string> {
    const cookies = await page.context().cookies();
    return cookies.find((c) => c.name === COOKIE)!.value;
  }

  /** A rider of `storeId`, on shift (AVAILABLE) or gone off it again. */
  async function riderOf(storeId: string, state: 'AVAILABLE' | 'OFF_DUTY' = 'AVAILABLE') {
    const rider = await userWithRole(api.app, http, 'rider');
    for (const to of state === 'AVAILABLE' ? ['AVAILABLE'] : ['AVAILABLE', 'OFF_DUTY']) {
      const res = await http.put(
        '/v1/rider/shift',
        { state: to, storeId },
        { token: rider.accessToken },
      );
      expect(res.status).toBe(200);
    }
    return rider;
  }

  const moveOrder = (orderId: string, body: object) =>
    http.post(`/v1/admin/orders/${orderId}/transitions`, body, { token: admin.accessToken });

  async function orderFor(customer: TestUser, offset = 0.012) {
    const { store, product } = await make.stockedStore(20);
    const address = {
      line1: '12 Residency Road',
      city: 'Bengaluru',
      pincode: '560025',
      lat: store.latitude + offset,
      lng: store.longitude + offset / 2,
    };
    const res = await placeOrder(http, customer.accessToken, {
      productId: product.id,
      quantity: 3,
      address,
    });
    expect(res.status).toBe(201);
    return { store, product, address, order: res.body };
  }

  describe('sign-in and the session cookie', () => {
    it('sends a visitor to sign in, then to the page asked for, with a strict HttpOnly cookie', async () => {
      await make.stockedStore(1); // the board shows a store
      const page = await (await context()).newPage();
      await page.goto('/admin/board');
      expect(new URL(page.url()).pathname).toBe('/admin/login');
      expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/board');

      // A wrong password: the form again, with the error, and no cookie.
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password').fill('wrong-password');
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      expect(refused.status()).toBe(401);
      await expect(page.getByRole('alert').first().textContent()).resolves.toContain(
        'Email or password is incorrect',
      );
      expect(await page.context().cookies()).toEqual([]);

      await page.getByLabel('Password').fill(admin.password);
      await Promise.all([
        page.waitForURL('**/admin/board'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      const cookies = await page.context().cookies();
      expect(cookies.map((c) => c.path).sort()).toEqual(['/admin', '/track']);
      for (const cookie of cookies) {
        expect(cookie).toMatchObject({ name: COOKIE, httpOnly: true, sameSite: 'Strict' });
        expect(cookie.secure).toBe(false); // plain http in tests; Secure in production
        // It lasts as long as the refresh session behind it.
        expect(cookie.expires * 1000).toBeGreaterThan(Date.now() + 24 * 3600 * 1000);
      }
      expect(await page.evaluate(() => (globalThis as any).document.cookie)).toBe(''); // HttpOnly: scripts never see it
      await page.locator('#live[data-state="live"]').waitFor();
      await expect(page.locator('#who').textContent()).resolves.toBe(admin.email);
    });

    it('asks nothing from a visitor and logs no console error (no 401 probe on every view)', async () => {
      const watched = await context();
      const page = await watched.newPage();
      const asked: string[] = [];
      page.on('request', (r) => {
        if (/session/.test(new URL(r.url()).pathname)) asked.push(r.url());
      });
      // The probe would start as the page's script runs (before `load`); give any answer time.
      for (const path of ['/admin/login', '/admin/login?next=/admin/board', '/admin/board']) {
        await page.goto(path);
        await page.waitForTimeout(300);
      }
      expect(asked).toEqual([]);
      expect(watched.consoleErrors).toEqual([]);
      // A wrong password shows the form again: no probe there either.
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password').fill('wrong-password');
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      await page.waitForTimeout(300);
      expect(asked).toEqual([]);
    });

    it('sends a signed-in user arriving from another site on to the page (the cookie was withheld)', async () => {
      const page = await signedInPage(admin);
      const from = await browser.newContext();
      try {
        await from.addCookies(await page.context().cookies());
        await from.route('http://elsewhere.example/**', (route) =>
          route.fulfill({
            contentType: 'text/html',
            body: `<a href="${api.url}/admin/login?next=%2Fadmin%2Fqueues">FlashCart</a>`,
          }),
        );
        const visitor = await from.newPage();
        const errors: string[] = [];
        visitor.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await visitor.goto('http://elsewhere.example/');
        await Promise.all([
          visitor.waitForURL((url) => url.pathname.startsWith('/admin/queues')),
          visitor.getByRole('link', { name: 'FlashCart' }).click(),
        ]);
        expect(errors).toEqual([]);
      } finally {
        await from.close();
      }
    });

    it('keeps the REST API bearer-only: the cookie is not sent there and would not count', async () => {
      const page = await signedInPage(admin);
      const cookie = await sessionCookieOf(page);
      const res = await raw(`${api.url}/v1/auth/me`, { cookie });
      expect(res.status).toBe(401);
      // Nor is a cookie value usable as a bearer token (its own audience).
      const asBearer = await raw(`${api.url}/v1/auth/me`, {
        headers: { authorization: `Bearer ${cookie}` },
      });
      expect(asBearer.status).toBe(401);
    });

    it('limits sign-in attempts per account like the API does', async () => {
      const email = `nobody-${randomUUID().slice(0, 8)}@test.flashcart.dev`;
      const statuses: number[] = [];
      const limit = api.config.auth.rateLimitPerAccount;
      for (let i = 0; i <= limit; i++) {
        const res = await raw(`${api.url}/admin/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
          body: new URLSearchParams({ email, password: 'guess' }).toString(),
        });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true);
      expect(statuses[limit]).toBe(429);
    });
  });

  describe('the queue board', () => {
    it('opens for an admin signed in through the form and lists the queues', async () => {
      const page = await signedInPage(admin, '/admin/queues');
      expect(new URL(page.url()).pathname).toMatch(/^\/admin\/queues/);
      for (const queue of Object.values(QUEUES))
        await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 10_000 });
      // Bearer-token use keeps working, and no credential at all is still a 401 for API use.
      const bearer = await raw(`${api.url}/admin/queues/api/queues`, {
        headers: { authorization: `Bearer ${admin.accessToken}` },
      });
      expect(bearer.status).toBe(200);
      expect((await raw(`${api.url}/admin/queues/api/queues`)).status).toBe(401);
    });

    it('shows a customer the 403 page (queue board and ops board) and sends a visitor to sign in', async () => {
      const customer = await signup(http);
      const page = await signedInPage(customer);
      expect(new URL(page.url()).pathname).toBe('/track');
      for (const path of ['/admin/queues', '/admin/board']) {
        const res = await page.goto(path);
        expect(res?.status()).toBe(403);
        await expect(page.locator('h1').textContent()).resolves.toContain('403');
      }
      const visitor = await (await context()).newPage();
      await visitor.goto('/admin/queues');
      expect(new URL(visitor.url()).pathname).toBe('/admin/login');
      expect(new URL(visitor.url()).searchParams.get('next')).toBe('/admin/queues');
    });
  });

  describe('the tracking protocol document', () => {
    it('renders docs/tracking.md as a page, the markdown still served as the source', async () => {
      const page = await (await context()).newPage();
      const res = await page.goto('/docs/tracking');
      expect(res?.headers()['content-type']).toContain('text/html');
      await page.getByRole('heading', { name: 'FlashCart realtime tracking protocol' }).waitFor();
      expect(await page.locator('main table').count()).toBeGreaterThan(0);
      const source = await raw(`${api.url}/docs/tracking.md`);
      expect(await source.text()).toMatch(/^# FlashCart realtime tracking protocol/);
    });
  });

  describe('CSRF', () => {
    it('refuses state-changing page requests from another origin', async () => {
      const page = await signedInPage(admin);
      const cookie = await sessionCookieOf(page);
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      // Forged requests carrying the cookie (as a same-site attacker could): all refused.
      for (const [path, headers] of [
        ['/admin/logout', { ...form, origin: 'http://evil.example' }],
        ['/admin/session/token', { origin: 'http://evil.example' }],
        ['/track/session/token', { 'sec-fetch-site': 'same-site', origin: api.url }],
        ['/admin/logout', { 'sec-fetch-site': 'cross-site' }],
        ['/admin/login', { ...form, origin: 'null' }],
      ] as const) {
        const res = await raw(`${api.url}${path}`, { method: 'POST', headers, cookie });
        expect([path, res.status]).toEqual([path, 403]);
      }
      const queueRetry = await raw(`${api.url}/admin/queues/api/queues/orders/retry/failed`, {
        method: 'PUT',
        headers: { origin: 'http://evil.example' },
        cookie,
      });
      expect(queueRetry.status).toBe(403);

      // A real cross-site page posting the sign-out form: the browser withholds the cookie
      // (SameSite=Strict) and the server refuses the origin; the session lives on.
      const evil = await browser.newContext();
      try {
        await evil.addCookies(await page.context().cookies());
        await evil.route('http://evil.example/**', (route) =>
          route.fulfill({
            contentType: 'text/html',
            body: `<form method="post" action="${api.url}/admin/logout"></form>`,
          }),
        );
        const attacker = await evil.newPage();
        await attacker.goto('http://evil.example/');
        const [response] = await Promise.all([
          attacker.waitForResponse(`${api.url}/admin/logout`),
          attacker.evaluate(() => (globalThis as any).document.forms[0]!.submit()),
        ]);
        expect(response.status()).toBe(403);
        // Its page cannot offer to sign out (that would be refused too): a link back instead.
        await attacker.getByRole('heading', { name: /403/ }).waitFor();
        expect(await attacker.getByRole('button').count()).toBe(0);
        expect(await attacker.getByText(/sign out/i).count()).toBe(0);
        await expect(
          attacker.getByRole('link', { name: 'Back to FlashCart' }).getAttribute('href'),
        ).resolves.toBe('/admin/login');
      } finally {
        await evil.close();
      }
      const stillIn = await raw(`${api.url}/admin/session/token`, {
        method: 'POST',
        headers: { origin: api.url },
        cookie,
      });
      expect(stillIn.status).toBe(200);
    });
  });

  describe('ending the page session', () => {
    it('ends at once on sign-out: the old cookie is refused by the server too', async () => {
      await make.stockedStore(1);
      const other = await userWithRole(api.app, http, 'admin');
      const page = await signedInPage(other);
      const cookie = await sessionCookieOf(page);
      await page.locator('#live[data-state="live"]').waitFor();
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/admin/login' && url.search === '?signedOut=1'),
        page.getByRole('button', { name: 'Sign out' }).click(),
      ]);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain('signed out');
      expect(await page.context().cookies()).toEqual([]);
      await page.goto('/admin/board');
      expect(new URL(page.url()).pathname).toBe('/admin/login');
      const replay = await raw(`${api.url}/admin/session/token`, {
        method: 'POST',
        headers: { origin: api.url },
        cookie,
      });
      expect(replay.status).toBe(401);
      expect((await raw(`${api.url}/admin/board`, { cookie })).status).toBe(302);
    });

    it('ends at once when the user is disabled, or signs out everywhere through the API', async () => {
      const staff = await userWithRole(api.app, http, 'admin');
      const page = await signedInPage(staff);
      const cookie = await sessionCookieOf(page);
      expect(
        (
          await http.patch(
            `/v1/admin/users/${staff.id}`,
            { disabled: true },
            { token: admin.accessToken },
          )
        ).status,
      ).toBe(200);
      // The open board's next call is refused: it is sent to sign in; so is a new visit.
      await page.waitForURL((url) => url.pathname === '/admin/login');
      await page.goto('/admin/board');
      await page.waitForURL((url) => url.pathname === '/admin/login');
      expect(
        (await raw(`${api.url}/admin/queues`, { cookie, headers: { accept: 'text/html' } })).status,
      ).toBe(302);

      const customer = await signup(http);
      const tracking = await signedInPage(customer);
      const customerCookie = await sessionCookieOf(tracking);
      expect(
        (await http.post('/v1/auth/logout-all', {}, { token: customer.accessToken })).status,
      ).toBe(204);
      const after = await raw(`${api.url}/track/session/token`, {
        method: 'POST',
        headers: { origin: api.url },
        cookie: customerCookie,
      });
      expect(after.status).toBe(401);
    });
  });

  describe('the ops board', () => {
    it('shows an order placed through REST live, and Pack on one board moves it on another', async () => {
      const customer = await signup(http);
      const { store, product } = await make.stockedStore(5);
      const boards: Page[] = [];
      for (let i = 0; i < 2; i++) {
        const page = await signedInPage(admin, `/admin/board?store=${store.id}`);
        await page.locator('#live[data-state="live"]').waitFor();
        await expect(page.locator('#store').inputValue()).resolves.toBe(store.id);
        boards.push(page);
      }
      const [a, b] = boards as [Page, Page];
      const placed = await placeOrder(http, customer.accessToken, {
        productId: product.id,
        quantity: 2,
        address: {
          line1: '3 Church Street',
          city: 'Bengaluru',
          pincode: '560001',
          lat: store.latitude + 0.01,
          lng: store.longitude,
        },
      });
      expect(placed.status).toBe(201);
      const orderId = placed.body.id as string;
      const card = (page: Page, column: string) =>
        page.locator(`[data-column="${column}"] [data-id="${orderId}"]`);
      // Live, without a reload: the socket delivers it to both boards.
      await card(a, 'PLACED').waitFor({ timeout: LIVE_MS });
      await card(b, 'PLACED').waitFor({ timeout: LIVE_MS });
      await expect(card(a, 'PLACED').locator('.items').textContent()).resolves.toBe('2 items');
      await expect(card(a, 'PLACED').locator('.due').textContent()).resolves.toMatch(
        /^due in \d+:\d\d$/,
      );

      await card(a, 'PLACED').getByRole('button', { name: 'Pack' }).click();
      await card(b, 'PACKED').waitFor({ timeout: LIVE_MS });
      await card(a, 'PACKED').waitFor({ timeout: LIVE_MS });
      expect(await card(b, 'PLACED').count()).toBe(0);

      // Dispatch with a rider chosen on board B; the rider's dot appears on the map.
      const rider = await riderOf(store.id);
      await b.reload(); // the rider picker lists riders as of the page load
      await card(b, 'PACKED').waitFor();
      await card(b, 'PACKED').getByLabel('Rider').selectOption(rider.id);
      await card(b, 'PACKED').getByRole('button', { name: 'Dispatch' }).click();
      await card(a, 'OUT_FOR_DELIVERY').waitFor({ timeout: LIVE_MS });
      const dot = a.locator(`#map .rider[data-order="${orderId}"]`);
      await dot.waitFor({ timeout: LIVE_MS });
      const before = await dot.evaluate((g) => (g as any).style.transform);
      const riderSocket = await TrackingClient.connect(api.url, rider.accessToken);
      try {
        await expect(
          riderSocket.emit('rider.location', {
            orderId,
            lat: store.latitude + 0.005,
            lng: store.longitude,
          }),
        ).resolves.toEqual({ ok: true });
        await a.waitForFunction(
          ([id, was]) => {
            const g = (globalThis as any).document.querySelector(
              `#map .rider[data-order="${id}"]`,
            ) as any;
            return g && !g.classList.contains('stale') && g.style.transform !== was;
          },
          [orderId, before] as const,
          { timeout: LIVE_MS },
        );
      } finally {
        riderSocket.close();
      }
      keep(await screenshot(a, 'board'), 'board');
    });

    it("offers only the order's store's riders on shift, with their load", async () => {
      const { order, store } = await orderFor(await signup(http));
      const other = await make.store({ serviceRadiusM: 5000 });
      const onShift = await riderOf(store.id);
      const offShift = await riderOf(store.id, 'OFF_DUTY');
      const elsewhere = await riderOf(other.id);
      const noShift = await userWithRole(api.app, http, 'rider');
      expect((await moveOrder(order.id, { to: 'PACKED' })).status).toBe(200);
      const page = await signedInPage(admin, `/admin/board?store=${store.id}`);
      const picker = page.locator(`[data-column="PACKED"] [data-id="${order.id}"] .rider-picker`);
      await picker.waitFor({ timeout: LIVE_MS });
      const offered = () =>
        picker.evaluate((s: any) =>
          [...s.options].filter((o: any) => o.value && !o.disabled).map((o: any) => o.value),
        );
      await expect(offered()).resolves.toEqual([onShift.id]);
      await expect(picker.locator(`option[value="${onShift.id}"]`).textContent()).resolves.toMatch(
        / · 0 of \d+ out$/,
      );
      const listed = await picker.evaluate((s: any) => [...s.options].map((o: any) => o.value));
      for (const rider of [offShift, elsewhere, noShift]) expect(listed).not.toContain(rider.id);

      // A rider coming on shift while the board is open: offered when the picker is next used.
      const late = await riderOf(store.id);
      await picker.focus();
      await page.waitForFunction(
        ([sel, id]) =>
          [...((globalThis as any).document.querySelector(sel)?.options ?? [])].some(
            (o: any) => o.value === id && !o.disabled,
          ),
        [`[data-id="${order.id}"] .rider-picker`, late.id] as const,
        { timeout: LIVE_MS },
      );
      await picker.selectOption(onShift.id);
      await page
        .locator(`[data-id="${order.id}"]`)
        .getByRole('button', { name: 'Dispatch' })
        .click();
      await page
        .locator(`[data-column="OUT_FOR_DELIVERY"] [data-id="${order.id}"]`)
        .waitFor({ timeout: LIVE_MS });
    });

    it('shows INVALID_TRANSITION when someone else was faster', async () => {
      const customer = await signup(http);
      const { order, store } = await orderFor(customer);
      const page = await (await context()).newPage();
      // Hold back this board's socket messages, so that it still shows the order as PLACED.
      let holding = false;
      const held: (string | Buffer)[] = [];
      await page.routeWebSocket(/\/socket\.io\//, (ws) => {
        const server = ws.connectToServer();
        server.onMessage((m) => (holding ? held.push(m) : ws.send(m)));
        ws.onMessage((m) => server.send(m));
      });
      await signInThroughForm(page, admin.email, admin.password, `/admin/board?store=${store.id}`);
      await page.locator('#live[data-state="live"]').waitFor();
      const placedCard = page.locator(`[data-column="PLACED"] [data-id="${order.id}"]`);
      await placedCard.waitFor();
      holding = true;
      expect((await moveOrder(order.id, { to: 'PACKED' })).status).toBe(200);
      await placedCard.getByRole('button', { name: 'Pack' }).click();
      const problem = page.locator(`[data-id="${order.id}"] .problem`);
      await problem.filter({ hasText: 'INVALID_TRANSITION' }).waitFor({ timeout: LIVE_MS });
      await page.locator('.toast', { hasText: 'INVALID_TRANSITION' }).waitFor();
      // Then it shows the order as it now is.
      await page
        .locator(`[data-column="PACKED"] [data-id="${order.id}"]`)
        .waitFor({ timeout: LIVE_MS });
      holding = false;
    });

    it('marks orders past their promise as late', async () => {
      const { order, store } = await orderFor(await signup(http));
      const page = await (await context()).newPage();
      // The page's clock 11 minutes ahead: the 10-minute promise has passed.
      await page.clock.setFixedTime(Date.now() + 11 * 60_000);
      await signInThroughForm(page, admin.email, admin.password, `/admin/board?store=${store.id}`);
      const card = page.locator(`[data-id="${order.id}"]`);
      await card.waitFor();
      await expect(card.getAttribute('class')).resolves.toContain('late');
      await expect(card.locator('.due').textContent()).resolves.toMatch(/^late \d+:\d\d$/);
    });
  });

  describe('the tracking page', () => {
    it("fills the customer's timeline live and shows the countdown", async () => {
      const customer = await signup(http);
      const { order, store } = await orderFor(customer);
      const page = await signedInPage(customer, `/track/${order.id}`);
      expect(new URL(page.url()).pathname).toBe(`/track/${order.id}`);
      await page.locator('#live[data-state="live"]').waitFor();
      const items = page.locator('#timeline li');
      await expect(items.count()).resolves.toBe(1);
      await expect(page.locator('#countdown').textContent()).resolves.toMatch(
        /^arriving in \d+:\d\d$/,
      );
      // The bill: items, the fees charged, the total (as the order says).
      const bill = await page.locator('table.bill').textContent();
      expect(bill).toContain('Items');
      expect(bill).toContain('Total');
      if (order.deliveryFee.amount > 0) expect(bill).toContain('Delivery fee');

      expect((await moveOrder(order.id, { to: 'PACKED' })).status).toBe(200);
      await page.locator('#timeline li[data-type="order.packed"]').waitFor({ timeout: LIVE_MS });
      await expect(page.locator('#status').textContent()).resolves.toContain('Packed');
      // Sent out by hand needs a rider on shift at the store (whose shift start offers it them).
      const rider = await riderOf(store.id);
      expect(
        (await moveOrder(order.id, { to: 'OUT_FOR_DELIVERY', riderId: rider.id })).status,
      ).toBe(200);
      await page
        .locator('#timeline li[data-type="order.out_for_delivery"]')
        .waitFor({ timeout: LIVE_MS });
      const types = await items.evaluateAll((lis) => lis.map((li) => (li as any).dataset.type));
      expect(types.filter((type) => type !== 'order.rider_offered')).toEqual([
        'order.placed',
        'order.packed',
        'order.out_for_delivery',
      ]);

      // Someone else's order is not found (and not revealed).
      const stranger = await signedInPage(await signup(http), `/track/${order.id}`);
      await stranger.getByRole('heading', { name: 'Order not found' }).waitFor();
    });
  });

  describe('readable labels', () => {
    /** A code or an ISO time where a person reads: what the issue found on the page and in bodies. */
    const RAW = /order\.[a-z]|[a-z]_[a-z]|\b[A-Z]+_[A-Z]+\b|\d{4}-\d\d-\d\dT/;

    it('shows a short-picked, rider-offered order in words, live too, and notifies without codes', async () => {
      const customer = await signup(http);
      const { order, store, product } = await orderFor(customer);
      const rider = await riderOf(store.id);
      const asAdmin = { token: admin.accessToken };
      const short = await http.post(
        `/v1/admin/orders/${order.id}/lines/${product.id}/short`,
        { found: 1 },
        asAdmin,
      );
      expect(short.status).toBe(200);
      expect((await moveOrder(order.id, { to: 'PACKED' })).status).toBe(200);
      // The dispatcher offers it to the store's rider on shift.
      let timeline: OrderEventView[] = [];
      for (let i = 0; i < 100 && !timeline.some((e) => e.type === 'order.rider_offered'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        timeline = (await http.get(`/v1/orders/${order.id}`, asAdmin)).body.timeline;
      }
      expect(timeline.map((e) => e.type)).toEqual([
        'order.placed',
        'order.short_picked',
        'order.packed',
        'order.rider_offered',
      ]);

      const page = await signedInPage(customer, `/track/${order.id}`);
      await page.locator('#live[data-state="live"]').waitFor();
      const items = page.locator('#timeline li');
      await expect(items.count()).resolves.toBe(4);
      const shown = () =>
        items.evaluateAll((lis: any[]) =>
          lis.map((li) => ({
            type: li.dataset.type,
            title: li.querySelector('.what strong')?.textContent,
            detail: li.querySelector('.what .detail')?.textContent ?? null,
          })),
        );
      const text = async () =>
        `${await page.locator('#status').textContent()} ${await page.locator('#timeline').textContent()} ${await page.locator('.steps').textContent()}`;
      expect(await text()).not.toMatch(RAW);
      // Exactly what the one table says (track.js mirrors describeEvent).
      const expected = timeline.map((e) => ({ type: e.type, ...describeEvent(e) }));
      await expect(shown()).resolves.toEqual(expected);
      expect(expected.map((e) => e.title)).toEqual([
        'Order placed',
        'An item was not available',
        'Packed at the store',
        'Looking for a rider',
      ]);

      // Live: the store cancels it; the reason reads as a sentence, not its code.
      expect(
        (await moveOrder(order.id, { to: 'CANCELLED', reason: 'cancelled_by_store' })).status,
      ).toBe(200);
      const cancelled = page.locator('#timeline li[data-type="order.cancelled"]');
      await cancelled.waitFor({ timeout: LIVE_MS });
      await cancelled
        .locator('.detail', { hasText: 'Your order was cancelled by the store' })
        .waitFor({ timeout: LIVE_MS });
      await expect(page.locator('#status').textContent()).resolves.toBe('Cancelled');
      expect(await text()).not.toMatch(RAW);

      // Their notifications: words, and times in the store's time zone (never ISO).
      const notes = async (user: TestUser, type: string) => {
        for (let i = 0; i < 100; i++) {
          const list = (await http.get('/v1/notifications', { token: user.accessToken })).body;
          if (list.items.some((n: any) => n.type === type)) return list.items as any[];
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`no ${type} notification`);
      };
      const customerNotes = await notes(customer, 'order.cancelled');
      const riderNotes = await notes(rider, 'order.rider_offered');
      for (const n of [...customerNotes, ...riderNotes])
        expect([n.type, `${n.title} ${n.body}`]).toEqual([n.type, expect.not.stringMatching(RAW)]);
      expect(customerNotes.find((n) => n.type === 'order.cancelled').body).toBe(
        'Your order was cancelled by the store',
      );
      expect(riderNotes.find((n) => n.type === 'order.rider_offered').body).toMatch(
        /accept by \d{1,2}:\d\d [ap]m$/,
      );
    });
  });

  describe('at a phone width', () => {
    it('lays out the sign-in, board and tracking pages without horizontal overflow', async () => {
      const phone = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };
      const customer = await signup(http);
      const { order, store } = await orderFor(customer);
      const signIn = await (await context(phone)).newPage();
      await signIn.goto('/admin/login');
      expect(await overflowsHorizontally(signIn)).toBe(false);

      const board = await signedInPage(admin, `/admin/board?store=${store.id}`, phone);
      await board.locator(`[data-id="${order.id}"]`).waitFor();
      expect(await overflowsHorizontally(board)).toBe(false);
      keep(await screenshot(board, 'board-phone'), 'board-phone');

      const tracking = await signedInPage(customer, `/track/${order.id}`, phone);
      await tracking.locator('#timeline li').first().waitFor();
      expect(await overflowsHorizontally(tracking)).toBe(false);
    });
  });
});

describe('browser pages with the demo simulation', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let browser: Browser;

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_pagesim`,
      DELIVERY_SIMULATION: 'true',
      DELIVERY_SIMULATION_STEP_SECONDS: '2',
    };
    [api, browser] = await Promise.all([startApi(env), launchChromium()]);
    worker = await startWorker(env);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await database?.drop();
  });

  it("shows the simulation's rider moving toward the address on the tracking page", async () => {
    const http = new HttpClient(api.url);
    const admin = await userWithRole(api.app, http, 'admin');
    await userWithRole(api.app, http, 'rider'); // the simulation's rider
    const make = new CatalogFactory(http, admin.accessToken);
    const { store, product } = await make.stockedStore(5);
    const customer = await signup(http);
    const res = await placeOrder(http, customer.accessToken, {
      productId: product.id,
      quantity: 1,
      address: {
        line1: '7 Brigade Road',
        city: 'Bengaluru',
        pincode: '560001',
        lat: store.latitude + 0.015,
        lng: store.longitude + 0.01,
      },
    });
    expect(res.status).toBe(201);
    const watched = await watchedContext(browser, api.url);
    try {
      const page = await watched.newPage();
      await signInThroughForm(page, customer.email, customer.password, `/track/${res.body.id}`);
      const dot = page.locator('#main .rider:not(.stale)');
      await dot.waitFor({ timeout: 20_000 });
      const first = await dot.evaluate((g) => (g as any).style.transform);
      await page.waitForFunction(
        (was) => {
          const g = (globalThis as any).document.querySelector('#main .rider:not(.stale)') as any;
          return g !== null && g.style.transform !== was;
        },
        first,
        { timeout: 10_000 },
      );
      keep(await screenshot(page, 'track'), 'track');
      await page.locator('#timeline li[data-type="order.delivered"]').waitFor({ timeout: 20_000 });
      await expect(page.locator('#status').textContent()).resolves.toBe('Delivered');
      expect(watched.foreign).toEqual([]);
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.context.close();
    }
  }, 60_000);
});
