import { findKnownDevice, issueKnownDevice, passwordProblem, pruneKnownDevices, serializeDeviceCookie, verifyAgainstDummy, verifyPassword, type IssuedDevice, type SessionUser } from '@sopu/auth';
import { confirmEnrolment, createChallenge, endChallenge, findChallenge, pendingEnrolment, secondFactorNeed, verifySecondFactor, type Challenge, type EnrolmentView } from './second-factor.ts';
import type { CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { mailUnlockLink } from './login-unlock.ts';
import { identityProviderOfEmail, USE_IDENTITY_PROVIDER } from '../shared/identity-domains.ts';
import { pruneSecurityLog, recordSecurityEvent } from '../shared/security-log.ts';
import { normaliseEmail } from '../shared/validation.ts';

export interface LoginInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The session this browser already had, if any: a login replaces it (ASVS 3.2.1), whoever it belonged to. */
  currentSessionToken?: string | null;
  /** The browser's device cookie, if it has one: a known device of the account is not held back by its lock. */
  deviceToken?: string | null;
}

export interface SignedIn {
  token: string;
  user: SessionUser;
  device: IssuedDevice;
}

/** Whether the address's domain signs in through its municipality's identity provider (docs/decisions/024). */
export async function identityProviderDomain(db: CoreDeps['db'], email: string): Promise<boolean> {
  return (await identityProviderOfEmail(db, email)) !== null;
}

/**
 * Refuses an over-long password before anything else (argon2 would hash whatever length it is given), and an
 * address whose domain signs in through its identity provider; then reserves the attempt with the throttle before
 * the password is verified (so that neither a locked account can be probed nor parallel guesses slip past the lock),
 * answers the same for an unknown e-mail and a wrong password, and gives the reservation back on success. A browser
 * that shows a known device of the account is throttled as that device, not by the account's lock
 * (docs/decisions/003). Every outcome is in the security log; a failure that locks the account mails its owner an
 * unlock link.
 */
async function checkPassword(deps: CoreDeps, input: LoginInput) {
  if (passwordProblem(input.password) === 'too_long') {
    throw new DomainError('invalid_input', 'password too long', { field: 'password', problem: 'too_long' });
  }
  const email = normaliseEmail(input.email);
  if (await identityProviderDomain(deps.db, email)) {
    throw new DomainError('forbidden', "this address signs in through its organisation's identity provider", { reason: USE_IDENTITY_PROVIDER });
  }
  const browser = { ip: input.ip, userAgent: input.userAgent };
  const user = await deps.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  const device = user && input.deviceToken ? await findKnownDevice(deps.db, input.deviceToken, user.id, deps.now()) : null;
  const verdict = await deps.throttle.attempt(email, input.ip, device?.id ?? null);
  if (!verdict.allowed) throw new DomainError('throttled', 'too many failed logins', { retryAfterSeconds: verdict.retryAfterSeconds });
  const ok = user?.password_hash ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstDummy(input.password);
  const now = deps.now();
  if (!user || !ok) {
    const userId = user?.id ?? null;
    await recordSecurityEvent(deps.db, { kind: 'login_failed', userId, ...browser, details: { knownDevice: Boolean(device) } }, now);
    for (const scope of verdict.locks) await recordSecurityEvent(deps.db, { kind: 'lockout', userId, ...browser, details: { scope } }, now);
    if (user && verdict.locks.includes('account')) await mailUnlockLink(deps, user, browser);
    throw new DomainError('unauthenticated', 'wrong e-mail or password');
  }
  await deps.throttle.recordSuccess(email, input.ip, device?.id ?? null);
  return { user, device, browser };
}

/**
 * Starts the session of a log-in whose every factor was checked. The browser's previous session ends: a session
 * token planted before the login, or left from someone else's, never becomes or stays a signed-in session.
 */
async function startSession(
  deps: CoreDeps,
  user: { id: string; email: string; display_name: string; locale: string },
  input: { currentSessionToken?: string | null | undefined; deviceToken?: string | null | undefined; ip: string | null; userAgent: string | null },
  details: Record<string, unknown>,
): Promise<SignedIn> {
  const now = deps.now();
  const browser = { ip: input.ip, userAgent: input.userAgent };
  if (input.currentSessionToken) await deps.sessions.invalidate(input.currentSessionToken);
  const session = await deps.sessions.create(user.id, browser);
  const issued = await issueKnownDevice(deps.db, user.id, now, input.deviceToken ?? null);
  await recordSecurityEvent(deps.db, { kind: 'login', userId: user.id, ...browser, details }, now);
  return { token: session.token, user: { id: user.id, email: user.email, displayName: user.display_name, locale: user.locale }, device: issued };
}

/**
 * A log-in in one request (the API's `POST /session`): the password and, for an account with a second factor, its
 * code (`code`: a TOTP code or a recovery code). Without a needed code: `unauthenticated` with reason
 * `second_factor_required`; an account that must set up a second factor first: `forbidden` with reason
 * `second_factor_enrolment_required` (set it up in the browser).
 */
export async function login(deps: CoreDeps, input: LoginInput & { code?: string | undefined }): Promise<SignedIn> {
  const { user, device } = await checkPassword(deps, input);
  const need = await secondFactorNeed(deps.db, user.id);
  if (need === 'enrol') throw new DomainError('forbidden', 'set up a second factor in the browser first', { reason: 'second_factor_enrolment_required' });
  let secondFactor: string | null = null;
  if (need === 'totp') {
    if (!input.code) throw new DomainError('unauthenticated', 'a code from the authenticator app (or a recovery code) is needed', { reason: 'second_factor_required' });
    secondFactor = await verifySecondFactor(deps, user.id, input.code, { deviceId: device?.id ?? null, ip: input.ip, userAgent: input.userAgent });
  }
  return startSession(deps, user, input, { knownDevice: Boolean(device), secondFactor });
}

export type LoginStep = { signedIn: SignedIn } | { challenge: { token: string; kind: 'totp' | 'enrol'; expiresAt: number } };

/**
 * The browser's log-in, first step: the password. Signed in at once when the account needs nothing more; otherwise
 * a challenge (its token for an HttpOnly cookie) for the code step, or for setting up a second factor, which a host
 * admin without one does before anything else.
 */
export async function beginLogin(deps: CoreDeps, input: LoginInput & { redirectTo: string }): Promise<LoginStep> {
  const { user, device, browser } = await checkPassword(deps, input);
  const need = await secondFactorNeed(deps.db, user.id);
  if (need === 'none') return { signedIn: await startSession(deps, user, input, { knownDevice: Boolean(device) }) };
  return { challenge: { ...(await createChallenge(deps, { userId: user.id, kind: need, deviceId: device?.id ?? null, redirectTo: input.redirectTo }, browser)), kind: need } };
}

export interface ChallengeInput {
  challengeToken: string | null;
  code: string;
  ip: string | null;
  userAgent: string | null;
  currentSessionToken?: string | null;
  deviceToken?: string | null;
}

async function challengeUser(deps: CoreDeps, challenge: Challenge) {
  return deps.db.selectFrom('users').select(['id', 'email', 'display_name', 'locale']).where('id', '=', challenge.userId).executeTakeFirstOrThrow();
}

/** The code step of a browser's log-in: a TOTP code or a recovery code; signs in and ends the challenge. */
export async function completeLogin(deps: CoreDeps, input: ChallengeInput): Promise<SignedIn & { redirectTo: string; secondFactor: 'totp' | 'recovery_code' }> {
  const challenge = await findChallenge(deps, input.challengeToken);
  if (challenge.kind !== 'totp') throw new DomainError('conflict', 'this log-in sets up a second factor', { reason: 'enrolment_pending' });
  const secondFactor = await verifySecondFactor(deps, challenge.userId, input.code, { deviceId: challenge.deviceId, ip: input.ip, userAgent: input.userAgent });
  await endChallenge(deps.db, challenge);
  const signedIn = await startSession(deps, await challengeUser(deps, challenge), input, { knownDevice: Boolean(challenge.deviceId), secondFactor });
  return { ...signedIn, redirectTo: challenge.redirectTo, secondFactor };
}

/** The key to set up during a log-in that requires it (the challenge of kind `enrol`). */
export async function enrolmentOfChallenge(deps: CoreDeps, challengeToken: string | null): Promise<EnrolmentView> {
  const challenge = await findChallenge(deps, challengeToken);
  if (challenge.kind !== 'enrol') throw new DomainError('conflict', 'this log-in asks for a code', { reason: 'code_pending' });
  return pendingEnrolment(deps, challenge.userId);
}

/** Sets up the second factor during a log-in that requires it, then signs in; the recovery codes are shown once. */
export async function completeEnrolment(deps: CoreDeps, input: ChallengeInput): Promise<SignedIn & { redirectTo: string; recoveryCodes: string[] }> {
  const challenge = await findChallenge(deps, input.challengeToken);
  if (challenge.kind !== 'enrol') throw new DomainError('conflict', 'this log-in asks for a code', { reason: 'code_pending' });
  const { recoveryCodes } = await confirmEnrolment(deps, challenge.userId, input.code, { deviceId: challenge.deviceId, ip: input.ip, userAgent: input.userAgent });
  await endChallenge(deps.db, challenge);
  const signedIn = await startSession(deps, await challengeUser(deps, challenge), input, { knownDevice: Boolean(challenge.deviceId), secondFactor: 'totp', enrolled: true });
  return { ...signedIn, redirectTo: challenge.redirectTo, recoveryCodes };
}

/** The Set-Cookie value that makes this browser a known device (Secure whenever the site is on https). */
export function deviceCookieHeader(deps: Pick<CoreDeps, 'publicUrl' | 'now'>, device: IssuedDevice): string {
  return serializeDeviceCookie(device, { secure: deps.publicUrl.startsWith('https:'), now: deps.now() });
}

/** Ends the session, and says so in the security log when it was one. */
export async function logout(deps: CoreDeps, token: string, browser: { ip: string | null; userAgent: string | null } = { ip: null, userAgent: null }): Promise<void> {
  const session = await deps.sessions.validate(token, { extend: false });
  await deps.sessions.invalidate(token);
  if (session) await recordSecurityEvent(deps.db, { kind: 'logout', userId: session.user.id, ...browser }, deps.now());
}

/** The user behind a session token, or null; extends the session's idle expiry unless this is not the user's activity. */
export async function authenticate(deps: CoreDeps, token: string | null | undefined, options: { activity?: boolean } = {}): Promise<SessionUser | null> {
  const result = await deps.sessions.validate(token, { extend: options.activity ?? true });
  return result?.user ?? null;
}

/**
 * Housekeeping the server runs periodically: deletes sessions past their expiry, login counters whose window and
 * lock are over, devices no longer known, expired unlock links, and security events past their retention.
 * None changes any answer (expired sessions are refused anyway); it keeps the tables small and drops the addresses
 * and user agents of ended sessions.
 */
export async function pruneExpired(deps: Pick<CoreDeps, 'db' | 'now' | 'sessions' | 'throttle'>): Promise<{ sessions: number; loginAttempts: number; knownDevices: number; unlockLinks: number; securityEvents: number; loginChallenges: number; oidcStates: number }> {
  const now = deps.now();
  // A used link stays until it would have expired, so that opening it again says "used", not "unknown".
  const unlocks = await deps.db.deleteFrom('login_unlocks').where('expires_at', '<=', now).executeTakeFirst();
  const challenges = await deps.db.deleteFrom('login_challenges').where('expires_at', '<=', now).executeTakeFirst();
  const states = await deps.db.deleteFrom('oidc_login_states').where('expires_at', '<=', now).executeTakeFirst();
  return {
    loginChallenges: Number(challenges.numDeletedRows),
    oidcStates: Number(states.numDeletedRows),
    sessions: await deps.sessions.prune(),
    loginAttempts: await deps.throttle.prune(),
    knownDevices: await pruneKnownDevices(deps.db, now),
    unlockLinks: Number(unlocks.numDeletedRows),
    securityEvents: await pruneSecurityLog(deps.db, now),
  };
}
