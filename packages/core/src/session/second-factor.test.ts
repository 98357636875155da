import { DEFAULT_THROTTLE, totpCode, totpKeyFromText, totpStep } from '@sopu/auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/index.ts';
import { updateSecondFactorRequirement } from '../areas/index.ts';
import { isDomainError, type DomainError } from '../shared/errors.ts';
import { securityEventsOf } from '../shared/security-log.ts';
import { acceptInvitationAndSignIn, inviteMember } from '../members/index.ts';
import { actorFor, createTestDeps, invitationLink, tableCounts, type TestDeps } from '../testing.ts';
import { unlockLogin } from './login-unlock.ts';
import { disableSecondFactor, getSecondFactorStatus, regenerateRecoveryCodes, startSecondFactorSetup } from './second-factor.ts';
import { authenticate, beginLogin, completeEnrolment, completeLogin, enrolmentOfChallenge, login, type LoginStep } from './session.ts';

/**
 * docs/decisions/024: a second factor for password accounts. Host admins must have one (they set it up at their
 * next log-in before anything else), an area may require it of everyone, others may turn it on; the demo accounts
 * never. Codes are checked on the injected clock, accepted once, throttled like passwords.
 */
let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
});
afterEach(async () => {
  await t.cleanup();
});

const ADMIN = 'admin.kajaani@sopu.example';
const DRAFTER = 'drafter.sotkamo@sopu.example';
const browser = { ip: '192.0.2.10', userAgent: 'test' };

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}
/** A real account: not one of the password-only demo accounts. */
async function real(email: string) {
  await t.db.updateTable('users').set({ password_only: 0 }).where('email', '=', email).execute();
  return actorFor(t.deps, email);
}
const begin = (email: string, deviceToken: string | null = null) => beginLogin(t.deps, { email, password: DEMO_PASSWORD, ...browser, deviceToken, redirectTo: '/areas/kainuu-koillismaa' });
function challengeOf(step: LoginStep) {
  if (!('challenge' in step)) throw new Error('expected a challenge');
  return step.challenge;
}
/** The key of the set-up in progress, read back as the authenticator app would from the URI. */
const keyFrom = (uri: string) => totpKeyFromText(new URL(uri).searchParams.get('secret')!);
const kinds = async (userId: string) => (await securityEventsOf(t.db, userId, 100)).map((e) => e.kind).reverse();

/** The host admin sets up the second factor through the log-in that requires it; returns the key and the codes. */
async function enrolAdmin() {
  const actor = await real(ADMIN);
  const challenge = challengeOf(await begin(ADMIN));
  expect(challenge.kind).toBe('enrol');
  const key = keyFrom((await enrolmentOfChallenge(t.deps, challenge.token)).keyUri);
  const done = await completeEnrolment(t.deps, { challengeToken: challenge.token, code: totpCode(key, totpStep(t.clock.now())), ...browser });
  return { actor, key, done };
}

describe('a host admin without a second factor', () => {
  it('gets no session from the password alone: sets one up first, then is signed in, with ten recovery codes shown once', async () => {
    const actor = await real(ADMIN);
    const sessionsBefore = (await tableCounts(t.db)).sessions;
    const step = await begin(ADMIN);
    const challenge = challengeOf(step);
    expect(challenge.kind).toBe('enrol');
    expect((await tableCounts(t.db)).sessions).toBe(sessionsBefore);
    // The same key while the set-up is in progress (a reload of the page), and no other way in meanwhile.
    const view = await enrolmentOfChallenge(t.deps, challenge.token);
    expect((await enrolmentOfChallenge(t.deps, challenge.token)).keyUri).toBe(view.keyUri);
    expect((await failure(login(t.deps, { email: ADMIN, password: DEMO_PASSWORD, ...browser }))).details.reason).toBe('second_factor_enrolment_required');
    const key = keyFrom(view.keyUri);
    expect((await failure(completeEnrolment(t.deps, { challengeToken: challenge.token, code: totpCode(key, totpStep(t.clock.now()) + 5), ...browser }))).details.reason).toBe('wrong_code');
    const done = await completeEnrolment(t.deps, { challengeToken: challenge.token, code: totpCode(key, totpStep(t.clock.now())), ...browser });
    expect((await authenticate(t.deps, done.token))?.id).toBe(actor.userId);
    expect(done.redirectTo).toBe('/areas/kainuu-koillismaa');
    expect(done.recoveryCodes).toHaveLength(10);
    // The key is stored encrypted, the recovery codes hashed.
    const stored = await t.db.selectFrom('totp_credentials').selectAll().where('user_id', '=', actor.userId).executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(new URL(view.keyUri).searchParams.get('secret'));
    const hashes = await t.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', actor.userId).execute();
    expect(hashes.map((h) => h.code_hash)).not.toContain(done.recoveryCodes[0]);
    // The challenge is spent.
    expect((await failure(completeEnrolment(t.deps, { challengeToken: challenge.token, code: totpCode(key, totpStep(t.clock.now())), ...browser }))).details.reason).toBe('challenge_expired');
    expect(await kinds(actor.userId)).toEqual(['second_factor_asked', 'second_factor_failed', 'second_factor_enabled', 'login']);
  });

  it('a new host admin accepting their invitation is not signed in by it: they log in and set one up first', async () => {
    const admin = await actorFor(t.deps, ADMIN);
    const { invitationId } = await inviteMember(t.deps, admin, 'kainuu-koillismaa', { email: 'uusi.paakayttaja@kajaani.example', displayName: 'Uusi Pääkäyttäjä', municipalityCode: '205', role: 'host_admin' });
    const token = (await invitationLink(t.db, invitationId)).split('/').at(-1)!;
    const sessionsBefore = (await tableCounts(t.db)).sessions;
    const accepted = await acceptInvitationAndSignIn(t.deps, token, { password: 'uuden-paakayttajan-salasana' }, { currentSessionToken: null, ...browser });
    expect(accepted).toMatchObject({ createdUser: true, sessionToken: null, secondFactorSetup: true });
    expect((await tableCounts(t.db)).sessions).toBe(sessionsBefore);
    const step = await beginLogin(t.deps, { email: 'uusi.paakayttaja@kajaani.example', password: 'uuden-paakayttajan-salasana', ...browser, redirectTo: '/' });
    expect(challengeOf(step).kind).toBe('enrol');
    // A new drafter is signed in at once, as before.
    const drafter = await inviteMember(t.deps, admin, 'kainuu-koillismaa', { email: 'uusi.valmistelija@kajaani.example', displayName: 'Uusi Valmistelija', municipalityCode: '205', role: 'drafter' });
    const drafterToken = (await invitationLink(t.db, drafter.invitationId)).split('/').at(-1)!;
    expect(await acceptInvitationAndSignIn(t.deps, drafterToken, { password: 'uuden-valmistelijan-salasana' }, { currentSessionToken: null, ...browser })).toMatchObject({ secondFactorSetup: false, sessionToken: expect.any(String) });
  });

  it('a demo account (password-only) is signed in with the password alone, host admin or not', async () => {
    const step = await begin(ADMIN);
    expect('signedIn' in step).toBe(true);
  });

  it('a challenge lasts ten minutes', async () => {
    await real(ADMIN);
    const challenge = challengeOf(await begin(ADMIN));
    t.clock.advance(10 * 60_000);
    expect((await failure(enrolmentOfChallenge(t.deps, challenge.token))).details.reason).toBe('challenge_expired');
  });
});

describe('the code step', () => {
  it('accepts a code of the step before, now or after (the window edges on the injected clock), each step once', async () => {
    const { actor, key } = await enrolAdmin();
    // The first millisecond of a step two after the one the set-up used (that step's code is spent).
    const edge = Math.floor(t.clock.now() / 30_000) * 30_000 + 60_000;
    // A code of the previous step, typed in the last millisecond of the window.
    t.clock.set(edge);
    let challenge = challengeOf(await begin(ADMIN));
    const previous = totpCode(key, totpStep(edge) - 1);
    const signed = await completeLogin(t.deps, { challengeToken: challenge.token, code: previous, ...browser });
    expect(signed.secondFactor).toBe('totp');
    // The same code again, in a new log-in within its window: refused (replay).
    challenge = challengeOf(await begin(ADMIN));
    expect((await failure(completeLogin(t.deps, { challengeToken: challenge.token, code: previous, ...browser }))).details.reason).toBe('wrong_code');
    // The next step's code, a millisecond before its step begins: accepted (one step ahead is allowed).
    t.clock.set(edge + 29_999);
    expect((await completeLogin(t.deps, { challengeToken: challenge.token, code: totpCode(key, totpStep(edge) + 1), ...browser })).user.id).toBe(actor.userId);
    // Two steps old: one millisecond past the window.
    t.clock.set(edge + 60_000);
    challenge = challengeOf(await begin(ADMIN));
    expect((await failure(completeLogin(t.deps, { challengeToken: challenge.token, code: totpCode(key, totpStep(edge + 60_000) - 2), ...browser }))).details.reason).toBe('wrong_code');
    expect(await kinds(actor.userId)).toContain('second_factor_failed');
  });

  it('two log-ins sending the same code at once: exactly one is signed in', async () => {
    const { key } = await enrolAdmin();
    t.clock.advance(30_000);
    const a = challengeOf(await begin(ADMIN));
    const b = challengeOf(await begin(ADMIN));
    const code = totpCode(key, totpStep(t.clock.now()));
    const results = await Promise.allSettled([a, b].map((c) => completeLogin(t.deps, { challengeToken: c.token, code, ...browser })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('a recovery code signs in once; the same code again is refused; new codes replace the old', async () => {
    const { actor, key, done } = await enrolAdmin();
    const [first, second] = done.recoveryCodes as [string, string];
    let challenge = challengeOf(await begin(ADMIN));
    expect((await completeLogin(t.deps, { challengeToken: challenge.token, code: first.toUpperCase(), ...browser })).secondFactor).toBe('recovery_code');
    challenge = challengeOf(await begin(ADMIN));
    expect((await failure(completeLogin(t.deps, { challengeToken: challenge.token, code: first, ...browser }))).details.reason).toBe('wrong_code');
    expect((await getSecondFactorStatus(t.deps, actor)).recoveryCodesLeft).toBe(9);
    t.clock.advance(30_000);
    const renewed = await regenerateRecoveryCodes(t.deps, actor, totpCode(key, totpStep(t.clock.now())), browser);
    expect(renewed.recoveryCodes).toHaveLength(10);
    challenge = challengeOf(await begin(ADMIN));
    expect((await failure(completeLogin(t.deps, { challengeToken: challenge.token, code: second, ...browser }))).details.reason).toBe('wrong_code');
    expect((await completeLogin(t.deps, { challengeToken: challenge.token, code: renewed.recoveryCodes[0]!, ...browser })).secondFactor).toBe('recovery_code');
    expect(await kinds(actor.userId)).toContain('recovery_codes_regenerated');
    expect(await kinds(actor.userId)).toContain('recovery_code_used');
  });

  it('wrong codes are throttled like passwords: five lock unknown browsers, never the known device the password was typed on', async () => {
    const { key, done } = await enrolAdmin();
    const device = done.device.token;
    const attacker = challengeOf(await begin(ADMIN));
    for (let i = 0; i < DEFAULT_THROTTLE.accountFailures; i++) {
      expect((await failure(completeLogin(t.deps, { challengeToken: attacker.token, code: '000000', ...browser }))).code).toBe('unauthenticated');
    }
    // Locked for this (unknown) browser, even for the right code.
    t.clock.advance(30_000);
    const right = totpCode(key, totpStep(t.clock.now()));
    const locked = await failure(completeLogin(t.deps, { challengeToken: attacker.token, code: right, ...browser }));
    expect(locked.code).toBe('throttled');
    expect(locked.details.retryAfterSeconds).toBeGreaterThan(0);
    // The owner's known device is counted on its own and gets in.
    const owner = challengeOf(await begin(ADMIN, device));
    expect((await completeLogin(t.deps, { challengeToken: owner.token, code: right, ...browser, deviceToken: device })).secondFactor).toBe('totp');
  });

  it("the failure that locks the codes mails the owner an unlock link saying the password was right; opening it lifts that lock in the owner's browser", async () => {
    const { actor, key, done } = await enrolAdmin();
    const attacker = challengeOf(await begin(ADMIN));
    const mails = () => t.db.selectFrom('outbox').selectAll().where('to_email', '=', ADMIN).where('area_id', 'is', null).execute();
    expect(await mails()).toEqual([]);
    for (let i = 0; i < DEFAULT_THROTTLE.accountFailures; i++) await failure(completeLogin(t.deps, { challengeToken: attacker.token, code: '000000', ...browser }));
    const [mail, ...more] = await mails();
    expect(more).toEqual([]);
    expect(mail!.body_text).toContain('oikealla salasanalla');
    expect(mail!.body_text).toContain('rätt lösenord');
    // The owner, in a new browser, opens the link there: that browser's codes are no longer held back.
    const link = /\/unlock\/([a-z2-7]+)/.exec(mail!.body_text)![1]!;
    const { device } = await unlockLogin(t.deps, link, { ...browser, deviceToken: null });
    t.clock.advance(30_000);
    const owner = challengeOf(await begin(ADMIN, device.token));
    expect((await completeLogin(t.deps, { challengeToken: owner.token, code: totpCode(key, totpStep(t.clock.now())), ...browser, deviceToken: device.token })).user.id).toBe(actor.userId);
    expect(await kinds(actor.userId)).toEqual(expect.arrayContaining(['lockout', 'unlock_mailed', 'unlocked']));
    // The lock itself is lifted too (its failures forgotten), as an unlock does for passwords: within the minute the
    // lock would have lasted, another browser's code (a recovery code: the step's code is spent) gets in.
    const elsewhere = challengeOf(await begin(ADMIN));
    expect((await completeLogin(t.deps, { challengeToken: elsewhere.token, code: done.recoveryCodes[0]!, ...browser })).user.id).toBe(actor.userId);
  });

  it('the API takes the code with the password, and says when it is missing', async () => {
    const { key } = await enrolAdmin();
    expect((await failure(login(t.deps, { email: ADMIN, password: DEMO_PASSWORD, ...browser }))).details.reason).toBe('second_factor_required');
    t.clock.advance(30_000);
    const signed = await login(t.deps, { email: ADMIN, password: DEMO_PASSWORD, ...browser, code: totpCode(key, totpStep(t.clock.now())) });
    expect(signed.token).toBeTruthy();
  });
});

describe('turning it on and off, and the area that requires it', () => {
  it('a host admin cannot turn it off; a drafter may turn theirs on and off with a current code', async () => {
    const { actor: admin, key } = await enrolAdmin();
    t.clock.advance(30_000);
    expect((await failure(disableSecondFactor(t.deps, admin, totpCode(key, totpStep(t.clock.now())), browser))).details.reason).toBe('second_factor_required');

    const drafter = await real(DRAFTER);
    expect('signedIn' in (await begin(DRAFTER))).toBe(true);
    const view = await startSecondFactorSetup(t.deps, drafter);
    const dKey = keyFrom(view.keyUri);
    const { finishSecondFactorSetup } = await import('./second-factor.ts');
    await finishSecondFactorSetup(t.deps, drafter, totpCode(dKey, totpStep(t.clock.now())), browser);
    expect(challengeOf(await begin(DRAFTER)).kind).toBe('totp');
    t.clock.advance(30_000);
    expect((await failure(disableSecondFactor(t.deps, drafter, '123456', browser))).details.reason).toBe('wrong_code');
    await disableSecondFactor(t.deps, drafter, totpCode(dKey, totpStep(t.clock.now())), browser);
    expect('signedIn' in (await begin(DRAFTER))).toBe(true);
    expect(await kinds(drafter.userId)).toEqual(expect.arrayContaining(['second_factor_enabled', 'second_factor_disabled']));
  });

  it('an area that requires it sends its drafter to set one up at the next log-in; not requiring it lets them in again', async () => {
    const { actor: admin } = await enrolAdmin();
    await real(DRAFTER);
    await updateSecondFactorRequirement(t.deps, admin, 'kainuu-koillismaa', { required: true });
    expect(challengeOf(await begin(DRAFTER)).kind).toBe('enrol');
    await updateSecondFactorRequirement(t.deps, admin, 'kainuu-koillismaa', { required: false });
    expect('signedIn' in (await begin(DRAFTER))).toBe(true);
  });
});
