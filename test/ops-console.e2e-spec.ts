import type { Browser, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { CONSOLE_PAGES } from '../apps/api/src/pages/console-pages.js';
import { startApi, startWorker, type RunningApp } from './harness/apps.js';
import { CatalogFactory } from './harness/catalog-factory.js';
import { launchChromium, overflowsHorizontally, screenshot } from './harness/browser.js';
import { consolePage, expectClean, WIDTHS } from './harness/console.js';
import { signup, uniqueEmail, userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';

/** The ops console (docs/pages.md): its shell on every page, at desktop and phone widths. */
describe('the ops console (headless Chromium)', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let worker: RunningApp;
  let http: HttpClient;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = {
      DATABASE_URL: database.url,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX}_console`,
      MAX_OPEN_ORDERS_PER_CUSTOMER: '100',
      AUTH_RATE_LIMIT_IP: '1000',
    };
    [api, browser] = await Promise.all([startApi(env), launchChromium()]);
    worker = await startWorker(env);
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await api?.close();
    await database?.drop();
  });

  describe('the shell', () => {
    it.each(Object.keys(WIDTHS) as (keyof typeof WIDTHS)[])(
      'renders every page with the menu, who is signed in and sign-out (%s width)',
      async (width) => {
        const { page, watched, close } = await consolePage(
          browser,
          api.url,
          admin,
          '/admin/orders',
          width,
        );
        // The order page is walked with a real order below (an unknown id is a 404 on its console).
        for (const p of CONSOLE_PAGES.filter((p) => !p.example)) {
          await page.goto(p.path);
          const nav = page.getByRole('navigation', { name: 'Console' });
          await page.locator('#who').filter({ hasText: admin.email }).waitFor();
          expect(await nav.getByRole('link').count()).toBe(8);
          await page.getByRole('heading', { level: 1 }).waitFor();
          expect(await overflowsHorizontally(page)).toBe(false);
          await screenshot(page, `console-${p.module}-${width}`);
        }
        expectClean(watched);
        await close();
      },
    );

    it('is usable with the keyboard: skip link, menu links in order, the current page marked', async () => {
      const { page, watched, close } = await consolePage(browser, api.url, admin, '/admin/stock');
      await page.getByRole('heading', { name: 'Stock' }).waitFor();
      await page.keyboard.press('Tab');
      await expect(
        page.evaluate(() => (globalThis as any).document.activeElement?.textContent),
      ).resolves.toBe('Skip to content');
      const labels: string[] = [];
      for (let i = 0; i < 8; i++) {
        await page.keyboard.press('Tab');
        labels.push(
          (await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)) ??
            '',
        );
      }
      expect(labels).toEqual([
        'Floor',
        'Orders',
        'Catalog',
        'Stock',
        'Promotions',
        'Stores',
        'People',
        'Overview',
      ]);
      await expect(
        page.getByRole('link', { name: 'Stock' }).getAttribute('aria-current'),
      ).resolves.toBe('page');
      await page.keyboard.press('Enter'); // on Overview
      await page.waitForURL('**/admin/overview');
      expectClean(watched);
      await close();
    });

    it('signs out from any page, and the console then sends to sign in', async () => {
      const { page, watched, close } = await consolePage(browser, api.url, admin, '/admin/orders');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/admin/login?signedOut=1');
      await page.goto('/admin/people');
      expect(new URL(page.url()).pathname).toBe('/admin/login');
      expectClean(watched);
      await close();
    });

    it('gives a customer the 403 page and a visitor the sign-in page, on every console page', async () => {
      const customer = await signup(http);
      const res = await fetch(`${api.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
        body: new URLSearchParams({ email: customer.email, password: customer.password }),
      });
      const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
      for (const p of CONSOLE_PAGES) {
        const url = `${api.url}${p.example ?? p.path}`;
        const asCustomer = await fetch(url, { headers: { cookie }, redirect: 'manual' });
        expect([p.path, asCustomer.status]).toEqual([p.path, 403]);
        const asVisitor = await fetch(url, {
          headers: { accept: 'text/html' },
          redirect: 'manual',
        });
        expect([p.path, asVisitor.status]).toEqual([p.path, 302]);
        expect(asVisitor.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
      }
    });
  });

  describe("a store's day", () => {
    const LIVE_MS = 3_000;

    async function customerWithPhone() {
      const phone = `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
      const email = uniqueEmail('day');
      const password = `pw-${randomUUID()}`;
      const res = await http.post('/v1/auth/signup', {
        email,
        password,
        name: 'Meera Iyer',
        phone,
      });
      expect(res.status).toBe(201);
      return { id: res.body.user.id as string, email, password, phone, ...res.body };
    }

    async function riderAt(storeId: string, state: 'AVAILABLE' | 'OFF_DUTY', name: string) {
      const rider = await userWithRole(api.app, http, 'rider');
      for (const to of state === 'AVAILABLE' ? ['AVAILABLE'] : ['AVAILABLE', 'OFF_DUTY'])
        expect(
          (await http.put('/v1/rider/shift', { state: to, storeId }, { token: rider.accessToken }))
            .status,
        ).toBe(200);
      return { ...rider, name };
    }

    const shots = async (page: Page, name: string) => {
      for (const [width, size] of Object.entries(WIDTHS)) {
        await page.setViewportSize(size);
        expect([name, width, await overflowsHorizontally(page)]).toEqual([name, width, false]);
        await screenshot(page, `console-day-${name}-${width}`);
      }
      await page.setViewportSize(WIDTHS.desktop);
    };

    it('sees an order arrive, packs it one line short, sends it out with a rider on shift, sees it delivered, finds it by phone, cancels another with a reason', async () => {
      const make = new CatalogFactory(http, admin.accessToken);
      const store = await make.store({ serviceRadiusM: 5000 });
      const apples = await make.product({
        name: 'Shimla apples',
        priceMinor: 12000,
        imageUrl: `${api.url}/pages/console/product.svg?apples`,
      });
      const milk = await make.product({ name: 'Toned milk', priceMinor: 3000 });
      await make.stock(store.id, apples.id, 20);
      await make.stock(store.id, milk.id, 20);
      const onShift = await riderAt(store.id, 'AVAILABLE', 'on shift');
      const offShift = await riderAt(store.id, 'OFF_DUTY', 'off shift');
      const customer = await customerWithPhone();
      const address = {
        line1: '7 Lavelle Road',
        city: 'Bengaluru',
        pincode: '560001',
        lat: store.latitude + 0.01,
        lng: store.longitude + 0.004,
      };

      const { page, watched, close } = await consolePage(
        browser,
        api.url,
        admin,
        `/admin/board?store=${store.id}`,
      );
      await page.locator('#live[data-state="live"]').waitFor();
      await page.locator('#riders-on-shift li').first().waitFor();
      expect(await page.locator('#riders-on-shift li').count()).toBe(1); // the off-shift one is not

      // A new order appears on the floor, live.
      const placed = await http.post(
        '/v1/orders',
        {
          items: [
            { productId: apples.id, quantity: 3 },
            { productId: milk.id, quantity: 2 },
          ],
          address,
          storeId: store.id,
        },
        { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
      );
      expect(placed.status).toBe(201);
      const order = placed.body;
      const card = page.locator(`[data-column="PLACED"] [data-id="${order.id}"]`);
      await card.waitFor({ timeout: LIVE_MS });
      await expect(page.locator('#capacity').textContent()).resolves.toMatch(/^1 of \d+ open/);
      await shots(page, 'floor');

      // Open it from its card: the pick list, the customer, the map.
      await card.getByRole('link').click();
      await page.waitForURL(`**/admin/orders/${order.id}`);
      await page.getByRole('heading', { name: 'Pick list' }).waitFor();
      await page.locator('#live[data-state="live"]').waitFor();
      const customerBox = page.locator('#customer');
      await expect(customerBox.textContent()).resolves.toContain(customer.phone);
      await expect(customerBox.textContent()).resolves.toContain('Meera Iyer');
      await expect(page.locator('.order-map .home').count()).resolves.toBe(1);
      await page.locator(`tr[data-product="${apples.id}"] img[src$="?apples"]`).waitFor();
      await expect(page.locator('#order-total').textContent()).resolves.toContain('420');
      await shots(page, 'order-placed');

      // Pack with one line short: 1 of 3 apples found. Totals and refund due update at once.
      const row = page.locator(`tr[data-product="${apples.id}"]`);
      await row.getByLabel('Found of Shimla apples').fill('1');
      await row.getByRole('button', { name: 'Mark short' }).click();
      await expect(
        page.locator(`tr[data-product="${apples.id}"] .qty`).filter({ hasText: '1' }).waitFor(),
      ).resolves.toBeUndefined();
      await page.locator('#refund-due').waitFor();
      const viaApi = await http.get(`/v1/admin/orders/${order.id}`, { token: admin.accessToken });
      expect(viaApi.body.order.refundDue.amount).toBe(24000);
      const money = (m: { amount: number }) =>
        new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(
          m.amount / 100,
        );
      await expect(page.locator('#refund-due').textContent()).resolves.toBe(
        money(viaApi.body.order.refundDue),
      );
      await expect(page.locator('#order-total').textContent()).resolves.toBe(
        money(viaApi.body.order.total),
      );
      // The payment panel, in words (GET /v1/admin/orders/:id/payments).
      await expect(page.locator('#payment-method').textContent()).resolves.toBe('Cash on delivery');
      await expect(page.locator('#payment-state').textContent()).resolves.toBe(
        'Cash due at the door',
      );
      await page.locator('#timeline').getByText('Short pick').waitFor({ timeout: LIVE_MS });
      await expect(page.locator('#timeline').textContent()).resolves.toContain(
        'Shimla apples: 1 of 3 found',
      );
      await page.getByRole('button', { name: 'Mark packed' }).click();
      await page.locator('#status[data-status="PACKED"]').waitFor();

      // An internal note: on the page, not for the customer.
      await page.getByLabel('Add a note').fill('Customer asked for no plastic bags');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.locator('#notes').getByText('no plastic bags').waitFor();

      // Send out: only the store's rider on shift is offered.
      const picker = page.locator('#rider-picker');
      await picker.locator(`option[value="${onShift.id}"]`).waitFor({ state: 'attached' });
      const offered = await picker
        .locator('option:not([disabled])')
        .evaluateAll((os) => os.map((o) => (o as any).value).filter(Boolean));
      expect(offered).toEqual([onShift.id]);
      expect(
        await picker.locator('option').evaluateAll((os) => os.map((o) => (o as any).value)),
      ).not.toContain(offShift.id);
      await picker.selectOption(onShift.id);
      await shots(page, 'order-packed');
      await page.getByRole('button', { name: 'Send out' }).click();
      await page.locator('#status[data-status="OUT_FOR_DELIVERY"]').waitFor();
      await expect(page.locator('#rider').textContent()).resolves.toContain('Test rider');

      // The rider delivers (their app): the page follows live.
      const delivered = await http.post(
        `/v1/rider/orders/${order.id}/transitions`,
        { to: 'DELIVERED' },
        { token: onShift.accessToken },
      );
      expect(delivered.status).toBe(200);
      await page.locator('#status[data-status="DELIVERED"]').waitFor({ timeout: LIVE_MS });
      await page.locator('#timeline').getByText('Delivered').waitFor();
      await expect(page.locator('#timeline').textContent()).resolves.not.toMatch(
        /order\.|_by_|[A-Z]+_[A-Z]+|Invalid Date/,
      );
      await shots(page, 'order-delivered');

      // Find it by the customer's phone (from the floor's search box).
      await page.goto(`/admin/board?store=${store.id}`);
      await page.getByLabel('Find an order').fill(customer.phone);
      await page.getByRole('button', { name: 'Find' }).click();
      await page.waitForURL('**/admin/orders?q=*');
      const found = page.locator(`a[href="/admin/orders/${order.id}"]`);
      await found.waitFor();
      expect(await page.locator('tbody tr').count()).toBe(1);
      await shots(page, 'orders-search');

      // Cancel another order with a reason from the list.
      const second = await http.post(
        '/v1/orders',
        { items: [{ productId: milk.id, quantity: 1 }], address, storeId: store.id },
        { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
      );
      expect(second.status).toBe(201);
      await page.goto(`/admin/orders/${second.body.id}`);
      await page.getByLabel('Cancel reason').selectOption('address_unreachable');
      await page.getByRole('button', { name: 'Cancel order' }).click();
      await page.locator('#status[data-status="CANCELLED"]').waitFor();
      await page.locator('#timeline').getByText('By the store: Address unreachable').waitFor();
      const cancelled = await http.get(`/v1/orders/${second.body.id}`, {
        token: customer.accessToken,
      });
      expect(cancelled.body).toMatchObject({
        status: 'CANCELLED',
        cancelReason: 'address_unreachable',
      });
      expect(JSON.stringify(cancelled.body)).not.toContain('no plastic bags');
      await shots(page, 'order-cancelled');

      expectClean(watched);
      await close();
    }, 90_000);

    it("shows the API's refusal on the page (the rider went off shift), and follows another staff member's cancel live", async () => {
      const make = new CatalogFactory(http, admin.accessToken);
      const { store, product, address } = await make.stockedStore(5);
      const customer = await signup(http);
      const placed = await http.post(
        '/v1/orders',
        { items: [{ productId: product.id, quantity: 1 }], address, storeId: store.id },
        { token: customer.accessToken, headers: { 'idempotency-key': randomUUID() } },
      );
      const orderId = placed.body.id as string;
      const rider = await riderAt(store.id, 'AVAILABLE', 'leaving');
      const packed = await http.post(
        `/v1/admin/orders/${orderId}/transitions`,
        { to: 'PACKED' },
        { token: admin.accessToken },
      );
      expect(packed.status).toBe(200);
      const a = await consolePage(browser, api.url, admin, `/admin/orders/${orderId}`);
      await a.page.locator('#live[data-state="live"]').waitFor();
      await a.page
        .locator(`#rider-picker option[value="${rider.id}"]`)
        .waitFor({ state: 'attached' });
      await a.page.locator('#rider-picker').selectOption(rider.id);
      // The rider goes off shift before staff press Send out: the API refuses, the page says why.
      const off = await http.put(
        '/v1/rider/shift',
        { state: 'OFF_DUTY' },
        { token: rider.accessToken },
      );
      expect(off.status).toBe(200);
      await a.page.getByRole('button', { name: 'Send out' }).click();
      await a.page.locator('.actions .error').getByText('RIDER_OFF_SHIFT').waitFor();
      await expect(a.page.locator('#status').getAttribute('data-status')).resolves.toBe('PACKED');
      await screenshot(a.page, 'console-day-order-refused-desktop');
      // The one console error is the browser's log line for that 409.
      expect(a.watched.consoleErrors).toEqual([expect.stringMatching(/status of 409/)]);
      a.watched.consoleErrors.length = 0;

      // Someone else cancels on their own page: this one follows live.
      const b = await consolePage(browser, api.url, admin, `/admin/orders/${orderId}`, 'phone');
      await b.page.getByLabel('Cancel reason').selectOption('store_closed');
      await b.page.getByRole('button', { name: 'Cancel order' }).click();
      await b.page.locator('#status[data-status="CANCELLED"]').waitFor();
      await a.page.locator('#status[data-status="CANCELLED"]').waitFor({ timeout: LIVE_MS });
      expect(await a.page.getByRole('button', { name: 'Send out' }).count()).toBe(0);
      for (const { watched, close } of [a, b]) {
        expectClean(watched);
        await close();
      }
    });
  });
});
