import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Screenshots of the pages, written on every run (ignored by git). */
export const ARTIFACTS = join(process.cwd(), 'test', 'artifacts');

/**
 * Debian's Chromium, found (or installed when root) by scripts/chromium.sh: `make test` runs it
 * first. Never skipped: without a browser this throws with the command to run.
 */
export async function launchChromium(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = execFileSync('scripts/chromium.sh', { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'No Chromium for the browser tests: run `sudo apt-get install -y chromium` ' +
        '(or set CHROMIUM_PATH); scripts/chromium.sh says more',
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A browser context that records every request, WebSocket and page problem: any request to
 * another origin is aborted and kept in `foreign` (nothing may leave the server); uncaught
 * errors and CSP violations go to `problems`; every console error (a failed request's status
 * included) goes to `consoleErrors`, for tests of pages that must log none.
 */
export interface WatchedContext {
  context: BrowserContext;
  foreign: string[];
  problems: string[];
  consoleErrors: string[];
  newPage(): Promise<Page>;
}

export async function watchedContext(
  browser: Browser,
  origin: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<WatchedContext> {
  const context = await browser.newContext({ baseURL: origin, ...options });
  context.setDefaultTimeout(10_000);
  const foreign: string[] = [];
  const problems: string[] = [];
  const consoleErrors: string[] = [];
  const ours = (url: string) => url.startsWith('data:') || new URL(url).origin === origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (ours(url)) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  const watch = (page: Page) => {
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) problems.push(msg.text());
      if (msg.type() === 'error') consoleErrors.push(`${msg.location().url}: ${msg.text()}`);
    });
    page.on('websocket', (ws) => {
      if (new URL(ws.url()).host !== new URL(origin).host) foreign.push(ws.url());
    });
  };
  context.on('page', watch);
  return { context, foreign, problems, consoleErrors, newPage: () => context.newPage() };
}

/** Signs in through the form on /admin/login (optionally on the way to `next`). */
export async function signInThroughForm(
  page: Page,
  email: string,
  password: string,
  next?: string,
): Promise<void> {
  await page.goto(next ? `/admin/login?next=${encodeURIComponent(next)}` : '/admin/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/admin/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Whether anything on the page is wider than the viewport (a horizontal scrollbar). */
export function overflowsHorizontally(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      (globalThis as any).document.documentElement.scrollWidth >
      (globalThis as any).document.documentElement.clientWidth + 1,
  );
}
