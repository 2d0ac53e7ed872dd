import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, Authenticator, PageSessions, type Principal } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { DomainError, errorBody } from '#libs/platform';
import { RateLimiter } from '#libs/redis';
import { authAttemptRefused } from '../auth/auth-rate-limit.guard.js';
import { CONSOLE_PAGES } from './console-pages.js';
import { ASSETS_DIR, sendPage } from './page-files.js';
import { ORDER_LABELS_MODULE, ORDER_LABELS_PATH } from './page-labels.js';
import {
  clearSessionCookie,
  fromOurOrigin,
  redirectToSignIn,
  safeNext,
  setSessionCookie,
  SIGN_IN_PATH,
} from './page-session.js';
import { loadVendorFiles, VENDOR_PREFIX } from './vendor-modules.js';

/** Where a user lands after signing in when no page asked for it. */
const homeOf = (principal: Pick<Principal, 'role'>) =>
  principal.role === 'admin' ? '/admin/board' : '/track';

/**
 * A cross-origin state-changing request: refused before anything else is looked at. Its page
 * links back to us instead of offering to sign out (a sign-out from there would be refused too).
 */
function crossOrigin(request: FastifyRequest, reply: FastifyReply, json: boolean): FastifyReply {
  const message = 'Cross-origin request refused';
  return json
    ? reply.status(403).send(errorBody(403, message, String(request.id), { code: 'FORBIDDEN' }))
    : sendPage(reply, 'cross-origin', 403, { message });
}

/**
 * Whether the sign-in page should ask, from the page, if its visitor is signed in: only when this
 * navigation came from another site, which SameSite=Strict keeps the cookie from (same-origin,
 * same-site and typed-in navigations carry it, so the server's answer stands and nothing is asked).
 */
function cookieWithheld(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  return site === undefined ? !request.headers.cookie : site === 'cross-site';
}

/**
 * The browser pages (docs/pages.md): sign-in and sign-out, the ops board, the tracking page, and
 * the exchange of the session cookie for a short-lived access token. Plain Fastify routes outside
 * the versioned REST API (like the queue board); the Authenticator decides who is signed in.
 */
export async function mountPages(app: NestFastifyApplication): Promise<void> {
  const auth = app.get(Authenticator);
  const authService = app.get(AuthService);
  const pageSessions = app.get(PageSessions);
  const limiter = app.get(RateLimiter);
  const config = app.get<AppConfig>(APP_CONFIG);
  const fastify = app.getHttpAdapter().getInstance();
  const signedIn = (request: FastifyRequest) => auth.fromSessionCookie(request.headers.cookie);

  await app.register(fastifyStatic as never, {
    root: ASSETS_DIR,
    prefix: '/pages/',
    decorateReply: false,
    index: false,
    cacheControl: true,
    maxAge: '5m',
  });
  for (const [name, file] of loadVendorFiles())
    fastify.get(`${VENDOR_PREFIX}${name}`, (_request, reply) =>
      reply
        .header('content-type', file.type)
        .header('cache-control', 'public, max-age=3600')
        .send(file.body),
    );
  fastify.get(ORDER_LABELS_PATH, (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .send(ORDER_LABELS_MODULE),
  );

  fastify.get<{ Querystring: { next?: string; signedOut?: string } }>(
    SIGN_IN_PATH,
    async (request, reply) => {
      const next = safeNext(request.query.next);
      const principal = await signedIn(request);
      if (principal) return reply.redirect(next ?? homeOf(principal), 303);
      const signedOut = request.query.signedOut !== undefined;
      return sendPage(reply, 'login', 200, {
        next: next ?? '',
        notice: signedOut ? 'You are signed out.' : '',
        probe: !signedOut && cookieWithheld(request) ? 'yes' : 'no',
      });
    },
  );

  // The sign-in page's question when the cookie was withheld from its own request: always a 200
  // (a 401 would be a console error on every visitor's page), with where to go when signed in.
  fastify.get<{ Querystring: { next?: string } }>(
    `${SIGN_IN_PATH}/session`,
    async (request, reply) => {
      const principal = await signedIn(request);
      void reply.header('cache-control', 'no-store');
      return principal
        ? { signedIn: true, next: safeNext(request.query.next) ?? homeOf(principal) }
        : { signedIn: false };
    },
  );

  fastify.post<{ Body: Record<string, unknown> | undefined }>(
    SIGN_IN_PATH,
    async (request, reply) => {
      if (!fromOurOrigin(request)) return crossOrigin(request, reply, false);
      const { email, password } = request.body ?? {};
      const next = safeNext(request.body?.next) ?? '';
      const again = (status: number, error: string) =>
        sendPage(reply, 'login', status, {
          next,
          error,
          email: typeof email === 'string' ? email.slice(0, 254) : '',
        });
      if (typeof email !== 'string' || typeof password !== 'string' || !email || !password)
        return again(400, 'Enter your email and password.');
      if (email.length > 254 || password.length > 1024)
        return again(400, 'Email or password is incorrect.');
      const refused = await authAttemptRefused(limiter, config, request.ip, { email });
      if (refused) {
        void reply.header('retry-after', String(refused.retryAfter));
        return again(429, `Too many attempts; try again in ${refused.retryAfter} s.`);
      }
      try {
        const session = await authService.loginToPages(email, password);
        setSessionCookie(request, reply, config, session);
        return reply.header('cache-control', 'no-store').redirect(next || homeOf(session), 303);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'INVALID_CREDENTIALS')
          return again(401, 'Email or password is incorrect.');
        if (e instanceof DomainError && e.code === 'ACCOUNT_DISABLED')
          return again(403, 'This account is disabled.');
        if (e instanceof DomainError && e.code === 'VALIDATION_FAILED')
          return again(400, e.message);
        throw e;
      }
    },
  );

  fastify.post('/admin/logout', async (request, reply) => {
    if (!fromOurOrigin(request)) return crossOrigin(request, reply, false);
    const principal = await signedIn(request);
    if (principal) await pageSessions.end(principal);
    clearSessionCookie(request, reply, config);
    return reply.header('cache-control', 'no-store').redirect(`${SIGN_IN_PATH}?signedOut=1`, 303);
  });

  // The pages call the REST API (bearer-only) with a short-lived access token of their session,
  // kept in memory; each page path has its own endpoint because the cookie's Path is the page's.
  for (const path of ['/admin/session/token', '/track/session/token']) {
    fastify.post(path, async (request, reply) => {
      if (!fromOurOrigin(request)) return crossOrigin(request, reply, true);
      const principal = await signedIn(request);
      void reply.header('cache-control', 'no-store');
      if (!principal)
        return reply
          .status(401)
          .send(errorBody(401, 'Not signed in', String(request.id), { code: 'UNAUTHORIZED' }));
      return {
        ...pageSessions.accessToken(principal),
        user: { id: principal.userId, role: principal.role },
      };
    });
  }

  fastify.get('/admin/board', async (request, reply) => {
    const principal = await signedIn(request);
    if (!principal) return redirectToSignIn(request, reply);
    if (principal.role !== 'admin')
      return sendPage(reply, 'forbidden', 403, {
        message: 'The ops board is for admins. You are signed in with another role.',
      });
    return sendPage(reply, 'board');
  });

  // The ops console: one shell, one module per page (console-pages.ts).
  for (const page of CONSOLE_PAGES)
    fastify.get(page.path, async (request, reply) => {
      const principal = await signedIn(request);
      if (!principal) return redirectToSignIn(request, reply);
      if (!page.roles.includes(principal.role))
        return sendPage(reply, 'forbidden', 403, {
          message: `${page.title} is for store staff. You are signed in with another role.`,
        });
      return sendPage(reply, 'console', 200, { title: page.title, module: page.module });
    });

  const trackingPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await signedIn(request);
    if (!principal) return redirectToSignIn(request, reply);
    return sendPage(reply, 'track');
  };
  fastify.get('/track', trackingPage);
  fastify.get('/track/:orderId', trackingPage);
}
