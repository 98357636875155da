import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './demo.ts';
import { isDomainError, type DomainError } from './errors.ts';
import { authenticate, login, logout } from './session.ts';
import { createTestDeps, type TestDeps } from './testing.ts';

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

  it('after 5 failures the account is throttled, even for the right password, with retryAfterSeconds', async () => {
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
