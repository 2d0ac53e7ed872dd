import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from '../errors/error-body.js';
import { strictSecurityHeaders } from './security-headers.js';

/** Built once: helmet's headers do not depend on the request. */
const SECURITY_HEADERS = strictSecurityHeaders()
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');
const HEAD = Buffer.from('HEAD ');

/** Node's parse errors carry the bytes it had read (`rawPacket`). */
type ClientError = NodeJS.ErrnoException & { rawPacket?: unknown };

/**
 * What Node's HTTP parser refuses before any route runs (a request line or headers over
 * maxHeaderSize: 431; a request that timed out: 408; malformed HTTP: 400) is answered here, on
 * the raw socket, in the one error shape with a fresh request id (Fastify's default wrote
 * neither), with the security headers every response has. An answer to HEAD has no body (a
 * client reads none, and would take it for the next response). Installed as Fastify's
 * `clientErrorHandler`.
 */
export function answerClientError(err: ClientError, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'HEADERS_TOO_LARGE', 'The request line and headers exceed the allowed size']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive']
        : [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP'];
  const requestId = randomUUID();
  const body = JSON.stringify(errorBody(status, message, requestId, { code }));
  // What the parser had read of the request (absent for a timeout): its method, if HEAD.
  const head = Buffer.isBuffer(err.rawPacket) && err.rawPacket.subarray(0, 5).equals(HEAD);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        SECURITY_HEADERS +
        `Connection: close\r\n\r\n${head ? '' : body}`,
    );
  }
  socket.destroy(err);
}
