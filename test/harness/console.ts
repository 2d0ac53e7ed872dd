import type { Browser, Page } from 'playwright-core';
import { signInThroughForm, watchedContext, type WatchedContext } from './browser.js';
import type { TestUser } from './factories.js';

/** The phone and desktop widths every console page is checked (and photographed) at. */
export const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/**
 * A Chromium tab signed in through the form as `user`, on `path` (a console page), with its
 * context watched (foreign requests, page errors, CSP refusals, console errors): call
 * `expectClean()` at the end of the test.
 */
export async function consolePage(
  browser: Browser,
  origin: string,
  user: Pick<TestUser, 'email' | 'password'>,
  path: string,
  width: keyof typeof WIDTHS = 'desktop',
): Promise<{ page: Page; watched: WatchedContext; close(): Promise<void> }> {
  const watched = await watchedContext(browser, origin, { viewport: WIDTHS[width] });
  const page = await watched.newPage();
  await signInThroughForm(page, user.email, user.password, path);
  return { page, watched, close: () => watched.context.close() };
}

/** Nothing left the server, no page error, no CSP refusal, no console error. */
export function expectClean(watched: WatchedContext): void {
  expect(watched.foreign).toEqual([]);
  expect(watched.problems).toEqual([]);
  expect(watched.consoleErrors).toEqual([]);
}
