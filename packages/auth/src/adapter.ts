import type { Adapter, DatabaseSession, DatabaseUser, Lucia } from 'lucia';
import type { Db } from '@sopu/db';
import { hashToken } from './tokens.ts';

export interface SessionAttributes {
  absoluteExpiresAt: number;
  createdAt: number;
  ip: string | null;
  userAgent: string | null;
}
export interface UserAttributes {
  email: string;
  displayName: string;
  locale: string;
}

declare module 'lucia' {
  interface Register {
    Lucia: Lucia<SessionAttributes, UserAttributes>;
    DatabaseSessionAttributes: SessionAttributes;
    DatabaseUserAttributes: UserAttributes;
  }
}

/** Sessions with their users, looked up by the sha256 of their tokens: one query for any number of sockets. */
export function findSessionRows(db: Db, tokenHashes: string[]) {
  if (tokenHashes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id', 'sessions.user_id', 'sessions.expires_at', 'sessions.absolute_expires_at', 'sessions.created_at', 'sessions.ip', 'sessions.user_agent', 'users.email', 'users.display_name', 'users.locale'])
    .where('sessions.id', 'in', tokenHashes)
    .execute();
}

/**
 * lucia's Adapter over our Kysely database. Lucia hands us the raw session token as the session id; we store and
 * look up only its sha256, and we end a session at its absolute expiry whatever its activity.
 */
export function createKyselyAdapter(db: Db, now: () => number): Adapter {
  const toSession = (row: { id: string; user_id: string; expires_at: number; absolute_expires_at: number; created_at: number; ip: string | null; user_agent: string | null }, token: string): DatabaseSession => ({
    id: token,
    userId: row.user_id,
    expiresAt: new Date(Math.min(row.expires_at, row.absolute_expires_at)),
    attributes: { absoluteExpiresAt: row.absolute_expires_at, createdAt: row.created_at, ip: row.ip, userAgent: row.user_agent } satisfies SessionAttributes,
  });
  return {
    async getSessionAndUser(token): Promise<[DatabaseSession | null, DatabaseUser | null]> {
      const [row] = await findSessionRows(db, [hashToken(token)]);
      if (!row) return [null, null];
      const user: DatabaseUser = { id: row.user_id, attributes: { email: row.email, displayName: row.display_name, locale: row.locale } satisfies UserAttributes };
      return [toSession(row, token), user];
    },
    async getUserSessions(userId) {
      const rows = await db.selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
      // The tokens are not stored; callers only count or end these sessions, so the hash stands in as the id.
      return rows.map((row) => toSession(row, row.id));
    },
    async setSession(session) {
      const attributes = session.attributes as unknown as SessionAttributes;
      await db
        .insertInto('sessions')
        .values({
          id: hashToken(session.id),
          user_id: session.userId,
          expires_at: session.expiresAt.getTime(),
          created_at: attributes.createdAt,
          absolute_expires_at: attributes.absoluteExpiresAt,
          ip: attributes.ip,
          user_agent: attributes.userAgent,
        })
        .execute();
    },
    async updateSessionExpiration(token, expiresAt) {
      await db
        .updateTable('sessions')
        .set((eb) => ({ expires_at: eb.fn('min', [eb.val(expiresAt.getTime()), eb.ref('absolute_expires_at')]) }))
        .where('id', '=', hashToken(token))
        .execute();
    },
    async deleteSession(token) {
      await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
    },
    async deleteUserSessions(userId) {
      await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
    },
    async deleteExpiredSessions() {
      const t = now();
      await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', t), eb('absolute_expires_at', '<=', t)])).execute();
    },
  };
}
