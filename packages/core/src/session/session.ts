import { findKnownDevice, issueKnownDevice, passwordProblem, pruneKnownDevices, serializeDeviceCookie, verifyAgainstDummy, verifyPassword, type IssuedDevice, type SessionUser } from '@sopu/auth';
import type { CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { mailUnlockLink } from './login-unlock.ts';
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

/**
 * Refuses an over-long password before anything else (argon2 would hash whatever length it is given), then reserves
 * the attempt with the throttle before the password is verified (so that neither a locked account can be probed nor
 * parallel guesses slip past the lock), answers the same for an unknown e-mail and a wrong password, and gives the
 * reservation back on success. A browser that shows a known device of the account is throttled as that device, not
 * by the account's lock (docs/decisions/003). The browser's previous session ends: a session token planted before
 * the login, or left from someone else's, never becomes or stays a signed-in session. Every outcome is in the
 * security log; a failure that locks the account mails its owner an unlock link.
 */
export async function login(deps: CoreDeps, input: LoginInput): Promise<{ token: string; user: SessionUser; device: IssuedDevice }> {
  if (passwordProblem(input.password) === 'too_long') {
    throw new DomainError('invalid_input', 'password too long', { field: 'password', problem: 'too_long' });
  }
  const email = normaliseEmail(input.email);
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
  if (input.currentSessionToken) await deps.sessions.invalidate(input.currentSessionToken);
  const session = await deps.sessions.create(user.id, browser);
  const issued = await issueKnownDevice(deps.db, user.id, now, input.deviceToken ?? null);
  await recordSecurityEvent(deps.db, { kind: 'login', userId: user.id, ...browser, details: { knownDevice: Boolean(device) } }, now);
  return { token: session.token, user: { id: user.id, email: user.email, displayName: user.display_name, locale: user.locale }, device: issued };
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
export async function pruneExpired(deps: Pick<CoreDeps, 'db' | 'now' | 'sessions' | 'throttle'>): Promise<{ sessions: number; loginAttempts: number; knownDevices: number; unlockLinks: number; securityEvents: number }> {
  const now = deps.now();
  // A used link stays until it would have expired, so that opening it again says "used", not "unknown".
  const unlocks = await deps.db.deleteFrom('login_unlocks').where('expires_at', '<=', now).executeTakeFirst();
  return {
    sessions: await deps.sessions.prune(),
    loginAttempts: await deps.throttle.prune(),
    knownDevices: await pruneKnownDevices(deps.db, now),
    unlockLinks: Number(unlocks.numDeletedRows),
    securityEvents: await pruneSecurityLog(deps.db, now),
  };
}
