import { sql, type Database, type Transaction } from '@sopu/db';
import { z } from 'zod';
import { requireAreaAccess } from '../shared/access.ts';
import type { Membership, MunicipalityRef } from '../shared/tenancy.repository.ts';
import {
  closeRefusal, draftRefusal, inviteeTransition, openRefusal, parseDeadline, reminderRefusal, roundTransition, shortPeriod, statementRefusal, type InviteeStatus, type MinimumPeriod, type RoundState,
} from './consultation.rules.ts';
import { helsinkiDate, isCalendarDate } from '../shared/helsinki.ts';
import { isAllowedMinutesUrl, normaliseMinutesSection } from '../shared/minutes.ts';
import { municipalityRef, roundView, summaryOf, type InviteeView, type RoundSummary, type RoundView } from './consultation.view.ts';
import { findRound, listInvitees, loadRound, roundAccessOf } from './consultation.repository.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { appendFeedEvent } from '../shared/feed.ts';
import { recordNotificationEvent } from '../shared/notification-events.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { userText } from '../shared/text.ts';
import { parseInput } from '../shared/validation.ts';
import { documentAccessOf, type DocumentAccess } from '../versions/index.ts';

/** Plain text, cleaned as all user text (shared/text.ts), within bounds; `min` 0 lets it be empty. */
export const plainText = (min: number, max: number) => userText({ min, max, multiline: true });

const municipalityCode = z.string().min(1).max(20);

export const openRoundInput = z.object({
  /** The number of a saved version of the rules. */
  version: z.number().int().min(1).max(1_000_000),
  title: plainText(1, 200),
  questions: z.array(plainText(1, 2000)).max(30),
  /** "2026-12-15T16:00" (Europe/Helsinki) or with an explicit offset. */
  deadline: z.string().max(40),
  /** Municipality codes; every member but the host when left out. */
  invited: z.array(municipalityCode).min(1).max(200).optional(),
  coverLetter: plainText(0, 20_000).optional(),
  /**
   * Why the round is opened with a shorter period than the agreement's minimum: without it such a round is refused
   * (409 `short_period`, with the days counted and the minimum), with it the round opens and the reason is audited.
   */
  shortPeriodReason: plainText(1, 2000).optional(),
});

/** A new round: opened at once, or with `draft: true` saved as a draft to open later. */
export const createRoundInput = openRoundInput.extend({ draft: z.boolean().optional() });

/** A draft's changes: any of its fields; `invited` replaces the list. */
export const draftRoundUpdateInput = openRoundInput.partial().refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to change' });

/** Who decided the statement: the executive board (kunnanhallitus) or an official with delegated power. */
export const statementDecisionInput = z.object({
  body: userText({ min: 1, max: 200 }),
  /** YYYY-MM-DD, not after today (Helsinki). */
  date: z.string().refine(isCalendarDate, 'a date as YYYY-MM-DD'),
  /** The minute section: "45 §", "§ 45" or "45", kept as "45 §". */
  section: z.string().max(20).transform((v, ctx) => normaliseMinutesSection(v) ?? (ctx.addIssue({ code: 'custom', message: 'a section of the minutes as "45 §"' }), z.NEVER)),
  /** An https link to the published minutes. */
  url: z.string().max(2000).refine(isAllowedMinutesUrl, 'an https link to the published minutes').nullish(),
});

export const STATEMENT_ANSWER_MAX = 10_000;

export const statementInput = z
  .object({
    municipalityCode,
    general: plainText(0, 20_000).optional(),
    /** Answers to the round's questions, one per question (1-based numbers). */
    answers: z.array(z.object({ question: z.number().int().min(1).max(30), text: plainText(1, STATEMENT_ANSWER_MAX) })).max(30).optional(),
    sections: z.array(z.object({ key: z.string().min(1).max(64), text: plainText(1, 10_000) })).max(50).optional(),
    noComments: z.boolean().optional(),
    decision: statementDecisionInput.optional(),
  })
  .superRefine((v, ctx) => {
    const sections = v.sections ?? [];
    const answers = v.answers ?? [];
    if (v.noComments) {
      if (v.general || sections.length > 0 || answers.length > 0) ctx.addIssue({ code: 'custom', path: ['noComments'], message: '"no comments" is a statement of its own: leave the general statement, the answers and section comments empty' });
    } else if (!v.general && sections.length === 0 && answers.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['general'], message: 'answer a question, write a general statement, comment on a section, or say there is nothing to comment (noComments)' });
    }
    const questions = answers.map((a) => a.question);
    questions.forEach((q, i) => {
      if (questions.indexOf(q) !== i) ctx.addIssue({ code: 'custom', path: ['answers', i, 'question'], message: 'one answer per question' });
    });
    const keys = sections.map((s) => s.key);
    keys.forEach((key, i) => {
      if (keys.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['sections', i, 'key'], message: 'one comment per section' });
    });
  });

export const reminderInput = z.object({ municipalityCodes: z.array(municipalityCode).min(1).max(200).optional() });

/** A refusal the API answers 409 with its reason, so that a program can tell one from another. */
export const conflict = (reason: string, message: string, details: Record<string, unknown> = {}) => new DomainError('conflict', message, { ...details, reason });

const invalid = (field: string, code: string, message: string) => new DomainError('invalid_input', message, { issues: [{ path: [field], code, message }] });

export function requireManager(membership: Membership): void {
  if (!can(membership, 'consultation.manage')) throw new DomainError('forbidden', 'only the host admin runs consultation rounds');
}

async function viewOf(deps: CoreDeps, access: DocumentAccess, roundId: string): Promise<RoundView> {
  const round = await findRound(deps.db, access.areaId, roundId);
  return roundView(await loadRound(deps.db, access.areaId, round), access.title, access.membership, deps.now());
}

/** The area's municipalities, with which one is the host. */
async function municipalitiesOf(deps: CoreDeps, areaId: string) {
  const area = await deps.db.selectFrom('areas').select('host_municipality_id').where('id', '=', areaId).executeTakeFirstOrThrow();
  const rows = await deps.db.selectFrom('municipalities').select(['id', 'code', 'name_fi', 'name_sv']).where('area_id', '=', areaId).orderBy('name_fi').execute();
  return rows.map((r) => ({ ...r, isHost: r.id === area.host_municipality_id }));
}

/** A deadline as entered, for a round that opens now or later: in the future, and within a year. */
function checkedDeadline(text: string, now: number): number {
  const deadline = parseDeadline(text);
  if (!deadline.ok) {
    throw invalid('deadline', deadline.problem, deadline.problem === 'no_such_time' ? 'no such time in Helsinki: the clocks skip that hour' : 'a date and time such as 2026-12-15T16:00 (Helsinki time) or with an offset');
  }
  if (deadline.ms <= now) throw invalid('deadline', 'in_past', 'the deadline must be in the future');
  if (deadline.ms > now + 366 * 86_400_000) throw invalid('deadline', 'too_far', 'the deadline must be within a year');
  return deadline.ms;
}

/** The agreement's minimum consultation period, from the area's settings (null: it states none). */
async function minimumPeriodOf(deps: CoreDeps, areaId: string): Promise<MinimumPeriod | null> {
  const row = await deps.db.selectFrom('areas').select(['min_consultation_days', 'min_consultation_excludes_july']).where('id', '=', areaId).executeTakeFirstOrThrow();
  return row.min_consultation_days === null ? null : { days: row.min_consultation_days, excludesJuly: row.min_consultation_excludes_july === 1 };
}

/**
 * A round opening now with this deadline: when it gives less than the agreement's minimum, the host must confirm with
 * a reason, else 409 `short_period` (the warning, with the days counted, for the form to show). Returns the shortfall
 * when confirmed, null when the period is long enough.
 */
function requireShortPeriodReason(minimum: MinimumPeriod | null, now: number, deadline: number, reason: string | undefined) {
  const short = shortPeriod(minimum, now, deadline);
  if (short && !reason) {
    throw conflict('short_period', `the round gives ${short.days} days; the agreement asks for at least ${short.minimum}${short.excludesJuly ? ' (July not counted)' : ''}: confirm with a reason (shortPeriodReason)`, { ...short, field: 'shortPeriodReason' });
  }
  return short;
}

/** A saved version of the document, by its number. */
async function versionNumbered(deps: CoreDeps, access: DocumentAccess, number: number) {
  const version = await deps.db.selectFrom('versions').select(['id', 'number', 'label', 'hash']).where('area_id', '=', access.areaId).where('document_id', '=', access.id).where('number', '=', number).executeTakeFirst();
  if (!version) throw invalid('version', 'unknown_version', 'no such version of this document');
  return version;
}

/** The municipalities to hear: the codes named (each a member of the area, not the host), or every member but the host. */
async function inviteesNamed(deps: CoreDeps, areaId: string, named: string[] | undefined): Promise<Array<{ id: string; code: string }>> {
  const municipalities = await municipalitiesOf(deps, areaId);
  const byCode = new Map(municipalities.map((m) => [m.code, m]));
  const codes = [...new Set(named ?? municipalities.filter((m) => !m.isHost).map((m) => m.code))];
  for (const code of codes) {
    const m = byCode.get(code);
    if (!m) throw invalid('invited', 'unknown_municipality', `no municipality ${code} in this area`);
    if (m.isHost) throw invalid('invited', 'host_municipality', 'the host municipality is not heard on its own rules');
  }
  if (codes.length === 0) throw invalid('invited', 'nobody_invited', 'the area has no member municipality to hear');
  return codes.map((code) => ({ id: byCode.get(code)!.id, code }));
}

async function inviteAll(trx: Transaction<Database>, areaId: string, roundId: string, invitees: Array<{ id: string }>): Promise<void> {
  for (const m of invitees) {
    await trx.insertInto('consultation_invitees').values({ id: newId(), area_id: areaId, consultation_round_id: roundId, municipality_id: m.id, status: 'invited' satisfies InviteeStatus, answered_at: null }).execute();
  }
}

async function openRoundOf(trx: Transaction<Database>, access: DocumentAccess, except: string | null): Promise<string | null> {
  let query = trx.selectFrom('consultation_rounds').select('id').where('area_id', '=', access.areaId).where('document_id', '=', access.id).where('state', '=', 'open' satisfies RoundState);
  if (except) query = query.where('id', '!=', except);
  return (await query.executeTakeFirst())?.id ?? null;
}

/** What the audit log keeps of a round as it opens (or is saved as a draft, or discarded). */
const roundDetails = (documentId: string, version: { number: number; hash: string }, title: string, deadline: number, invited: string[]) => ({
  documentId,
  version: version.number,
  hash: version.hash,
  title,
  deadline: new Date(deadline).toISOString(),
  invited,
});

/**
 * Creates a consultation round on a saved version of the administrative rules: the members are heard on exactly that
 * version, whatever is edited afterwards. With `draft: true` the round is saved as a draft, which only the host admin
 * sees and may edit, open or discard (no other member learns of it, none is asked anything); else it opens at once.
 * One round of a document is open at a time; drafts may wait beside it.
 */
export async function createConsultationRound(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<RoundSummary> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  requireManager(access.membership);
  return createRound(deps, actor, access, parseInput(createRoundInput, raw));
}

/**
 * Opens a consultation round at once (as the API always did): createConsultationRound without the draft stage;
 * a `draft` in the input is not read.
 */
export async function openConsultationRound(deps: CoreDeps, actor: Actor, documentId: string, raw: unknown): Promise<RoundSummary> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  requireManager(access.membership);
  return createRound(deps, actor, access, { ...parseInput(openRoundInput, raw), draft: false });
}

async function createRound(deps: CoreDeps, actor: Actor, access: DocumentAccess, input: z.infer<typeof createRoundInput>): Promise<RoundSummary> {
  if (access.kind !== 'administrative_rules') throw conflict('not_consultable', 'only the administrative rules are consulted');
  const now = deps.now();
  const deadline = checkedDeadline(input.deadline, now);
  const version = await versionNumbered(deps, access, input.version);
  const invitees = await inviteesNamed(deps, access.areaId, input.invited);
  const state: RoundState = input.draft ? 'draft' : 'open';
  // A draft may be saved with a short period (the form shows the warning); opening it asks for the reason.
  const short = state === 'open' ? requireShortPeriodReason(await minimumPeriodOf(deps, access.areaId), now, deadline, input.shortPeriodReason) : null;

  const roundId = newId();
  await deps.db.transaction().execute(async (trx) => {
    if (state === 'open') {
      const open = await openRoundOf(trx, access, null);
      if (open) throw conflict('round_already_open', 'a consultation round on these rules is already open: close it first', { roundId: open });
    }
    await trx
      .insertInto('consultation_rounds')
      .values({
        id: roundId,
        area_id: access.areaId,
        document_id: access.id,
        version_id: version.id,
        title: input.title,
        questions: JSON.stringify(input.questions),
        cover_letter: input.coverLetter ?? '',
        deadline,
        state,
        // A draft's opening is not yet known; the column cannot be empty, so it holds when and by whom the draft was
        // saved until openDraftRound writes the opening there (summaries and views show no opening for a draft).
        opened_by: actor.userId,
        opened_at: now,
        closed_by: null,
        closed_at: null,
        published_by: null,
        published_at: null,
        short_period_reason: short ? input.shortPeriodReason! : null,
      })
      .execute();
    await inviteAll(trx, access.areaId, roundId, invitees);
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: state === 'draft' ? 'consultation.drafted' : 'consultation.opened',
      subjectType: 'consultation_round',
      subjectId: roundId,
      details: { ...roundDetails(access.id, version, input.title, deadline, invitees.map((i) => i.code)), ...(short ? { shortPeriod: { ...short, reason: input.shortPeriodReason } } : {}) },
    }, now);
    if (state === 'open') await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'round.opened', subjectId: roundId, actorId: actor.userId }, now);
  });
  if (state === 'open') deps.feed.notify();
  const round = await findRound(deps.db, access.areaId, roundId);
  return summaryOf(round, { number: version.number, label: version.label, hash: version.hash }, await listInvitees(deps.db, access.areaId, [roundId]), access.membership, now);
}

/** The draft round and its document, for the host admin; a draft is not found by anyone else. */
async function draftOf(deps: CoreDeps, actor: Actor, roundId: string) {
  const found = await roundAccessOf(deps.db, actor, roundId);
  requireManager(found.access.membership);
  return found;
}

/**
 * Edits a draft round: any of version, title, questions, deadline (again in the future and within a year), invited
 * (replacing the list) and cover letter. An opened round is not edited (`round_not_draft`): the members answer
 * what they were asked.
 */
export async function updateDraftRound(deps: CoreDeps, actor: Actor, roundId: string, raw: unknown): Promise<RoundView> {
  const { round, access } = await draftOf(deps, actor, roundId);
  const input = parseInput(draftRoundUpdateInput, raw);
  const now = deps.now();
  const deadline = input.deadline === undefined ? undefined : checkedDeadline(input.deadline, now);
  const version = input.version === undefined ? undefined : await versionNumbered(deps, access, input.version);
  const invitees = input.invited === undefined ? undefined : await inviteesNamed(deps, access.areaId, input.invited);
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await findRound(trx, access.areaId, round.id);
    const refusal = draftRefusal(fresh.state as RoundState, 'edit');
    if (refusal) throw conflict(refusal.reason, refusal.message);
    await trx
      .updateTable('consultation_rounds')
      .set({
        ...(version ? { version_id: version.id } : {}),
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.questions !== undefined ? { questions: JSON.stringify(input.questions) } : {}),
        ...(deadline !== undefined ? { deadline } : {}),
        ...(input.coverLetter !== undefined ? { cover_letter: input.coverLetter } : {}),
      })
      .where('area_id', '=', access.areaId)
      .where('id', '=', round.id)
      .execute();
    if (invitees) {
      await trx.deleteFrom('consultation_invitees').where('area_id', '=', access.areaId).where('consultation_round_id', '=', round.id).execute();
      await inviteAll(trx, access.areaId, round.id, invitees);
    }
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: 'consultation.draft_edited',
      subjectType: 'consultation_round',
      subjectId: round.id,
      details: {
        changed: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined),
        ...(version ? { version: version.number, hash: version.hash } : {}),
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(deadline !== undefined ? { deadline: new Date(deadline).toISOString() } : {}),
        ...(invitees ? { invited: invitees.map((i) => i.code) } : {}),
      },
    }, now);
  });
  return viewOf(deps, access, round.id);
}

/**
 * Opens a draft round to the members: from now on they see it and may answer, on the version it names (a saved,
 * immutable version: that is what is consulted). Its deadline must still be ahead, and no other round on the rules
 * may be open. The timeline's "opened" is this moment.
 */
export const openDraftInput = z.object({ shortPeriodReason: plainText(1, 2000).optional() });

export async function openDraftRound(deps: CoreDeps, actor: Actor, roundId: string, raw: unknown = {}): Promise<RoundView> {
  const { round, access } = await draftOf(deps, actor, roundId);
  const input = parseInput(openDraftInput, raw ?? {});
  const now = deps.now();
  const minimum = await minimumPeriodOf(deps, access.areaId);
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await findRound(trx, access.areaId, round.id);
    const open = fresh.state === 'draft' ? await openRoundOf(trx, access, fresh.id) : null;
    const refusal = openRefusal({ state: fresh.state as RoundState, deadline: fresh.deadline }, now, open !== null);
    if (refusal) throw conflict(refusal.reason, refusal.message, open ? { roundId: open } : {});
    const short = requireShortPeriodReason(minimum, now, fresh.deadline, input.shortPeriodReason);
    const version = await trx.selectFrom('versions').select(['number', 'hash']).where('area_id', '=', access.areaId).where('id', '=', fresh.version_id).executeTakeFirstOrThrow();
    const invitees = await listInvitees(trx, access.areaId, [fresh.id]);
    await trx
      .updateTable('consultation_rounds')
      .set({ state: roundTransition('draft', 'open') as RoundState, opened_by: actor.userId, opened_at: now, short_period_reason: short ? input.shortPeriodReason! : null })
      .where('area_id', '=', access.areaId)
      .where('id', '=', fresh.id)
      .execute();
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: 'consultation.opened',
      subjectType: 'consultation_round',
      subjectId: fresh.id,
      details: { ...roundDetails(access.id, version, fresh.title, fresh.deadline, invitees.map((i) => i.code)), fromDraft: true, ...(short ? { shortPeriod: { ...short, reason: input.shortPeriodReason } } : {}) },
    }, now);
    await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'round.opened', subjectId: fresh.id, actorId: actor.userId }, now);
  });
  deps.feed.notify();
  return viewOf(deps, access, round.id);
}

/** Discards a draft round: it is deleted, as if never prepared (the audit log keeps what it was). */
export async function discardDraftRound(deps: CoreDeps, actor: Actor, roundId: string): Promise<void> {
  const { round, access } = await draftOf(deps, actor, roundId);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await findRound(trx, access.areaId, round.id);
    const refusal = draftRefusal(fresh.state as RoundState, 'discard');
    if (refusal) throw conflict(refusal.reason, refusal.message);
    const version = await trx.selectFrom('versions').select(['number', 'hash']).where('area_id', '=', access.areaId).where('id', '=', fresh.version_id).executeTakeFirstOrThrow();
    const invitees = await listInvitees(trx, access.areaId, [fresh.id]);
    await trx.deleteFrom('consultation_invitees').where('area_id', '=', access.areaId).where('consultation_round_id', '=', fresh.id).execute();
    await trx.deleteFrom('consultation_rounds').where('area_id', '=', access.areaId).where('id', '=', fresh.id).execute();
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: 'consultation.draft_discarded',
      subjectType: 'consultation_round',
      subjectId: fresh.id,
      details: roundDetails(access.id, version, fresh.title, fresh.deadline, invitees.map((i) => i.code)),
    }, now);
  });
}

/** The rounds of a set of round rows, as summaries for the caller (newest first). */
async function summaries(deps: CoreDeps, areaId: string, membership: Membership, where: { documentId?: string }): Promise<RoundSummary[]> {
  let query = deps.db
    .selectFrom('consultation_rounds')
    .innerJoin('versions', 'versions.id', 'consultation_rounds.version_id')
    .selectAll('consultation_rounds')
    .select(['versions.number as version_number', 'versions.label as version_label', 'versions.hash as version_hash'])
    .where('consultation_rounds.area_id', '=', areaId);
  if (where.documentId) query = query.where('consultation_rounds.document_id', '=', where.documentId);
  // Drafts are the host admin's: to everyone else they do not exist.
  if (!can(membership, 'consultation.manage')) query = query.where('consultation_rounds.state', '!=', 'draft' satisfies RoundState);
  const rounds = await query.orderBy('consultation_rounds.opened_at', 'desc').orderBy(sql`consultation_rounds.rowid`, 'desc').execute();
  const invitees = await listInvitees(deps.db, areaId, rounds.map((r) => r.id));
  const now = deps.now();
  return rounds.map(({ version_number, version_label, version_hash, ...round }) =>
    summaryOf(round, { number: version_number, label: version_label, hash: version_hash }, invitees.filter((i) => i.consultation_round_id === round.id), membership, now),
  );
}

/** A document's rounds, newest first; any member of the area may list them (drafts only the host admin). */
export async function listRounds(deps: CoreDeps, actor: Actor, documentId: string): Promise<RoundSummary[]> {
  const access = await documentAccessOf(deps.db, actor, documentId);
  return summaries(deps, access.areaId, access.membership, { documentId: access.id });
}

/**
 * Every round of the area, newest first, for the dashboard: each shows its deadline and days left, and `own` says
 * whether the caller's municipality is invited and has answered. Drafts are listed to the host admin only.
 */
export async function listAreaRounds(deps: CoreDeps, actor: Actor, slug: string): Promise<RoundSummary[]> {
  const { area, membership } = await requireAreaAccess(deps.db, actor.userId, slug);
  return summaries(deps, area.id, membership, {});
}

/** One round with the statements, answers and timeline the caller may see (see roundView). */
export async function getRound(deps: CoreDeps, actor: Actor, roundId: string): Promise<RoundView> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  return viewOf(deps, access, round.id);
}

/**
 * Submits a municipality's statement, or amends it (a new revision; every revision is kept), until the deadline.
 * A member rep answers for their own municipality; the host admin may answer on a municipality's behalf (marked so
 * and audited). Another municipality's rep is refused without learning anything about that municipality's answer.
 */
export async function submitStatement(deps: CoreDeps, actor: Actor, roundId: string, raw: unknown): Promise<InviteeView> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  if (!can(access.membership, 'consultation.answer')) throw new DomainError('forbidden', 'only member reps answer consultation rounds');
  const input = parseInput(statementInput, raw);
  const onBehalf = input.municipalityCode !== access.membership.municipalityCode;
  if (onBehalf && !can(access.membership, 'consultation.manage')) throw new DomainError('forbidden', 'a member rep answers only for their own municipality');
  const loaded = await loadRound(deps.db, access.areaId, round);
  const sections = input.noComments ? [] : (input.sections ?? []);
  sections.forEach((s, i) => {
    if (!loaded.version.sectionKeys.includes(s.key)) throw new DomainError('invalid_input', 'no such section in the consulted version', { issues: [{ path: ['sections', String(i), 'key'], code: 'unknown_section', message: 'no such section in the consulted version' }] });
  });
  const questionCount = (JSON.parse(loaded.round.questions) as string[]).length;
  const answers = input.noComments ? [] : [...(input.answers ?? [])].sort((a, b) => a.question - b.question);
  (input.answers ?? []).forEach((a, i) => {
    if (a.question > questionCount) throw new DomainError('invalid_input', 'the round has no such question', { issues: [{ path: ['answers', String(i), 'question'], code: 'unknown_question', message: `the round has ${questionCount} question(s)` }] });
  });
  const invitee = loaded.invitees.find((i) => i.code === input.municipalityCode);
  if (!invitee) throw conflict('not_invited', `municipality ${input.municipalityCode} is not invited to this round`);
  const now = deps.now();
  if (input.decision && input.decision.date > helsinkiDate(now)) {
    throw new DomainError('invalid_input', 'the statement cannot have been decided in the future', { issues: [{ path: ['decision', 'date'], code: 'in_future', message: 'the decision date is after today' }] });
  }
  await deps.db.transaction().execute(async (trx) => {
    // Read again under the write lock: a close or a deadline between the read above and now wins.
    const fresh = await findRound(trx, access.areaId, round.id);
    const current = await trx.selectFrom('consultation_invitees').select(['status']).where('area_id', '=', access.areaId).where('id', '=', invitee.id).executeTakeFirstOrThrow();
    const status = current.status as InviteeStatus;
    const refusal = statementRefusal({ state: fresh.state as RoundState, deadline: fresh.deadline }, status, now);
    if (refusal) throw conflict(refusal.reason, refusal.message);
    const last = await trx.selectFrom('consultation_statement_revisions').select((eb) => eb.fn.max('number').as('n')).where('consultation_invitee_id', '=', invitee.id).executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    await trx
      .insertInto('consultation_statement_revisions')
      .values({
        id: newId(),
        area_id: access.areaId,
        consultation_invitee_id: invitee.id,
        number,
        general: input.noComments ? '' : (input.general ?? ''),
        section_comments: JSON.stringify(sections.map((s) => ({ key: s.key, text: s.text }))),
        no_comments: input.noComments ? 1 : 0,
        answers: JSON.stringify(answers.map((a) => ({ question: a.question, text: a.text }))),
        decision_body: input.decision?.body ?? null,
        decision_date: input.decision?.date ?? null,
        decision_section: input.decision?.section ?? null,
        decision_url: input.decision?.url ?? null,
        submitted_by: actor.userId,
        on_behalf: onBehalf ? 1 : 0,
        created_at: now,
      })
      .execute();
    await trx.updateTable('consultation_invitees').set({ status: inviteeTransition(status, 'submit')!, answered_at: now }).where('area_id', '=', access.areaId).where('id', '=', invitee.id).execute();
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: number === 1 ? 'consultation.statement_submitted' : 'consultation.statement_amended',
      subjectType: 'consultation_round',
      subjectId: round.id,
      details: { municipality: input.municipalityCode, revision: number, onBehalf, noComments: Boolean(input.noComments), sections: sections.map((s) => s.key), answers: answers.map((a) => a.question), decision: input.decision ?? null },
    }, now);
    await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'statement.submitted', subjectId: round.id, actorId: actor.userId, details: { municipalityCode: input.municipalityCode, revision: number } }, now);
  });
  deps.feed.notify();
  const view = await viewOf(deps, access, round.id);
  return view.invitees.find((i) => i.municipality.code === input.municipalityCode)!;
}

/**
 * Closes the round once its deadline has passed, or earlier when every invitee has answered; an invitee without a
 * statement becomes no_answer. From then on every member of the area sees every statement.
 */
export async function closeRound(deps: CoreDeps, actor: Actor, roundId: string): Promise<RoundView> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  requireManager(access.membership);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await findRound(trx, access.areaId, round.id);
    const invitees = await listInvitees(trx, access.areaId, [round.id]);
    const refusal = closeRefusal({ state: fresh.state as RoundState, deadline: fresh.deadline }, invitees.map((i) => i.status as InviteeStatus), now);
    if (refusal) throw conflict(refusal.reason, refusal.message, { waitingFor: invitees.filter((i) => i.status !== 'answered').map((i) => i.code) });
    const silent = invitees.filter((i) => inviteeTransition(i.status as InviteeStatus, 'close') === 'no_answer');
    for (const i of silent) await trx.updateTable('consultation_invitees').set({ status: 'no_answer' satisfies InviteeStatus }).where('area_id', '=', access.areaId).where('id', '=', i.id).execute();
    await trx.updateTable('consultation_rounds').set({ state: 'closed' satisfies RoundState, closed_by: actor.userId, closed_at: now }).where('area_id', '=', access.areaId).where('id', '=', round.id).execute();
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'consultation.closed', subjectType: 'consultation_round', subjectId: round.id, details: { noAnswer: silent.map((i) => i.code), deadlinePassed: now > fresh.deadline } }, now);
  });
  return viewOf(deps, access, round.id);
}

export interface ReminderResult {
  /** The municipalities reminded and how many of their people got the notification (0: nobody to tell in Sopu). */
  municipalities: Array<{ municipality: MunicipalityRef; recipients: number }>;
  recipients: number;
}

/**
 * Reminds the invited municipalities that have not answered (all of them, or the ones named): every member rep of
 * each gets an in-app notification pointing at the round.
 */
export async function remindInvitees(deps: CoreDeps, actor: Actor, roundId: string, raw: unknown): Promise<ReminderResult> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  requireManager(access.membership);
  const input = parseInput(reminderInput, raw ?? {});
  const now = deps.now();
  const result = await deps.db.transaction().execute(async (trx) => {
    const fresh = await findRound(trx, access.areaId, round.id);
    const invitees = await listInvitees(trx, access.areaId, [round.id]);
    const unknown = input.municipalityCodes?.find((code) => !invitees.some((i) => i.code === code));
    if (unknown) throw invalid('municipalityCodes', 'not_invited', `municipality ${unknown} is not invited to this round`);
    const targets = invitees.filter((i) => i.status === 'invited' && (!input.municipalityCodes || input.municipalityCodes.includes(i.code)));
    const refusal = reminderRefusal({ state: fresh.state as RoundState, deadline: fresh.deadline }, targets.length, now);
    if (refusal) throw conflict(refusal.reason, refusal.message);
    const reps = await trx
      .selectFrom('memberships')
      .select(['user_id', 'municipality_id'])
      .where('area_id', '=', access.areaId)
      .where('role', '=', 'member_rep')
      .where('municipality_id', 'in', targets.map((t) => t.municipality_id))
      .execute();
    for (const rep of reps) {
      const id = newId();
      await trx
        .insertInto('notifications')
        .values({ id, area_id: access.areaId, user_id: rep.user_id, kind: 'round_reminder', document_id: round.document_id, thread_id: null, comment_id: null, actor_id: actor.userId, consultation_round_id: round.id, created_at: now, read_at: null })
        .execute();
      await appendFeedEvent(trx, { areaId: access.areaId, documentId: null, userId: rep.user_id, kind: 'notification', subjectId: id, createdAt: now });
    }
    const codes = targets.map((t) => t.code);
    const reminderId = newId();
    await trx.insertInto('consultation_reminders').values({ id: reminderId, area_id: access.areaId, consultation_round_id: round.id, municipalities: JSON.stringify(codes), recipients: reps.length, sent_by: actor.userId, sent_at: now }).execute();
    // Mailed too (notify/): the bell alone is seen by nobody who is not already in Sopu.
    await recordNotificationEvent(trx, { areaId: access.areaId, kind: 'round.reminded', subjectId: round.id, actorId: actor.userId, details: { reminderId, municipalityIds: targets.map((t) => t.municipality_id) } }, now);
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'consultation.reminded', subjectType: 'consultation_round', subjectId: round.id, details: { municipalities: codes, recipients: reps.length } }, now);
    return {
      municipalities: targets.map((t) => ({ municipality: municipalityRef(t), recipients: reps.filter((r) => r.municipality_id === t.municipality_id).length })),
      recipients: reps.length,
    };
  });
  deps.feed.notify();
  return result;
}
