import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequestOptions {
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP request with the path sent byte for byte as given (fetch and URL normalise `/./`,
 * `..` and some escapes away, as a browser would; an attacker's client does not). No redirect is
 * followed.
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const hex = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Spellings of a path that a router or a proxy might take for the same resource (or that a
 * prefix check on the raw URL might miss): a letter of each segment percent-encoded (upper and
 * lower hex), double-encoded, other letter cases, doubled slashes, `/./` and `..` segments, a
 * trailing slash. Each comes with what it varies, for the failure message.
 */
export function pathVariants(path: string): { kind: string; path: string }[] {
  const [pathname, query] = path.split('?', 2) as [string, string | undefined];
  const q = query === undefined ? '' : `?${query}`;
  const segments = pathname.split('/').slice(1);
  const variants: { kind: string; path: string }[] = [];
  const withSegment = (i: number, segment: string) =>
    `/${segments.map((s, j) => (j === i ? segment : s)).join('/')}${q}`;
  segments.forEach((segment, i) => {
    const letter = segment.search(/[A-Za-z]/);
    if (letter < 0) return;
    const c = segment[letter]!;
    const at = (replacement: string) =>
      withSegment(i, segment.slice(0, letter) + replacement + segment.slice(letter + 1));
    variants.push({ kind: `encoded segment ${i}`, path: at(hex(c)) });
    variants.push({ kind: `encoded (lower hex) segment ${i}`, path: at(hex(c).toLowerCase()) });
    variants.push({ kind: `double-encoded segment ${i}`, path: at(`%25${hex(c).slice(1)}`) });
    variants.push({ kind: `upper-case segment ${i}`, path: withSegment(i, segment.toUpperCase()) });
    variants.push({
      kind: `one letter swapped case, segment ${i}`,
      path: at(c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()),
    });
  });
  variants.push({
    kind: 'every letter encoded',
    path: `${pathname.replace(/[A-Za-z]/g, hex)}${q}`,
  });
  variants.push({ kind: 'leading //', path: `/${pathname}${q}` });
  if (segments.length > 1) {
    variants.push({
      kind: 'inner //',
      path: `/${segments[0]}//${segments.slice(1).join('/')}${q}`,
    });
    variants.push({
      kind: 'inner /./',
      path: `/${segments[0]}/./${segments.slice(1).join('/')}${q}`,
    });
    variants.push({
      kind: 'inner /x/../',
      path: `/${segments[0]}/x/../${segments.slice(1).join('/')}${q}`,
    });
    variants.push({
      kind: 'encoded slash',
      path: `/${segments[0]}%2F${segments.slice(1).join('/')}${q}`,
    });
  }
  variants.push({ kind: 'leading /./', path: `/.${pathname}${q}` });
  variants.push({ kind: 'trailing /', path: `${pathname}/${q}` });
  variants.push({ kind: 'trailing /.', path: `${pathname}/.${q}` });
  variants.push({ kind: 'trailing %2F', path: `${pathname}%2F${q}` });
  return variants;
}

/**
 * Bytes written on a plain TCP socket, and everything the server sent back until it closed:
 * for requests an HTTP client will not send (a request target not starting with `/`), and to see
 * exactly what follows the headers (an HTTP client skips a HEAD response's body).
 */
export function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no close within 10 s')));
  });
}
