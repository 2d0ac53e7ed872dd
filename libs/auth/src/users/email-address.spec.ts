import { DomainError } from '#libs/platform';
import { canonicalEmail, emailSearchTerm, normalizeEmail } from './email-address.js';

const refusal = (raw: string) => {
  try {
    canonicalEmail(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('VALIDATION_FAILED');
    return (e as Error).message;
  }
  return undefined;
};

describe('canonicalEmail', () => {
  it('merges what looks the same: case, fullwidth forms, composed and decomposed accents', () => {
    expect(canonicalEmail('  Asha@Example.COM ')).toBe('asha@example.com');
    expect(canonicalEmail('\uff55ser@example.com')).toBe('user@example.com'); // fullwidth ｕ
    expect(canonicalEmail('\uff21\uff24\uff2d\uff29\uff2e@example.com')).toBe('admin@example.com');
    expect(canonicalEmail('jose\u0301@example.com')).toBe('jos\u00e9@example.com');
    expect(canonicalEmail('\u017fam@example.com')).toBe('sam@example.com'); // long s
    expect(normalizeEmail('jos\u00e9@example.com')).toBe(normalizeEmail('JOSE\u0301@example.com'));
  });

  it('refuses invisible characters anywhere, naming the field', () => {
    for (const hidden of [
      '\u200b',
      '\u200c',
      '\u200d',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u202e',
      '\u2066',
      '\u0007',
      '\u00a0',
      ' ',
    ])
      expect(refusal(`asha${hidden}@example.com`)).toMatch(/^email must not contain invisible/);
    expect(refusal('asha@exa\u200bmple.com')).toMatch(/invisible/);
  });

  it('refuses a local part that mixes scripts, and letters that imitate ASCII ones', () => {
    expect(refusal('p\u0430ypal@example.com')).toBe(
      'email must not mix scripts before the @ (found Cyrillic, Latin)',
    );
    expect(refusal('\u03bfscar@example.com')).toMatch(/Greek, Latin/);
    for (const imitation of ['adm\u0131n', 'ad\u1d0din', '\u0251sha', 'i\u0307a'])
      expect(refusal(`${imitation}@example.com`)).toMatch(/imitate/);
  });

  it('refuses a domain that is not ASCII: look-alike letters, internationalised unless in xn-- form', () => {
    for (const lookAlike of [
      'customer@flashcart.loca\u0131', // dotless ı
      'admin@flashc\u0430rt.local', // Cyrillic а
      'customer@flashcart.l\u043ecal', // Cyrillic о
      'asha@m\u00fcller.de',
      'asha@exa\u0301mple.com',
    ])
      expect(refusal(lookAlike)).toBe(
        'email must have a domain of ASCII letters, digits, hyphens and dots after the @ (write an internationalised domain in its xn-- form)',
      );
    expect(canonicalEmail('asha@xn--mller-kva.de')).toBe('asha@xn--mller-kva.de');
    expect(canonicalEmail('asha@\uff45xample.com')).toBe('asha@example.com'); // fullwidth ｅ
  });

  it('refuses a combining mark that composition left standing, such as an overlay', () => {
    for (const marked of ['c\u0336ustomer', 'q\u0303', 'c\u20d2ustomer', 'a\u0301\u0301'])
      expect(refusal(`${marked}@flashcart.local`)).toBe(
        'email must not contain combining marks that are not part of a letter',
      );
  });

  it('accepts one script throughout, digits and punctuation included, and Japanese mixes', () => {
    expect(canonicalEmail('\u0430\u043d\u044f.2024@example.com')).toBe(
      '\u0430\u043d\u044f.2024@example.com',
    );
    expect(canonicalEmail('\u0930\u093e\u092e@example.com')).toBe('\u0930\u093e\u092e@example.com');
    expect(canonicalEmail('\u3084\u307e\u3060\u5c71\u7530\u30ab@example.jp')).toBeDefined();
    expect(canonicalEmail('m\u00fcller+news@example.de')).toBe('m\u00fcller+news@example.de');
  });
});

describe('emailSearchTerm', () => {
  it('normalises like an address and refuses invisible characters', () => {
    expect(emailSearchTerm('\uff33EARCH')).toBe('search');
    expect(() => emailSearchTerm('se\u200barch')).toThrow(/invisible/);
  });
});
