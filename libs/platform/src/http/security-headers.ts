import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import helmet from 'helmet';

/** Our pages: scripts, styles and fonts only from files this server serves; nothing inline. */
const STRICT = {
  defaultSrc: [`'self'`],
  scriptSrc: [`'self'`],
  styleSrc: [`'self'`],
  imgSrc: [`'self'`, 'data:'],
  fontSrc: [`'self'`, 'data:'],
};

/**
 * The content security policies a route may answer with. Every response gets `strict` unless
 * its matched route was given another (configureHttpApp's `contentSecurityPolicies`).
 * No page needs an inline script: Swagger UI's page and Bull Board's were checked in Chromium
 * (test/content-security-policy.e2e-spec.ts), and refused only inline styles.
 */
export const CONTENT_SECURITY_POLICIES = {
  strict: STRICT,
  // Pages we serve but do not write: Swagger UI's (Nest's template has `<style>` blocks) and
  // Bull Board's (its loading screen has `style` attributes, its components set styles inline).
  inlineStyles: { ...STRICT, styleSrc: [`'self'`, `'unsafe-inline'`] },
} as const;

export type ContentSecurityPolicyName = keyof typeof CONTENT_SECURITY_POLICIES;

/**
 * The strict policy's headers as helmet sets them, for an answer written on the raw socket
 * before any request exists (answerClientError): every response carries them, that one too.
 */
export function strictSecurityHeaders(): [string, string][] {
  const headers: [string, string][] = [];
  const response = {
    setHeader: (name: string, value: string) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  helmet({ contentSecurityPolicy: { directives: STRICT } })(
    {} as never,
    response as never,
    () => undefined,
  );
  return headers;
}

/**
 * An onRequest hook setting helmet's security headers, with the CSP chosen by the matched route
 * (`request.routeOptions.url`, e.g. `/admin/queues/*`): never by the raw URL, which can spell a
 * path many ways. Each policy's helmet is built once: @fastify/helmet rebuilds helmet and
 * re-parses the CSP on every request (measured: a tenth of a cached catalog read's CPU).
 */
export function securityHeaders(
  policyByRoute: ReadonlyMap<string, ContentSecurityPolicyName> = new Map(),
) {
  const handlers = new Map(
    Object.entries(CONTENT_SECURITY_POLICIES).map(([name, directives]) => [
      name,
      helmet({ contentSecurityPolicy: { directives } }),
    ]),
  );
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const route = request.routeOptions.url;
    const name = (route === undefined ? undefined : policyByRoute.get(route)) ?? 'strict';
    handlers.get(name)!(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  };
}
