import { passwordProblem, verifyAgainstDummy, verifyPassword, type SessionUser } from '@sopu/auth';
import type { CoreDeps } from './deps.ts';
import { DomainError } from './errors.ts';
import { normaliseEmail } from './validation.ts';

export interface LoginInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  /** The session this browser already had, if any: a login replaces it (ASVS 3.2.1), whoever it belonged to. */
  currentSessionToken?: string | null;
}

/**
 * Refuses an over-long password before anything else (argon2 would hash whatever length it is given), then reserves
 * the attempt with the throttle before the password is verified (so that neither a locked account can be probed nor
 * parallel guesses slip past the lock), answers the same for an unknown e-mail and a wrong password, and gives the
 * reservation back on success. The browser's previous session ends: a session token planted before the login, or
 * left from someone else's, never becomes or stays a signed-in session.
 */
export async function login(deps: CoreDeps, input: LoginInput): Promise<{ token: string; user: SessionUser }> {
  if (passwordProblem(input.password) === 'too_long') {
    throw new DomainError('invalid_input', 'password too long', { field: 'password', problem: 'too_long' });
  }
  const email = normaliseEmail(input.email);
  const verdict = await deps.throttle.attempt(email, input.ip);
  if (!verdict.allowed) throw new DomainError('throttled', 'too many failed logins', { retryAfterSeconds: verdict.retryAfterSeconds });
  const user = await deps.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  const ok = user?.password_hash ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok) throw new DomainError('unauthenticated', 'wrong e-mail or password');
  await deps.throttle.recordSuccess(email, input.ip);
  if (input.currentSessionToken) await deps.sessions.invalidate(input.currentSessionToken);
  const session = await deps.sessions.create(user.id, { ip: input.ip, userAgent: input.userAgent });
  return { token: session.token, user: { id: user.id, email: user.email, displayName: user.display_name, locale: user.locale } };
}

export async function logout(deps: CoreDeps, token: string): Promise<void> {
  await deps.sessions.invalidate(token);
}

/** The user behind a session token, or null; extends the session's idle expiry unless this is not the user's activity. */
export async function authenticate(deps: CoreDeps, token: string | null | undefined, options: { activity?: boolean } = {}): Promise<SessionUser | null> {
  const result = await deps.sessions.validate(token, { extend: options.activity ?? true });
  return result?.user ?? null;
}

/**
 * Housekeeping the server runs periodically: deletes sessions past their expiry and login counters whose window and
 * lock are over. Neither changes any answer (expired sessions are refused anyway); it keeps the tables small and
 * drops the addresses and user agents of ended sessions.
 */
export async function pruneExpired(deps: Pick<CoreDeps, 'sessions' | 'throttle'>): Promise<{ sessions: number; loginAttempts: number }> {
  return { sessions: await deps.sessions.prune(), loginAttempts: await deps.throttle.prune() };
}
