import { describe, expect, it } from 'vitest';
import { generateRecoveryCodes, generateTotpKey, hashRecoveryCode, looksLikeRecoveryCode, matchTotp, totpCode, totpKeyFromText, totpKeyText, totpKeyUri, totpStep } from './totp.ts';

const RFC_KEY = new TextEncoder().encode('12345678901234567890');

describe('TOTP (RFC 6238)', () => {
  it("gives the RFC's SHA-1 test vectors (their last six digits)", () => {
    // RFC 6238 appendix B: T = 59 s → 94287082, T = 1111111109 → 07081804, T = 2000000000 → 69279037.
    expect(totpCode(RFC_KEY, totpStep(59_000))).toBe('287082');
    expect(totpCode(RFC_KEY, totpStep(1_111_111_109_000))).toBe('081804');
    expect(totpCode(RFC_KEY, totpStep(2_000_000_000_000))).toBe('279037');
  });

  it('accepts the code of the step before, now and after, at the exact edges of the window, and nothing further', () => {
    const key = generateTotpKey();
    const stepStart = 1_800_000_000_000 - (1_800_000_000_000 % 30_000);
    const step = totpStep(stepStart);
    const code = totpCode(key, step);
    // The whole of its own step, and the steps either side.
    expect(matchTotp(key, code, stepStart, null)).toBe(step);
    expect(matchTotp(key, code, stepStart + 29_999, null)).toBe(step);
    expect(matchTotp(key, code, stepStart - 1, null)).toBe(step); // now is the step before: its next one is allowed
    expect(matchTotp(key, code, stepStart - 30_000, null)).toBe(step);
    expect(matchTotp(key, code, stepStart + 30_000, null)).toBe(step); // now is the step after: its previous one
    expect(matchTotp(key, code, stepStart + 59_999, null)).toBe(step);
    // One millisecond past either edge of the window.
    expect(matchTotp(key, code, stepStart - 30_001, null)).toBeNull();
    expect(matchTotp(key, code, stepStart + 60_000, null)).toBeNull();
  });

  it('never accepts a step at or before the last one used: a code cannot be replayed, nor an older one', () => {
    const key = generateTotpKey();
    const t = 1_800_000_015_000;
    const step = totpStep(t);
    expect(matchTotp(key, totpCode(key, step), t, step)).toBeNull();
    expect(matchTotp(key, totpCode(key, step - 1), t, step)).toBeNull();
    expect(matchTotp(key, totpCode(key, step + 1), t, step)).toBe(step + 1);
  });

  it('reads a code typed with spaces and refuses anything but six digits', () => {
    const key = generateTotpKey();
    const t = 1_800_000_015_000;
    const code = totpCode(key, totpStep(t));
    expect(matchTotp(key, `${code.slice(0, 3)} ${code.slice(3)}`, t, null)).toBe(totpStep(t));
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}0`]) expect(matchTotp(key, bad, t, null)).toBeNull();
  });

  it('writes the key for an app as an otpauth URI and as base32 groups', () => {
    const key = generateTotpKey();
    const uri = new URL(totpKeyUri('Sopu', 'a@b.fi', key));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(totpKeyText(key).replace(/ /g, '')).toBe(uri.searchParams.get('secret'));
    // What is typed into an app by hand (groups, any case) is the same key.
    expect(totpKeyFromText(totpKeyText(key).toLowerCase())).toEqual(key);
    expect(totpKeyFromText(uri.searchParams.get('secret')!)).toEqual(key);
  });
});

describe('recovery codes', () => {
  it('are ten different codes, hashed the same however they are typed', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
      expect(hashRecoveryCode(` ${code.toUpperCase().replace('-', ' ')} `)).toBe(hashRecoveryCode(code));
    }
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});
