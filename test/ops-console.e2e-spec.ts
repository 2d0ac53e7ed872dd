import type { Browser } from 'playwright-core';
import { CONSOLE_PAGES } from '../apps/api/src/pages/console-pages.js';
import { startApi, type RunningApp } from './harness/apps.js';
import { launchChromium, overflowsHorizontally, screenshot } from './harness/browser.js';
import { consolePage, expectClean, WIDTHS } from './harness/console.js';
import { signup, userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { isolatedDatabase, type IsolatedDatabase } from './harness/isolated-database.js';

/** The ops console (docs/pages.md): its shell on every page, at desktop and phone widths. */
describe('the ops console (headless Chromium)', () => {
  let database: IsolatedDatabase;
  let api: RunningApp;
  let http: HttpClient;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    database = await isolatedDatabase();
    const env = { DATABASE_URL: database.url, REDIS_PREFIX: `${process.env.REDIS_PREFIX}_console` };
    [api, browser] = await Promise.all([startApi(env), launchChromium()]);
    http = new HttpClient(api.url);
    admin = await userWithRole(api.app, http, 'admin');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
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
});
