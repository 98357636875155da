import { describe, expect, it } from 'vitest';
import { generateToken, hashToken } from './tokens.ts';

describe('hashToken', () => {
  it('is deterministic lower-case sha256 hex', () => {
    const a = hashToken('some-token');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('some-token')).toBe(a);
    // sha256("abc"), the FIPS 180-2 test vector: proves it is sha256 and not just any 64-hex function.
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('differs for different tokens', () => {
    expect(hashToken('a')).not.toBe(hashToken('b'));
  });
});

describe('generateToken', () => {
  it('is lower-case base32 without padding, 160 bits (32 characters)', () => {
    expect(generateToken()).toMatch(/^[a-z2-7]{32}$/);
  });

  it('does not repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()));
    expect(tokens.size).toBe(1000);
  });
});
