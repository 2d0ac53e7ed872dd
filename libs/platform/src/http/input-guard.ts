import type { FastifyRequest } from 'fastify';
import { BadRequestException } from '@nestjs/common';

/**
 * Deepest JSON nesting a request may carry. Our deepest DTO is 3 levels (order → items → line);
 * class-transformer and class-validator recurse per level, so 20,000 levels overflowed the stack.
 */
export const MAX_JSON_DEPTH = 32;

const NUL = '\u0000';
/** A UTF-16 surrogate without its pair: not Unicode text (JSON's `"\ud800"` makes one). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text no field may hold: NUL (PostgreSQL refuses it) or a lone surrogate (validators threw). */
function unacceptable(text: string): boolean {
  return text.includes(NUL) || LONE_SURROGATE.test(text);
}
const WHAT = 'NUL characters or unpaired surrogates';

/**
 * The text with what `unacceptable` refuses replaced by U+FFFD: for text we must keep although a
 * client did not choose it (a payment provider's signed event).
 */
export function storableText(text: string): string {
  return text.replaceAll(NUL, '\uFFFD').replace(new RegExp(LONE_SURROGATE, 'g'), '\uFFFD');
}

/**
 * Checks what a client sent before any route sees it, once for every route: no NUL character and
 * no unpaired surrogate in a query value or key, a path parameter, or a JSON string or key
 * (PostgreSQL refuses NUL in text and jsonb: it answered 500; validator's isEmail threw on a lone
 * surrogate: 500), and JSON no deeper than MAX_JSON_DEPTH. Empty query values are
 * dropped: `?lat=` means lat is missing (class-transformer had turned it into 0). Headers need no
 * check: Node's HTTP parser refuses NUL in them. Throws a 400 VALIDATION_FAILED naming the field.
 */
export function guardRequestInput(request: FastifyRequest): void {
  const problems: string[] = [];
  const query = request.query as Record<string, unknown> | undefined;
  if (query && typeof query === 'object') {
    for (const [key, value] of Object.entries(query)) {
      if (unacceptable(key)) problems.push(`query parameter names must not contain ${WHAT}`);
      else if (value === '') delete query[key];
      else if (hasUnacceptable(value)) problems.push(`${key} must not contain ${WHAT}`);
    }
  }
  const params = request.params as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(params ?? {})) {
    if (hasUnacceptable(value)) problems.push(`${key} must not contain ${WHAT}`);
  }
  if (request.body !== undefined && request.body !== null && typeof request.body === 'object') {
    checkJson(request.body, problems);
  } else if (typeof request.body === 'string' && unacceptable(request.body)) {
    problems.push(`the body must not contain ${WHAT}`);
  }
  if (problems.length > 0) {
    // A body of 10,000 NUL strings needs no 10,000 messages.
    throw new BadRequestException({ code: 'VALIDATION_FAILED', message: problems.slice(0, 10) });
  }
}

function hasUnacceptable(value: unknown): boolean {
  if (typeof value === 'string') return unacceptable(value);
  return Array.isArray(value) && value.some((v) => typeof v === 'string' && unacceptable(v));
}

/** An iterative walk (a recursive one would overflow on exactly the input it guards against). */
function checkJson(root: object, problems: string[]): void {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 1 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (unacceptable(value)) problems.push(`${path || 'body'} must not contain ${WHAT}`);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) {
      problems.push(`body must not be nested deeper than ${MAX_JSON_DEPTH} levels`);
      return;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        stack.push({ value: value[i], path: `${path}.${i}`.replace(/^\./, ''), depth: depth + 1 });
      }
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (unacceptable(key)) {
        problems.push(
          `${path ? `${path}.` : ''}property names must not contain ${WHAT} (${JSON.stringify(key)})`,
        );
        continue;
      }
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
}
