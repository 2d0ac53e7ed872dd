import { DomainError } from '#libs/platform';

/**
 * The one way an email address enters FlashCart (signup, login, the pages' sign-in, the CLI, the
 * admin's user search): trimmed, NFKC-normalised, then lower-cased, so that a fullwidth `ｕ`, a
 * decomposed `é` or `ＡＤＭＩＮ` is the same address as its plain form. What normalisation cannot
 * merge and a person cannot see is refused with a 400 naming the field: invisible characters,
 * letters of several scripts in the local part (`pаypal` with a Cyrillic `а`), the Latin
 * letters that imitate an ASCII letter without a visible mark (a dotless `ı`), a combining mark
 * left over after composition (`c̶ustomer`), and a domain that is not plain ASCII.
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().normalize('NFKC').toLowerCase();
}

/** Format (Cc), invisible format (Cf: zero-width, bidi controls, soft hyphen…), separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\s]/u;

/**
 * Latin letters shaped like another letter with no mark to tell them apart (Unicode's
 * confusables): dotless i and j, script a and g, small capitals; and a dot above on i or j.
 */
const IMITATING_LATIN =
  /[\u0131\u0237\u0251\u0261\u0262\u0269\u026a\u0274\u0280\u028f\u029c\u029f\u1d00-\u1d22\ua731]|[ij]\u0307/u;

/**
 * A combining mark that belongs to no script (Unicode's Inherited: accents, overlays such as
 * U+0336's strike-through) and that NFKC did not compose into a letter: it decorates whatever
 * precedes it, so `c̶ustomer` would pass for `customer`. The vowel signs of Devanagari, Tamil…
 * belong to their script and are needed to write it, so they stay.
 */
const STRAY_MARK = /(?=\p{M})\p{Script=Inherited}/u;

/**
 * A domain as DNS carries it: ASCII letters, digits, hyphens and dots. An internationalised
 * domain is written in its punycode (`xn--…`) form, so `flashcаrt.local` with a Cyrillic `а`
 * or `flashcart.locaı` cannot pass for ours.
 */
const ASCII_DOMAIN = /^[a-z0-9.-]+$/;

/** The scripts whose letters are told apart; Han, Hiragana and Katakana count as one (Japanese). */
const SCRIPTS: [string, RegExp][] = (
  [
    ['Latin', 'Latin'],
    ['Greek', 'Greek'],
    ['Cyrillic', 'Cyrillic'],
    ['Armenian', 'Armenian'],
    ['Georgian', 'Georgian'],
    ['Hebrew', 'Hebrew'],
    ['Arabic', 'Arabic'],
    ['Devanagari', 'Devanagari'],
    ['Bengali', 'Bengali'],
    ['Gurmukhi', 'Gurmukhi'],
    ['Gujarati', 'Gujarati'],
    ['Oriya', 'Oriya'],
    ['Tamil', 'Tamil'],
    ['Telugu', 'Telugu'],
    ['Kannada', 'Kannada'],
    ['Malayalam', 'Malayalam'],
    ['Thai', 'Thai'],
    ['Hangul', 'Hangul'],
    ['Japanese', 'Han'],
    ['Japanese', 'Hiragana'],
    ['Japanese', 'Katakana'],
  ] as const
).map(([name, script]) => [name, new RegExp(`\\p{Script=${script}}`, 'u')]);

function scriptOf(letter: string): string {
  return SCRIPTS.find(([, pattern]) => pattern.test(letter))?.[0] ?? `U+${letter.codePointAt(0)}`;
}

function invalid(message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', message);
}

/** Refuses what a person cannot see; shared by addresses and search terms. */
function refuseInvisible(email: string, field: string): void {
  if (INVISIBLE.test(email))
    throw invalid(
      `${field} must not contain invisible characters (spaces, zero-width, bidi or control characters)`,
    );
}

/** A whole address as stored and looked up; throws a 400 VALIDATION_FAILED naming `field`. */
export function canonicalEmail(raw: string, field = 'email'): string {
  const email = normalizeEmail(raw);
  refuseInvisible(email, field);
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  if (!ASCII_DOMAIN.test(email.slice(at + 1)))
    throw invalid(
      `${field} must have a domain of ASCII letters, digits, hyphens and dots after the @ (write an internationalised domain in its xn-- form)`,
    );
  if (IMITATING_LATIN.test(local))
    throw invalid(`${field} must not contain letters that imitate others (such as a dotless ı)`);
  if (STRAY_MARK.test(local))
    throw invalid(`${field} must not contain combining marks that are not part of a letter`);
  const scripts = new Set([...local].filter((c) => /\p{L}/u.test(c)).map(scriptOf));
  if (scripts.size > 1)
    throw invalid(
      `${field} must not mix scripts before the @ (found ${[...scripts].sort().join(', ')})`,
    );
  return email;
}

/** Part of an address, for a search: normalised the same way; invisible characters refused. */
export function emailSearchTerm(raw: string, field = 'email'): string {
  const term = normalizeEmail(raw);
  refuseInvisible(term, field);
  return term;
}
