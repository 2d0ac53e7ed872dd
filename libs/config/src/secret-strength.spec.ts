import { randomBytes } from 'node:crypto';
import { estimatedSecretBits, MIN_SECRET_BITS, secretWeakness } from './secret-strength.js';

describe('secretWeakness', () => {
  it('refuses one character repeated, whatever its length', () => {
    expect(secretWeakness('a'.repeat(36))).toBe('has 1 distinct characters (at least 10 required)');
    expect(secretWeakness('a'.repeat(500))).toMatch(/distinct/);
  });

  it('refuses a short pattern repeated, even with enough distinct characters', () => {
    expect(secretWeakness('abc'.repeat(12))).toMatch(/distinct/);
    const pattern = 'k3J9!xQ2mZ#7'.repeat(4); // 12 distinct characters, 48 long
    expect(secretWeakness(pattern)).toMatch(/^has about \d+ bits of entropy/);
    expect(estimatedSecretBits(pattern)).toBeLessThan(MIN_SECRET_BITS);
  });

  it('refuses runs of the keyboard or the alphabet', () => {
    expect(secretWeakness('abcdefghijklmnopqrstuvwxyz0123456789')).toMatch(/bits of entropy/);
    expect(secretWeakness('0123456789abcdef0123456789abcdef0123456789')).toMatch(/bits of entropy/);
    expect(secretWeakness('zyxwvutsrqponmlkjihgfedcba9876543210')).toMatch(/bits of entropy/);
  });

  it('refuses known placeholders, whatever their case and separators', () => {
    for (const value of [
      'dev-insecure-change-me-access-0123456789abcdef',
      'Please-CHANGE_ME-before-deploying-7f3a9c2e1b',
      'your-secret-placeholder-Xk29fQ0zLmP3vR8w',
      'example-jwt-secret-9fK2mQ7xZ1vB4nR8tW0y',
    ])
      expect(secretWeakness(value)).toMatch(/^contains the placeholder/);
  });

  it('accepts what the docs tell operators to generate (openssl rand -base64 48 / -hex 32)', () => {
    for (let i = 0; i < 200; i++) {
      expect(secretWeakness(randomBytes(48).toString('base64'))).toBeUndefined();
      expect(secretWeakness(randomBytes(32).toString('hex'))).toBeUndefined();
      expect(secretWeakness(randomBytes(32).toString('base64url'))).toBeUndefined();
    }
  });

  it('accepts a 32-character random hex secret (128 bits) and a long passphrase', () => {
    expect(secretWeakness('9f86d081884c7d659a2feaa0c55ad015')).toBeUndefined();
    expect(secretWeakness('tram-lantern-quietly-orbit-saffron-pebble-42')).toBeUndefined();
  });
});
