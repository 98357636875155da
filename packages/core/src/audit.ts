import { createHash } from 'node:crypto';
import type { AuditEventRow, Db, Transaction, Database } from '@sopu/db';
import { newId } from './ids.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  areaId: string;
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  seq: number;
  actorUserId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  createdAt: number;
  hash: string;
  prevHash: string;
}

function eventHash(prevHash: string, e: Omit<AuditEventRow, 'id' | 'hash' | 'prev_hash'>): string {
  const body = JSON.stringify([e.area_id, e.seq, e.actor_user_id, e.action, e.subject_type, e.subject_id, e.details, e.created_at]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * Appends one event to the area's chain. Must run inside the use case's write transaction: the chain's head is
 * read and extended under the same lock as the change it records.
 */
export async function appendAudit(trx: Transaction<Database>, input: AuditInput, now: number): Promise<void> {
  const head = await trx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .where('area_id', '=', input.areaId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const row = {
    area_id: input.areaId,
    seq: (head?.seq ?? 0) + 1,
    actor_user_id: input.actorUserId,
    action: input.action,
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    details: JSON.stringify(input.details ?? {}),
    created_at: now,
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  await trx
    .insertInto('audit_events')
    .values({ id: newId(), ...row, prev_hash: prevHash, hash: eventHash(prevHash, row) })
    .execute();
}

export async function listAuditEventsForArea(db: Db, areaId: string, options: { beforeSeq?: number | undefined; limit: number }): Promise<AuditEvent[]> {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    .selectAll('audit_events')
    .select('users.display_name as actor_name')
    .where('audit_events.area_id', '=', areaId);
  if (options.beforeSeq !== undefined) query = query.where('audit_events.seq', '<', options.beforeSeq);
  const rows = await query.orderBy('audit_events.seq', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    actorUserId: r.actor_user_id,
    actorName: r.actor_name,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
    createdAt: r.created_at,
    hash: r.hash,
    prevHash: r.prev_hash,
  }));
}

/** Recomputes the whole chain; returns the first broken seq, or null when every link holds. */
export async function findBrokenAuditLink(db: Db, areaId: string): Promise<number | null> {
  const rows = await db.selectFrom('audit_events').selectAll().where('area_id', '=', areaId).orderBy('seq', 'asc').execute();
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const r of rows) {
    if (r.seq !== expectedSeq || r.prev_hash !== prev || eventHash(prev, r) !== r.hash) return r.seq;
    prev = r.hash;
    expectedSeq += 1;
  }
  return null;
}
