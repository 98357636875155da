import { verifyAgainstDummy, verifyPassword, type SessionUser } from '@sopu/auth';
import type { CoreDeps } from './deps.ts';
import { DomainError } from './errors.ts';
import { normaliseEmail } from './validation.ts';

export interface LoginInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Checks the throttle before the password (so a locked account cannot be probed), answers the same for an unknown
 * e-mail and a wrong password, and counts only failures.
 */
export async function login(deps: CoreDeps, input: LoginInput): Promise<{ token: string; user: SessionUser }> {
  const email = normaliseEmail(input.email);
  const verdict = await deps.throttle.check(email, input.ip);
  if (!verdict.allowed) throw new DomainError('throttled', 'too many failed logins', { retryAfterSeconds: verdict.retryAfterSeconds });
  const user = await deps.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  const ok = user?.password_hash ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !ok) {
    await deps.throttle.recordFailure(email, input.ip);
    throw new DomainError('unauthenticated', 'wrong e-mail or password');
  }
  await deps.throttle.recordSuccess(email);
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
