import type { ServiceableStore } from '#libs/inventory';
import type { DeliveryAddress } from '#libs/orders';
import type { CustomerAddress } from './customer-address.entity.js';

/** A saved address as the customer reads it, with the store that serves it right now. */
export interface AddressView {
  id: string;
  label: string;
  line1: string;
  line2?: string;
  city: string;
  pincode: string;
  lat: number;
  lng: number;
  instructions?: string;
  isDefault: boolean;
  /** Whether a store delivers there now (the serviceability rules of libs/inventory). */
  serviceable: boolean;
  /** The nearest open store serving it now; absent when none does. */
  servedBy?: { id: string; name: string; distanceM: number };
  createdAt: string;
  updatedAt: string;
}

export function toAddressView(a: CustomerAddress, store: ServiceableStore | null): AddressView {
  return {
    id: a.id,
    label: a.label,
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    pincode: a.pincode.trim(),
    lat: a.lat,
    lng: a.lng,
    ...(a.instructions ? { instructions: a.instructions } : {}),
    isDefault: a.isDefault,
    serviceable: store !== null,
    ...(store ? { servedBy: { id: store.id, name: store.name, distanceM: store.distanceM } } : {}),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** The snapshot an order (or a cart) keeps: later edits of the saved address change nothing. */
export function toDeliveryAddress(a: CustomerAddress): DeliveryAddress {
  return {
    line1: a.line1,
    ...(a.line2 ? { line2: a.line2 } : {}),
    city: a.city,
    pincode: a.pincode.trim(),
    lat: a.lat,
    lng: a.lng,
    ...(a.instructions ? { instructions: a.instructions } : {}),
  };
}
