import { storable } from './storable-event.js';

describe('storable (a signed provider event as PostgreSQL can keep it)', () => {
  it('replaces NUL and unpaired surrogates in every string and key, and keeps everything else', () => {
    const event = {
      id: 'evt_1',
      amount: 13000,
      paid: true,
      none: null,
      lines: ['ok', 'a\u0000b', '\ud800'],
      ['k\u0000']: { name: 'Bob \udc00', emoji: '\ud83d\ude00' },
    };
    expect(storable(event)).toEqual({
      id: 'evt_1',
      amount: 13000,
      paid: true,
      none: null,
      lines: ['ok', 'a\ufffdb', '\ufffd'],
      ['k\ufffd']: { name: 'Bob \ufffd', emoji: '\ud83d\ude00' },
    });
  });
});
