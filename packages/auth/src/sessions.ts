import { generateIdFromEntropySize, Lucia, TimeSpan } from 'lucia';
import type { Db } from '@sopu/db';
import { hashToken, readBearerToken } from './tokens.ts';
import { createKyselyAdapter, findSessionRows, type SessionAttributes, type UserAttributes } from './adapter.ts';

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

const TOKEN = /^[a-z0-9]{1,200}$/;

/**
 * The session token from a Cookie header, or null. Our own reader: lucia's URI-decodes every cookie of the header
 * and throws on a malformed one (`a=%`), which any client can send. Tokens are lowercase base32, never encoded.
 */
export function readSessionCookie(cookieHeader: string | null | undefined): string | null {
  if (!cookieHeader || cookieHeader.length > 16_384) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return TOKEN.test(value) ? value : null;
  }
  return null;
}

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
   * Validates many tokens with one read (the collab server re-checks every open socket). Each entry says whether
   * it counts as the person's activity (extends the idle expiry); a check that is not their own doing must not.
   * Returns, per entry in order, the session and its user, or null when the token is unknown, idle too long, or
   * past its absolute expiry (such sessions are deleted).
   */
  async function validateMany(entries: Array<{ token: string | null | undefined; extend?: boolean }>): Promise<Array<{ session: ValidSession; user: SessionUser } | null>> {
    const t = now();
    const hashes = entries.map((e) => (e.token && e.token.length <= 200 ? hashToken(e.token) : null));
    const rows = new Map((await findSessionRows(db, [...new Set(hashes.filter((h): h is string => h !== null))])).map((r) => [r.id, r]));
    const expired = new Set<string>();
    const extend = new Map<string, number>();
    const results = entries.map((entry, i) => {
      const hash = hashes[i];
      const row = hash ? rows.get(hash) : undefined;
      if (!row || !entry.token) return null;
      let expiresAt = Math.min(row.expires_at, row.absolute_expires_at);
      if (t >= expiresAt) {
        expired.add(row.id);
        return null;
      }
      const target = Math.min(t + options.idleTimeoutMs, row.absolute_expires_at);
      if (entry.extend !== false && target - expiresAt > Math.min(EXTEND_AFTER_MS, options.idleTimeoutMs / 10)) {
        extend.set(row.id, target);
        expiresAt = target;
      }
      return {
        session: { token: entry.token, userId: row.user_id, expiresAt, absoluteExpiresAt: row.absolute_expires_at },
        user: { id: row.user_id, email: row.email, displayName: row.display_name, locale: row.locale },
      };
    });
    if (expired.size > 0) await db.deleteFrom('sessions').where('id', 'in', [...expired]).execute();
    for (const [id, target] of extend) await db.updateTable('sessions').set({ expires_at: target }).where('id', '=', id).execute();
    return results;
  }

  /** One token: see validateMany. Counts as activity unless `extend: false`. */
  async function validate(token: string | null | undefined, options_: { extend?: boolean } = {}): Promise<{ session: ValidSession; user: SessionUser } | null> {
    const [result] = await validateMany([{ token, extend: options_.extend }]);
    return result ?? null;
  }

  return {
    create,
    validate,
    validateMany,
    invalidate: (token: string) => lucia.invalidateSession(token),
    invalidateUser: (userId: string) => lucia.invalidateUserSessions(userId),
    /** Deletes sessions past their idle or absolute expiry (by this clock, not lucia's); returns how many. */
    async prune(): Promise<number> {
      const t = now();
      const result = await db
        .deleteFrom('sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', t), eb('absolute_expires_at', '<=', t)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    readCookie: readSessionCookie,
    readBearer: readBearerToken,
    cookie: (token: string): Cookie => lucia.createSessionCookie(token),
    blankCookie: (): Cookie => lucia.createBlankSessionCookie(),
  };
}

export type Sessions = ReturnType<typeof createSessions>;
