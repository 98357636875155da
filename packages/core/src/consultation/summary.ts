import { sectionTemplate, type LocalisedText } from '@sopu/doc-model';
import { z } from 'zod';
import { itemsToAnswer, missingResponses, questionItemKey, publishRefusal, respondRefusal, RESPONSE_STATUSES, type InviteeStatus, type ResponseStatus, type RoundState } from './consultation.rules.ts';
import type { MunicipalityRef } from '../shared/tenancy.repository.ts';
import { attachmentView, municipalityRef, responseKeys, type AttachmentView, type StatementDecision, revisionView, roundView, statementItems, summaryOf, type PersonRef, type RoundSummary, type RoundView } from './consultation.view.ts';
import { conflict, plainText, requireManager } from './consultation.ts';
import { findRound, loadRound, roundAccessOf, type LoadedRound } from './consultation.repository.ts';
import type { Actor, CoreDeps } from '../shared/deps.ts';
import { DomainError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { can } from '../shared/roles.ts';
import { parseInput } from '../shared/validation.ts';

export const responsesInput = z.object({
  responses: z
    .array(
      z
        .object({
          municipalityCode: z.string().min(1).max(20),
          /** null or left out: the answer to the general statement; else the key of the commented section. */
          section: z.string().min(1).max(64).nullable().optional(),
          /** The number of the question whose answer this responds to (instead of `section`). */
          question: z.number().int().min(1).max(30).optional(),
          status: z.enum(RESPONSE_STATUSES),
          reason: plainText(0, 5000),
        })
        .superRefine((v, ctx) => {
          if (v.question !== undefined && v.section) ctx.addIssue({ code: 'custom', path: ['question'], message: 'respond to a question or to a section, not both' });
          // Taking a statement into account may go without words; not taking it (wholly) into account may not.
          if (v.status !== 'taken_into_account' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'say why the statement was not (wholly) taken into account' });
        }),
    )
    .min(1)
    .max(500),
});

const keyOf = (r: { municipalityCode: string; section: string | null }) => `${r.municipalityCode}\n${r.section ?? ''}`;

/**
 * The host admin's answers to the statements, one per general statement and per section comment ("otettu
 * huomioon", "osittain", "ei otettu huomioon", with the reason): saved (and changed) while the round is closed,
 * final once the summary is published.
 */
export async function respondToStatements(deps: CoreDeps, actor: Actor, roundId: string, raw: unknown): Promise<RoundView> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  requireManager(access.membership);
  const input = parseInput(responsesInput, raw);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const loaded = await loadRound(trx, access.areaId, await findRound(trx, access.areaId, round.id));
    const refusal = respondRefusal(loaded.round.state as RoundState);
    if (refusal) throw conflict(refusal.reason, refusal.message);
    const answerable = new Set(itemsToAnswer(statementItems(loaded)).map(keyOf));
    const seen = new Set<string>();
    const items = input.responses.map((r, i) => {
      const item = { municipalityCode: r.municipalityCode, section: r.question !== undefined ? questionItemKey(r.question) : (r.section ?? null) };
      const problem = !answerable.has(keyOf(item)) ? 'no statement or section comment of that municipality to answer' : seen.has(keyOf(item)) ? 'answered twice in one request' : null;
      if (problem) throw new DomainError('invalid_input', problem, { issues: [{ path: ['responses', String(i)], code: 'custom', message: problem }] });
      seen.add(keyOf(item));
      return { ...item, status: r.status, reason: r.reason, invitee: loaded.invitees.find((v) => v.code === r.municipalityCode)! };
    });
    for (const item of items) {
      await trx
        .insertInto('consultation_responses')
        .values({ id: newId(), area_id: access.areaId, consultation_round_id: round.id, consultation_invitee_id: item.invitee.id, section_key: item.section ?? '', status: item.status, reason: item.reason, responded_by: actor.userId, responded_at: now })
        .onConflict((oc) => oc.columns(['consultation_invitee_id', 'section_key']).doUpdateSet({ status: item.status, reason: item.reason, responded_by: actor.userId, responded_at: now }))
        .execute();
    }
    await deps.audit.append(trx, {
      areaId: access.areaId,
      actorUserId: actor.userId,
      action: 'consultation.responses_saved',
      subjectType: 'consultation_round',
      subjectId: round.id,
      details: { count: items.length, items: items.map((i) => `${i.municipalityCode}${i.section ? `/${i.section}` : ''}: ${i.status}`) },
    }, now);
  });
  const loaded = await loadRound(deps.db, access.areaId, await findRound(deps.db, access.areaId, round.id));
  return roundView(loaded, access.title, access.membership, deps.now());
}

export interface SummaryRow {
  municipality: MunicipalityRef;
  /** A general statement, an answer to a question, a section comment, "ei lausuttavaa", no statement by the deadline, or not yet (open round). */
  kind: 'general' | 'answer' | 'section' | 'no_comments' | 'no_answer' | 'awaiting';
  section: { key: string; title: LocalisedText } | null;
  /** For an answer: the question's number (1-based). */
  question: number | null;
  statement: string;
  response: { status: ResponseStatus; reason: string } | null;
}

export interface ConsultationSummary {
  round: RoundSummary;
  documentTitle: string;
  questions: string[];
  published: boolean;
  publishedAt: number | null;
  publishedBy: PersonRef | null;
  /**
   * The table of statements and the host's answers, like a ministry's summary of statements: municipality by
   * municipality (by name), the general statement first, then section comments in the document's order. The host
   * admin sees it as it stands; everyone else once it is published (empty before).
   */
  rows: SummaryRow[];
  /** The answers grouped by question, in the round's order, each municipality's answer with the host's response. */
  byQuestion: Array<{ number: number; question: string; answers: Array<{ municipality: MunicipalityRef; text: string; response: { status: ResponseStatus; reason: string } | null }> }>;
  /** Each answering municipality's statement decision (body, date, §, minutes link) and attachments. */
  statements: Array<{ municipality: MunicipalityRef; decision: StatementDecision | null; attachments: AttachmentView[] }>;
  /** The round's own attachments. */
  attachments: AttachmentView[];
  counts: { invited: number; answered: number; noComments: number; noAnswer: number } & Record<ResponseStatus, number>;
}

function summaryRows(loaded: LoadedRound): SummaryRow[] {
  const responses = new Map(responseKeys(loaded).map((k, i) => [keyOf(k), loaded.responses[i]!]));
  const response = (code: string, section: string | null) => {
    const r = responses.get(keyOf({ municipalityCode: code, section }));
    return r ? { status: r.status as ResponseStatus, reason: r.reason } : null;
  };
  const order = (key: string) => loaded.version.sectionKeys.indexOf(key);
  return loaded.invitees.flatMap((i): SummaryRow[] => {
    const municipality = municipalityRef(i);
    const latest = loaded.revisions.filter((r) => r.consultation_invitee_id === i.id).at(-1);
    if (!latest) return [{ municipality, kind: (i.status as InviteeStatus) === 'no_answer' ? 'no_answer' : 'awaiting', section: null, question: null, statement: '', response: null }];
    const s = revisionView(latest, new Map());
    if (s.noComments) return [{ municipality, kind: 'no_comments', section: null, question: null, statement: '', response: null }];
    return [
      ...(s.general ? [{ municipality, kind: 'general' as const, section: null, question: null, statement: s.general, response: response(i.code, null) }] : []),
      ...s.answers.map((a) => ({ municipality, kind: 'answer' as const, section: null, question: a.question, statement: a.text, response: response(i.code, questionItemKey(a.question)) })),
      ...[...s.sections]
        .sort((a, b) => order(a.key) - order(b.key))
        .map((c) => ({ municipality, kind: 'section' as const, section: { key: c.key, title: sectionTemplate('administrative_rules', c.key)?.title ?? { fi: c.key, sv: c.key, en: c.key } }, question: null, statement: c.text, response: response(i.code, c.key) })),
    ];
  });
}

function summaryView(loaded: LoadedRound, documentTitle: string, membership: Parameters<typeof roundView>[2], now: number): ConsultationSummary {
  const published = loaded.round.state === 'summary_published';
  const rows = summaryRows(loaded);
  const visible = published || can(membership, 'consultation.manage');
  const count = (pred: (r: SummaryRow) => boolean) => rows.filter(pred).length;
  const respondedBy = loaded.round.published_by;
  const questions = JSON.parse(loaded.round.questions) as string[];
  const byQuestion = questions.map((question, index) => ({
    number: index + 1,
    question,
    answers: rows.filter((r) => r.kind === 'answer' && r.question === index + 1).map((r) => ({ municipality: r.municipality, text: r.statement, response: r.response })),
  }));
  const statements = loaded.invitees.flatMap((i) => {
    const latest = loaded.revisions.filter((r) => r.consultation_invitee_id === i.id).at(-1);
    if (!latest) return [];
    return [{ municipality: municipalityRef(i), decision: revisionView(latest, new Map()).decision, attachments: loaded.attachments.filter((a) => a.consultation_invitee_id === i.id).map((a) => attachmentView(a, loaded.people)) }];
  });
  return {
    round: summaryOf(loaded.round, { number: loaded.version.number, label: loaded.version.label, hash: loaded.version.hash }, loaded.invitees, membership, now),
    documentTitle,
    questions,
    published,
    publishedAt: loaded.round.published_at,
    publishedBy: respondedBy ? { id: respondedBy, name: loaded.people.get(respondedBy) ?? '?' } : null,
    rows: visible ? rows : [],
    byQuestion: visible ? byQuestion : questions.map((question, index) => ({ number: index + 1, question, answers: [] })),
    statements: visible ? statements : [],
    attachments: loaded.attachments.filter((a) => a.consultation_invitee_id === null).map((a) => attachmentView(a, loaded.people)),
    counts: visible
      ? {
          invited: loaded.invitees.length,
          answered: loaded.invitees.filter((i) => i.status === 'answered').length,
          noComments: count((r) => r.kind === 'no_comments'),
          noAnswer: count((r) => r.kind === 'no_answer'),
          taken_into_account: count((r) => r.response?.status === 'taken_into_account'),
          partly: count((r) => r.response?.status === 'partly'),
          not_taken_into_account: count((r) => r.response?.status === 'not_taken_into_account'),
        }
      : { invited: loaded.invitees.length, answered: 0, noComments: 0, noAnswer: 0, taken_into_account: 0, partly: 0, not_taken_into_account: 0 },
  };
}

/** The printable summary of statements and answers (see ConsultationSummary for who sees what). */
export async function getConsultationSummary(deps: CoreDeps, actor: Actor, roundId: string): Promise<ConsultationSummary> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  return summaryView(await loadRound(deps.db, access.areaId, round), access.title, access.membership, deps.now());
}

/**
 * Publishes the summary: the round is closed and every statement and section comment has its answer (else refused,
 * listing what is missing). Every member of the area then sees the answers.
 */
export async function publishSummary(deps: CoreDeps, actor: Actor, roundId: string): Promise<ConsultationSummary> {
  const { round, access } = await roundAccessOf(deps.db, actor, roundId);
  requireManager(access.membership);
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    const loaded = await loadRound(trx, access.areaId, await findRound(trx, access.areaId, round.id));
    const missing = missingResponses(statementItems(loaded), responseKeys(loaded));
    const refusal = publishRefusal(loaded.round.state as RoundState, missing);
    if (refusal) throw conflict(refusal.reason, refusal.message, { missing: refusal.missing });
    await trx.updateTable('consultation_rounds').set({ state: 'summary_published' satisfies RoundState, published_by: actor.userId, published_at: now }).where('area_id', '=', access.areaId).where('id', '=', round.id).execute();
    await deps.audit.append(trx, { areaId: access.areaId, actorUserId: actor.userId, action: 'consultation.summary_published', subjectType: 'consultation_round', subjectId: round.id, details: { responses: loaded.responses.length } }, now);
  });
  return getConsultationSummary(deps, actor, round.id);
}
