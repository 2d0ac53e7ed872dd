import type { DeliveryAddress } from '#libs/orders';
import type { OfferStatus, RiderOffer } from './rider-offer.entity.js';

export const RIDER_STATES = ['AVAILABLE', 'BUSY', 'OFF_DUTY'] as const;
export type RiderState = (typeof RIDER_STATES)[number];

export interface RiderView {
  riderId: string;
  name: string | null;
  storeId: string | null;
  /** OFF_DUTY off shift; BUSY carrying as many orders as allowed; AVAILABLE otherwise. */
  state: RiderState;
  /** Orders out for delivery with this rider. */
  load: number;
  maxLoad: number;
  /** The offer waiting for this rider's answer, if any. */
  openOfferId: string | null;
  since: string | null;
  /** Absent when the rider never sent one. */
  lastPosition?: { lat: number; lng: number; at: string };
}

export interface OfferView {
  id: string;
  orderId: string;
  riderId: string;
  storeId: string;
  status: OfferStatus;
  attempt: number;
  offeredAt: string;
  expiresAt: string;
  answeredAt: string | null;
  endReason: string | null;
  /** What the rider needs to decide: where to, how much to carry, by when (open offers). */
  order?: { address: DeliveryAddress; itemCount: number; promisedBy: string; status: string };
}

export function riderState(onShift: boolean, load: number, maxLoad: number): RiderState {
  if (!onShift) return 'OFF_DUTY';
  return load >= maxLoad ? 'BUSY' : 'AVAILABLE';
}

export function toOfferView(o: RiderOffer, order?: OfferView['order']): OfferView {
  return {
    id: o.id,
    orderId: o.orderId,
    riderId: o.riderId,
    storeId: o.storeId,
    status: o.status,
    attempt: o.attempt,
    offeredAt: o.offeredAt.toISOString(),
    expiresAt: o.expiresAt.toISOString(),
    answeredAt: o.answeredAt ? o.answeredAt.toISOString() : null,
    endReason: o.endReason,
    ...(order ? { order } : {}),
  };
}
