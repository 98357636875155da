import { generateIdFromEntropySize, Lucia, TimeSpan } from 'lucia';
import type { Db } from '@sopu/db';
import { createKyselyAdapter, type SessionAttributes, type UserAttributes } from './adapter.ts';

export const SESSION_COOKIE = 'sopu_session';

export interface SessionOptions {
  /** A session unused this long ends (ASVS 3.3.2). Default 8 h. */
  idleTimeoutMs: number;
  /** A session ends this long after login whatever its use. Default 7 days. */
  absoluteTimeoutMs: number;
  /** Secure cookies: on whenever the site is served over https. */
  secureCookies: boolean;
  now?: () => number;
}

export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  locale: string;
}
export interface ValidSession {
  /** The raw token; only the cookie holds it. */
  token: string;
  userId: string;
  expiresAt: number;
  absoluteExpiresAt: number;
}

export interface Cookie {
  name: string;
  value: string;
  serialize(): string;
}

// Extend the idle expiry on activity, but write at most once a minute per session.
const EXTEND_AFTER_MS = 60_000;

export function createSessions(db: Db, options: SessionOptions) {
  const now = options.now ?? Date.now;
  const adapter = createKyselyAdapter(db, now);
  const lucia = new Lucia<SessionAttributes, UserAttributes>(adapter, {
    sessionExpiresIn: new TimeSpan(Math.max(1, Math.round(options.idleTimeoutMs / 1000)), 's'),
    sessionCookie: {
      name: SESSION_COOKIE,
      // The cookie outlives the idle timeout; the server decides when the session ends.
      expires: false,
      attributes: { secure: options.secureCookies, sameSite: 'lax' },
    },
    getSessionAttributes: (attributes) => attributes,
    getUserAttributes: (attributes) => attributes,
  });

  // lucia's createSession and validateSession read the wall clock; we go through the adapter with our own clock so
  // that the idle and absolute timeouts follow `now` (the injected clock in tests, Date.now in production).
  async function create(userId: string, meta: { ip?: string | null; userAgent?: string | null } = {}): Promise<ValidSession> {
    const t = now();
    const token = generateIdFromEntropySize(25);
    const absoluteExpiresAt = t + options.absoluteTimeoutMs;
    const expiresAt = Math.min(t + options.idleTimeoutMs, absoluteExpiresAt);
    await adapter.setSession({
      id: token,
      userId,
      expiresAt: new Date(expiresAt),
      attributes: { createdAt: t, absoluteExpiresAt, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 400) ?? null } satisfies SessionAttributes,
    });
    return { token, userId, expiresAt, absoluteExpiresAt };
  }

  /**
   * The session and its user, or null when the token is unknown, idle too long, or past its absolute expiry. Counts
   * as activity (extends the idle expiry) unless `extend: false`: a check that is not the person's own doing.
   */
  async function validate(token: string | null | undefined, options_: { extend?: boolean } = {}): Promise<{ session: ValidSession; user: SessionUser } | null> {
    if (!token || token.length > 200) return null;
    const t = now();
    const [session, user] = await adapter.getSessionAndUser(token);
    if (!session || !user) return null;
    const absoluteExpiresAt = (session.attributes as unknown as SessionAttributes).absoluteExpiresAt;
    let expiresAt = Math.min(session.expiresAt.getTime(), absoluteExpiresAt);
    if (t >= expiresAt) {
      await adapter.deleteSession(token);
      return null;
    }
    const target = Math.min(t + options.idleTimeoutMs, absoluteExpiresAt);
    if (options_.extend !== false && target - expiresAt > Math.min(EXTEND_AFTER_MS, options.idleTimeoutMs / 10)) {
      await adapter.updateSessionExpiration(token, new Date(target));
      expiresAt = target;
    }
    return {
      session: { token, userId: user.id, expiresAt, absoluteExpiresAt },
      user: { id: user.id, email: user.attributes.email, displayName: user.attributes.displayName, locale: user.attributes.locale },
    };
  }

  return {
    create,
    validate,
    invalidate: (token: string) => lucia.invalidateSession(token),
    invalidateUser: (userId: string) => lucia.invalidateUserSessions(userId),
    deleteExpired: () => lucia.deleteExpiredSessions(),
    readCookie: (cookieHeader: string | null | undefined): string | null => (cookieHeader ? lucia.readSessionCookie(cookieHeader) : null),
    readBearer: (authorization: string | null | undefined): string | null => (authorization ? lucia.readBearerToken(authorization) : null),
    cookie: (token: string): Cookie => lucia.createSessionCookie(token),
    blankCookie: (): Cookie => lucia.createBlankSessionCookie(),
  };
}

export type Sessions = ReturnType<typeof createSessions>;
