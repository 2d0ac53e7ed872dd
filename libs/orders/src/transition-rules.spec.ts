import type { Refusal } from '#libs/platform';
import type { Order } from './order.entity.js';
import { movedOrder, transitionRefusal } from './transition-rules.js';

const codeOf = (e: Refusal | null) => e?.code ?? 'ok';

describe('order transitions (decisions)', () => {
  it('lets each actor take the edges open to it and nothing else', () => {
    expect(codeOf(transitionRefusal('PLACED', { to: 'CANCELLED' }, { role: 'customer' }))).toBe(
      'ok',
    );
    expect(codeOf(transitionRefusal('PLACED', { to: 'PACKED' }, { role: 'customer' }))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(transitionRefusal('OUT_FOR_DELIVERY', { to: 'DELIVERED' }, { role: 'rider' })),
    ).toBe('ok');
    expect(
      codeOf(transitionRefusal('OUT_FOR_DELIVERY', { to: 'CANCELLED' }, { role: 'customer' })),
    ).toBe('FORBIDDEN');
  });

  it('answers a move with no edge, even for an actor who could never take it, 409 naming the status', () => {
    const refused = transitionRefusal('DELIVERED', { to: 'CANCELLED' }, { role: 'customer' });
    expect(refused).toMatchObject({
      code: 'INVALID_TRANSITION',
      details: { currentStatus: 'DELIVERED' },
      message: 'Order is DELIVERED; it cannot move to CANCELLED',
    });
  });

  it('lets a paid order be placed by its capture only while it awaits payment', () => {
    expect(
      codeOf(transitionRefusal('AWAITING_PAYMENT', { to: 'PLACED' }, { role: 'customer' })),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        transitionRefusal(
          'CANCELLED',
          { from: 'AWAITING_PAYMENT', to: 'PLACED' },
          { role: 'system' },
        ),
      ),
    ).toBe('INVALID_TRANSITION');
    expect(
      transitionRefusal(
        'AWAITING_PAYMENT',
        { from: 'AWAITING_PAYMENT', to: 'PACKED' },
        { role: 'admin' },
      ),
    ).toMatchObject({ code: 'INVALID_TRANSITION', details: { currentStatus: 'AWAITING_PAYMENT' } });
  });

  it('refuses a conditional move ("cancel if still PLACED") once the order moved on', () => {
    expect(
      transitionRefusal('PACKED', { from: 'PLACED', to: 'CANCELLED' }, { role: 'system' }),
    ).toMatchObject({ code: 'INVALID_TRANSITION', details: { currentStatus: 'PACKED' } });
    expect(
      transitionRefusal('PLACED', { from: 'PLACED', to: 'CANCELLED' }, { role: 'system' }),
    ).toBeNull();
  });

  it('keeps the cancel reason only on a cancel, and the rider unless one is assigned', () => {
    const order = {
      status: 'PACKED',
      version: 2,
      riderId: null,
      cancelReason: null,
      updatedAt: new Date(0),
    } as unknown as Order;
    const at = new Date(1000);
    expect(
      movedOrder(
        order,
        { to: 'CANCELLED', reason: 'changed my mind' },
        {
          version: 3,
          updatedAt: at,
          riderId: null,
        },
      ),
    ).toMatchObject({
      status: 'CANCELLED',
      version: 3,
      updatedAt: at,
      cancelReason: 'changed my mind',
    });
    expect(
      movedOrder(
        order,
        { to: 'OUT_FOR_DELIVERY', reason: 'offer_accepted' },
        {
          version: 3,
          updatedAt: at,
          riderId: 'rider-1',
        },
      ),
    ).toMatchObject({ status: 'OUT_FOR_DELIVERY', riderId: 'rider-1', cancelReason: null });
  });
});
