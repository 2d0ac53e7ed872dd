import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { Authenticator } from '#libs/auth';
import { QUEUES } from '#libs/jobs';
import { errorBody } from '#libs/platform';

export const QUEUE_BOARD_ROUTE = '/admin/queues';

/**
 * Bull Board (queues, failed jobs, retries) at /admin/queues. It is a Fastify plugin outside
 * Nest's guards, so an onRequest hook admits only a live admin bearer token (401/403 otherwise,
 * in the usual error shape). (@bull-board/nestjs is CommonJS requiring the ESM-only NestJS 12,
 * which jest cannot load, so the plugin is registered directly.)
 */
export async function mountQueueBoard(app: NestFastifyApplication): Promise<void> {
  const auth = app.get(Authenticator);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(QUEUE_BOARD_ROUTE)) return;
    const principal = await auth.fromAuthorizationHeader(request.headers.authorization);
    if (!principal || principal.role !== 'admin') {
      const status = principal ? 403 : 401;
      const message = principal
        ? 'This requires the admin role'
        : 'A valid admin access token is required';
      return reply.status(status).send(
        errorBody(status, message, String(request.id), {
          code: principal ? 'FORBIDDEN' : 'UNAUTHORIZED',
        }),
      );
    }
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
