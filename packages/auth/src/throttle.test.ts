import { createTestDb, type Db } from '@sopu/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoginThrottle, DEFAULT_THROTTLE, type LoginThrottle } from './throttle.ts';

let db: Db;
let cleanup: () => Promise<void>;
let time: number;
let throttle: LoginThrottle;

const EMAIL = 'anna@example.fi';
const IP = '198.51.100.7';
const ALLOWED = { allowed: true, locks: [] };

beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
  time = Date.UTC(2026, 10, 28, 8, 0, 0);
  throttle = createLoginThrottle(db, { ...DEFAULT_THROTTLE, now: () => time });
});
afterEach(async () => {
  await cleanup();
});

async function fail(times: number, email = EMAIL, ip: string | null = IP) {
  for (let i = 0; i < times; i++) await throttle.recordFailure(email, ip);
}

function lockedFor(verdict: Awaited<ReturnType<LoginThrottle['check']>>): number {
  if (verdict.allowed) throw new Error('expected a lock');
  return verdict.retryAfterSeconds;
}

describe('login throttle', () => {
  it('locks an account after 5 failures, with retryAfterSeconds > 0', async () => {
    await fail(4);
    expect(await throttle.check(EMAIL, IP)).toEqual(ALLOWED);
    await fail(1);
    const verdict = await throttle.check(EMAIL, IP);
    expect(verdict.allowed).toBe(false);
    expect(lockedFor(verdict)).toBe(DEFAULT_THROTTLE.baseLockMs / 1000);
    // The account lock holds from any address and whatever the case of the e-mail.
    expect((await throttle.check(' ANNA@example.FI ', '203.0.113.9')).allowed).toBe(false);
    expect((await throttle.check(EMAIL, null)).allowed).toBe(false);
    // Other accounts are not affected.
    expect(await throttle.check('bertil@example.fi', '203.0.113.9')).toEqual(ALLOWED);
  });

  it('the lock ends when its time has passed', async () => {
    await fail(5);
    time += DEFAULT_THROTTLE.baseLockMs - 1000;
    expect(lockedFor(await throttle.check(EMAIL, IP))).toBe(1);
    time += 1000;
    expect(await throttle.check(EMAIL, IP)).toEqual(ALLOWED);
  });

  it('a success clears the account counter', async () => {
    await fail(4);
    await throttle.recordSuccess(EMAIL);
    await fail(4);
    expect(await throttle.check(EMAIL, IP)).toEqual(ALLOWED);
    await fail(1);
    expect((await throttle.check(EMAIL, IP)).allowed).toBe(false);
  });

  it('each failure after a lock doubles the lock, up to the maximum', async () => {
    await fail(5);
    const first = lockedFor(await throttle.check(EMAIL, IP));
    time += first * 1000;
    await fail(1);
    const second = lockedFor(await throttle.check(EMAIL, IP));
    expect(second).toBe(2 * first);
    time += second * 1000;
    await fail(1);
    const third = lockedFor(await throttle.check(EMAIL, IP));
    expect(third).toBe(4 * first);
    for (let i = 0; i < 5; i++) {
      time += lockedFor(await throttle.check(EMAIL, IP)) * 1000;
      await fail(1);
    }
    expect(lockedFor(await throttle.check(EMAIL, IP))).toBe(DEFAULT_THROTTLE.maxLockMs / 1000);
  });

  it('limits a client address independently of the accounts it tries', async () => {
    // 30 failures from one address, spread over accounts so that no account is locked.
    for (let i = 0; i < DEFAULT_THROTTLE.ipFailures; i++) await throttle.recordFailure(`user${i % 10}@example.fi`, IP);
    const blocked = await throttle.check('fresh@example.fi', IP);
    expect(blocked.allowed).toBe(false);
    expect(lockedFor(blocked)).toBeGreaterThan(0);
    // The same fresh account from another address is fine, and so is the account without an address.
    expect(await throttle.check('fresh@example.fi', '203.0.113.9')).toEqual(ALLOWED);
    expect(await throttle.check('fresh@example.fi', null)).toEqual(ALLOWED);
  });

  it('an account success does not clear the address counter', async () => {
    for (let i = 0; i < DEFAULT_THROTTLE.ipFailures - 1; i++) await throttle.recordFailure(`user${i % 10}@example.fi`, IP);
    await throttle.recordSuccess('user1@example.fi');
    await throttle.recordFailure('user1@example.fi', IP);
    expect((await throttle.check('someone@example.fi', IP)).allowed).toBe(false);
  });

  it('failures older than the window no longer count', async () => {
    await fail(4);
    time += DEFAULT_THROTTLE.windowMs + 1;
    await fail(4);
    expect(await throttle.check(EMAIL, IP)).toEqual(ALLOWED);
    await fail(1);
    expect((await throttle.check(EMAIL, IP)).allowed).toBe(false);
  });

  it('after a lock, a quiet window starts the count over', async () => {
    await fail(5);
    time += DEFAULT_THROTTLE.baseLockMs + DEFAULT_THROTTLE.windowMs + 1;
    await fail(4);
    expect(await throttle.check(EMAIL, IP)).toEqual(ALLOWED);
  });

  it('an address lock lasts until its window ends', async () => {
    for (let i = 0; i < DEFAULT_THROTTLE.ipFailures; i++) await throttle.recordFailure(`user${i % 10}@example.fi`, IP);
    expect(lockedFor(await throttle.check('fresh@example.fi', IP))).toBe(DEFAULT_THROTTLE.windowMs / 1000);
    time += DEFAULT_THROTTLE.windowMs;
    expect(await throttle.check('fresh@example.fi', IP)).toEqual(ALLOWED);
  });

  it('keeps its state in the database, so a second throttle (another process) sees the lock', async () => {
    await fail(5);
    const other = createLoginThrottle(db, { ...DEFAULT_THROTTLE, now: () => time });
    expect((await other.check(EMAIL, IP)).allowed).toBe(false);
  });
  it('attempt reserves before verification: of 40 parallel attempts on one account exactly 5 are let through', async () => {
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => throttle.attempt(EMAIL, IP)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(DEFAULT_THROTTLE.accountFailures);
    expect(verdicts.filter((v) => !v.allowed)).toHaveLength(40 - DEFAULT_THROTTLE.accountFailures);
    const row = await db.selectFrom('login_attempts').selectAll().where('key', '=', `account:${EMAIL}`).executeTakeFirstOrThrow();
    expect(row.failures).toBe(DEFAULT_THROTTLE.accountFailures);
  });

  it('a second throttle over the same database (another process) shares the reservations', async () => {
    const other = createLoginThrottle(db, { ...DEFAULT_THROTTLE, now: () => time });
    const verdicts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? throttle : other).attempt(EMAIL, IP)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(DEFAULT_THROTTLE.accountFailures);
  });

  it('a refused attempt is not counted, and a success gives its reservation back to the address', async () => {
    await fail(5);
    const refused = await throttle.attempt(EMAIL, IP);
    expect(refused.allowed).toBe(false);
    const ipRow = () => db.selectFrom('login_attempts').selectAll().where('key', '=', `ip:${IP}`).executeTakeFirstOrThrow();
    expect((await ipRow()).failures).toBe(5);

    expect(await throttle.attempt('other@example.fi', IP)).toEqual(ALLOWED);
    expect((await ipRow()).failures).toBe(6);
    await throttle.recordSuccess('other@example.fi', IP);
    expect((await ipRow()).failures).toBe(5);
    expect(await db.selectFrom('login_attempts').select('key').where('key', '=', 'account:other@example.fi').executeTakeFirst()).toBeUndefined();
  });

  it('the success that would have been the address\'s 30th attempt lifts the lock it set', async () => {
    for (let i = 0; i < DEFAULT_THROTTLE.ipFailures - 1; i++) await throttle.recordFailure(`user${i % 10}@example.fi`, IP);
    expect(await throttle.attempt('right@example.fi', IP)).toEqual({ allowed: true, locks: ['address'] });
    expect((await throttle.check('fresh@example.fi', IP)).allowed).toBe(false);
    await throttle.recordSuccess('right@example.fi', IP);
    expect(await throttle.check('fresh@example.fi', IP)).toEqual(ALLOWED);
  });

  it('prune deletes only counters whose window and lock are over', async () => {
    await fail(5); // account locked, ip counted
    await fail(1, 'quiet@example.fi', null);
    time += DEFAULT_THROTTLE.windowMs + 1;
    // The account's window runs from the end of its lock, so it stays; the quiet account and the address go.
    expect(await throttle.prune()).toBe(2);
    expect((await db.selectFrom('login_attempts').select('key').execute()).map((r) => r.key)).toEqual([`account:${EMAIL}`]);
    time += DEFAULT_THROTTLE.baseLockMs;
    expect(await throttle.prune()).toBe(1);
    expect(await db.selectFrom('login_attempts').select('key').execute()).toEqual([]);
  });
});

describe('login throttle: known devices and unlocking', () => {
  const DEVICE = 'a'.repeat(64);
  const OTHER_DEVICE = 'b'.repeat(64);
  const row = (key: string) => db.selectFrom('login_attempts').selectAll().where('key', '=', key).executeTakeFirst();

  it('the attempt that reaches a limit says what it locks', async () => {
    await fail(4);
    expect(await throttle.attempt(EMAIL, IP)).toEqual({ allowed: true, locks: ['account'] });
    expect(await throttle.attempt(EMAIL, IP)).toEqual({ allowed: false, retryAfterSeconds: 60, scope: 'account' });
    expect(await throttle.attempt(EMAIL, IP, DEVICE)).toEqual(ALLOWED);
  });

  it('a known device of the account is held back neither by the account\'s lock nor by the address\'s', async () => {
    await fail(5);
    for (let i = 0; i < DEFAULT_THROTTLE.ipFailures; i++) await throttle.recordFailure(`user${i % 10}@example.fi`, IP);
    expect(await throttle.check(EMAIL, IP)).toMatchObject({ allowed: false });
    expect(await throttle.check('fresh@example.fi', IP)).toMatchObject({ allowed: false, scope: 'address' });
    expect(await throttle.check(EMAIL, IP, DEVICE)).toEqual(ALLOWED);
    expect(await throttle.attempt(EMAIL, IP, DEVICE)).toEqual(ALLOWED);
    // Its attempt was counted on the device only: neither the account's nor the address's count moved.
    expect((await row(`account:${EMAIL}`))?.failures).toBe(5);
    expect((await row(`ip:${IP}`))?.failures).toBe(5 + DEFAULT_THROTTLE.ipFailures);
    expect((await row(`device:${DEVICE}`))?.failures).toBe(1);
  });

  it('of 40 parallel attempts from one known device exactly 5 are let through; then that device is locked, and only it', async () => {
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => throttle.attempt(EMAIL, IP, DEVICE)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(DEFAULT_THROTTLE.accountFailures);
    expect(verdicts.filter((v) => !v.allowed)).toEqual(Array.from({ length: 40 - DEFAULT_THROTTLE.accountFailures }, () => ({ allowed: false, retryAfterSeconds: 60, scope: 'device' })));
    expect((await row(`device:${DEVICE}`))?.failures).toBe(DEFAULT_THROTTLE.accountFailures);
    expect(await row(`account:${EMAIL}`)).toBeUndefined();
    expect(await throttle.check(EMAIL, IP, OTHER_DEVICE)).toEqual(ALLOWED);
    expect(await throttle.check(EMAIL, IP)).toEqual(ALLOWED);
    // The device's lock grows like an account's.
    time += 60_000;
    expect(await throttle.attempt(EMAIL, IP, DEVICE)).toEqual({ allowed: true, locks: ['device'] });
    expect(await throttle.check(EMAIL, IP, DEVICE)).toEqual({ allowed: false, retryAfterSeconds: 120, scope: 'device' });
  });

  it('a known device\'s success clears its own counter and leaves the account\'s lock for unknown devices', async () => {
    await fail(5);
    await throttle.recordFailure(EMAIL, IP, DEVICE);
    expect(await throttle.attempt(EMAIL, IP, DEVICE)).toEqual(ALLOWED);
    await throttle.recordSuccess(EMAIL, IP, DEVICE);
    expect(await row(`device:${DEVICE}`)).toBeUndefined();
    expect((await row(`account:${EMAIL}`))?.failures).toBe(5);
    expect(await throttle.check(EMAIL, '203.0.113.9')).toMatchObject({ allowed: false, scope: 'account' });
  });

  it('unlockAccount lifts the account\'s lock and forgets its failures (and says whether it was locked)', async () => {
    await fail(5);
    expect(await throttle.unlockAccount(` ${EMAIL.toUpperCase()} `)).toBe(true);
    expect(await throttle.check(EMAIL, null)).toEqual(ALLOWED);
    await fail(4);
    expect(await throttle.check(EMAIL, null)).toEqual(ALLOWED);
    expect(await throttle.unlockAccount(EMAIL)).toBe(false);
    // The address's count is not the account's to lift.
    expect((await row(`ip:${IP}`))?.failures).toBe(9);
  });
});
