import type { Database, Db, Transaction } from '@sopu/db';
import type { Role } from '../shared/roles.ts';
import { newId } from '../shared/ids.ts';
import { DEFAULT_MAIL_MODE, dueAt, isMailMode, jobKey, type MailKind, type MailMode } from './notify.rules.ts';

type Reader = Db | Transaction<Database>;

/** A person's choice for each kind that is not the default. */
export async function modesOf(db: Reader, userId: string): Promise<Partial<Record<MailKind, MailMode>>> {
  const rows = await db.selectFrom('notification_preferences').select(['kind', 'mode']).where('user_id', '=', userId).execute();
  return Object.fromEntries(rows.filter((r) => isMailMode(r.mode)).map((r) => [r.kind, r.mode as MailMode]));
}

export async function modeOf(db: Reader, userId: string, kind: MailKind): Promise<MailMode> {
  const row = await db.selectFrom('notification_preferences').select('mode').where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst();
  return row && isMailMode(row.mode) ? row.mode : DEFAULT_MAIL_MODE;
}

/** The members of an area (optionally of a role, of some municipalities): who may be told. */
export async function membersOf(db: Reader, areaId: string, filter: { role?: Role; municipalityIds?: string[]; userIds?: string[] } = {}): Promise<Array<{ userId: string; municipalityId: string; role: string }>> {
  if (filter.municipalityIds?.length === 0 || filter.userIds?.length === 0) return [];
  let query = db.selectFrom('memberships').select(['user_id', 'municipality_id', 'role']).where('area_id', '=', areaId);
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.municipalityIds) query = query.where('municipality_id', 'in', filter.municipalityIds);
  if (filter.userIds) query = query.where('user_id', 'in', filter.userIds);
  const rows = await query.orderBy('user_id').execute();
  return rows.map((r) => ({ userId: r.user_id, municipalityId: r.municipality_id, role: r.role }));
}

export interface PlannedJob {
  areaId: string;
  userId: string;
  kind: MailKind;
  /** What makes it this notification and no other (with kind and person: the job's unique key). */
  subject: string;
  details: Record<string, unknown>;
}

/**
 * Plans one person's notification once: a second plan of the same (kind, subject, person) is ignored by the unique
 * key, whichever process makes it. The person's choice decides when it goes (gathered, next digest) or that it is
 * kept as skipped ('off'), so that switching the kind on again does not bring it back. True when it was new.
 */
export async function planJob(trx: Transaction<Database>, job: PlannedJob, now: number, gatherMs: number): Promise<boolean> {
  const mode = await modeOf(trx, job.userId, job.kind);
  const delivery = mode === 'daily' ? 'digest' : 'immediate';
  const result = await trx
    .insertInto('notification_jobs')
    .values({
      id: newId(),
      area_id: job.areaId,
      user_id: job.userId,
      kind: job.kind,
      dedupe_key: jobKey(job.kind, job.subject, job.userId),
      details: JSON.stringify(job.details),
      delivery,
      created_at: now,
      due_at: dueAt(delivery, now, gatherMs),
      state: mode === 'off' ? 'skipped' : 'pending',
      skip_reason: mode === 'off' ? 'off' : null,
      outbox_id: null,
      finished_at: mode === 'off' ? now : null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}
