import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';

/**
 * What a client sends when it has nothing to send: no body, an empty one, `{}` or `null` (which
 * a route with a body of optional fields takes as `{}`, through the ValidationPipe). An empty
 * string is nothing only as an empty text body: parsed from JSON it was `""`, a value sent.
 */
function isEmpty({ body, headers }: FastifyRequest): boolean {
  if (body === undefined || body === null) return true;
  if (body === '') return !headers['content-type']?.toLowerCase().startsWith('application/json');
  return (
    typeof body === 'object' &&
    !Array.isArray(body) &&
    !Buffer.isBuffer(body) &&
    Object.keys(body).length === 0
  );
}

/**
 * A route whose handler declares no body (no @Body(), so none in openapi.json) refuses one, once
 * for every route: a client that sends `{ "reason": … }` to a route that reads nothing learns it
 * at once instead of believing it was heard (400 VALIDATION_FAILED); nothing to send passes. An
 * interceptor, so it runs where validation does: after the guards (401/403 first), before the
 * pipes. Plain Fastify routes (pages, the payment webhook) are not Nest handlers: they read what
 * they need.
 */
@Injectable()
export class UndeclaredBodyInterceptor implements NestInterceptor {
  /** Handler → whether it declares a body (a parameter decorated @Body() or @RawBody()). */
  private readonly declared = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      if (!isEmpty(request) && !this.declaresBody(context))
        throw new BadRequestException({
          code: 'VALIDATION_FAILED',
          message: ['this route takes no body (send none, or {})'],
        });
    }
    return next.handle();
  }

  private declaresBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let declared = this.declared.get(handler);
    if (declared === undefined) {
      const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ??
        {}) as Record<string, unknown>;
      // Keys are `${paramtype}:${index}`.
      const body = [`${RouteParamtypes.BODY}:`, `${RouteParamtypes.RAW_BODY}:`];
      declared = Object.keys(params).some((key) => body.some((type) => key.startsWith(type)));
      this.declared.set(handler, declared);
    }
    return declared;
  }
}
