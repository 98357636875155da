import type { ConsultationRoundRow, ConsultationStatementRevisionRow } from '@sopu/db';
import type { Membership, MunicipalityRef } from '../shared/tenancy.repository.ts';
import {
  closeRefusal, daysLeft, deadlinePassed, draftRefusal, helsinkiLocalIso, missingResponses, openRefusal, publishRefusal, reminderRefusal, respondRefusal, statementRefusal,
  questionOfItemKey, shortPeriod, type ShortPeriod, type InviteeStatus, type ResponseStatus, type RoundState,
} from './consultation.rules.ts';
import type { AttachmentRow, InviteeRow, LoadedRound } from './consultation.repository.ts';
import { can } from '../shared/roles.ts';

// What the UI and the API get: rounds as their caller may see them.

export interface PersonRef {
  id: string;
  name: string;
}

export interface RoundSummary {
  id: string;
  documentId: string;
  title: string;
  /** The consulted version, frozen: later edits of the rules do not change it. */
  version: { number: number; label: string; hash: string };
  state: RoundState;
  /** The deadline as an instant (ms, UTC) and as Helsinki reads it ("2026-12-15T16:00+02:00"). */
  deadline: number;
  deadlineLocal: string;
  deadlinePassed: boolean;
  /** Helsinki calendar days to the deadline's day: 0 on the day, negative after it. */
  daysLeft: number;
  /** When the round opened; null while it is a draft. */
  openedAt: number | null;
  closedAt: number | null;
  publishedAt: number | null;
  invited: number;
  /** How many invitees answered: the host admin always knows; everyone else once the round is closed. */
  answered: number | null;
  /** The caller's municipality's place in the round, when it is invited. */
  own: { municipality: MunicipalityRef; status: InviteeStatus; answeredAt: number | null } | null;
}

export interface StatementDecision {
  /** The deciding body: the executive board (kunnanhallitus) or an official with delegated power. */
  body: string;
  /** YYYY-MM-DD. */
  date: string;
  /** "45 §". */
  section: string;
  url: string | null;
}

export interface AttachmentView {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedAt: number;
  uploadedBy: PersonRef | null;
}

export interface StatementRevision {
  /** 1 for the first submission; each amendment adds one. */
  number: number;
  general: string;
  /** Answers to the round's questions, by question number (1-based). */
  answers: Array<{ question: number; text: string }>;
  /** Who decided the statement, when and under which minute section; null when not recorded. */
  decision: StatementDecision | null;
  sections: Array<{ key: string; text: string }>;
  /** "Ei lausuttavaa": the municipality has no comments. */
  noComments: boolean;
  submittedBy: PersonRef | null;
  /** Submitted by the host admin on the municipality's behalf. */
  onBehalf: boolean;
  submittedAt: number;
}

export interface ResponseView {
  /** null: the answer to the general statement (or to an answer, see `question`); else the key of the commented section. */
  section: string | null;
  /** The number of the question whose answer this responds to; null otherwise. */
  question: number | null;
  status: ResponseStatus;
  reason: string;
  respondedBy: PersonRef | null;
  respondedAt: number;
}

export interface InviteeView {
  /** The statement's id (files are attached to it: POST /statements/:id/attachments). */
  statementId: string;
  municipality: MunicipalityRef;
  /** null while it is not the caller's to know (another municipality's, before the round closes). */
  status: InviteeStatus | null;
  answeredAt: number | null;
  /** The statement as it stands (its latest revision), when the caller may see it. */
  statement: StatementRevision | null;
  /** Every revision, oldest first: for the host admin and the municipality's own people. */
  revisions: StatementRevision[];
  /** The host's answers: the host admin sees its drafts; everyone sees them once the summary is published. */
  responses: ResponseView[];
  /** Files attached to the statement, seen by whoever sees the statement. */
  attachments: AttachmentView[];
}

export type ActionState = { allowed: true } | { allowed: false; reason: string; message: string };

export type TimelineEvent =
  | { kind: 'opened'; at: number; by: PersonRef | null }
  | { kind: 'statement_submitted' | 'statement_amended'; at: number; municipality: MunicipalityRef; revision: number; by: PersonRef | null; onBehalf: boolean; noComments: boolean }
  | { kind: 'reminded'; at: number; by: PersonRef | null; municipalities: MunicipalityRef[]; recipients: number | null }
  | { kind: 'deadline'; at: number; passed: boolean }
  | { kind: 'closed'; at: number; by: PersonRef | null; noAnswer: MunicipalityRef[] }
  | { kind: 'summary_published'; at: number; by: PersonRef | null }
  | { kind: 'adopted'; at: number; by: PersonRef | null; adoptionId: string; decisionBody: string; decisionDate: string; minutesSection: string };

export interface RoundView extends RoundSummary {
  documentTitle: string;
  questions: string[];
  coverLetter: string;
  /** Who opened the round; null while it is a draft. */
  openedBy: PersonRef | null;
  closedBy: PersonRef | null;
  publishedBy: PersonRef | null;
  invitees: InviteeView[];
  /** Dated events, oldest first (the deadline among them), as far as the caller may see them. */
  timeline: TimelineEvent[];
  /** What the caller may do now; when not, why (reason 'forbidden' when it is not their role's). */
  actions: {
    /** A draft's: open it to the members (its deadline still ahead, no other round on the rules open), edit it, discard it. */
    open: ActionState;
    edit: ActionState;
    discard: ActionState;
    /** Codes of the municipalities the caller may submit or amend a statement for now. */
    submitFor: string[];
    close: ActionState;
    remind: ActionState;
    respond: ActionState;
    publish: ActionState;
  };
  /** The statement items still without the host's answer (for the host admin; empty for others). */
  missingResponses: Array<{ municipalityCode: string; section: string | null }>;
  /** The host's own material attached to the round (every member who sees the round sees them). */
  attachments: AttachmentView[];
  /** Why the round was opened with a shorter period than the agreement's minimum (the host confirmed it), or null. */
  shortPeriodReason: string | null;
  /**
   * For a draft (to the host admin): opening it now would give less than the agreement's minimum period, and opening
   * then asks for a reason. For an opened round: the shortfall it was opened with (null when none).
   */
  shortPeriod: ShortPeriod | null;
}

export const municipalityRef = (i: Pick<InviteeRow, 'code' | 'name_fi' | 'name_sv'>): MunicipalityRef => ({ code: i.code, name: { fi: i.name_fi, sv: i.name_sv } });
const personRef = (people: Map<string, string>, id: string | null): PersonRef | null => (id ? { id, name: people.get(id) ?? '?' } : null);

export const attachmentView = (a: AttachmentRow, people: Map<string, string>): AttachmentView => ({
  id: a.id,
  fileName: a.file_name,
  mediaType: a.media_type,
  size: a.size,
  sha256: a.sha256,
  uploadedAt: a.created_at,
  uploadedBy: personRef(people, a.uploaded_by),
});

export const revisionView = (r: ConsultationStatementRevisionRow, people: Map<string, string>): StatementRevision => ({
  number: r.number,
  general: r.general,
  answers: JSON.parse(r.answers ?? '[]') as Array<{ question: number; text: string }>,
  decision: r.decision_body && r.decision_date && r.decision_section ? { body: r.decision_body, date: r.decision_date, section: r.decision_section, url: r.decision_url } : null,
  sections: JSON.parse(r.section_comments) as Array<{ key: string; text: string }>,
  noComments: r.no_comments === 1,
  submittedBy: personRef(people, r.submitted_by),
  onBehalf: r.on_behalf === 1,
  submittedAt: r.created_at,
});

/** The current statement of every answered invitee, as the rules need it to list what the host must answer. */
export function statementItems(loaded: Pick<LoadedRound, 'invitees' | 'revisions'>) {
  return loaded.invitees.flatMap((i) => {
    const latest = loaded.revisions.filter((r) => r.consultation_invitee_id === i.id).at(-1);
    if (!latest) return [];
    const v = revisionView(latest, new Map());
    return [{ municipalityCode: i.code, noComments: v.noComments, general: v.general, sections: v.sections, answers: v.answers }];
  });
}

/** Which statement items the stored responses answer. */
export function responseKeys(loaded: Pick<LoadedRound, 'invitees' | 'responses'>) {
  const codeOf = new Map(loaded.invitees.map((i) => [i.id, i.code]));
  return loaded.responses.map((r) => ({ municipalityCode: codeOf.get(r.consultation_invitee_id) ?? '', section: r.section_key === '' ? null : r.section_key }));
}

export function summaryOf(
  round: ConsultationRoundRow,
  version: RoundSummary['version'],
  invitees: Array<Pick<InviteeRow, 'municipality_id' | 'code' | 'name_fi' | 'name_sv' | 'status' | 'answered_at'>>,
  membership: Membership,
  now: number,
): RoundSummary {
  const manager = can(membership, 'consultation.manage');
  const own = invitees.find((i) => i.municipality_id === membership.municipalityId);
  return {
    id: round.id,
    documentId: round.document_id,
    title: round.title,
    version,
    state: round.state as RoundState,
    deadline: round.deadline,
    deadlineLocal: helsinkiLocalIso(round.deadline),
    deadlinePassed: deadlinePassed(round.deadline, now),
    daysLeft: daysLeft(round.deadline, now),
    // A draft's opened_at is when it was saved first (the column cannot be empty); it is not an opening.
    openedAt: round.state === 'draft' ? null : round.opened_at,
    closedAt: round.closed_at,
    publishedAt: round.published_at,
    invited: invitees.length,
    answered: manager || round.state === 'closed' || round.state === 'summary_published' ? invitees.filter((i) => i.status === 'answered').length : null,
    own: own ? { municipality: municipalityRef(own), status: own.status as InviteeStatus, answeredAt: own.answered_at } : null,
  };
}

const allowed: ActionState = { allowed: true };
const forbidden: ActionState = { allowed: false, reason: 'forbidden', message: 'only the host admin runs the round' };
const toAction = (refusal: { reason: string; message: string } | null): ActionState => (refusal ? { allowed: false, reason: refusal.reason, message: refusal.message } : allowed);

/**
 * The round as the caller may see it. Before the round closes a municipality's people see only their own
 * municipality's statement and status; the host admin sees all. Once closed, every member of the area sees every
 * statement (its revision history stays with the host and the municipality). The host's answers are the host
 * admin's until the summary is published.
 */
export function roundView(loaded: LoadedRound, documentTitle: string, membership: Membership, now: number): RoundView {
  const { round, people } = loaded;
  const state = round.state as RoundState;
  const draft = state === 'draft';
  const manager = can(membership, 'consultation.manage');
  const closed = state === 'closed' || state === 'summary_published';
  const published = state === 'summary_published';
  const isOwn = (i: InviteeRow) => i.municipality_id === membership.municipalityId;
  const seesStatement = (i: InviteeRow) => manager || closed || isOwn(i);
  const seesHistory = (i: InviteeRow) => manager || isOwn(i);
  const revisionsOf = (i: InviteeRow) => loaded.revisions.filter((r) => r.consultation_invitee_id === i.id);

  const invitees: InviteeView[] = loaded.invitees.map((i) => {
    const revisions = revisionsOf(i).map((r) => revisionView(r, people));
    const sees = seesStatement(i);
    return {
      statementId: i.id,
      municipality: municipalityRef(i),
      status: sees ? (i.status as InviteeStatus) : null,
      answeredAt: sees ? i.answered_at : null,
      statement: sees ? (revisions.at(-1) ?? null) : null,
      revisions: seesHistory(i) ? revisions : [],
      responses:
        manager || published
          ? loaded.responses
              .filter((r) => r.consultation_invitee_id === i.id)
              .map((r) => ({ section: r.section_key === '' || questionOfItemKey(r.section_key) !== null ? null : r.section_key, question: questionOfItemKey(r.section_key), status: r.status as ResponseStatus, reason: r.reason, respondedBy: personRef(people, r.responded_by), respondedAt: r.responded_at }))
          : [],
      attachments: sees ? loaded.attachments.filter((a) => a.consultation_invitee_id === i.id).map((a) => attachmentView(a, people)) : [],
    };
  });

  const byCode = new Map(loaded.invitees.map((i) => [i.code, i]));
  const timeline: TimelineEvent[] = draft ? [] : [{ kind: 'opened', at: round.opened_at, by: personRef(people, round.opened_by) }];
  for (const r of loaded.revisions) {
    const invitee = loaded.invitees.find((i) => i.id === r.consultation_invitee_id);
    if (!invitee || !seesStatement(invitee)) continue;
    timeline.push({
      kind: r.number === 1 ? 'statement_submitted' : 'statement_amended',
      at: r.created_at,
      municipality: municipalityRef(invitee),
      revision: r.number,
      by: personRef(people, r.submitted_by),
      onBehalf: r.on_behalf === 1,
      noComments: r.no_comments === 1,
    });
  }
  for (const r of loaded.reminders) {
    const reminded = (JSON.parse(r.municipalities) as string[]).map((code) => byCode.get(code)).filter((i): i is InviteeRow => i !== undefined);
    // A reminder says who had not answered: before the close, a municipality hears only of its own.
    const visible = manager || closed ? reminded : reminded.filter(isOwn);
    if (visible.length === 0) continue;
    timeline.push({ kind: 'reminded', at: r.sent_at, by: personRef(people, r.sent_by), municipalities: visible.map(municipalityRef), recipients: manager || closed ? r.recipients : null });
  }
  timeline.push({ kind: 'deadline', at: round.deadline, passed: deadlinePassed(round.deadline, now) });
  if (round.closed_at !== null) {
    timeline.push({ kind: 'closed', at: round.closed_at, by: personRef(people, round.closed_by), noAnswer: loaded.invitees.filter((i) => i.status === 'no_answer').map(municipalityRef) });
  }
  if (round.published_at !== null) timeline.push({ kind: 'summary_published', at: round.published_at, by: personRef(people, round.published_by) });
  for (const a of loaded.adoptions) {
    timeline.push({ kind: 'adopted', at: a.recorded_at, by: personRef(people, a.recorded_by), adoptionId: a.id, decisionBody: a.decision_body, decisionDate: a.decision_date, minutesSection: a.minutes_section });
  }
  // Stable: events of the same millisecond keep the order they were listed in.
  timeline.sort((a, b) => a.at - b.at);

  const roundFacts = { state, deadline: round.deadline };
  const statuses = loaded.invitees.map((i) => i.status as InviteeStatus);
  const missing = missingResponses(statementItems(loaded), responseKeys(loaded));
  const canAnswer = can(membership, 'consultation.answer');
  const submitFor = loaded.invitees
    .filter((i) => canAnswer && (manager || isOwn(i)) && statementRefusal(roundFacts, i.status as InviteeStatus, now) === null)
    .map((i) => i.code);

  return {
    ...summaryOf(round, { number: loaded.version.number, label: loaded.version.label, hash: loaded.version.hash }, loaded.invitees, membership, now),
    documentTitle,
    questions: JSON.parse(round.questions) as string[],
    coverLetter: round.cover_letter,
    openedBy: draft ? null : personRef(people, round.opened_by),
    closedBy: personRef(people, round.closed_by),
    publishedBy: personRef(people, round.published_by),
    invitees,
    timeline,
    actions: {
      open: manager ? toAction(openRefusal(roundFacts, now, loaded.anotherRoundOpen)) : forbidden,
      edit: manager ? toAction(draftRefusal(state, 'edit')) : forbidden,
      discard: manager ? toAction(draftRefusal(state, 'discard')) : forbidden,
      submitFor,
      close: manager ? toAction(closeRefusal(roundFacts, statuses, now)) : forbidden,
      remind: manager ? toAction(reminderRefusal(roundFacts, statuses.filter((s) => s === 'invited').length, now)) : forbidden,
      respond: manager ? toAction(respondRefusal(state)) : forbidden,
      publish: manager ? toAction(publishRefusal(state, missing)) : forbidden,
    },
    missingResponses: manager ? missing : [],
    attachments: loaded.attachments.filter((a) => a.consultation_invitee_id === null).map((a) => attachmentView(a, people)),
    shortPeriodReason: round.short_period_reason ?? null,
    shortPeriod: draft ? (manager ? shortPeriod(loaded.minimumPeriod, now, round.deadline) : null) : shortPeriod(loaded.minimumPeriod, round.opened_at, round.deadline),
  };
}
