/** The part of Web Crypto this needs; `randomUUID` is missing outside a secure context. */
export interface UuidCrypto {
  getRandomValues<T extends Uint8Array<ArrayBuffer>>(array: T): T;
  randomUUID?: () => string;
}

/**
 * A random (version 4) UUID. `crypto.randomUUID` exists only in a secure context (https or
 * localhost): a page served over plain http on a LAN address has `getRandomValues` but not it,
 * so the UUID is then built from 16 random bytes (RFC 9562, section 5.4).
 */
export function uuidV4(crypto: UuidCrypto = globalThis.crypto): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
