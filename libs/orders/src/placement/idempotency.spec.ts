import { DomainError } from '#libs/platform';
import { canonicalJson, requestHash, storedResponse } from './idempotency.js';

describe('request hashing', () => {
  it('ignores key order and undefined fields, not values or array order', () => {
    const a = { items: [{ productId: 'p1', quantity: 2 }], address: { city: 'X', lat: 1 } };
    const b = {
      address: { lat: 1, city: 'X' },
      note: undefined,
      items: [{ quantity: 2, productId: 'p1' }],
    };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).not.toBe(requestHash({ ...a, note: 'leave at door' }));
    expect(requestHash({ items: [{ productId: 'p1' }, { productId: 'p2' }] })).not.toBe(
      requestHash({ items: [{ productId: 'p2' }, { productId: 'p1' }] }),
    );
  });
});

describe('storedResponse', () => {
  const row = {
    request_hash: requestHash({ a: 1 }),
    response_status: 201,
    response_body: { id: 'o1' },
  };

  it('is the stored response when the body is the same', () => {
    expect(storedResponse(row, requestHash({ a: 1 }))).toEqual({ status: 201, body: { id: 'o1' } });
  });

  it('is nothing when nothing was stored', () => {
    expect(storedResponse(undefined, requestHash({ a: 1 }))).toBeUndefined();
  });

  it('refuses the key with another body (422 IDEMPOTENCY_KEY_REUSED)', () => {
    let refusal: unknown;
    try {
      storedResponse(row, requestHash({ a: 2 }));
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
