import {
  checkTransition,
  FINAL_STATUSES,
  ORDER_STATUSES,
  transitionTable,
  type Actor,
} from './order-state-machine.js';

const ACTORS: Actor[] = ['customer', 'rider', 'admin', 'system'];

describe('order state machine', () => {
  it('has exactly the documented edges', () => {
    expect(transitionTable()).toEqual([
      ['AWAITING_PAYMENT', 'PLACED', ['system']],
      ['AWAITING_PAYMENT', 'CANCELLED', ['customer', 'admin', 'system']],
      ['PLACED', 'PACKED', ['admin', 'system']],
      ['PLACED', 'CANCELLED', ['customer', 'admin', 'system']],
      ['PACKED', 'OUT_FOR_DELIVERY', ['admin', 'system']],
      ['PACKED', 'CANCELLED', ['customer', 'admin', 'system']],
      ['OUT_FOR_DELIVERY', 'DELIVERED', ['rider', 'system']],
      ['OUT_FOR_DELIVERY', 'CANCELLED', ['admin', 'system']],
    ]);
  });

  it('lets nobody leave a final status', () => {
    for (const from of FINAL_STATUSES) {
      for (const to of ORDER_STATUSES) {
        for (const actor of ACTORS) {
          expect(checkTransition(from, to, actor)).toEqual({
            ok: false,
            reason: 'INVALID_TRANSITION',
          });
        }
      }
    }
  });

  it('refuses skipped steps and going back', () => {
    expect(checkTransition('PLACED', 'DELIVERED', 'admin')).toEqual({
      ok: false,
      reason: 'INVALID_TRANSITION',
    });
    expect(checkTransition('PLACED', 'OUT_FOR_DELIVERY', 'system')).toEqual({
      ok: false,
      reason: 'INVALID_TRANSITION',
    });
    expect(checkTransition('PACKED', 'PLACED', 'admin')).toEqual({
      ok: false,
      reason: 'INVALID_TRANSITION',
    });
    expect(checkTransition('PLACED', 'PLACED', 'admin')).toEqual({
      ok: false,
      reason: 'INVALID_TRANSITION',
    });
  });

  it('lets a customer cancel until the order leaves the store, and nothing else', () => {
    expect(checkTransition('PLACED', 'CANCELLED', 'customer')).toEqual({ ok: true });
    expect(checkTransition('PACKED', 'CANCELLED', 'customer')).toEqual({ ok: true });
    expect(checkTransition('OUT_FOR_DELIVERY', 'CANCELLED', 'customer')).toEqual({
      ok: false,
      reason: 'FORBIDDEN',
    });
    expect(checkTransition('PLACED', 'PACKED', 'customer')).toEqual({
      ok: false,
      reason: 'FORBIDDEN',
    });
  });

  it('moves an unpaid online order on only by its capture (the system), never to packing', () => {
    expect(checkTransition('AWAITING_PAYMENT', 'PLACED', 'system')).toEqual({ ok: true });
    for (const actor of ['customer', 'rider', 'admin'] as const)
      expect(checkTransition('AWAITING_PAYMENT', 'PLACED', actor)).toEqual({
        ok: false,
        reason: 'FORBIDDEN',
      });
    for (const to of ['PACKED', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const)
      expect(checkTransition('AWAITING_PAYMENT', to, 'system')).toEqual({
        ok: false,
        reason: 'INVALID_TRANSITION',
      });
    expect(checkTransition('AWAITING_PAYMENT', 'CANCELLED', 'customer')).toEqual({ ok: true });
    expect(checkTransition('PLACED', 'AWAITING_PAYMENT', 'system')).toEqual({
      ok: false,
      reason: 'INVALID_TRANSITION',
    });
  });

  it('lets only riders (and the system) deliver, and riders nothing else', () => {
    expect(checkTransition('OUT_FOR_DELIVERY', 'DELIVERED', 'rider')).toEqual({ ok: true });
    expect(checkTransition('OUT_FOR_DELIVERY', 'DELIVERED', 'admin')).toEqual({
      ok: false,
      reason: 'FORBIDDEN',
    });
    expect(checkTransition('PLACED', 'CANCELLED', 'rider')).toEqual({
      ok: false,
      reason: 'FORBIDDEN',
    });
    expect(checkTransition('PACKED', 'OUT_FOR_DELIVERY', 'rider')).toEqual({
      ok: false,
      reason: 'FORBIDDEN',
    });
  });
});
