import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger } from '@nestjs/common';
import { DomainError, errorBody, httpStatusOf } from '#libs/platform';
import { PaymentWebhooks, STRIPE_WEBHOOK_PATH } from '#libs/payments';

/** Larger than any event Stripe sends about a payment. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

/**
 * The provider's webhook: a plain Fastify route outside the REST API (listed in the fuzz suite's
 * NON_API_ROUTES), public (the signature is the authentication), with its own parser that keeps
 * the raw body: the signature is over the exact bytes sent, which a JSON parse would lose.
 * 200 once stored (also for a duplicate); 400 WEBHOOK_SIGNATURE_INVALID, nothing written.
 */
export async function mountPaymentWebhooks(app: NestFastifyApplication): Promise<void> {
  const webhooks = app.get(PaymentWebhooks);
  const logger = new Logger('PaymentWebhookRoute');
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  await fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(STRIPE_WEBHOOK_PATH, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      try {
        const receipt = await webhooks.receive(
          raw,
          typeof signature === 'string' ? signature : undefined,
        );
        return reply.status(200).send({ received: true, duplicate: receipt.duplicate });
      } catch (caught) {
        // Anything else (the database away): nothing was committed, so 503 asks the provider to
        // deliver it again later; never a 500.
        if (!(caught instanceof DomainError)) logger.error({ err: caught }, 'webhook not applied');
        const err =
          caught instanceof DomainError
            ? caught
            : new DomainError('SERVICE_UNAVAILABLE', 'Not applied; deliver it again later');
        const status = httpStatusOf(err.code);
        return reply
          .status(status)
          .send(errorBody(status, err.message, String(request.id), { code: err.code }));
      }
    });
  });
}
