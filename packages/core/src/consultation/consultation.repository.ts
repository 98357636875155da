import type {
  ConsultationAttachmentRow, ConsultationInviteeRow, ConsultationReminderRow, ConsultationResponseRow, ConsultationRoundRow, ConsultationStatementRevisionRow, Database, Db, RuleAdoptionRow, Transaction,
} from '@sopu/db';
import { sql } from '@sopu/db';
import { roundVisible, type RoundState } from './consultation.rules.ts';
import type { Actor } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { documentAccessOf, type DocumentAccess } from '../versions/index.ts';

type Reader = Db | Transaction<Database>;

export type InviteeRow = ConsultationInviteeRow & { code: string; name_fi: string; name_sv: string };
/** An attachment without its bytes (those are read only to serve the file). */
export type AttachmentRow = Omit<ConsultationAttachmentRow, 'content'>;
export const ATTACHMENT_COLUMNS = ['id', 'area_id', 'consultation_round_id', 'consultation_invitee_id', 'file_name', 'media_type', 'size', 'sha256', 'uploaded_by', 'created_at'] as const;

/** Everything a round's page shows, read at once; every query is bounded by the round's area. */
export interface LoadedRound {
  round: ConsultationRoundRow;
  version: { number: number; label: string; hash: string; sectionHashes: Record<string, string>; sectionKeys: string[] };
  invitees: InviteeRow[];
  /** Oldest first. */
  revisions: ConsultationStatementRevisionRow[];
  responses: ConsultationResponseRow[];
  reminders: ConsultationReminderRow[];
  adoptions: RuleAdoptionRow[];
  /** Oldest first; the round's own (invitee null) and the statements'. */
  attachments: AttachmentRow[];
  /** The agreement's minimum consultation period (the area's setting), null when it states none. */
  minimumPeriod: { days: number; excludesJuly: boolean } | null;
  /** For a draft: whether another round on the same document is open (then this one cannot be opened yet). */
  anotherRoundOpen: boolean;
  /** Display names of everyone the rows name. */
  people: Map<string, string>;
}

/**
 * The round and the caller's access to its document. Another area's round, a missing one and, to anyone but the host
 * admin, a draft all look the same: not found.
 */
export async function roundAccessOf(db: Db, actor: Actor, roundId: string): Promise<{ round: ConsultationRoundRow; access: DocumentAccess }> {
  const round = typeof roundId === 'string' && roundId.length <= 64 ? await db.selectFrom('consultation_rounds').selectAll().where('id', '=', roundId).executeTakeFirst() : undefined;
  const access = round && (await documentAccessOf(db, actor, round.document_id).catch(() => undefined));
  if (!round || !access || access.areaId !== round.area_id || !roundVisible(round.state as RoundState, access.membership)) throw new DomainError('not_found', 'consultation round not found');
  return { round, access };
}

export async function findRound(db: Reader, areaId: string, roundId: string): Promise<ConsultationRoundRow> {
  return db.selectFrom('consultation_rounds').selectAll().where('area_id', '=', areaId).where('id', '=', roundId).executeTakeFirstOrThrow();
}

export async function listInvitees(db: Reader, areaId: string, roundIds: string[]): Promise<InviteeRow[]> {
  if (roundIds.length === 0) return [];
  return db
    .selectFrom('consultation_invitees')
    .innerJoin('municipalities', 'municipalities.id', 'consultation_invitees.municipality_id')
    .selectAll('consultation_invitees')
    .select(['municipalities.code', 'municipalities.name_fi', 'municipalities.name_sv'])
    .where('consultation_invitees.area_id', '=', areaId)
    .where('consultation_invitees.consultation_round_id', 'in', roundIds)
    .orderBy('municipalities.name_fi')
    .execute();
}

export async function peopleNamed(db: Reader, ids: Array<string | null>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function loadRound(db: Reader, areaId: string, round: ConsultationRoundRow): Promise<LoadedRound> {
  const version = await db.selectFrom('versions').select(['number', 'label', 'hash', 'section_hashes', 'content']).where('area_id', '=', areaId).where('id', '=', round.version_id).executeTakeFirstOrThrow();
  const invitees = await listInvitees(db, areaId, [round.id]);
  const inviteeIds = invitees.length > 0 ? invitees.map((i) => i.id) : [''];
  const revisions = await db.selectFrom('consultation_statement_revisions').selectAll().where('area_id', '=', areaId).where('consultation_invitee_id', 'in', inviteeIds).orderBy('created_at').orderBy('number').execute();
  const responses = await db.selectFrom('consultation_responses').selectAll().where('area_id', '=', areaId).where('consultation_round_id', '=', round.id).execute();
  const reminders = await db.selectFrom('consultation_reminders').selectAll().where('area_id', '=', areaId).where('consultation_round_id', '=', round.id).orderBy('sent_at').execute();
  const adoptions = await db.selectFrom('rule_adoptions').selectAll().where('area_id', '=', areaId).where('consultation_round_id', '=', round.id).orderBy('recorded_at').execute();
  const attachments = await db.selectFrom('consultation_attachments').select([...ATTACHMENT_COLUMNS]).where('area_id', '=', areaId).where('consultation_round_id', '=', round.id).orderBy('created_at').orderBy(sql`rowid`).execute();
  const people = await peopleNamed(db, [
    ...attachments.map((a) => a.uploaded_by),
    round.opened_by, round.closed_by, round.published_by,
    ...revisions.map((r) => r.submitted_by), ...responses.map((r) => r.responded_by), ...reminders.map((r) => r.sent_by), ...adoptions.map((a) => a.recorded_by),
  ]);
  const anotherRoundOpen =
    round.state === 'draft' &&
    (await db.selectFrom('consultation_rounds').select('id').where('area_id', '=', areaId).where('document_id', '=', round.document_id).where('state', '=', 'open').where('id', '!=', round.id).executeTakeFirst()) !== undefined;
  const area = await db.selectFrom('areas').select(['min_consultation_days', 'min_consultation_excludes_july']).where('id', '=', areaId).executeTakeFirstOrThrow();
  const minimumPeriod = area.min_consultation_days === null ? null : { days: area.min_consultation_days, excludesJuly: area.min_consultation_excludes_july === 1 };
  const content = JSON.parse(version.content) as { sections: Array<{ key: string }> };
  return {
    round,
    version: { number: version.number, label: version.label, hash: version.hash, sectionHashes: JSON.parse(version.section_hashes) as Record<string, string>, sectionKeys: content.sections.map((s) => s.key) },
    invitees,
    revisions,
    responses,
    reminders,
    adoptions,
    attachments,
    minimumPeriod,
    anotherRoundOpen,
    people,
  };
}
