import { describe, expect, it } from 'vitest';
import {
  allowedTargets, dateProblem, decideTransition, DECISION_EVENTS, DECISION_STATES, eventFor, hasDecided, helsinkiDate, isAllowedMinutesUrl, isApproval, isCalendarDate, laterDateProblem,
  normaliseMinutesSection, REQUEST_EVENTS, REQUEST_STATUSES, REQUEST_TRANSITIONS, requestEventFor, requestTransition, requiredFields, standingOf, TRANSITIONS, type DecisionEvent, type DecisionState, type Recorder, type RecorderStanding, type RequestStatus,
} from './approvals.rules.ts';

// The machine written out again, independently of approvals.rules.ts: the transitions that exist, as
// "from event → to" ('*' for a correction, which goes where the host admin says).
const EXISTING = `
  pending schedule → scheduled      pending approve → approved     pending reject → rejected     pending return → returned
  scheduled reschedule → scheduled  scheduled unschedule → pending scheduled approve → approved  scheduled reject → rejected   scheduled return → returned
  returned schedule → scheduled     returned approve → approved    returned reject → rejected    returned return → returned
  approved finalise → final         final sign → signed
  pending correct → *   scheduled correct → *   returned correct → *   approved correct → *   final correct → *   signed correct → *   rejected correct → *
`;
const exists = new Map<string, string>();
for (const m of EXISTING.matchAll(/(\w+) (\w+) → (\w+|\*)/g)) exists.set(`${m[1]} ${m[2]}`, m[3]!);

// Who records for Sotkamo (M): [name, recorder, standing it should have].
const M = 'sotkamo';
const HOST = 'kajaani';
const RECORDERS: Array<[string, Recorder, RecorderStanding | null]> = [
  ["Sotkamo's council secretary", { kind: 'member', role: 'council_secretary', municipalityId: M }, 'council_secretary'],
  ["Sotkamo's token", { kind: 'token', municipalityId: M }, 'token'],
  ['the host admin (on behalf)', { kind: 'member', role: 'host_admin', municipalityId: HOST }, 'host_admin'],
  ['a host admin of Sotkamo itself', { kind: 'member', role: 'host_admin', municipalityId: M }, 'host_admin'],
  ["Kuhmo's council secretary", { kind: 'member', role: 'council_secretary', municipalityId: 'kuhmo' }, null],
  ["the host's council secretary", { kind: 'member', role: 'council_secretary', municipalityId: HOST }, null],
  ["Kuhmo's token", { kind: 'token', municipalityId: 'kuhmo' }, null],
  ["Sotkamo's drafter", { kind: 'member', role: 'drafter', municipalityId: M }, null],
  ["the host's drafter", { kind: 'member', role: 'drafter', municipalityId: HOST }, null],
  ["Sotkamo's member rep", { kind: 'member', role: 'member_rep', municipalityId: M }, null],
  ["Sotkamo's viewer", { kind: 'member', role: 'viewer', municipalityId: M }, null],
];

const OPEN_ONLY = new Set<DecisionEvent>(['schedule', 'reschedule', 'unschedule']);

type Expected = { ok: true; to: DecisionState; onBehalf: boolean } | { ok: false; code: 'forbidden' | 'conflict' };
function oracle(state: DecisionState, event: DecisionEvent, target: DecisionState, standing: RecorderStanding | null, status: RequestStatus): Expected {
  if (!standing) return { ok: false, code: 'forbidden' };
  const to = exists.get(`${state} ${event}`);
  if (!to) return { ok: false, code: 'conflict' };
  if (event === 'correct' && standing !== 'host_admin') return { ok: false, code: 'forbidden' };
  if (status !== 'open' && OPEN_ONLY.has(event)) return { ok: false, code: 'conflict' };
  return { ok: true, to: to === '*' ? target : (to as DecisionState), onBehalf: standing === 'host_admin' };
}

const cases = DECISION_STATES.flatMap((state) =>
  DECISION_EVENTS.flatMap((event) =>
    (event === 'correct' ? DECISION_STATES : (['approved'] as const)).flatMap((target) =>
      RECORDERS.flatMap(([who, recorder, standing]) =>
        (['open', 'closed', 'superseded'] as const).map((status) => ({ state, event, target, who, recorder, standing, status, expected: oracle(state, event, target, standing, status) })),
      ),
    ),
  ),
);

describe('the council decision machine', () => {
  it('has every state × event × recorder × request status (× target for corrections)', () => {
    const perTarget = DECISION_EVENTS.length - 1 + DECISION_STATES.length;
    expect(cases).toHaveLength(DECISION_STATES.length * perTarget * RECORDERS.length * 3);
    expect(exists.size).toBe(22);
  });

  it('gives each recorder its standing', () => {
    for (const [who, recorder, standing] of RECORDERS) expect(standingOf(recorder, M), who).toBe(standing);
  });

  it.each(cases)('$state × $event (→ $target) by $who, request $status', ({ state, event, target, recorder, status, expected }) => {
    const verdict = decideTransition({ state, event, target, recorder, municipalityId: M, requestStatus: status });
    if (expected.ok) expect(verdict).toEqual(expected);
    else expect(verdict).toMatchObject({ ok: false, code: expected.code });
  });

  it('a decision is final for the request: an approval only goes on to final and signed; only the host admin corrects', () => {
    const onward: Record<string, DecisionState[]> = { approved: ['final'], final: ['signed'], signed: [], rejected: [] };
    for (const state of ['approved', 'final', 'signed', 'rejected'] as const) {
      expect(Object.keys(TRANSITIONS[state])).toEqual([...(state === 'approved' ? ['finalise'] : state === 'final' ? ['sign'] : []), 'correct']);
      for (const [who, recorder, standing] of RECORDERS) {
        expect(allowedTargets(state, recorder, M, 'closed'), `${who} ${state}`).toEqual(standing === 'host_admin' ? [...DECISION_STATES] : standing ? onward[state] : []);
      }
    }
  });

  it('reads the state asked for as the event it means, for every pair, and that event leads there', () => {
    for (const from of DECISION_STATES) {
      for (const to of DECISION_STATES) {
        const event = eventFor(from, to);
        const next = TRANSITIONS[from][event];
        expect(next === 'chosen' || next === to, `${from} → ${to} via ${event}`).toBe(true);
      }
    }
    expect(eventFor('pending', 'scheduled')).toBe('schedule');
    expect(eventFor('returned', 'scheduled')).toBe('schedule');
    expect(eventFor('scheduled', 'scheduled')).toBe('reschedule');
    expect(eventFor('scheduled', 'pending')).toBe('unschedule');
    expect(eventFor('scheduled', 'approved')).toBe('approve');
    expect(eventFor('approved', 'approved')).toBe('correct');
    expect(eventFor('pending', 'pending')).toBe('correct');
    expect(eventFor('approved', 'final')).toBe('finalise');
    expect(eventFor('final', 'signed')).toBe('sign');
    expect(eventFor('pending', 'final')).toBe('correct');
    expect(eventFor('approved', 'signed')).toBe('correct');
    expect(eventFor('signed', 'final')).toBe('correct');
  });

  it('offers a secretary what the table allows, and only the final steps on a superseded request', () => {
    const secretary = RECORDERS[0]![1];
    expect(allowedTargets('pending', secretary, M, 'open')).toEqual(['scheduled', 'approved', 'rejected', 'returned']);
    expect(allowedTargets('scheduled', secretary, M, 'open')).toEqual(['pending', 'scheduled', 'approved', 'rejected', 'returned']);
    expect(allowedTargets('returned', secretary, M, 'open')).toEqual(['scheduled', 'approved', 'rejected', 'returned']);
    expect(allowedTargets('scheduled', secretary, M, 'superseded')).toEqual(['approved', 'rejected', 'returned']);
    expect(allowedTargets('pending', RECORDERS[4]![1], M, 'open')).toEqual([]);
  });

  it('names the fields each state needs', () => {
    expect(requiredFields('pending')).toEqual([]);
    expect(requiredFields('scheduled')).toEqual(['meetingDate']);
    for (const s of ['approved', 'rejected', 'returned'] as const) expect(requiredFields(s)).toEqual(['decisionDate', 'minutesSection']);
    expect(requiredFields('final')).toEqual(['decisionDate', 'minutesSection', 'finalDate']);
    expect(requiredFields('signed')).toEqual(['decisionDate', 'minutesSection', 'finalDate', 'signedDate']);
  });
});

// The request's machine written out again: "status event → status".
const REQUEST_EXISTING = `open supersede → superseded   open all_decided → closed   closed undecided → open`;
const requestExists = new Map<string, string>();
for (const m of REQUEST_EXISTING.matchAll(/(\w+) (\w+) → (\w+)/g)) requestExists.set(`${m[1]} ${m[2]}`, m[3]!);

describe('the request machine', () => {
  const pairs = REQUEST_STATUSES.flatMap((status) => REQUEST_EVENTS.map((event) => ({ status, event, expected: (requestExists.get(`${status} ${event}`) ?? null) as RequestStatus | null })));
  it('has every status × event pair', () => expect(pairs).toHaveLength(9));
  it.each(pairs)('$status × $event → $expected', ({ status, event, expected }) => {
    expect(requestTransition(status, event)).toBe(expected);
    expect(REQUEST_TRANSITIONS[status][event] ?? null).toBe(expected);
  });

  it('closes when every council has decided (approved, final, signed or rejected), reopens when a correction undoes that', () => {
    const decided: DecisionState[] = ['approved', 'final', 'signed', 'rejected'];
    const undecided: DecisionState[] = ['pending', 'scheduled', 'returned'];
    for (const state of DECISION_STATES) expect(hasDecided(state), state).toBe(decided.includes(state));
    for (const state of DECISION_STATES) expect(isApproval(state), state).toBe(['approved', 'final', 'signed'].includes(state));
    expect(requestEventFor('open', decided)).toBe('all_decided');
    expect(requestEventFor('open', ['approved', 'approved', 'rejected'])).toBe('all_decided');
    for (const state of undecided) {
      expect(requestEventFor('open', ['approved', state]), state).toBeNull();
      expect(requestEventFor('closed', ['approved', state]), state).toBe('undecided');
      expect(requestEventFor('superseded', ['approved', state]), state).toBeNull();
    }
    expect(requestEventFor('closed', decided)).toBeNull();
    expect(requestEventFor('superseded', decided)).toBeNull();
    expect(requestEventFor('open', [])).toBeNull();
  });
});

describe('decision fields', () => {
  it('accepts real calendar dates only', () => {
    for (const ok of ['2026-11-12', '2024-02-29', '2000-01-01']) expect(isCalendarDate(ok), ok).toBe(true);
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '12.11.2026', '2026-11-12T00:00:00Z', ' 2026-11-12', '2026-1-2', '', null, 20261112]) expect(isCalendarDate(bad), String(bad)).toBe(false);
  });

  it('bounds dates: no decision after today, meetings up to two years ahead, nothing over ten years back', () => {
    const today = '2026-11-28';
    expect(dateProblem('2026-11-28', 'decision', today)).toBeNull();
    expect(dateProblem('2026-11-29', 'decision', today)).toBe('in_future');
    expect(dateProblem('2026-12-14', 'meeting', today)).toBeNull();
    expect(dateProblem('2028-11-28', 'meeting', today)).toBeNull();
    expect(dateProblem('2028-11-29', 'meeting', today)).toBe('too_far_future');
    expect(dateProblem('2016-11-28', 'decision', today)).toBeNull();
    expect(dateProblem('2016-11-27', 'meeting', today)).toBe('too_far_past');
    expect(dateProblem('9999-12-31', 'meeting', today)).toBe('too_far_future');
    expect(dateProblem('0001-01-01', 'decision', today)).toBe('too_far_past');
    expect(dateProblem('2026-02-31', 'meeting', today)).toBe('not_a_date');
  });

  it('refuses a meeting or decision dated before the request was sent, the sending day itself allowed', () => {
    const today = '2026-11-28';
    const sentOn = '2026-11-02';
    for (const kind of ['meeting', 'decision'] as const) {
      expect(dateProblem('2026-11-01', kind, today, sentOn), kind).toBe('before_sent');
      expect(dateProblem('2025-06-30', kind, today, sentOn), kind).toBe('before_sent');
      expect(dateProblem('2026-11-02', kind, today, sentOn), kind).toBeNull();
      expect(dateProblem('2026-11-01', kind, today), kind).toBeNull();
    }
    // Ten years back is the outer bound; a date before the sending but within it is named for the sending.
    expect(dateProblem('2010-01-01', 'decision', today, sentOn)).toBe('too_far_past');
    expect(dateProblem('2026-11-29', 'decision', today, sentOn)).toBe('in_future');
  });

  it('a decision becomes final after it was taken, and is signed on or after it; neither in the future', () => {
    const today = '2026-12-20';
    expect(laterDateProblem('2026-12-11', 'final', '2026-11-20', today)).toBeNull();
    expect(laterDateProblem('2026-11-20', 'final', '2026-11-20', today)).toBe('not_after_decision');
    expect(laterDateProblem('2026-11-19', 'final', '2026-11-20', today)).toBe('not_after_decision');
    expect(laterDateProblem('2026-12-21', 'final', '2026-11-20', today)).toBe('in_future');
    expect(laterDateProblem('2026-11-20', 'signed', '2026-11-20', today)).toBeNull();
    expect(laterDateProblem('2026-11-19', 'signed', '2026-11-20', today)).toBe('before_decision');
    expect(laterDateProblem('2026-12-21', 'signed', '2026-11-20', today)).toBe('in_future');
    for (const bad of ['2026-02-30', '20.12.2026', '', null]) expect(laterDateProblem(bad, 'final', '2026-11-20', today), String(bad)).toBe('not_a_date');
  });

  it('takes the day in Finland, not in UTC', () => {
    expect(helsinkiDate(Date.UTC(2026, 10, 27, 21, 30))).toBe('2026-11-27');
    expect(helsinkiDate(Date.UTC(2026, 10, 27, 22, 30))).toBe('2026-11-28');
    expect(helsinkiDate(Date.UTC(2026, 6, 1, 20, 59))).toBe('2026-07-01');
    expect(helsinkiDate(Date.UTC(2026, 6, 1, 21, 0))).toBe('2026-07-02');
  });

  it('normalises minutes sections to "45 §"', () => {
    for (const [input, out] of [['45 §', '45 §'], ['§ 45', '45 §'], ['§45', '45 §'], ['45§', '45 §'], [' 45 ', '45 §'], ['045', '45 §'], ['9999', '9999 §']] as const) expect(normaliseMinutesSection(input), input).toBe(out);
    for (const bad of ['', '§', '0', '0 §', '§ 45 §', '45 a §', '10000', '4 5', '45.', '-45', 'x', null, 45]) expect(normaliseMinutesSection(bad), String(bad)).toBeNull();
  });

  it('takes https links to minutes only', () => {
    expect(isAllowedMinutesUrl('https://kajaani.cloudnc.fi/fi-FI/Toimielimet/Kaupunginvaltuusto/Kokous_12112026')).toBe(true);
    expect(isAllowedMinutesUrl(`https://example.fi/${'a'.repeat(1980)}`)).toBe(true);
    for (const bad of [
      'http://kajaani.fi/poytakirja',
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'https://user:pw@example.fi/',
      'https:///nohost',
      '//example.fi/x',
      'example.fi',
      'https://example.fi/a b',
      'https://example.fi/\n',
      `https://example.fi/${'a'.repeat(2000)}`,
      '',
      null,
    ]) expect(isAllowedMinutesUrl(bad), String(bad)).toBe(false);
  });
});
