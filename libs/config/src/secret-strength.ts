/** Fewest distinct characters a production secret may have. */
export const MIN_SECRET_DISTINCT_CHARS = 10;
/** Fewest estimated bits of entropy a production secret may have. */
export const MIN_SECRET_BITS = 128;

/** Words that mark a value someone meant to replace (compared without case and separators). */
const PLACEHOLDERS = ['changeme', 'replaceme', 'placeholder', 'example', 'insecure', 'dummy'];

/** The size of the character classes a secret draws from (the alphabet a guesser would try). */
function alphabetSize(value: string): number {
  let size = 0;
  if (/[a-z]/.test(value)) size += 26;
  if (/[A-Z]/.test(value)) size += 26;
  if (/[0-9]/.test(value)) size += 10;
  if (/[^a-zA-Z0-9]/.test(value)) size += 33;
  return size;
}

/** Length of the run from `i` of characters each one code point above (or below) the last. */
function runLength(chars: number[], i: number): number {
  const step = chars[i + 1] - chars[i];
  if (Math.abs(step) !== 1) return 1;
  let end = i + 1;
  while (end + 1 < chars.length && chars[end + 1] - chars[end] === step) end++;
  return end - i + 1;
}

/** Length of the longest earlier copy (overlap allowed) of what starts at `i`. */
function repeatLength(value: string, i: number): number {
  let best = 0;
  for (let from = 0; from < i; from++) {
    let n = 0;
    while (i + n < value.length && value[from + n] === value[i + n]) n++;
    best = Math.max(best, n);
  }
  return best;
}

/**
 * An estimate of a secret's entropy in bits, in the manner of a compressor: the value is cut into
 * tokens (a single character, a run such as `abcd` or `4321`, or a copy of something earlier such
 * as the second `abc` of `abcabc`, or `aaaa`) and each token costs what one character of its
 * alphabet costs. Random text scores near its true entropy; patterns score low.
 */
export function estimatedSecretBits(value: string): number {
  const chars = [...value].map((c) => c.codePointAt(0)!);
  const text = String.fromCodePoint(...chars);
  let tokens = 0;
  for (let i = 0; i < chars.length; tokens++) {
    const run = runLength(chars, i);
    const repeat = repeatLength(text, i);
    const longest = Math.max(run >= 3 ? run : 1, repeat >= 3 ? repeat : 1);
    i += longest;
  }
  return tokens * Math.log2(Math.max(2, alphabetSize(value)));
}

/**
 * Why a value is too weak to be a production secret, or undefined when it is acceptable: a known
 * placeholder, too few distinct characters, or too little estimated entropy (repeats, runs).
 */
export function secretWeakness(value: string): string | undefined {
  const folded = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const placeholder = PLACEHOLDERS.find((word) => folded.includes(word));
  if (placeholder) return `contains the placeholder "${placeholder}"`;
  const distinct = new Set(value).size;
  if (distinct < MIN_SECRET_DISTINCT_CHARS)
    return `has ${distinct} distinct characters (at least ${MIN_SECRET_DISTINCT_CHARS} required)`;
  const bits = Math.floor(estimatedSecretBits(value));
  if (bits < MIN_SECRET_BITS)
    return `has about ${bits} bits of entropy (at least ${MIN_SECRET_BITS} required: repeats and runs count little)`;
  return undefined;
}
