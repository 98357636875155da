import { isCalendarDate } from '../shared/helsinki.ts';
import type { Role } from '../shared/roles.ts';

/**
 * Council approval of an agreement version, as pure rules (browser-safe: no database, no Node modules). One
 * municipality's handling of one approval request is a small state machine; docs/decisions/017-council-approvals.md
 * says why it has these states, events and recorders.
 */

/**
 * Where a council's handling of one request stands. `returned`: palautettu uudelleen valmisteltavaksi /
 * återremitterat. An approval goes on: `final` when the decision became final (lainvoimainen / laga kraft: no appeal
 * within the time, or the appeal decided), `signed` when the municipality has also signed the agreement.
 */
export const DECISION_STATES = ['pending', 'scheduled', 'approved', 'final', 'signed', 'rejected', 'returned'] as const;
export type DecisionState = (typeof DECISION_STATES)[number];

export const isDecisionState = (value: unknown): value is DecisionState => typeof value === 'string' && (DECISION_STATES as readonly string[]).includes(value);

/**
 * What a recorder says happened. `schedule`: the matter is on a council meeting's agenda; `reschedule`: that meeting
 * moved; `unschedule`: the matter was taken off the agenda; `approve` / `reject` / `return`: the council decided;
 * `finalise`: the approval became final (lainvoimainen); `sign`: the municipality signed the agreement; `correct`: the
 * host admin fixes a recorded step (the only way out of a decided state).
 */
export const DECISION_EVENTS = ['schedule', 'reschedule', 'unschedule', 'approve', 'reject', 'return', 'finalise', 'sign', 'correct'] as const;
export type DecisionEvent = (typeof DECISION_EVENTS)[number];

/** Who may record for a municipality: its own council secretary, its case-management system's token, the host admin on its behalf. */
export const RECORDER_STANDINGS = ['council_secretary', 'token', 'host_admin'] as const;
export type RecorderStanding = (typeof RECORDER_STANDINGS)[number];

/** `'chosen'`: the event goes to the state the recorder names (a correction may put any state right). */
export type Target = DecisionState | 'chosen';

/**
 * state × event → next state; a missing entry is a transition that does not exist. A decision needs no scheduling
 * first (secretaries often record after the meeting), a returned matter comes to a new meeting (scheduled again) or
 * is decided directly, and it may be returned again. Approved and rejected are the council's decision on the request;
 * an approval then becomes final, and the agreement is signed (optional, and only once final: the signature commits
 * the municipality to a text no appeal can change any more).
 */
export const TRANSITIONS: Readonly<Record<DecisionState, Partial<Record<DecisionEvent, Target>>>> = {
  pending: { schedule: 'scheduled', approve: 'approved', reject: 'rejected', return: 'returned', correct: 'chosen' },
  scheduled: { reschedule: 'scheduled', unschedule: 'pending', approve: 'approved', reject: 'rejected', return: 'returned', correct: 'chosen' },
  returned: { schedule: 'scheduled', approve: 'approved', reject: 'rejected', return: 'returned', correct: 'chosen' },
  approved: { finalise: 'final', correct: 'chosen' },
  final: { sign: 'signed', correct: 'chosen' },
  signed: { correct: 'chosen' },
  rejected: { correct: 'chosen' },
};

/** Who may record each event: everything but a correction is the municipality's own record; correcting is the host admin's. */
export const EVENT_RECORDERS: Readonly<Record<DecisionEvent, readonly RecorderStanding[]>> = {
  schedule: ['council_secretary', 'token', 'host_admin'],
  reschedule: ['council_secretary', 'token', 'host_admin'],
  unschedule: ['council_secretary', 'token', 'host_admin'],
  approve: ['council_secretary', 'token', 'host_admin'],
  reject: ['council_secretary', 'token', 'host_admin'],
  return: ['council_secretary', 'token', 'host_admin'],
  finalise: ['council_secretary', 'token', 'host_admin'],
  sign: ['council_secretary', 'token', 'host_admin'],
  correct: ['host_admin'],
};

/**
 * Events about a coming meeting make sense only for the open request: once a newer version is sent, the councils
 * should put that one on their agenda. A decision already taken on the older version can still be recorded (the
 * minutes may come after the new version went out), and corrected; its finality and signature too.
 */
export const OPEN_REQUEST_ONLY: readonly DecisionEvent[] = ['schedule', 'reschedule', 'unschedule'];

/**
 * A request is `open` while a council still has to decide, `closed` once every party council has decided (approved
 * or rejected: finality and signatures are still recorded on it), `superseded` when a newer version was sent while it
 * was open.
 */
export const REQUEST_STATUSES = ['open', 'closed', 'superseded'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * What happens to a request: `supersede` (a newer version of the document was sent), `all_decided` (the last party
 * council decided), `undecided` (a correction left a council undecided again).
 */
export const REQUEST_EVENTS = ['supersede', 'all_decided', 'undecided'] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

/**
 * status × event → status; a missing entry does not happen (sending a new version leaves a closed request closed: its
 * councils all decided on that text, and the record stays whole). A closed request reopened by a correction while a
 * newer one is out is superseded at once (`undecided`, then `supersede`).
 */
export const REQUEST_TRANSITIONS: Readonly<Record<RequestStatus, Partial<Record<RequestEvent, RequestStatus>>>> = {
  open: { supersede: 'superseded', all_decided: 'closed' },
  closed: { undecided: 'open' },
  superseded: {},
};

export const requestTransition = (status: RequestStatus, event: RequestEvent): RequestStatus | null => REQUEST_TRANSITIONS[status][event] ?? null;

/** A council has decided on the request: approved (and then final, signed) or rejected. A return is not a decision on it. */
export const hasDecided = (state: DecisionState): boolean => state === 'approved' || state === 'final' || state === 'signed' || state === 'rejected';
/** The council approved the text: approved, final or signed. */
export const isApproval = (state: DecisionState): boolean => state === 'approved' || state === 'final' || state === 'signed';

/** The request event that the councils' states now call for, if any: close when all decided, reopen when one is not. */
export function requestEventFor(status: RequestStatus, states: readonly DecisionState[]): RequestEvent | null {
  const all = states.length > 0 && states.every(hasDecided);
  if (status === 'open' && all) return 'all_decided';
  if (status === 'closed' && !all) return 'undecided';
  return null;
}

/** The one doing the recording: a member of the area (role and municipality) or a municipality's token. */
export type Recorder = { kind: 'member'; role: Role; municipalityId: string } | { kind: 'token'; municipalityId: string };

/** How the recorder stands to the municipality whose decision it is; null for anyone who may not record it. */
export function standingOf(recorder: Recorder, municipalityId: string): RecorderStanding | null {
  if (recorder.kind === 'token') return recorder.municipalityId === municipalityId ? 'token' : null;
  if (recorder.role === 'host_admin') return 'host_admin';
  if (recorder.role === 'council_secretary' && recorder.municipalityId === municipalityId) return 'council_secretary';
  return null;
}

/** The event meant by asking to put a decision in `to` from `from` (the API names the state, not the event). */
export function eventFor(from: DecisionState, to: DecisionState): DecisionEvent {
  if (from === 'approved' && to === 'final') return 'finalise';
  if (from === 'final' && to === 'signed') return 'sign';
  if (from === 'approved' || from === 'final' || from === 'signed' || from === 'rejected') return 'correct';
  switch (to) {
    case 'pending':
      return from === 'scheduled' ? 'unschedule' : 'correct';
    case 'scheduled':
      return from === 'scheduled' ? 'reschedule' : 'schedule';
    case 'approved':
      return 'approve';
    case 'rejected':
      return 'reject';
    case 'returned':
      return 'return';
    case 'final':
    case 'signed':
      // Only from the state before it (above); from anywhere else it is the host admin putting a record right.
      return 'correct';
  }
}

export type TransitionVerdict =
  | { ok: true; to: DecisionState; onBehalf: boolean }
  | { ok: false; code: 'forbidden' | 'conflict'; reason: string };

/**
 * Whether `recorder` may record `event` on a decision in `state` of municipality `municipalityId`, and the state it
 * leads to. `target` is the state asked for (used by a correction). Order: who (forbidden), whether the transition
 * exists (conflict), whether this recorder may make it (forbidden), whether the request is still open (conflict).
 */
export function decideTransition(input: {
  state: DecisionState;
  event: DecisionEvent;
  target: DecisionState;
  recorder: Recorder;
  municipalityId: string;
  requestStatus: RequestStatus;
}): TransitionVerdict {
  const standing = standingOf(input.recorder, input.municipalityId);
  if (!standing) return { ok: false, code: 'forbidden', reason: "only the municipality's council secretary, its token or the host admin records its council's decision" };
  const next = TRANSITIONS[input.state][input.event];
  if (!next) return { ok: false, code: 'conflict', reason: `cannot ${input.event} a decision that is ${input.state}` };
  if (!EVENT_RECORDERS[input.event].includes(standing)) return { ok: false, code: 'forbidden', reason: 'only the host admin corrects a recorded decision' };
  if (input.requestStatus !== 'open' && OPEN_REQUEST_ONLY.includes(input.event)) {
    return { ok: false, code: 'conflict', reason: input.requestStatus === 'superseded' ? 'a newer version has been sent: schedule that one' : 'every council has decided on this version: nothing to schedule' };
  }
  return { ok: true, to: next === 'chosen' ? input.target : next, onBehalf: standing === 'host_admin' };
}

/** The states a recorder may put a decision in from `state` (for the UI's choices). */
export function allowedTargets(state: DecisionState, recorder: Recorder, municipalityId: string, requestStatus: RequestStatus): DecisionState[] {
  return DECISION_STATES.filter((to) => decideTransition({ state, event: eventFor(state, to), target: to, recorder, municipalityId, requestStatus }).ok);
}

/**
 * A state's fields: scheduled has its meeting date; a decision its date and minutes section (§); a final approval
 * also the day it became final; a signed one also the day it was signed (and, optionally, by whom).
 */
export type DecisionField = 'meetingDate' | 'decisionDate' | 'minutesSection' | 'finalDate' | 'signedDate';
/** The council has taken a decision at a meeting (approved, rejected or returned, and an approval's later steps): the step carries its date and minutes section. */
export const isDecided = (state: DecisionState): boolean => state !== 'pending' && state !== 'scheduled';
export function requiredFields(state: DecisionState): DecisionField[] {
  if (state === 'scheduled') return ['meetingDate'];
  if (state === 'final') return ['decisionDate', 'minutesSection', 'finalDate'];
  if (state === 'signed') return ['decisionDate', 'minutesSection', 'finalDate', 'signedDate'];
  if (isDecided(state)) return ['decisionDate', 'minutesSection'];
  return [];
}

// --- field rules ---------------------------------------------------------------------------------------------------

export const DECISION_NOTE_MAX_LENGTH = 2000;
export { MINUTES_URL_MAX_LENGTH } from '../shared/minutes.ts';
/** How far from today a date may be: councils record what happened in the last years and schedule the next months. */
export const DATE_PAST_LIMIT_YEARS = 10;
export const MEETING_FUTURE_LIMIT_YEARS = 2;

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one); the calendar date in Finland at an instant. */
export { helsinkiDate, isCalendarDate } from '../shared/helsinki.ts';

const shiftYears = (date: string, years: number) => `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;

export type DateProblem = 'not_a_date' | 'too_far_past' | 'before_sent' | 'in_future' | 'too_far_future';

export const SIGNATORY_MAX_LENGTH = 200;

/** The host's background text for the councils' decision proposals: plain text, paragraphs separated by blank lines. */
export const PROPOSAL_BACKGROUND_MAX_LENGTH = 5000;

/** Why the day a decision became final, or the agreement was signed, will not do, or null. */
export type LaterDateProblem = 'not_a_date' | 'in_future' | 'not_after_decision' | 'before_decision';

/**
 * A decision becomes final after it was taken (an appeal period follows every council decision), and not in the
 * future; an agreement is signed on or after the decision that approved it. Dates YYYY-MM-DD, `today` in Finland.
 */
export function laterDateProblem(value: unknown, kind: 'final' | 'signed', decisionDate: string, today: string): LaterDateProblem | null {
  if (!isCalendarDate(value)) return 'not_a_date';
  if (value > today) return 'in_future';
  if (kind === 'final' && value <= decisionDate) return 'not_after_decision';
  if (kind === 'signed' && value < decisionDate) return 'before_decision';
  return null;
}

/**
 * Why a date will not do, or null. A decision date cannot be after today (a decision not yet taken is not recorded);
 * a meeting date may be up to two years ahead; neither more than ten years back. Neither can be before the day the
 * request was sent (`sentOn`): a council handles the version it was sent, so no meeting or decision on it predates
 * the sending (as a rule adoption cannot predate the hearing). `today` and `sentOn` are YYYY-MM-DD in Finland.
 */
export function dateProblem(value: unknown, kind: 'meeting' | 'decision', today: string, sentOn?: string): DateProblem | null {
  if (!isCalendarDate(value)) return 'not_a_date';
  if (value < shiftYears(today, -DATE_PAST_LIMIT_YEARS)) return 'too_far_past';
  if (sentOn !== undefined && value < sentOn) return 'before_sent';
  if (kind === 'decision' && value > today) return 'in_future';
  if (value > shiftYears(today, MEETING_FUTURE_LIMIT_YEARS)) return 'too_far_future';
  return null;
}

// Minutes sections and links are read the same way for council decisions and consultation statements.
export { isAllowedMinutesUrl, normaliseMinutesSection } from '../shared/minutes.ts';

/** The first characters of a hash, as shown beside a version ("3f2a…"). */
export const shortHash = (hash: string): string => `${hash.slice(0, 4)}…`;
