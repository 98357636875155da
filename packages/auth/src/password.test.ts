import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyAgainstDummy, verifyPassword } from './password.ts';

describe('hashPassword / verifyPassword', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(hash).not.toContain('correct horse battery');
    expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse batterY')).toBe(false);
    // NFKC: the full-width form of the same characters is the same password.
    expect(await verifyPassword(hash, 'ｃｏｒｒｅｃｔ horse battery')).toBe(true);
  });

  it('answers false, not an exception, for a malformed stored hash', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever-password')).toBe(false);
  });

  it('verifyAgainstDummy always refuses', async () => {
    expect(await verifyAgainstDummy('not-a-real-password-for-timing-only')).toBe(false);
  });
});

describe('passwordProblem', () => {
  it('enforces the length policy in code points', () => {
    expect(passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH - 1))).toBe('too_short');
    expect(passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH))).toBeNull();
    expect(passwordProblem('a'.repeat(PASSWORD_MAX_LENGTH))).toBeNull();
    expect(passwordProblem('a'.repeat(PASSWORD_MAX_LENGTH + 1))).toBe('too_long');
    // 11 emoji are 22 UTF-16 units but 11 characters: still too short.
    expect(passwordProblem('😀'.repeat(PASSWORD_MIN_LENGTH - 1))).toBe('too_short');
    expect(passwordProblem('')).toBe('too_short');
  });
});
