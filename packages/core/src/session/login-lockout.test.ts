import { DEFAULT_THROTTLE, DEVICE_TTL_MS } from '@sopu/auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/index.ts';
import { isDomainError, type DomainError } from '../shared/errors.ts';
import { getUnlock, UNLOCK_MAIL_INTERVAL_MS, UNLOCK_TTL_MS, unlockLogin } from './login-unlock.ts';
import { acceptInvitationAndSignIn, inviteMember } from '../members/index.ts';
import { deliverOutbox, listDevMailbox, listOutbox, REDACTED_UNLOCK_LINK, redactMailBody } from '../shared/outbox.ts';
import { SECURITY_LOG_RETENTION_MS, securityEventsOf } from '../shared/security-log.ts';
import { authenticate, login, logout, pruneExpired } from './session.ts';
import { actorFor, createTestDeps, invitationLink, tableCounts, type TestDeps } from '../testing.ts';

/**
 * docs/decisions/003: an attacker's wrong guesses lock the account for browsers it does not know, but never keep its
 * owner out: a browser the account knows (a device cookie from an earlier login) is throttled on its own, and the
 * owner is mailed a link that lifts the lock and makes their browser known. Every step is in the security log.
 */
let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
});
afterEach(async () => {
  await t.cleanup();
});

const OWNER = 'admin.kajaani@sopu.example';
const OWNER_IP = '192.0.2.10';
const LIMIT = DEFAULT_THROTTLE.accountFailures;
let attackerIp = 0;
/** A wrong guess from an address of its own (an attacker spreads guesses over many): the account's count is what locks. */
const guess = (email = OWNER) => login(t.deps, { email, password: `wrong-guess-${attackerIp}`, ip: `198.51.100.${++attackerIp % 250}`, userAgent: 'attacker' });
const ownerLogin = (deviceToken: string | null, password = DEMO_PASSWORD) => login(t.deps, { email: OWNER, password, ip: OWNER_IP, userAgent: 'owner', deviceToken });

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
const codeOf = async (promise: Promise<unknown>) => (await failure(promise)).code;
const retryAfterOf = async (promise: Promise<unknown>) => (await failure(promise)).details.retryAfterSeconds as number;

async function ownerId(): Promise<string> {
  return (await actorFor(t.deps, OWNER)).userId;
}
const kinds = async (userId: string | null) => (await securityEventsOf(t.db, userId, 1000)).map((e) => e.kind).reverse();
const unlockMails = () => t.db.selectFrom('outbox').selectAll().where('area_id', 'is', null).orderBy('created_at').execute();
const unlockToken = (body: string) => /\/unlock\/([a-z2-7]{32})/.exec(body)?.[1] ?? null;

describe('an attacker guessing the owner\'s password', () => {
  it('locks the account for unknown browsers, never for the owner\'s known device, however long the guessing goes on', async () => {
    const { device } = await ownerLogin(null);
    // The attacker: five guesses lock the account; then one guess whenever the lock ends, for hours.
    for (let i = 0; i < LIMIT; i++) expect(await codeOf(guess())).toBe('unauthenticated');
    let lockSeconds = await retryAfterOf(guess());
    expect(lockSeconds).toBe(60);
    const locks = [lockSeconds];
    for (let round = 0; round < 8; round++) {
      // While the account is locked: the right password from an unknown browser is refused, from the known device let in.
      expect(await codeOf(ownerLogin(null))).toBe('throttled');
      const signedIn = await ownerLogin(device.token);
      expect(await authenticate(t.deps, signedIn.token)).toMatchObject({ email: OWNER });
      device.token = signedIn.device.token;
      t.clock.advance(lockSeconds * 1000);
      expect(await codeOf(guess())).toBe('unauthenticated');
      lockSeconds = await retryAfterOf(guess());
      locks.push(lockSeconds);
    }
    // The owner's logins gave nothing back to the attacker: the lock kept doubling up to its maximum.
    expect(locks).toEqual([60, 120, 240, 480, 900, 900, 900, 900, 900]);

    // Exactly what happened, in the owner's security log: 5 + 8 failures, 1 + 8 lock-outs, 1 + 8 logins; an unlock
    // mail at the first lock and one at the first lock an hour later (3,600 s: 60 + 120 + 240 + 480 + 900 × 3).
    const owner = await ownerId();
    const events = await securityEventsOf(t.db, owner, 1000);
    const count = (kind: string) => events.filter((e) => e.kind === kind).length;
    expect({ login: count('login'), failed: count('login_failed'), lockout: count('lockout'), mailed: count('unlock_mailed') }).toEqual({ login: 9, failed: 13, lockout: 9, mailed: 2 });
    expect(events.filter((e) => e.kind === 'lockout').every((e) => e.details.scope === 'account' && e.userAgent === 'attacker')).toBe(true);
    expect(events.filter((e) => e.kind === 'login').every((e) => e.ip === OWNER_IP)).toBe(true);
    expect(events.filter((e) => e.kind === 'login').map((e) => e.details.knownDevice)).toEqual([...Array.from({ length: 8 }, () => true), false]);
  });

  it('parallel guesses are counted exactly: of 30 parallel wrong passwords exactly 5 reach verification; the known device still gets in', async () => {
    const { device } = await ownerLogin(null);
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => guess()));
    const codes = results.map((r) => (r.status === 'rejected' && isDomainError(r.reason) ? r.reason.code : 'ok'));
    expect(codes.filter((c) => c === 'unauthenticated')).toHaveLength(LIMIT);
    expect(codes.filter((c) => c === 'throttled')).toHaveLength(30 - LIMIT);
    const row = await t.db.selectFrom('login_attempts').select('failures').where('key', '=', `account:${OWNER}`).executeTakeFirstOrThrow();
    expect(row.failures).toBe(LIMIT);
    expect(await codeOf(ownerLogin(null))).toBe('throttled');
    await expect(ownerLogin(device.token)).resolves.toMatchObject({ user: { email: OWNER } });
    const owner = await ownerId();
    expect((await kinds(owner)).filter((k) => k === 'login_failed')).toHaveLength(LIMIT);
    expect((await kinds(owner)).filter((k) => k === 'lockout')).toHaveLength(1);
  });

  it('a known device is throttled on its own: five wrong passwords from it lock that device, not the owner\'s other one', async () => {
    const stolen = (await ownerLogin(null)).device.token;
    const own = (await ownerLogin(null)).device.token;
    for (let i = 0; i < LIMIT; i++) expect(await codeOf(ownerLogin(stolen, `wrong-${i}`))).toBe('unauthenticated');
    expect(await codeOf(ownerLogin(stolen))).toBe('throttled');
    await expect(ownerLogin(own)).resolves.toMatchObject({ user: { email: OWNER } });
    // Neither the account nor the address were counted: an unknown browser still gets in.
    await expect(ownerLogin(null)).resolves.toMatchObject({ user: { email: OWNER } });
    const lockouts = (await securityEventsOf(t.db, await ownerId())).filter((e) => e.kind === 'lockout');
    expect(lockouts.map((e) => e.details.scope)).toEqual(['device']);
  });

  it('another account\'s device, an unknown or an expired device cookie does not pass the account\'s lock', async () => {
    const others = (await login(t.deps, { email: 'drafter.kajaani@sopu.example', password: DEMO_PASSWORD, ip: null, userAgent: null })).device.token;
    const mine = (await ownerLogin(null)).device.token;
    for (let i = 0; i < LIMIT; i++) await failure(guess());
    expect(await codeOf(ownerLogin(others))).toBe('throttled');
    expect(await codeOf(ownerLogin('abcdefghijklmnopqrstuvwxyz234567'))).toBe('throttled');
    t.clock.advance(DEVICE_TTL_MS);
    // The device expired; the lock meanwhile too, so the attacker locks it again.
    for (let i = 0; i < LIMIT; i++) await failure(guess());
    expect(await codeOf(ownerLogin(mine))).toBe('throttled');
  });

  it('guesses at an address with no account are throttled and logged alike, without the address typed', async () => {
    for (let i = 0; i < LIMIT; i++) expect(await codeOf(guess('nobody@sopu.example'))).toBe('unauthenticated');
    expect(await codeOf(guess('nobody@sopu.example'))).toBe('throttled');
    expect(await kinds(null)).toEqual([...Array.from({ length: LIMIT }, () => 'login_failed'), 'lockout']);
    const rows = await t.db.selectFrom('security_events').select(['details', 'user_agent']).execute();
    expect(rows.some((r) => r.details.includes('nobody') || (r.user_agent ?? '').includes('nobody'))).toBe(false);
    expect(await unlockMails()).toEqual([]);
  });
});

describe('the mailed unlock link', () => {
  /** Five guesses lock the owner's account; returns the token of the newest unlock mail (`mails` in all by then). */
  async function lockOwner(mails = 1): Promise<string> {
    for (let i = 0; i < LIMIT; i++) await failure(guess());
    const sent = await unlockMails();
    expect(sent).toHaveLength(mails);
    expect(sent.at(-1)!.to_email).toBe(OWNER);
    return unlockToken(sent.at(-1)!.body_text)!;
  }

  it('is mailed once when the account is locked; opened in the owner\'s browser it lifts the lock and lets that browser in whatever the attacker does next', async () => {
    const token = await lockOwner();
    expect(await codeOf(ownerLogin(null))).toBe('throttled');
    // The page shows whose lock it lifts; showing it changes nothing.
    const before = await tableCounts(t.db);
    expect(await getUnlock(t.deps, token)).toEqual({ email: OWNER, expiresAt: t.clock.now() + UNLOCK_TTL_MS });
    expect(await tableCounts(t.db)).toEqual(before);

    const { device } = await unlockLogin(t.deps, token, { ip: OWNER_IP, userAgent: 'owner', deviceToken: null });
    // The lock is lifted: even a browser the account does not know gets in now…
    await expect(ownerLogin(null)).resolves.toMatchObject({ user: { email: OWNER } });
    // …and when the attacker locks it again at once, the browser that opened the link still does.
    for (let i = 0; i < LIMIT; i++) await failure(guess());
    expect(await codeOf(ownerLogin(null))).toBe('throttled');
    await expect(ownerLogin(device.token)).resolves.toMatchObject({ user: { email: OWNER } });

    // The link worked once.
    expect((await failure(unlockLogin(t.deps, token, { ip: OWNER_IP, userAgent: 'owner', deviceToken: null }))).details).toEqual({ reason: 'used' });
    expect((await failure(getUnlock(t.deps, token))).code).toBe('not_found');
    expect((await kinds(await ownerId())).filter((k) => ['unlock_mailed', 'unlocked'].includes(k))).toEqual(['unlock_mailed', 'unlocked', 'unlock_mailed']);
  });

  it('while an unused link of the last hour exists, no new one is mailed; after the hour, the next lock mails one', async () => {
    await lockOwner();
    for (let i = 0; i < 4; i++) {
      t.clock.advance((await retryAfterOf(guess())) * 1000);
      await failure(guess()); // locks again
    }
    expect(await unlockMails()).toHaveLength(1);
    // An hour on, the failures are forgotten (a quiet window): five guesses lock it again, and a new link goes out.
    t.clock.advance(UNLOCK_MAIL_INTERVAL_MS);
    await lockOwner(2);
  });

  it('goes through the outbox as mail of no area: in the development mailbox locally, never in an area\'s outbox, redacted once sent', async () => {
    await lockOwner();
    const [mail] = await unlockMails();
    const link = /http:\/\/localhost\/unlock\/[a-z2-7]{32}/.exec(mail!.body_text)?.[0];
    expect(link).toBeDefined();
    const mailbox = await listDevMailbox(t.deps, { clientIp: '127.0.0.1' });
    expect(mailbox.find((m) => m.to === OWNER && m.body.includes(link!))).toMatchObject({ areaSlug: null });
    expect(redactMailBody(mail!.body_text)).not.toContain('/unlock/');
    expect(redactMailBody(mail!.body_text)).toContain(REDACTED_UNLOCK_LINK);
    // No area's host admins see it.
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    expect(JSON.stringify(await listOutbox(t.deps, admin, 'kainuu-koillismaa'))).not.toContain('/unlock/');

    // By SMTP: sent like any mail (after the areas' own), and the stored text keeps no working link.
    const sent: Array<{ to: string; text: string }> = [];
    const result = await deliverOutbox(t.deps, async (m) => void sent.push({ to: m.to, text: m.text }));
    expect(result.failed).toBe(0);
    expect(sent.at(-1)).toEqual({ to: OWNER, text: mail!.body_text });
    const stored = await t.db.selectFrom('outbox').selectAll().where('id', '=', mail!.id).executeTakeFirstOrThrow();
    expect(stored.sent_at).not.toBeNull();
    expect(stored.body_text).not.toContain('/unlock/');
  });

  it('an expired, unknown or malformed link does nothing; two browsers using it at once: exactly one wins', async () => {
    const token = await lockOwner();
    const before = await tableCounts(t.db);
    for (const bad of ['abcdefghijklmnopqrstuvwxyz234567', 'x', `${token}a`]) expect((await failure(unlockLogin(t.deps, bad, { ip: null, userAgent: null, deviceToken: null }))).details).toEqual({ reason: 'unknown' });
    expect(await tableCounts(t.db)).toEqual(before);
    const results = await Promise.allSettled([0, 1].map(() => unlockLogin(t.deps, token, { ip: null, userAgent: null, deviceToken: null })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await t.db.selectFrom('known_devices').select('id').execute()).toHaveLength(1);

    // The used link does not hold back the next one: a new lock an hour later mails a new link, which expires unused.
    t.clock.advance(UNLOCK_MAIL_INTERVAL_MS);
    const second = await lockOwner(2);
    t.clock.advance(UNLOCK_TTL_MS);
    expect((await failure(unlockLogin(t.deps, second, { ip: null, userAgent: null, deviceToken: null }))).details).toEqual({ reason: 'expired' });
  });
});

describe('the security log', () => {
  it('has log-ins, failures, lock-outs, unlocks and log-outs of a person, with address and user agent, in order', async () => {
    const { token } = await ownerLogin(null);
    await logout(t.deps, token, { ip: OWNER_IP, userAgent: 'owner' });
    await failure(ownerLogin(null, 'wrong-once'));
    const events = (await securityEventsOf(t.db, await ownerId())).reverse();
    expect(events.map((e) => [e.kind, e.ip, e.userAgent])).toEqual([
      ['login', OWNER_IP, 'owner'],
      ['logout', OWNER_IP, 'owner'],
      ['login_failed', OWNER_IP, 'owner'],
    ]);
    // A logout of a session that has ended already is not a log-out of anyone.
    await logout(t.deps, token);
    expect(await securityEventsOf(t.db, await ownerId())).toHaveLength(3);
  });

  it('a new person signed in by accepting an invitation is a log-in', async () => {
    const admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
    const { invitationId } = await inviteMember(t.deps, admin, 'kainuu-koillismaa', { email: 'uusi@example.fi', displayName: 'Uusi', municipalityCode: '290', role: 'viewer' });
    const token = (await invitationLink(t.db, invitationId)).split('/').at(-1)!;
    const { userId } = await acceptInvitationAndSignIn(t.deps, token, { password: 'a-password-of-my-own' }, { currentSessionToken: null, ip: OWNER_IP, userAgent: 'new' });
    expect((await securityEventsOf(t.db, userId)).map((e) => [e.kind, e.ip, e.details])).toEqual([['login', OWNER_IP, { via: 'invitation' }]]);
  });

  it('pruneExpired keeps it a year, and deletes expired unlock links and devices no longer known', async () => {
    await failure(ownerLogin(null, 'wrong-once'));
    await ownerLogin(null);
    for (let i = 0; i < LIMIT; i++) await failure(guess('drafter.kajaani@sopu.example'));
    expect(await t.db.selectFrom('login_unlocks').select('id').execute()).toHaveLength(1);
    t.clock.advance(UNLOCK_TTL_MS);
    expect(await pruneExpired(t.deps)).toMatchObject({ unlockLinks: 1, knownDevices: 0, securityEvents: 0 });
    t.clock.advance(SECURITY_LOG_RETENTION_MS);
    const pruned = await pruneExpired(t.deps);
    expect(pruned).toMatchObject({ knownDevices: 1, securityEvents: 1 + 1 + LIMIT + 1 + 1 });
    expect(await t.db.selectFrom('security_events').select('id').execute()).toEqual([]);
  });
});
