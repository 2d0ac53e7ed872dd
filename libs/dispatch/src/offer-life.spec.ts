import { nextOfferStep, notesAwaitingRider, offerNotOpen } from './offer-life.js';

const offer = (status: 'OFFERED' | 'ACCEPTED') => ({
  id: 'offer-1',
  riderId: 'rider-1',
  status,
  expiresAt: new Date(1000),
});

describe("an offer's life (decisions)", () => {
  it('offers only a PACKED order without an open or accepted offer', () => {
    expect(nextOfferStep('PACKED', undefined)).toEqual({ kind: 'find-rider' });
    for (const status of ['PLACED', 'OUT_FOR_DELIVERY', 'DELIVERED', 'CANCELLED'] as const)
      expect(nextOfferStep(status, undefined)).toEqual({ kind: 'skipped' });
    expect(nextOfferStep(undefined, undefined)).toEqual({ kind: 'skipped' }); // no such order
    expect(nextOfferStep('PACKED', offer('ACCEPTED'))).toEqual({ kind: 'skipped' });
  });

  it('keeps an open offer (offering again is idempotent; its timeout is scheduled again)', () => {
    expect(nextOfferStep('PACKED', offer('OFFERED'))).toEqual({
      kind: 'open',
      offer: { id: 'offer-1', riderId: 'rider-1', expiresAt: new Date(1000) },
    });
  });

  it('answers a late answer OFFER_EXPIRED, any other ended offer OFFER_NOT_OPEN naming it', () => {
    // Still OFFERED but past due: its timeout job has not run yet.
    expect(offerNotOpen('OFFERED')).toMatchObject({
      code: 'OFFER_EXPIRED',
      details: { offerStatus: 'EXPIRED' },
    });
    expect(offerNotOpen('EXPIRED').code).toBe('OFFER_EXPIRED');
    for (const status of ['ACCEPTED', 'DECLINED', 'WITHDRAWN'] as const)
      expect(offerNotOpen(status)).toMatchObject({
        code: 'OFFER_NOT_OPEN',
        details: { offerStatus: status },
        message: `This offer is ${status}`,
      });
  });

  it('tells the ops board an order waits once per ended offer, never before a first offer', () => {
    const previous = { riderId: 'rider-1', outcome: 'DECLINED' };
    expect(notesAwaitingRider(undefined, undefined)).toBe(false);
    expect(notesAwaitingRider(previous, 'order.rider_offered')).toBe(true);
    expect(notesAwaitingRider(previous, 'order.awaiting_rider')).toBe(false);
  });
});
