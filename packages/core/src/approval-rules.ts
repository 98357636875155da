import { isCalendarDate } from './helsinki.ts';
import type { Role } from './roles.ts';

/**
 * Council approval of an agreement version, as pure rules (browser-safe: no database, no Node modules). One
 * municipality's handling of one approval request is a small state machine; docs/decisions/017-council-approvals.md
 * says why it has these states, events and recorders.
 */

/** Where a council's handling of one request stands. `returned`: palautettu uudelleen valmisteltavaksi / återremitterat. */
export const DECISION_STATES = ['pending', 'scheduled', 'approved', 'rejected', 'returned'] as const;
export type DecisionState = (typeof DECISION_STATES)[number];

export const isDecisionState = (value: unknown): value is DecisionState => typeof value === 'string' && (DECISION_STATES as readonly string[]).includes(value);

/**
 * What a recorder says happened. `schedule`: the matter is on a council meeting's agenda; `reschedule`: that meeting
 * moved; `unschedule`: the matter was taken off the agenda; `approve` / `reject` / `return`: the council decided;
 * `correct`: the host admin fixes a recorded step (the only way out of a final state).
 */
export const DECISION_EVENTS = ['schedule', 'reschedule', 'unschedule', 'approve', 'reject', 'return', 'correct'] as const;
export type DecisionEvent = (typeof DECISION_EVENTS)[number];

/** Who may record for a municipality: its own council secretary, its case-management system's token, the host admin on its behalf. */
export const RECORDER_STANDINGS = ['council_secretary', 'token', 'host_admin'] as const;
export type RecorderStanding = (typeof RECORDER_STANDINGS)[number];

/** `'chosen'`: the event goes to the state the recorder names (a correction may put any state right). */
export type Target = DecisionState | 'chosen';

/**
 * state × event → next state; a missing entry is a transition that does not exist. A decision needs no scheduling
 * first (secretaries often record after the meeting), a returned matter comes to a new meeting (scheduled again) or
 * is decided directly, and it may be returned again. Approved and rejected are final for the request.
 */
export const TRANSITIONS: Readonly<Record<DecisionState, Partial<Record<DecisionEvent, Target>>>> = {
  pending: { schedule: 'scheduled', approve: 'approved', reject: 'rejected', return: 'returned', correct: 'chosen' },
  scheduled: { reschedule: 'scheduled', unschedule: 'pending', approve: 'approved', reject: 'rejected', return: 'returned', correct: 'chosen' },
  returned: { schedule: 'scheduled', approve: 'approved', reject: 'rejected', return: 'returned', correct: 'chosen' },
  approved: { correct: 'chosen' },
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
  correct: ['host_admin'],
};

/**
 * Events about a coming meeting make sense only for the open request: once a newer version is sent, the councils
 * should put that one on their agenda. A decision already taken on the older version can still be recorded (the
 * minutes may come after the new version went out), and corrected.
 */
export const OPEN_REQUEST_ONLY: readonly DecisionEvent[] = ['schedule', 'reschedule', 'unschedule'];

export type RequestStatus = 'open' | 'superseded';

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
  if (from === 'approved' || from === 'rejected') return 'correct';
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
  if (input.requestStatus !== 'open' && OPEN_REQUEST_ONLY.includes(input.event)) return { ok: false, code: 'conflict', reason: 'a newer version has been sent: schedule that one' };
  return { ok: true, to: next === 'chosen' ? input.target : next, onBehalf: standing === 'host_admin' };
}

/** The states a recorder may put a decision in from `state` (for the UI's choices). */
export function allowedTargets(state: DecisionState, recorder: Recorder, municipalityId: string, requestStatus: RequestStatus): DecisionState[] {
  return DECISION_STATES.filter((to) => decideTransition({ state, event: eventFor(state, to), target: to, recorder, municipalityId, requestStatus }).ok);
}

/** A state's fields: scheduled has its meeting date; a decision its date and minutes section (§). */
export type DecisionField = 'meetingDate' | 'decisionDate' | 'minutesSection';
/** The council has decided (approved, rejected or returned): the step carries a decision date and a minutes section. */
export const isDecided = (state: DecisionState): boolean => state === 'approved' || state === 'rejected' || state === 'returned';
export function requiredFields(state: DecisionState): DecisionField[] {
  if (state === 'scheduled') return ['meetingDate'];
  if (isDecided(state)) return ['decisionDate', 'minutesSection'];
  return [];
}

// --- field rules ---------------------------------------------------------------------------------------------------

export const DECISION_NOTE_MAX_LENGTH = 2000;
export const MINUTES_URL_MAX_LENGTH = 2000;
/** How far from today a date may be: councils record what happened in the last years and schedule the next months. */
export const DATE_PAST_LIMIT_YEARS = 10;
export const MEETING_FUTURE_LIMIT_YEARS = 2;

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one); the calendar date in Finland at an instant. */
export { helsinkiDate, isCalendarDate } from './helsinki.ts';

const shiftYears = (date: string, years: number) => `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;

export type DateProblem = 'not_a_date' | 'too_far_past' | 'before_sent' | 'in_future' | 'too_far_future';

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

/**
 * A minutes section as councils write it: "45 §", "§ 45", "§45", "45§" or "45", normalised to "45 §" (the Finnish
 * and Swedish way round). Null for anything else.
 */
export function normaliseMinutesSection(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*(?:§\s*(\d{1,4})|(\d{1,4})\s*§?)\s*$/.exec(value);
  const digits = match?.[1] ?? match?.[2];
  if (!digits) return null;
  const n = Number(digits);
  return n >= 1 ? `${n} §` : null;
}

/**
 * A link to published minutes: https only (every municipality publishes its minutes over https; http could be
 * altered on the way and javascript:/data: are never links), a public host name, no user name or password, at most
 * 2000 characters.
 */
export function isAllowedMinutesUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MINUTES_URL_MAX_LENGTH) return false;
  if (/[\s\u0000-\u001f\u007f]/.test(value) || !/^https:\/\/[^/]/i.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname.includes('.') && url.username === '' && url.password === '';
}

/** The first characters of a hash, as shown beside a version ("3f2a…"). */
export const shortHash = (hash: string): string => `${hash.slice(0, 4)}…`;
