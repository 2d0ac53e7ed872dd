import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { AuthService, Authenticator, PageSessions, type Principal } from '#libs/auth';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { DomainError, errorBody } from '#libs/platform';
import { RateLimiter } from '#libs/redis';
import { authAttemptRefused } from '../auth/auth-rate-limit.guard.js';
import { ASSETS_DIR, SOCKET_IO_CLIENT, sendPage } from './page-files.js';
import {
  clearSessionCookie,
  fromOurOrigin,
  redirectToSignIn,
  safeNext,
  setSessionCookie,
  SIGN_IN_PATH,
} from './page-session.js';

/** Where a user lands after signing in when no page asked for it. */
const homeOf = (principal: Pick<Principal, 'role'>) =>
  principal.role === 'admin' ? '/admin/board' : '/track';

/** A cross-origin state-changing request: refused before anything else is looked at. */
function crossOrigin(request: FastifyRequest, reply: FastifyReply, json: boolean): FastifyReply {
  const message = 'Cross-origin request refused';
  return json
    ? reply.status(403).send(errorBody(403, message, String(request.id), { code: 'FORBIDDEN' }))
    : sendPage(reply, 'forbidden', 403, { message });
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
  const socketClient = readFileSync(SOCKET_IO_CLIENT);
  fastify.get('/pages/vendor/socket.io.esm.min.js', (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(socketClient),
  );

  fastify.get<{ Querystring: { next?: string; signedOut?: string } }>(
    SIGN_IN_PATH,
    async (request, reply) => {
      const next = safeNext(request.query.next);
      const principal = await signedIn(request);
      if (principal) return reply.redirect(next ?? homeOf(principal), 303);
      return sendPage(reply, 'login', 200, {
        next: next ?? '',
        notice: request.query.signedOut !== undefined ? 'You are signed out.' : '',
      });
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

  const trackingPage = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await signedIn(request);
    if (!principal) return redirectToSignIn(request, reply);
    return sendPage(reply, 'track');
  };
  fastify.get('/track', trackingPage);
  fastify.get('/track/:orderId', trackingPage);
}
