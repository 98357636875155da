// The rules of consultation rounds, pure: state machines as tables, the guards with their reasons, and deadlines in
// Europe/Helsinki. No database and no Node modules (shared/roles.ts and shared/helsinki.ts are pure too): the UI may import this
// file as it is.

// --- time in Helsinki ----------------------------------------------------------------------------------------------

import { addDays, daysBetween, helsinkiDate, helsinkiLocalIso, parseDateTime, type DateTimeProblem } from '../shared/helsinki.ts';
import { can, type Member, type Permission } from '../shared/roles.ts';
export { HELSINKI, helsinkiDate, helsinkiInstants, helsinkiLocalIso, helsinkiOffsetMinutes, helsinkiParts, type LocalDateTime } from '../shared/helsinki.ts';

export type DeadlineProblem = DateTimeProblem;

/**
 * A deadline as entered: an RFC 3339 date-time ("2026-12-14T02:07:51.949Z", "…+02:00"), or a Helsinki wall-clock
 * time without an offset ("2026-12-15T16:00"). A Helsinki time that does not exist (the hour skipped when summer time
 * begins) is refused; one that occurs twice (the hour repeated when it ends) is the first, as Temporal's default
 * reads it (shared/helsinki.ts, parseDateTime).
 */
export function parseDeadline(text: unknown): { ok: true; ms: number } | { ok: false; problem: DeadlineProblem } {
  return parseDateTime(text);
}

/** A statement is on time up to and including the deadline's instant; one millisecond later it is late. */
export const deadlinePassed = (deadline: number, now: number): boolean => now > deadline;

/**
 * Calendar days from today to the deadline's day, both in Helsinki: 0 on the day itself, 1 the day before, negative
 * once the day is gone. What "N päivää jäljellä" shows, whatever the clocks did in between.
 */
export function daysLeft(deadline: number, now: number): number {
  return daysBetween(helsinkiDate(now), helsinkiDate(deadline));
}

// --- the round -----------------------------------------------------------------------------------------------------

/**
 * A round is prepared as a draft (title, questions, deadline, invitees, cover letter, on a saved version), which
 * only the host admin sees and may edit or discard; once opened the members are heard until the host closes it, and
 * it ends when the host publishes its summary of the statements. A round may also be opened at once, without the
 * draft stage.
 */
export const ROUND_STATES = ['draft', 'open', 'closed', 'summary_published'] as const;
export type RoundState = (typeof ROUND_STATES)[number];

export const ROUND_EVENTS = ['edit', 'discard', 'open', 'submit_statement', 'remind', 'close', 'respond', 'publish'] as const;
export type RoundEvent = (typeof ROUND_EVENTS)[number];

/** Where an event leads: a state, or `deleted` when a discarded draft is gone (nothing of it remains but the audit). */
export type RoundOutcome = RoundState | 'deleted';

/** state × event → outcome; a missing pair is refused. */
export const ROUND_TRANSITIONS: Record<RoundState, Partial<Record<RoundEvent, RoundOutcome>>> = {
  draft: { edit: 'draft', discard: 'deleted', open: 'open' },
  open: { submit_statement: 'open', remind: 'open', close: 'closed' },
  closed: { respond: 'closed', publish: 'summary_published' },
  summary_published: {},
};

export const roundTransition = (state: RoundState, event: RoundEvent): RoundOutcome | null => ROUND_TRANSITIONS[state][event] ?? null;

/** The permission each event asks of the caller (shared/roles.ts): the host admin runs the round, members answer it. */
export const ROUND_EVENT_PERMISSION: Record<RoundEvent, Permission> = {
  edit: 'consultation.manage',
  discard: 'consultation.manage',
  open: 'consultation.manage',
  submit_statement: 'consultation.answer',
  remind: 'consultation.manage',
  close: 'consultation.manage',
  respond: 'consultation.manage',
  publish: 'consultation.manage',
};

/** Who sees a round at all: a draft is the host admin's alone; to everyone else it does not exist. */
export const roundVisible = (state: RoundState, member: Member): boolean => state !== 'draft' || can(member, 'consultation.manage');

/**
 * What becomes of an event on a round in a state, asked by a member of the round's area, before any rule that needs
 * more facts (deadlines, answers): `not_found` when the member may not see the round (a draft, to all but the host
 * admin: the same answer as a missing round), `forbidden` when the event is not their role's, `refused` when the
 * round's state does not allow it (a 409 with the reason), else the outcome. The use cases check in this order.
 */
export function roundEventOutcome(state: RoundState, event: RoundEvent, member: Member): RoundOutcome | 'not_found' | 'forbidden' | 'refused' {
  if (!roundVisible(state, member)) return 'not_found';
  if (!can(member, ROUND_EVENT_PERMISSION[event])) return 'forbidden';
  return roundTransition(state, event) ?? 'refused';
}

export const INVITEE_STATUSES = ['invited', 'answered', 'no_answer'] as const;
export type InviteeStatus = (typeof INVITEE_STATUSES)[number];

export const INVITEE_EVENTS = ['submit', 'close'] as const;
export type InviteeEvent = (typeof INVITEE_EVENTS)[number];

/** An invitee answers by submitting (again, to amend); at close, one that never answered becomes no_answer. */
export const INVITEE_TRANSITIONS: Record<InviteeStatus, Partial<Record<InviteeEvent, InviteeStatus>>> = {
  invited: { submit: 'answered', close: 'no_answer' },
  answered: { submit: 'answered', close: 'answered' },
  no_answer: {},
};

export const inviteeTransition = (status: InviteeStatus, event: InviteeEvent): InviteeStatus | null => INVITEE_TRANSITIONS[status][event] ?? null;

// --- guards --------------------------------------------------------------------------------------------------------

/** Why an action on a round is refused: a stable code for programs and a sentence for people. */
export interface Refusal<R extends string> {
  reason: R;
  message: string;
}

const refusal = <R extends string>(reason: R, message: string): Refusal<R> => ({ reason, message });

const NOT_OPENED_YET = 'the round is a draft and has not been opened';

export type DraftRefusalReason = 'round_not_draft';

/** A round is edited and discarded only as a draft: once opened, what the members were asked stays as it was. */
export function draftRefusal(state: RoundState, event: 'edit' | 'discard'): Refusal<DraftRefusalReason> | null {
  if (roundTransition(state, event)) return null;
  return refusal('round_not_draft', `the round has been opened: it can no longer be ${event === 'edit' ? 'edited' : 'discarded'}`);
}

export type OpenRefusalReason = 'round_not_draft' | 'deadline_passed' | 'round_already_open';

/**
 * Whether a draft may be opened now: its deadline must still be ahead (a draft may wait for days), and no other round
 * on the same rules may be open (`anotherOpen`).
 */
export function openRefusal(round: { state: RoundState; deadline: number }, now: number, anotherOpen: boolean): Refusal<OpenRefusalReason> | null {
  if (!roundTransition(round.state, 'open')) return refusal('round_not_draft', 'the round is already open or over');
  if (round.deadline <= now) return refusal('deadline_passed', `the deadline ${helsinkiLocalIso(round.deadline)} has passed: set a later deadline before opening the round`);
  if (anotherOpen) return refusal('round_already_open', 'a consultation round on these rules is already open: close it first');
  return null;
}

export type StatementRefusalReason = 'round_not_open' | 'deadline_passed' | 'already_closed_for_municipality';

/** Whether a municipality may submit (or amend) its statement now. */
export function statementRefusal(round: { state: RoundState; deadline: number }, invitee: InviteeStatus, now: number): Refusal<StatementRefusalReason> | null {
  if (!roundTransition(round.state, 'submit_statement')) {
    return refusal('round_not_open', round.state === 'draft' ? `${NOT_OPENED_YET}: statements are accepted once it opens` : 'the round is closed: statements can no longer be submitted or amended');
  }
  if (deadlinePassed(round.deadline, now)) return refusal('deadline_passed', `the deadline ${helsinkiLocalIso(round.deadline)} has passed: statements can no longer be submitted or amended`);
  if (!inviteeTransition(invitee, 'submit')) return refusal('already_closed_for_municipality', 'this municipality can no longer answer');
  return null;
}

export type CloseRefusalReason = 'round_not_open' | 'deadline_not_passed';

/** The host closes a round after its deadline, or earlier once every invitee has answered. */
export function closeRefusal(round: { state: RoundState; deadline: number }, invitees: InviteeStatus[], now: number): Refusal<CloseRefusalReason> | null {
  if (!roundTransition(round.state, 'close')) return refusal('round_not_open', round.state === 'draft' ? NOT_OPENED_YET : 'the round is already closed');
  const waiting = invitees.filter((s) => s !== 'answered').length;
  if (!deadlinePassed(round.deadline, now) && waiting > 0) {
    return refusal('deadline_not_passed', `the deadline ${helsinkiLocalIso(round.deadline)} has not passed and ${waiting} of ${invitees.length} invited municipalities have not answered`);
  }
  return null;
}

export type ReminderRefusalReason = 'round_not_open' | 'deadline_passed' | 'nobody_to_remind';

export function reminderRefusal(round: { state: RoundState; deadline: number }, unanswered: number, now: number): Refusal<ReminderRefusalReason> | null {
  if (!roundTransition(round.state, 'remind')) return refusal('round_not_open', round.state === 'draft' ? `${NOT_OPENED_YET}: nobody has been asked yet` : 'the round is closed');
  if (deadlinePassed(round.deadline, now)) return refusal('deadline_passed', 'the deadline has passed: a reminder could no longer be acted on');
  if (unanswered === 0) return refusal('nobody_to_remind', 'every invited municipality named has answered');
  return null;
}

export const RESPONSE_STATUSES = ['taken_into_account', 'partly', 'not_taken_into_account'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export type RespondRefusalReason = 'round_draft' | 'round_open' | 'summary_published';

/** The host answers statements once the round is closed, until it publishes the summary. */
export function respondRefusal(state: RoundState): Refusal<RespondRefusalReason> | null {
  if (roundTransition(state, 'respond')) return null;
  if (state === 'draft') return refusal('round_draft', `${NOT_OPENED_YET}: there are no statements to answer`);
  return state === 'open' ? refusal('round_open', 'close the round before answering its statements') : refusal('summary_published', 'the summary is published: its answers are final');
}

/** What a statement asks the host to answer: its general statement (section null), each answer to a question, and each section comment. */
export interface StatementItems {
  municipalityCode: string;
  noComments: boolean;
  general: string;
  sections: Array<{ key: string }>;
  /** Answers to the round's questions (1-based numbers). */
  answers?: Array<{ question: number }>;
}

/**
 * An answer to question N is answered by the host under the item key `q:N` (stored as the response's section key;
 * template section keys are words, never this shape).
 */
export const questionItemKey = (question: number): string => `q:${question}`;
export const questionOfItemKey = (key: string | null): number | null => {
  const match = key ? /^q:(\d{1,3})$/.exec(key) : null;
  return match ? Number(match[1]) : null;
};

export interface ResponseKey {
  municipalityCode: string;
  section: string | null;
}

/** The items to answer: a statement of "no comments" asks nothing; an empty general statement neither. */
export function itemsToAnswer(statements: StatementItems[]): ResponseKey[] {
  return statements.flatMap((s) =>
    s.noComments
      ? []
      : [
          ...(s.general.trim() ? [{ municipalityCode: s.municipalityCode, section: null }] : []),
          ...(s.answers ?? []).map((a) => ({ municipalityCode: s.municipalityCode, section: questionItemKey(a.question) })),
          ...s.sections.map((c) => ({ municipalityCode: s.municipalityCode, section: c.key })),
        ],
  );
}

/** The items still without the host's answer. */
export function missingResponses(statements: StatementItems[], responses: ResponseKey[]): ResponseKey[] {
  const answered = new Set(responses.map((r) => `${r.municipalityCode}\n${r.section ?? ''}`));
  return itemsToAnswer(statements).filter((i) => !answered.has(`${i.municipalityCode}\n${i.section ?? ''}`));
}

export type PublishRefusalReason = 'round_draft' | 'round_open' | 'summary_published' | 'responses_missing';

/** The summary is published once the round is closed and every statement and section comment has its answer. */
export function publishRefusal(state: RoundState, missing: ResponseKey[]): (Refusal<PublishRefusalReason> & { missing: ResponseKey[] }) | null {
  if (!roundTransition(state, 'publish')) {
    const r =
      state === 'draft'
        ? refusal('round_draft' as const, `${NOT_OPENED_YET}: there is nothing to summarise`)
        : state === 'open'
          ? refusal('round_open' as const, 'close the round before publishing its summary')
          : refusal('summary_published' as const, 'the summary is already published');
    return { ...r, missing: [] };
  }
  if (missing.length > 0) {
    const list = missing.map((m) => (m.section ? `${m.municipalityCode}/${m.section}` : `${m.municipalityCode}`)).join(', ');
    return { ...refusal('responses_missing', `${missing.length} statement item(s) have no answer yet: ${list}`), missing };
  }
  return null;
}

// --- adoption ------------------------------------------------------------------------------------------------------

/** A round on the version whose adoption is being recorded, as the guard needs it. */
export interface RoundFacts {
  id: string;
  state: RoundState;
  deadline: number;
  closedAt: number | null;
  /** Each invitee's status and when it last answered. */
  invitees: Array<{ status: InviteeStatus; answeredAt: number | null }>;
}

export type AdoptionRefusalReason = 'no_round' | 'round_open' | 'not_everyone_heard' | 'already_adopted' | 'decided_before_hearing_ended' | 'decision_in_future';

export type AdoptionVerdict = { ok: true; round: RoundFacts; hearingEnded: number } | ({ ok: false } & Refusal<AdoptionRefusalReason>);

/** Everyone invited answered, or the deadline passed: the members were heard. */
export function membersHeard(round: RoundFacts, now: number): boolean {
  return round.invitees.every((i) => i.status === 'answered') || deadlinePassed(round.deadline, now);
}

/** When the hearing ended: the last answer when everyone answered before the deadline, else the deadline. */
export function hearingEnded(round: RoundFacts): number {
  const answers = round.invitees.map((i) => i.answeredAt);
  const everyone = round.invitees.every((i) => i.status === 'answered');
  const last = answers.reduce<number>((max, at) => Math.max(max, at ?? 0), 0);
  return everyone && last <= round.deadline ? last : round.deadline;
}

/**
 * Whether the host may record the adoption of a version of its rules (decided on `decisionDate`, YYYY-MM-DD in
 * Helsinki): no round on the version may be open (the members are being heard on it), it must have a round that is
 * closed (its summary published or not) in which every invitee answered or the deadline passed, the decision cannot
 * predate the end of that hearing nor today, and a version is adopted once. A draft round heard nobody: it counts as
 * no round at all.
 */
export function adoptionVerdict(input: { rounds: RoundFacts[]; alreadyAdopted: boolean; decisionDate: string; now: number }): AdoptionVerdict {
  const no = (reason: AdoptionRefusalReason, message: string): AdoptionVerdict => ({ ok: false, reason, message });
  if (input.alreadyAdopted) return no('already_adopted', 'the adoption of this version is already recorded');
  const rounds = input.rounds.filter((r) => r.state !== 'draft');
  if (rounds.length === 0) return no('no_round', 'this version has not been consulted: open a consultation round on it first');
  // An open round is a hearing in progress on this very text, whatever an older round on it concluded.
  if (rounds.some((r) => r.state === 'open')) return no('round_open', 'a consultation round on this version is still open: close it first');
  const heard = rounds
    .filter((r) => (r.state === 'closed' || r.state === 'summary_published') && membersHeard(r, input.now))
    .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
  const round = heard[0];
  if (!round) return no('not_everyone_heard', 'in no closed round on this version did every invited municipality answer or the deadline pass');
  if (input.decisionDate > helsinkiDate(input.now)) return no('decision_in_future', 'the decision date is in the future');
  const ended = hearingEnded(round);
  if (input.decisionDate < helsinkiDate(ended)) {
    return no('decided_before_hearing_ended', `the decision date is before the members' hearing ended (${helsinkiDate(ended)})`);
  }
  return { ok: true, round, hearingEnded: ended };
}

/** The section keys whose hash differs between two sets of section hashes (added or removed sections included). */
export function changedSections(consulted: Record<string, string>, current: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(consulted), ...Object.keys(current)])];
  return keys.filter((k) => consulted[k] !== current[k]);
}

// --- the minimum consultation period -------------------------------------------------------------------------------

/** The agreement's minimum consultation period, as the area's settings hold it. */
export interface MinimumPeriod {
  days: number;
  /** July is not counted (the holiday month: the councils do not meet). */
  excludesJuly: boolean;
}

/**
 * How many days a round opened at `openedAt` with its deadline at `deadline` gives the members, counted as Helsinki
 * calendar days from the opening day to the deadline's day; July's days are not counted when the agreement says so.
 */
export function consultationDays(openedAt: number, deadline: number, excludesJuly: boolean): number {
  const from = helsinkiDate(openedAt);
  const to = helsinkiDate(deadline);
  const total = daysBetween(from, to);
  if (!excludesJuly || total <= 0) return total;
  let july = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (d.slice(5, 7) === '07') july++;
  return total - july;
}

export interface ShortPeriod {
  /** The days the round gives, counted as the agreement counts them. */
  days: number;
  minimum: number;
  excludesJuly: boolean;
}

/** Whether a round would be shorter than the agreement's minimum: null when there is none or it is long enough. */
export function shortPeriod(minimum: MinimumPeriod | null, openedAt: number, deadline: number): ShortPeriod | null {
  if (!minimum || minimum.days <= 0) return null;
  const days = consultationDays(openedAt, deadline, minimum.excludesJuly);
  return days < minimum.days ? { days, minimum: minimum.days, excludesJuly: minimum.excludesJuly } : null;
}
