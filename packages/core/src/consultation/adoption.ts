import type { RuleAdoptionRow } from '@sopu/db';
import { z } from 'zod';
import { adoptionVerdict, changedSections, type InviteeStatus, type RoundFacts, type RoundState } from './consultation.rules.ts';
import { conflict, plainText, requireManager } from './consultation.ts';
import { listInvitees, peopleNamed } from './consultation.repository.ts';
import type { PersonRef } from './consultation.view.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { isCalendarDate } from '../shared/helsinki.ts';
import { newId } from '../shared/ids.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';
import { currentContent, documentAccessOf, type DocumentAccess } from '../versions/index.ts';

const calendarDate = z.string().refine(isCalendarDate, 'a calendar date as YYYY-MM-DD');

export const adoptionInput = z.object({
  /** The number of the consulted version being adopted. */
  version: z.number().int().min(1).max(1_000_000),
  /** The deciding body, e.g. "Kajaanin kaupunginvaltuusto". */
  body: userText({ max: 200 }),
  /** The date of the decision, YYYY-MM-DD. */
  date: calendarDate,
  /** The section of the minutes, e.g. "§ 45". */
  minutesSection: userText({ max: 50 }),
});

export interface AdoptionView {
  id: string;
  documentId: string;
  /** The version adopted: always a consulted one. */
  version: { number: number; label: string; hash: string };
  round: { id: string; title: string };
  decisionBody: string;
  decisionDate: string;
  minutesSection: string;
  /** The rules' text had changed since the consulted version when the adoption was recorded: compare the two. */
  changedSinceConsultation: boolean;
  changedSections: string[];
  /** The hash of the rules' text when the adoption was recorded. */
  currentHash: string;
  recordedBy: PersonRef | null;
  recordedAt: number;
}

async function adoptionViews(deps: CoreDeps, access: DocumentAccess, rows: RuleAdoptionRow[]): Promise<AdoptionView[]> {
  if (rows.length === 0) return [];
  const versions = await deps.db.selectFrom('versions').select(['id', 'number', 'label', 'hash']).where('area_id', '=', access.areaId).where('id', 'in', rows.map((r) => r.version_id)).execute();
  const rounds = await deps.db.selectFrom('consultation_rounds').select(['id', 'title']).where('area_id', '=', access.areaId).where('id', 'in', rows.map((r) => r.consultation_round_id)).execute();
  const people = await peopleNamed(deps.db, rows.map((r) => r.recorded_by));
  return rows.map((r) => {
    const v = versions.find((x) => x.id === r.version_id)!;
    return {
      id: r.id,
      documentId: r.document_id,
      version: { number: v.number, label: v.label, hash: v.hash },
      round: { id: r.consultation_round_id, title: rounds.find((x) => x.id === r.consultation_round_id)?.title ?? '' },
      decisionBody: r.decision_body,
      decisionDate: r.decision_date,
      minutesSection: r.minutes_section,
      changedSinceConsultation: r.changed_since_consultation === 1,
      changedSections: JSON.parse(r.changed_sections) as string[],
      currentHash: r.current_hash,
      recordedBy: r.recorded_by ? { id: r.recorded_by, name: people.get(r.recorded_by) ?? '?' } : null,
      recordedAt: r.recorded_at,
    };
  });
}

/** The recorded adoptions of a document (the administrative rules), newest first; any member may read them. */
export async function listAdoptions(deps: CoreDeps, actor: Actor, documentId: string): Promise<AdoptionView[]> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  const rows = await deps.db.selectFrom('rule_adoptions').selectAll().where('area_id', '=', access.areaId).where('document_id', '=', access.id).orderBy('recorded_at', 'desc').execute();
  return adoptionViews(deps, access, rows);
}

/**
 * Records the host's adoption of a version of its administrative rules: only of a version whose consultation round
 * is closed with every invitee answered or the deadline passed (adoptionVerdict; refused with its reason otherwise).
 * When the rules have changed since that version, the adoption still names the consulted version and says which
 * sections differ from the text as it is now, so that the UI can show the difference.
 */
export async function recordAdoption(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<AdoptionView> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  requireManager(access.membership);
  const input = parseInput(adoptionInput, raw);
  if (access.kind !== 'administrative_rules') throw conflict('not_consultable', 'only the administrative rules are adopted after a consultation round');
  const version = await deps.db.selectFrom('versions').select(['id', 'number', 'hash', 'section_hashes']).where('area_id', '=', access.areaId).where('document_id', '=', access.id).where('number', '=', input.version).executeTakeFirst();
  if (!version) throw new DomainError('invalid_input', 'no such version of this document', { issues: [{ path: ['version'], code: 'unknown_version', message: 'no such version of this document' }] });
  const current = await currentContent(deps.db, access.id);
  const now = deps.now();
  const id = newId();
  await deps.db.transaction().execute(async (trx) => {
    const rounds = await trx.selectFrom('consultation_rounds').selectAll().where('area_id', '=', access.areaId).where('version_id', '=', version.id).execute();
    const invitees = await listInvitees(trx, access.areaId, rounds.map((r) => r.id));
    const facts: RoundFacts[] = rounds.map((r) => ({
      id: r.id,
      state: r.state as RoundState,
      deadline: r.deadline,
      closedAt: r.closed_at,
      invitees: invitees.filter((i) => i.consultation_round_id === r.id).map((i) => ({ status: i.status as InviteeStatus, answeredAt: i.answered_at })),
    }));
    const adopted = await trx.selectFrom('rule_adoptions').select('id').where('area_id', '=', access.areaId).where('version_id', '=', version.id).executeTakeFirst();
    const verdict = adoptionVerdict({ rounds: facts, alreadyAdopted: Boolean(adopted), decisionDate: input.date, now });
    if (!verdict.ok) throw conflict(verdict.reason, verdict.message);
    const changed = current.hash === version.hash ? [] : changedSections(JSON.parse(version.section_hashes) as Record<string, string>, current.sectionHashes);
    const changedSince = current.hash !== version.hash;
    await trx
      .insertInto('rule_adoptions')
      .values({
        id,
        area_id: access.areaId,
        document_id: access.id,
        version_id: version.id,
        consultation_round_id: verdict.round.id,
        decision_body: input.body,
        decision_date: input.date,
        minutes_section: input.minutesSection,
        changed_since_consultation: changedSince ? 1 : 0,
        changed_sections: JSON.stringify(changed),
        current_hash: current.hash,
        recorded_by: actor.userId,
        recorded_at: now,
      })
      .execute();
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: 'rules.adopted',
      subjectType: 'document',
      subjectId: access.id,
      details: { version: version.number, hash: version.hash, roundId: verdict.round.id, body: input.body, date: input.date, minutesSection: input.minutesSection, changedSinceConsultation: changedSince, changedSections: changed },
    }, now);
  });
  const row = await deps.db.selectFrom('rule_adoptions').selectAll().where('area_id', '=', access.areaId).where('id', '=', id).executeTakeFirstOrThrow();
  return (await adoptionViews(deps, access, [row]))[0]!;
}
