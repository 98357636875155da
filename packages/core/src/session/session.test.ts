import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/index.ts';
import { isDomainError, type DomainError } from '../shared/errors.ts';
import { authenticate, login, logout, pruneExpired } from './session.ts';
import { tableCounts } from '../testing.ts';
import { createTestDeps, type TestDeps } from '../testing.ts';

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
});
afterEach(async () => {
  await t.cleanup();
});

const ADMIN = 'admin.kajaani@sopu.example';
const attempt = (email: string, password: string, ip: string | null = '192.0.2.10') => login(t.deps, { email, password, ip, userAgent: 'vitest' });

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('login', () => {
  it('a good password gives a session token that authenticates the user', async () => {
    const { token, user } = await attempt(ADMIN, DEMO_PASSWORD);
    expect(user.email).toBe(ADMIN);
    expect(await authenticate(t.deps, token)).toEqual(user);
    const row = await t.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.ip).toBe('192.0.2.10');
    expect(row.user_agent).toBe('vitest');
  });

  it('a wrong password and an unknown e-mail give the same error', async () => {
    const wrong = await failure(attempt(ADMIN, 'not-the-password'));
    const unknown = await failure(attempt('nobody@sopu.example', DEMO_PASSWORD));
    expect(wrong.code).toBe('unauthenticated');
    expect(unknown.code).toBe('unauthenticated');
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.details).toEqual(wrong.details);
    expect(await t.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('the e-mail is case- and space-insensitive', async () => {
    const { user } = await attempt('  Admin.Kajaani@SOPU.example ', DEMO_PASSWORD);
    expect(user.email).toBe(ADMIN);
  });

  it('after 5 failures the account is throttled for browsers it does not know, even for the right password, with retryAfterSeconds', async () => {
    for (let i = 0; i < 5; i++) expect((await failure(attempt(ADMIN, `wrong-${i}`))).code).toBe('unauthenticated');
    const throttled = await failure(attempt(ADMIN, DEMO_PASSWORD));
    expect(throttled.code).toBe('throttled');
    expect(throttled.details.retryAfterSeconds).toBeGreaterThan(0);
    // From another address too: the account is what is locked.
    expect((await failure(attempt(ADMIN, DEMO_PASSWORD, '203.0.113.5'))).code).toBe('throttled');

    t.clock.advance((throttled.details.retryAfterSeconds as number) * 1000);
    const { token } = await attempt(ADMIN, DEMO_PASSWORD);
    expect(token).toBeTruthy();
    // The success cleared the counter: one more failure does not lock again.
    await failure(attempt(ADMIN, 'wrong-again'));
    await expect(attempt(ADMIN, DEMO_PASSWORD)).resolves.toBeTruthy();
  });

  it('failures for unknown e-mails are throttled the same way', async () => {
    for (let i = 0; i < 5; i++) await failure(attempt('nobody@sopu.example', `wrong-${i}`));
    expect((await failure(attempt('nobody@sopu.example', 'x'))).code).toBe('throttled');
  });

  it('logout ends the session', async () => {
    const { token } = await attempt(ADMIN, DEMO_PASSWORD);
    await logout(t.deps, token);
    expect(await authenticate(t.deps, token)).toBeNull();
  });
});

describe('session rotation', () => {
  it('a login ends the session the browser already had (its own or someone else\'s); a failed login does not', async () => {
    const first = await attempt(ADMIN, DEMO_PASSWORD);
    const failed = await failure(login(t.deps, { email: ADMIN, password: 'wrong-password', ip: null, userAgent: null, currentSessionToken: first.token }));
    expect(failed.code).toBe('unauthenticated');
    expect(await authenticate(t.deps, first.token)).not.toBeNull();

    const second = await login(t.deps, { email: 'drafter.kajaani@sopu.example', password: DEMO_PASSWORD, ip: null, userAgent: null, currentSessionToken: first.token });
    expect(second.token).not.toBe(first.token);
    expect(await authenticate(t.deps, first.token)).toBeNull();
    expect((await authenticate(t.deps, second.token))?.email).toBe('drafter.kajaani@sopu.example');
  });
});

describe('login under parallel guesses', () => {
  it('of 25 parallel wrong passwords at most 5 reach verification; the rest are throttled, and so is the right one', async () => {
    const results = await Promise.allSettled(Array.from({ length: 25 }, (_, i) => attempt(ADMIN, `wrong-guess-${i}`, `198.51.100.${i}`)));
    const codes = results.map((r) => (r.status === 'rejected' && isDomainError(r.reason) ? r.reason.code : 'ok'));
    expect(codes.filter((c) => c === 'unauthenticated')).toHaveLength(5);
    expect(codes.filter((c) => c === 'throttled')).toHaveLength(20);
    expect((await failure(attempt(ADMIN, DEMO_PASSWORD))).code).toBe('throttled');
  });
});

describe('an over-long password', () => {
  it('is invalid input before the throttle or the hash: nothing is counted', async () => {
    const before = await tableCounts(t.db);
    const error = await failure(attempt(ADMIN, 'x'.repeat(257)));
    expect(error.code).toBe('invalid_input');
    expect(error.details).toMatchObject({ field: 'password', problem: 'too_long' });
    expect(await tableCounts(t.db)).toEqual(before);
    // 256 characters (code points) is still a password, just a wrong one.
    expect((await failure(attempt(ADMIN, 'ä'.repeat(256)))).code).toBe('unauthenticated');
  });
});

describe('pruneExpired', () => {
  it('deletes expired sessions and spent login counters by the injected clock, and keeps live ones', async () => {
    const { token: old } = await attempt(ADMIN, DEMO_PASSWORD);
    await failure(attempt('drafter.kajaani@sopu.example', 'wrong-password-1', null));
    expect(await pruneExpired(t.deps)).toEqual({ sessions: 0, loginAttempts: 0, knownDevices: 0, unlockLinks: 0, securityEvents: 0, loginChallenges: 0, oidcStates: 0 });

    t.clock.advance(8 * 3_600_000); // the idle timeout of createTestDeps
    const { token: fresh } = await attempt('drafter.sotkamo@sopu.example', DEMO_PASSWORD, null);
    expect(await pruneExpired(t.deps)).toEqual({ sessions: 1, loginAttempts: 2, knownDevices: 0, unlockLinks: 0, securityEvents: 0, loginChallenges: 0, oidcStates: 0 });
    expect(await t.db.selectFrom('sessions').select('id').execute()).toHaveLength(1);
    expect(await authenticate(t.deps, fresh)).not.toBeNull();
    expect(await authenticate(t.deps, old)).toBeNull();
    expect(await t.db.selectFrom('login_attempts').select('key').execute()).toEqual([]);
  });
});

