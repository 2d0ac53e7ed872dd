import { DomainError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';

const uuid = '3db34d66-ed77-4a1d-be28-915711ff11a2';

describe('cursor', () => {
  it('round-trips a sort key', () => {
    const key = ['2026-11-26T10:00:00.000Z', uuid];
    expect(decodeCursor(encodeCursor(key), ['timestamp', 'uuid'])).toEqual(key);
    expect(decodeCursor(encodeCursor(['1234567890123']), ['int'])).toEqual(['1234567890123']);
  });

  it.each([
    ['not base64 json', 'zzz', ['string']],
    ['wrong arity', encodeCursor(['a']), ['string', 'uuid']],
    ['a forged uuid', encodeCursor(['name', 'not-a-uuid']), ['string', 'uuid']],
    ['a forged timestamp', encodeCursor(['yesterday', uuid]), ['timestamp', 'uuid']],
    ['a forged integer', encodeCursor(['12abc']), ['int']],
    ['an object part', encodeCursor([{ $gt: 1 } as never]), ['string']],
  ] as const)('refuses %s with a 400 domain error', (_name, cursor, shape) => {
    expect(() => decodeCursor(cursor, [...shape])).toThrow(DomainError);
    expect(() => decodeCursor(cursor, [...shape])).toThrow('cursor is invalid');
  });

  it('pages: trims the extra row and points past the last item', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(toPage(rows, 2, (r) => [r.id])).toEqual({
      items: [{ id: 1 }, { id: 2 }],
      nextCursor: encodeCursor([2]),
    });
    expect(toPage(rows, 3, (r) => [r.id])).toEqual({ items: rows, nextCursor: null });
  });
});
