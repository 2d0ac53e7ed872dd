import { storableText as cleanText } from '#libs/platform';

/**
 * A provider's event as PostgreSQL can store it. A genuine, signed event may carry text that
 * `text` and `jsonb` refuse (a NUL, an unpaired surrogate in a customer's name): refusing it
 * would make the provider redeliver it forever and the payment never apply. Every string and
 * key is made well-formed, NUL replaced by U+FFFD; the signature was checked on the raw bytes.
 */
export function storable<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[cleanText(key)] = clean(inner);
    return out;
  }
  return value;
}
