import {
  ApiError,
  createFlashCartClient,
  MemoryTokenStore,
  NetworkError,
  SessionExpiredError,
  unwrap,
} from './index.js';

/** A fake API: `/v1/auth/refresh` rotates tokens; other routes accept only the current token. */
function fakeApi(options: { refreshAnswer?: () => Response; failFirstPlacement?: boolean } = {}) {
  let generation = 1;
  const calls: { path: string; auth: string | null; key: string | null }[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const error = (status: number, code: string, extra: object = {}) =>
    json(status, { statusCode: status, error: 'x', code, message: code, requestId: 'r', ...extra });
  let failNext = options.failFirstPlacement ?? false;
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    calls.push({
      path,
      auth: request.headers.get('authorization'),
      key: request.headers.get('idempotency-key'),
    });
    await new Promise((r) => setTimeout(r, 5));
    if (path === '/v1/auth/refresh') {
      if (options.refreshAnswer) return options.refreshAnswer();
      const { refreshToken } = (await request.json()) as { refreshToken: string };
      if (refreshToken !== `r${generation}`) return error(401, 'REFRESH_TOKEN_REUSED');
      generation++;
      return json(200, {
        user: {},
        accessToken: `a${generation}`,
        refreshToken: `r${generation}`,
        expiresIn: 60,
      });
    }
    if (request.headers.get('authorization') !== `Bearer a${generation}`)
      return error(401, 'UNAUTHORIZED');
    if (path === '/v1/orders' && request.method === 'POST') {
      const body = await request.text();
      if (failNext) {
        failNext = false;
        throw new TypeError('fetch failed'); // the connection dropped after the server got it
      }
      if (body.includes('"quantity":99'))
        return error(409, 'INSUFFICIENT_STOCK', {
          items: [{ productId: 'p', requested: 99, available: 1 }],
        });
      return json(201, { id: 'o1' });
    }
    return json(200, { items: [], nextCursor: null });
  };
  return { fetch, calls };
}

async function signedInClient(
  api: ReturnType<typeof fakeApi>,
  tokens = { accessToken: 'stale', refreshToken: 'r1' },
) {
  const store = new MemoryTokenStore();
  store.set(tokens);
  const expired: SessionExpiredError[] = [];
  const client = createFlashCartClient({
    baseUrl: 'http://api.test',
    fetch: api.fetch,
    tokenStore: store,
    onSessionExpired: (e) => expired.push(e),
  });
  return { client, store, expired };
}

describe('@flashcart/client auth', () => {
  it('refreshes once for concurrent 401s and retries each call once with the new token', async () => {
    const api = fakeApi();
    const { client, store } = await signedInClient(api);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        unwrap(client.rest.GET('/v1/orders', { params: { query: {} } })),
      ),
    );
    expect(results).toHaveLength(5);
    expect(api.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(1);
    const orderCalls = api.calls.filter((c) => c.path === '/v1/orders');
    expect(orderCalls.map((c) => c.auth).sort()).toEqual([
      ...Array(5).fill('Bearer a2'),
      ...Array(5).fill('Bearer stale'),
    ]);
    expect(store.get()).toEqual({ accessToken: 'a2', refreshToken: 'r2' });
  });

  it('raises SessionExpiredError and clears the store when the server detects reuse', async () => {
    const api = fakeApi();
    const { client, store, expired } = await signedInClient(api, {
      accessToken: 'stale',
      refreshToken: 'r0',
    });
    const calls = Promise.all([
      unwrap(client.rest.GET('/v1/orders', { params: { query: {} } })),
      unwrap(client.rest.GET('/v1/auth/me')),
    ]);
    await expect(calls).rejects.toBeInstanceOf(SessionExpiredError);
    await expect(calls).rejects.toMatchObject({ reason: 'REFRESH_TOKEN_REUSED' });
    expect(api.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(1);
    expect(store.get()).toBeNull();
    expect(expired).toHaveLength(1);
  });

  it('keeps the session when the refresh fails for a passing reason (503)', async () => {
    const api = fakeApi({
      refreshAnswer: () =>
        new Response(
          JSON.stringify({
            statusCode: 503,
            error: 'x',
            code: 'DATABASE_UNAVAILABLE',
            message: 'm',
            requestId: 'r',
          }),
          {
            status: 503,
            headers: { 'content-type': 'application/json' },
          },
        ),
    });
    const { client, store } = await signedInClient(api);
    await expect(unwrap(client.rest.GET('/v1/auth/me'))).rejects.toMatchObject({
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
    });
    expect(store.get()).toEqual({ accessToken: 'stale', refreshToken: 'r1' });
  });

  it('does not refresh when the 401 is an answer (wrong password)', async () => {
    const api = fakeApi();
    const { client } = await signedInClient(api);
    await expect(client.login('a@b.c', 'wrong')).rejects.toBeInstanceOf(ApiError);
    expect(api.calls.filter((c) => c.path === '/v1/auth/refresh')).toHaveLength(0);
  });
});

describe('@flashcart/client placeOrder', () => {
  const body = {
    items: [{ productId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', quantity: 1 }],
    address: { line1: 'x', city: 'y', pincode: '560038', lat: 12.9, lng: 77.6 },
  };

  it('generates a key per call and reuses it when retrying after a network error', async () => {
    const api = fakeApi({ failFirstPlacement: true });
    const { client } = await signedInClient(api, { accessToken: 'a1', refreshToken: 'r1' });
    await expect(client.placeOrder(body)).resolves.toEqual({ id: 'o1' });
    await client.placeOrder(body);
    const keys = api.calls.filter((c) => c.path === '/v1/orders').map((c) => c.key);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('gives up after its retries with a NetworkError, and uses a given key', async () => {
    const failing = async () => {
      throw new TypeError('fetch failed');
    };
    const client = createFlashCartClient({ baseUrl: 'http://api.test', fetch: failing });
    await expect(
      client.placeOrder(body, { idempotencyKey: 'k', retries: 1 }),
    ).rejects.toBeInstanceOf(NetworkError);
  });

  it('types errors as a union on code: INSUFFICIENT_STOCK carries items', async () => {
    const api = fakeApi();
    const { client } = await signedInClient(api, { accessToken: 'a1', refreshToken: 'r1' });
    const error = await client
      .placeOrder({ ...body, items: [{ ...body.items[0], quantity: 99 }] })
      .catch((e: unknown) => e);
    expect(ApiError.is(error, 'INSUFFICIENT_STOCK')).toBe(true);
    if (ApiError.is(error, 'INSUFFICIENT_STOCK'))
      expect(error.body.items).toEqual([{ productId: 'p', requested: 99, available: 1 }]);
    if (error instanceof ApiError && error.body.code === 'INSUFFICIENT_STOCK')
      expect(error.body.items?.[0].available).toBe(1);
  });
});
