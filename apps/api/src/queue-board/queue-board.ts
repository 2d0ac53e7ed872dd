import { getQueueToken } from '@nestjs/bullmq';
import { FastifyAdapter as NestFastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '#libs/auth';
import { QUEUES } from '#libs/jobs';
import { errorBody } from '#libs/platform';
import { sendPage } from '../pages/page-files.js';
import { fromOurOrigin, isNavigation, redirectToSignIn } from '../pages/page-session.js';

export const QUEUE_BOARD_ROUTE = '/admin/queues';
/** The board's routes as the router matches them (also what its CSP is chosen by). */
export const QUEUE_BOARD_ROUTES = [QUEUE_BOARD_ROUTE, `${QUEUE_BOARD_ROUTE}/*`] as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * The longest the board may take to answer: its reads wait for Redis (BullMQ's connections queue
 * commands until it is back), so without a bound an outage hung every board request.
 */
const BOARD_DEADLINE_MS = 5_000;

/**
 * Bull Board (queues, failed jobs, retries) at /admin/queues. It is a Fastify plugin outside
 * Nest's guards, so an onRequest hook of its routes admits only a live admin: a bearer token, or in a browser
 * the pages' session cookie (401/403 in the usual error shape; a browser navigation is sent to
 * sign in, or shown the 403 page). (@bull-board/nestjs is CommonJS requiring the ESM-only NestJS 12,
 * which jest cannot load, so the plugin is registered directly.)
 *
 * The board is loaded on the first request an admin makes to it: @bull-board/api (lodash,
 * valibot, …) is about 3 MB of heap that an api instance otherwise never uses. A running Fastify
 * takes no new routes, so the board lives in a Fastify instance of its own, built then, and the
 * routes here hand it each request (after the hooks above) and send back its answer.
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const auth = app.get(Authenticator);
  const fastify = app.getHttpAdapter().getInstance();

  // A hook of the board's own routes, so it runs for every request the router hands them,
  // however the path was spelled (a prefix test on the raw URL let `/admin/%71ueues/...` through).
  const adminsOnly = async (request: FastifyRequest, reply: FastifyReply) => {
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
  };

  // Bull Board's page links Google Fonts: nothing may load from outside the server (the CSP
  // refuses it anyway), so the link goes and its fallback fonts are used.
  const withoutFontLinks = async (
    _request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
  ) =>
    typeof payload === 'string' && String(reply.getHeader('content-type')).includes('text/html')
      ? payload.replace(/<link[^>]+\/\/fonts\.(googleapis|gstatic)\.com[^>]*>/g, '')
      : payload;

  const queues = Object.values(QUEUES).map((name) =>
    app.get<Queue>(getQueueToken(name), { strict: false }),
  );
  const unavailable = (request: FastifyRequest, reply: FastifyReply) =>
    reply.status(503).send(
      errorBody(503, 'The queues cannot be read: Redis is not answering', String(request.id), {
        code: 'SERVICE_UNAVAILABLE',
      }),
    );

  let board: Promise<FastifyInstance> | undefined;
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    // Redis known to be away: answer now rather than queue the board's reads behind the outage.
    if (!(await queuesConnected(queues))) return unavailable(request, reply);
    board ??= loadBoard(app).catch((err: unknown) => {
      board = undefined; // the next request tries again
      throw err;
    });
    const instance = await board;
    // Redis lost without the connection noticing yet, or too slow: the deadline answers.
    const res = await withinDeadline(
      instance.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: withoutHopHeaders(request.headers),
        // Fastify parsed the body (JSON); the board parses it again.
        ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
      }),
      BOARD_DEADLINE_MS,
    );
    if (!res) return unavailable(request, reply);
    if (res.headers[NOT_A_BOARD_ROUTE]) return reply.callNotFound(); // our 404, in our error shape
    reply.status(res.statusCode).headers(withoutHopHeaders(res.headers));
    // HTML as text, so that withoutFontLinks can take the fonts link out.
    const html = String(res.headers['content-type']).includes('text/html');
    return reply.send(html ? res.payload : res.rawPayload);
  };
  for (const url of QUEUE_BOARD_ROUTES)
    fastify.all(url, { onRequest: adminsOnly, onSend: withoutFontLinks }, forward);
}

/** Bull Board over the app's queues, in a Fastify instance of its own, ready to answer. */
async function loadBoard(app: NestFastifyApplication): Promise<FastifyInstance> {
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
  ]);
  const board = new FastifyAdapter();
  board.setBasePath(QUEUE_BOARD_ROUTE);
  createBullBoard({
    queues: Object.values(QUEUES).map(
      (name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name), { strict: false })),
    ),
    serverAdapter: board,
  });
  const instance = new NestFastifyAdapter().getInstance() as unknown as FastifyInstance;
  await instance.register(board.registerPlugin() as never, { prefix: QUEUE_BOARD_ROUTE });
  instance.setNotFoundHandler((_request, reply) => reply.header(NOT_A_BOARD_ROUTE, '1').send());
  await instance.ready();
  return instance;
}

const NOT_A_BOARD_ROUTE = 'x-not-a-board-route';

/** Whether every queue's Redis connection is up (ioredis' status; an unopened one is waited for briefly). */
async function queuesConnected(queues: Queue[]): Promise<boolean> {
  const clients = await withinDeadline(
    Promise.all(queues.map((queue) => queue.getBackend().client)),
    1_000,
  );
  return clients?.every((client) => client.status === 'ready') ?? false;
}

/** The promise's value, or undefined once `ms` have passed (the promise is left to settle). */
async function withinDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Headers that describe one connection or one encoding of the body, not the message. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
  'host',
]);

function withoutHopHeaders(headers: Record<string, unknown>): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_HEADERS.has(name.toLowerCase()))
      result[name] = Array.isArray(value) ? value.map(String) : String(value);
  return result;
}
