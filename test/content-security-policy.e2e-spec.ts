import type { Browser } from 'playwright-core';
import { startApi, type RunningApp } from './harness/apps.js';
import { launchChromium, signInThroughForm, watchedContext } from './harness/browser.js';
import { userWithRole, type TestUser } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';
import { rawRequest } from './harness/raw-request.js';

/** A CSP header as directive → sources. */
function directivesOf(header: string | string[] | undefined): Record<string, string[]> {
  expect(typeof header).toBe('string');
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );
}

/**
 * Issue 23, S3: the CSP allowed inline scripts on every response although only Swagger UI's page
 * needed anything inline, and only styles at that. Now the matched route decides: nothing inline
 * anywhere, inline styles (never scripts) on Swagger UI's page and Bull Board's page; and those
 * pages still work in Chromium under it (no CSP refusal).
 */
describe('content security policy by matched route', () => {
  let api: RunningApp;
  let admin: TestUser;
  let browser: Browser;

  beforeAll(async () => {
    [api, browser] = await Promise.all([
      startApi({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}_csp` }),
      launchChromium(),
    ]);
    admin = await userWithRole(api.app, new HttpClient(api.url), 'admin');
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const cspOf = async (path: string, headers: Record<string, string> = {}) =>
    directivesOf(
      (await rawRequest(api.url, 'GET', path, { headers })).headers['content-security-policy'],
    );

  it('allows nothing inline on pages, API, assets and errors', async () => {
    const session = { authorization: `Bearer ${admin.accessToken}` };
    for (const path of [
      '/admin/login',
      '/admin/board',
      '/track',
      '/track/00000000-0000-4000-8000-000000000000',
      '/docs/tracking',
      '/pages/board.js',
      // The ops console (preact + htm, no build step): its pages and the served libraries.
      '/admin/orders',
      '/admin/orders/00000000-0000-4000-8000-000000000000',
      '/admin/overview',
      '/pages/console/order.js',
      '/pages/vendor/preact.mjs',
      '/pages/vendor/htm-preact.mjs',
      '/pages/vendor/uplot.mjs',
      '/v1/products',
      '/v1/admin/orders',
      '/health/live',
      '/no/such/route',
      '/docs-json',
    ]) {
      const csp = await cspOf(path, session);
      expect({ path, script: csp['script-src'], style: csp['style-src'] }).toEqual({
        path,
        script: [`'self'`],
        style: [`'self'`],
      });
      expect(csp['default-src']).toEqual([`'self'`]);
      expect(csp['script-src-attr']).toEqual([`'none'`]);
      expect(csp['object-src']).toEqual([`'none'`]);
    }
  });

  it('allows inline styles, never scripts, on Swagger UI’s page and Bull Board’s page only', async () => {
    for (const path of ['/docs', '/docs/', '/docs/index.html']) {
      const csp = await cspOf(path);
      expect({ path, script: csp['script-src'], style: csp['style-src'] }).toEqual({
        path,
        script: [`'self'`],
        style: [`'self'`, `'unsafe-inline'`],
      });
    }
    for (const path of ['/admin/queues', '/admin/queues/queue/orders']) {
      const csp = await cspOf(path, { authorization: `Bearer ${admin.accessToken}` });
      expect({ path, script: csp['script-src'], style: csp['style-src'] }).toEqual({
        path,
        script: [`'self'`],
        style: [`'self'`, `'unsafe-inline'`],
      });
    }
  });

  it('keeps Swagger UI and the queue board working in Chromium under their policies', async () => {
    const watched = await watchedContext(browser, api.url);
    try {
      const page = await watched.newPage();
      await page.goto('/docs');
      await page.locator('.swagger-ui .info .title').getByText('FlashCart API').waitFor();
      await page.locator('.opblock').first().waitFor();

      await signInThroughForm(page, admin.email, admin.password, '/admin/queues');
      await page.getByText('orders', { exact: true }).first().waitFor();
      expect(watched.foreign).toEqual([]);
      expect(watched.problems).toEqual([]);
    } finally {
      await watched.context.close();
    }
  });
});
