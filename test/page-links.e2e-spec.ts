import { randomUUID } from 'node:crypto';
import { CONSOLE_PAGES } from '../apps/api/src/pages/console-pages.js';
import { DOC_PAGES } from '../apps/api/src/tracking/tracking-docs.controller.js';
import { startApi, type RunningApp } from './harness/apps.js';
import { signup, userWithRole } from './harness/factories.js';
import { HttpClient } from './harness/http-client.js';

const COOKIE = 'flashcart_session';
const MAX_URLS = 300;

/** The links of a response a browser would follow or load: href/src, module imports, CSS url(). */
function linksOf(type: string, text: string): string[] {
  const found = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]!);
  if (type.includes('text/html')) return found(/\s(?:href|src)\s*=\s*["']([^"']*)["']/gi);
  if (type.includes('javascript'))
    return found(/(?:\bfrom\s*|\bimport\s*\(?\s*)["']((?:\.{1,2}\/|\/)[^"']+)["']/g);
  if (type.includes('text/css')) return found(/url\(\s*["']?([^"')]+)["']?\s*\)/g);
  if (type.includes('json')) return found(/\]\(([^)\s]+)\)/g); // markdown in the OpenAPI descriptions
  return [];
}

const anchorsOf = (html: string) =>
  new Set([...html.matchAll(/\s(?:id|name)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!));

/**
 * Every page the api serves (apps/api/pages, the rendered docs, Swagger UI), crawled as signed-in
 * admin, signed-in customer and visitor: each same-origin link (href/src), module import and CSS
 * url() is requested and answers (after redirects) 200, and each #fragment exists in its page.
 */
describe('links of the served pages', () => {
  let api: RunningApp;
  const cookies: Record<'admin' | 'customer', string> = { admin: '', customer: '' };

  beforeAll(async () => {
    api = await startApi({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}_links` });
    const http = new HttpClient(api.url);
    const admin = await userWithRole(api.app, http, 'admin');
    const customer = await signup(http);
    for (const [role, user] of [
      ['admin', admin],
      ['customer', customer],
    ] as const) {
      const res = await fetch(`${api.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
        body: new URLSearchParams({ email: user.email, password: user.password }),
      });
      const value = res.headers.getSetCookie()[0]?.match(new RegExp(`^${COOKIE}=([^;]+)`))?.[1];
      if (!value) throw new Error(`sign-in as ${role} failed: ${res.status}`);
      cookies[role] = value;
    }
  });
  afterAll(() => api?.close());

  it.each([
    ['a visitor', undefined],
    ['an admin', 'admin'],
    ['a customer', 'customer'],
  ] as const)(
    'answer every link for %s',
    async (_who, role) => {
      const origin = api.url;
      // As a browser asks (an API client without a cookie gets a 401, a browser the sign-in page).
      const headers: Record<string, string> = { accept: 'text/html,*/*;q=0.8' };
      if (role) headers.cookie = `${COOKIE}=${cookies[role]}`;
      const entries = [
        '/admin/login',
        '/admin/board', // admins only: a 403 page for a customer, the sign-in page for a visitor
        '/admin/queues',
        ...CONSOLE_PAGES.map((page) => page.example ?? page.path),
        '/track',
        `/track/${randomUUID()}`,
        '/docs',
        '/docs-json',
        ...Object.keys(DOC_PAGES).map((page) => `/docs/${page}`),
      ];
      const consolePaths = new Set(CONSOLE_PAGES.map((page) => page.example ?? page.path));
      const seen = new Map<string, { status: number; html?: string }>();
      const broken: string[] = [];
      const queue: { url: string; from: string }[] = entries.map((path) => ({
        url: `${origin}${path}`,
        from: '(entry)',
      }));
      const fragments: { url: string; fragment: string; from: string }[] = [];
      while (queue.length > 0) {
        const { url, from } = queue.shift()!;
        if (seen.has(url)) continue;
        if (seen.size >= MAX_URLS) throw new Error(`more than ${MAX_URLS} URLs: a crawl loop?`);
        const res = await fetch(url, { headers });
        const type = res.headers.get('content-type') ?? '';
        const text = await res.text();
        seen.set(url, { status: res.status, html: type.includes('text/html') ? text : undefined });
        // A page the user is refused (403) still has to render its links.
        const adminPage =
          /\/admin\/(board|queues)$/.test(url) || consolePaths.has(new URL(url).pathname);
        const expected = adminPage && role === 'customer' ? 403 : 200;
        if (res.status !== expected) broken.push(`${res.status} ${url} (linked from ${from})`);
        // Links resolve against <base href> where a page has one (Bull Board's does).
        const base = new URL(/<base\s+href=["']([^"']*)["']/i.exec(text)?.[1] ?? '', res.url);
        for (const link of linksOf(type, text)) {
          if (/^(data|mailto|javascript):/i.test(link) || link === '') continue;
          const target = new URL(link, base);
          if (target.origin !== origin) continue; // another site: not ours to answer
          if (target.hash)
            fragments.push({ url: target.href, fragment: target.hash.slice(1), from: url });
          target.hash = '';
          queue.push({ url: target.href, from: url });
        }
      }
      for (const { url, fragment, from } of fragments) {
        const page = seen.get(url.split('#')[0]!);
        if (page?.html && !anchorsOf(page.html).has(decodeURIComponent(fragment)))
          broken.push(`no #${fragment} in ${url} (linked from ${from})`);
      }
      expect(broken).toEqual([]);
      // The crawl reached the pages and assets it is about.
      const paths = [...seen.keys()].map((u) => new URL(u).pathname);
      expect(paths).toEqual(
        expect.arrayContaining(['/pages/pages.css', '/docs/tracking', '/docs/tracking.md']),
      );
      if (role === 'admin')
        expect(paths).toEqual(
          expect.arrayContaining([
            '/pages/board.js',
            '/pages/session.js',
            '/pages/console/layout.js',
            '/pages/vendor/preact.mjs',
            '/pages/vendor/preact-hooks.mjs',
          ]),
        );
    },
    60_000,
  );
});
