import type { OrderStatus } from '#libs/orders';
import type { Refusal } from '#libs/platform';
import type { OfferStatus } from './rider-offer.entity.js';

/**
 * The decisions of an offer's life, without the database (the Dispatcher reads the rows under
 * its locks and applies them): whether an order is offered, what a rider's answer to an offer
 * that is no longer open gets, and when the ops board hears that an order waits for a rider.
 */

/** An order's open or accepted offer, as read with the order locked. */
export interface CurrentOffer {
  id: string;
  riderId: string;
  status: OfferStatus;
  expiresAt: Date;
}

export type OfferStep =
  | { kind: 'skipped' }
  | { kind: 'open'; offer: { id: string; riderId: string; expiresAt: Date } }
  | { kind: 'find-rider' };

/**
 * Only a PACKED order is offered, once: one that already has an accepted offer is skipped, one
 * with an open offer keeps it (its timeout is scheduled again); otherwise the next rider is found.
 */
export function nextOfferStep(
  orderStatus: OrderStatus | undefined,
  current: CurrentOffer | undefined,
): OfferStep {
  if (orderStatus !== 'PACKED' || current?.status === 'ACCEPTED') return { kind: 'skipped' };
  if (current)
    return {
      kind: 'open',
      offer: { id: current.id, riderId: current.riderId, expiresAt: current.expiresAt },
    };
  return { kind: 'find-rider' };
}

/**
 * The answer to accepting or declining an offer that is not open: one still OFFERED failed only
 * because it is past due (its timeout has not run yet), so it is expired as far as the rider goes.
 */
export function offerNotOpen(status: OfferStatus): Refusal {
  if (status === 'OFFERED' || status === 'EXPIRED') {
    return {
      code: 'OFFER_EXPIRED',
      message: 'This offer has expired',
      details: { offerStatus: 'EXPIRED' },
    };
  }
  return {
    code: 'OFFER_NOT_OPEN',
    message: `This offer is ${status}`,
    details: { offerStatus: status },
  };
}

/**
 * Nobody to offer to: `order.awaiting_rider` goes on the timeline once per ended offer, i.e. only
 * when an offer ended before (`previous`) and the last dispatch event is that offer.
 */
export function notesAwaitingRider(
  previous: { riderId: string; outcome: string } | undefined,
  lastDispatchEvent: string | undefined,
): boolean {
  return previous !== undefined && lastDispatchEvent === 'order.rider_offered';
}
