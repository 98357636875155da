import type { Database, Db, Transaction } from '@sopu/db';
import { sql } from 'kysely';
import { newId } from './ids.ts';

/**
 * The security log (ASVS 7.1.3, 7.2.1): who logged in, failed, was locked out, was mailed an unlock link, unlocked,
 * and logged out; from which address and user agent. It belongs to people, not to an area, so it is a table of its
 * own (`security_events`), not a part of the areas' audit chains (docs/decisions/003). It never holds a password nor
 * an e-mail address typed for an account that does not exist (which may be a password typed in the wrong field).
 */
export type SecurityEventKind =
  | 'login' | 'login_failed' | 'lockout' | 'unlock_mailed' | 'unlocked' | 'logout' | 'calendar_feed_created' | 'calendar_feed_revoked'
  // The second factor (docs/decisions/024): asked after a right password, a wrong code, a recovery code spent, set up,
  // turned off, new recovery codes.
  | 'second_factor_asked' | 'second_factor_failed' | 'recovery_code_used' | 'second_factor_enabled' | 'second_factor_disabled' | 'recovery_codes_regenerated'
  // Sign-in through an identity provider: refused (with its reason), an account linked to its identity, a session
  // ended because the provider no longer vouches for the person.
  | 'idp_login_refused' | 'idp_linked' | 'idp_session_ended';

export interface SecurityEvent {
  kind: SecurityEventKind;
  /** The account concerned; null for an attempt on an address that has no account. */
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
  details?: Record<string, unknown>;
}

/** How long the security log is kept: a year, then pruneExpired deletes the older events. */
export const SECURITY_LOG_RETENTION_MS = 365 * 24 * 3_600_000;

export async function recordSecurityEvent(db: Db | Transaction<Database>, event: SecurityEvent, now: number): Promise<void> {
  await db
    .insertInto('security_events')
    .values({
      id: newId(),
      created_at: now,
      kind: event.kind,
      user_id: event.userId,
      ip: event.ip?.slice(0, 100) ?? null,
      user_agent: event.userAgent?.slice(0, 400) ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export interface SecurityLogEntry extends SecurityEvent {
  at: number;
  details: Record<string, unknown>;
}

/** One person's security events, newest first (tests and the operator read them; nothing else does yet). */
export async function securityEventsOf(db: Db, userId: string | null, limit = 100): Promise<SecurityLogEntry[]> {
  const rows = await db
    .selectFrom('security_events')
    .selectAll()
    .where((eb) => (userId === null ? eb('user_id', 'is', null) : eb('user_id', '=', userId)))
    .orderBy('created_at', 'desc')
    // Events of one request share a millisecond: the insertion order tells them apart.
    .orderBy(sql`rowid`, 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ kind: r.kind as SecurityEventKind, userId: r.user_id, ip: r.ip, userAgent: r.user_agent, at: r.created_at, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Deletes events older than the retention; returns how many. */
export async function pruneSecurityLog(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('security_events').where('created_at', '<', now - SECURITY_LOG_RETENTION_MS).executeTakeFirst();
  return Number(result.numDeletedRows);
}
