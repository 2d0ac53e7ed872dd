import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '#libs/platform';

/** The required `Idempotency-Key` header (1..255 visible ASCII characters). */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => {
    const value = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    if (typeof value !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(value)) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Idempotency-Key header is required (1-255 visible ASCII characters)',
      );
    }
    return value;
  },
);
