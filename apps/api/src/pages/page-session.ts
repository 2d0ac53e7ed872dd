import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, type PageSession } from '#libs/auth';
import type { AppConfig } from '#libs/config';

/**
 * The paths that carry the session cookie: the admin pages (sign-in, ops board, queue board) and
 * the tracking page. Never /v1: the REST API stays bearer-only, so it has no CSRF surface.
 */
export const COOKIE_PATHS = ['/admin', '/track'] as const;

export const SIGN_IN_PATH = '/admin/login';

/** Where a signed-in user may be sent back to: one of our pages, never another site. */
export function safeNext(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 200) return undefined;
  // /admin/... or /track/...: no scheme, no '//' (protocol-relative), no backslash tricks.
  return /^\/(admin|track)(\/[A-Za-z0-9._~\-/]*)?(\?[A-Za-z0-9._~\-=&%]*)?$/.test(next) &&
    !next.includes('//')
    ? next
    : undefined;
}

/**
 * CSRF: a state-changing page request must come from one of our own pages. The cookie is
 * SameSite=Strict already; on top, the browser's Sec-Fetch-Site must say `same-origin` (a header
 * no page can set), so that a same-site but other-origin page cannot use it either. Browsers
 * without fetch metadata must send an Origin naming this very origin. (A form post under the
 * API's `Referrer-Policy: no-referrer` carries `Origin: null`, hence Sec-Fetch-Site first; the
 * pages also ask for `same-origin` referrers so that their Origin is real.)
 */
export function fromOurOrigin(request: FastifyRequest): boolean {
  const ours = `${request.protocol}://${request.host}`;
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (site !== undefined)
    return site === 'same-origin' && (origin === undefined || origin === 'null' || origin === ours);
  return origin === ours;
}

/** A browser navigation (it wants a page, not JSON): answered with redirects and HTML pages. */
export function isNavigation(request: FastifyRequest): boolean {
  const dest = request.headers['sec-fetch-dest'];
  if (dest !== undefined) return dest === 'document' || dest === 'iframe';
  return request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
}

export function redirectToSignIn(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = safeNext(request.url);
  const to = next ? `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}` : SIGN_IN_PATH;
  return reply.header('cache-control', 'no-store').redirect(to, 302);
}

function cookieAttributes(request: FastifyRequest, config: AppConfig, path: string): string {
  const secure = config.env === 'production' || request.protocol === 'https';
  return `Path=${path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Set-Cookie for every page path; it lasts exactly as long as its auth session. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  config: AppConfig,
  session: PageSession,
): void {
  const maxAge = Math.max(0, Math.floor((session.expiresAt.getTime() - Date.now()) / 1000));
  void reply.header(
    'set-cookie',
    COOKIE_PATHS.map(
      (path) =>
        `${SESSION_COOKIE}=${session.cookie}; ${cookieAttributes(request, config, path)}; ` +
        `Max-Age=${maxAge}; Expires=${session.expiresAt.toUTCString()}`,
    ),
  );
}

export function clearSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  config: AppConfig,
): void {
  void reply.header(
    'set-cookie',
    COOKIE_PATHS.map(
      (path) =>
        `${SESSION_COOKIE}=; ${cookieAttributes(request, config, path)}; Max-Age=0; ` +
        'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ),
  );
}
