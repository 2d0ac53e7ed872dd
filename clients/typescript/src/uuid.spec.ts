import { createFlashCartClient } from './index.js';
import { uuidV4, type UuidCrypto } from './uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const webCrypto = globalThis.crypto;
/** Web Crypto as a page served over plain http on a LAN address has it: no randomUUID. */
const insecureContextCrypto = (): UuidCrypto => ({
  getRandomValues: (array) => webCrypto.getRandomValues(array),
});

describe('uuidV4', () => {
  it('builds a version 4 UUID from random bytes when randomUUID is missing', () => {
    const keys = Array.from({ length: 2000 }, () => uuidV4(insecureContextCrypto()));
    for (const key of keys) expect(key).toMatch(V4);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('sets only the version and variant bits of the bytes it is given', () => {
    const allOnes: UuidCrypto = { getRandomValues: (array) => array.fill(0xff) };
    const allZeros: UuidCrypto = { getRandomValues: (array) => array.fill(0) };
    expect(uuidV4(allOnes)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidV4(allZeros)).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('uses randomUUID where the context has it', () => {
    expect(uuidV4({ ...insecureContextCrypto(), randomUUID: () => 'from-randomUUID' })).toBe(
      'from-randomUUID',
    );
  });
});

describe('placeOrder outside a secure context', () => {
  const secure = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!;
  beforeEach(() =>
    Object.defineProperty(globalThis, 'crypto', {
      value: insecureContextCrypto(),
      configurable: true,
    }),
  );
  afterEach(() => Object.defineProperty(globalThis, 'crypto', secure));

  it('sends a version 4 Idempotency-Key (crypto.randomUUID is undefined there)', async () => {
    expect(globalThis.crypto.randomUUID).toBeUndefined();
    const keys: (string | null)[] = [];
    const fetch = async (request: Request) => {
      keys.push(request.headers.get('idempotency-key'));
      return new Response('{"id":"o1"}', {
        status: 201,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = createFlashCartClient({ baseUrl: 'http://192.168.1.20:3000', fetch });
    const address = { line1: 'x', city: 'y', pincode: '560038', lat: 12.97, lng: 77.64 };
    const items = [{ productId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', quantity: 1 }];
    await expect(client.placeOrder({ items, address })).resolves.toEqual({ id: 'o1' });
    expect(keys).toEqual([expect.stringMatching(V4)]);
  });
});
