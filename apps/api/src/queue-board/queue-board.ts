import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { Authenticator } from '#libs/auth';
import { QUEUES } from '#libs/jobs';
import { errorBody } from '#libs/platform';
import { sendPage } from '../pages/page-files.js';
import { fromOurOrigin, isNavigation, redirectToSignIn } from '../pages/page-session.js';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Bull Board (queues, failed jobs, retries) at /admin/queues. It is a Fastify plugin outside
 * Nest's guards, so an onRequest hook admits only a live admin: a bearer token, or in a browser
 * the pages' session cookie (401/403 in the usual error shape; a browser navigation is sent to
 * sign in, or shown the 403 page). (@bull-board/nestjs is CommonJS requiring the ESM-only NestJS 12,
 * which jest cannot load, so the plugin is registered directly.)
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const auth = app.get(Authenticator);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(QUEUE_BOARD_ROUTE)) return;
    // API use sends a bearer token; a browser has the pages' session cookie instead.
    const bearer = request.headers.authorization !== undefined;
    const principal = bearer
      ? await auth.fromAuthorizationHeader(request.headers.authorization)
      : await auth.fromSessionCookie(request.headers.cookie);
    const page = !bearer && isNavigation(request);
    if (!principal && page) return redirectToSignIn(request, reply);
    if (principal?.role === 'admin') {
      // The cookie rides along on any same-site request: retries, cleans and pauses must come
      // from the board's own page (CSRF).
      if (bearer || SAFE_METHODS.has(request.method) || fromOurOrigin(request)) return;
      return reply.status(403).send(
        errorBody(403, 'Cross-origin request refused', String(request.id), {
          code: 'FORBIDDEN',
        }),
      );
    }
    if (principal && page)
      return sendPage(reply, 'forbidden', 403, { message: 'The queue board is for admins.' });
    const status = principal ? 403 : 401;
    const message = principal
      ? 'This requires the admin role'
      : 'A valid admin access token (or page session) is required';
    return reply.status(status).send(
      errorBody(status, message, String(request.id), {
        code: principal ? 'FORBIDDEN' : 'UNAUTHORIZED',
      }),
    );
  });

  // Bull Board's page links Google Fonts: nothing may load from outside the server (the CSP
  // refuses it anyway), so the link goes and its fallback fonts are used.
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (
      typeof payload !== 'string' ||
      !request.url.startsWith(QUEUE_BOARD_ROUTE) ||
      !String(reply.getHeader('content-type')).includes('text/html')
    )
      return payload;
    return payload.replace(/<link[^>]+\/\/fonts\.(googleapis|gstatic)\.com[^>]*>/g, '');
  });

  const board = new FastifyAdapter();
  board.setBasePath(QUEUE_BOARD_ROUTE);
  createBullBoard({
    queues: Object.values(QUEUES).map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
    ),
    serverAdapter: board,
  });
  await app.register(board.registerPlugin() as never, { prefix: QUEUE_BOARD_ROUTE });
}
