import { assertDocumentedResponse } from './openapi.js';

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as-is instead of JSON-encoding `body`. */
  raw?: string;
}

/**
 * A thin fetch wrapper for e2e tests: JSON in, JSON out, real HTTP. Every response of a
 * documented operation is checked against openapi.json: a mismatch throws (the test fails there).
 */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed = (type.includes('json') && text ? JSON.parse(text) : text) as T;
    assertDocumentedResponse(method, path, response.status, parsed);
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body, options);
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body, options);
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }
}

/** Asserts the one error body shape every FlashCart error has. */
export function expectErrorShape(result: HttpResult, status: number): void {
  expect(result.status).toBe(status);
  expect(result.body).toEqual(
    expect.objectContaining({
      statusCode: status,
      error: expect.any(String),
      message: expect.anything(),
      requestId: expect.any(String),
    }),
  );
  expect(result.headers.get('x-request-id')).toBe(result.body.requestId);
}

/**
 * fetch for `@flashcart/client` in e2e tests: the same openapi.json check as HttpClient on every
 * response, and a record of the requests made (method and path).
 */
export function documentedFetch(requests: string[] = []): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    requests.push(`${request.method} ${url.pathname}`);
    const response = await fetch(request);
    const text = await response.clone().text();
    const type = response.headers.get('content-type') ?? '';
    const body = type.includes('json') && text ? JSON.parse(text) : text;
    assertDocumentedResponse(request.method, `${url.pathname}${url.search}`, response.status, body);
    return response;
  };
}
