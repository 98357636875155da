import { templateFor } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateApprovalToken, issueApprovalToken, listApprovalTokens, revokeApprovalToken } from './approval-tokens.ts';
import { approvalsOverview, approvalTokenInfo, recordCouncilDecision, recordCouncilDecisionWithToken, sendForApproval, type ApprovalsOverview } from './approvals.ts';
import type { Actor } from '../shared/deps.ts';
import { isDomainError } from '../shared/errors.ts';
import { authenticate } from '../session/index.ts';
import { updateEntryIntoForce } from '../areas/index.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, sessionTokenFor, tableCounts, writeSection, type TestDeps } from '../testing.ts';
import { restoreVersion, saveVersion } from '../versions/index.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
// Kainuu-Koillismaa's municipalities by their e-mail slug and code.
const CODES: Record<string, string> = {
  kajaani: '205', kuhmo: '290', paltamo: '578', puolanka: '620', ristijarvi: '697', sotkamo: '765', suomussalmi: '777', hyrynsalmi: '105', kuusamo: '305', taivalkoski: '832',
};
const SECTION_4 = templateFor('cooperation_agreement')[3]!.key;
const SECTION_7 = templateFor('cooperation_agreement')[6]!.key;

let t: TestDeps;
let agreement: string;
let rules: string;
let foreignAgreement: string;
const as: Record<string, Actor> = {};

// Versions go out on Monday 26.10.2026; the councils decide in November, and each decision is recorded once made.
const SENT = Date.UTC(2026, 9, 26, 8, 0, 0);
const NOV_28 = Date.UTC(2026, 10, 28, 8, 0, 0);

beforeEach(async () => {
  t = await createTestDeps({ now: SENT });
  agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
  rules = await documentIdOf(t.db, KAINUU, 'administrative_rules');
  foreignAgreement = await documentIdOf(t.db, SAARISTO, 'cooperation_agreement');
  for (const who of ['admin.kajaani', 'drafter.sotkamo', 'rep.paltamo', 'viewer.kuhmo', 'admin.rantala', 'secretary.holmpy', ...Object.keys(CODES).map((m) => `secretary.${m}`)]) {
    as[who] = await actorFor(t.deps, `${who}@sopu.example`);
  }
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.']));
});
afterEach(async () => {
  await t.cleanup();
});

const code = (e: unknown) => (isDomainError(e) ? e.code : e);
const admin = () => as['admin.kajaani']!;
const secretary = (m: string) => as[`secretary.${m}`]!;

async function version(label: string): Promise<number> {
  t.clock.advance(1000);
  return (await saveVersion(t.deps, admin(), agreement, { label })).number;
}

async function send(number: number) {
  t.clock.advance(1000);
  return sendForApproval(t.deps, admin(), agreement, { version: number });
}

/** Moves the clock to noon (UTC) of `date`, unless it is already later: a decision is recorded after it is made. */
function reach(date: unknown) {
  const at = typeof date === 'string' ? Date.parse(`${date}T12:00:00Z`) : Number.NaN;
  t.clock.set(Math.max(t.clock.now() + 1000, Number.isNaN(at) ? 0 : at));
}

/** Records a step as `who`, once its decision date has come. */
function record(who: Actor, requestId: string, body: Record<string, unknown>) {
  reach(body.decisionDate);
  return recordCouncilDecision(t.deps, who, requestId, body);
}

/** The council of `m` approves the request on `date`, recorded by its own secretary. */
async function approve(requestId: string, m: string, date: string, section = 45) {
  return record(secretary(m), requestId, { municipalityCode: CODES[m], state: 'approved', decisionDate: date, minutesSection: `§ ${section}` });
}

/** The approval of `m` became final on `date` (no appeal), recorded by its secretary once that day has come. */
async function finalise(requestId: string, m: string, date: string) {
  reach(date);
  return recordCouncilDecision(t.deps, secretary(m), requestId, { municipalityCode: CODES[m], state: 'final', finalDate: date });
}

const overview = (who: Actor = as['viewer.kuhmo']!): Promise<ApprovalsOverview> => approvalsOverview(t.deps, who, KAINUU);
const cell = (o: ApprovalsOverview, requestId: string, m: string) => o.requests.find((r) => r.id === requestId)!.decisions.find((d) => d.municipalityCode === CODES[m])!;

describe('sending a version for approval', () => {
  it('the host admin sends a saved version: every party municipality gets a pending row, audited, on the feed', async () => {
    const v1 = await version('Valtuustokäsittelyyn 3.11.2026');
    const sent = await send(v1);
    expect(sent).toMatchObject({ documentId: agreement, version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/), supersededRequestId: null });
    const o = await overview();
    expect(o.requests).toHaveLength(1);
    expect(o.requests[0]).toMatchObject({ id: sent.id, version: 1, versionLabel: 'Valtuustokäsittelyyn 3.11.2026', status: 'open', sentBy: { name: 'Pääkäyttäjä Kajaani' }, coversCurrentText: true });
    expect(o.requests[0]!.decisions.map((d) => d.state)).toEqual(Array(10).fill('pending'));
    expect(o.requests[0]!.decisions.map((d) => d.municipalityCode).sort()).toEqual(Object.values(CODES).sort());
    expect(o.municipalities.map((m) => m.code)).toEqual(o.requests[0]!.decisions.map((d) => d.municipalityCode));
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details', 'actor_user_id']).where('action', '=', 'approval.requested').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ documentId: agreement, version: 1, hash: sent.hash, parties: 10 });
    expect(await t.db.selectFrom('feed_events').select(['kind', 'document_id', 'subject_id']).where('kind', '=', 'approval').execute()).toEqual([{ kind: 'approval', document_id: agreement, subject_id: sent.id }]);
  });

  it('nobody else sends: a member rep, a drafter and a council secretary are forbidden, another area not found; nothing changes', async () => {
    const v1 = await version('v1');
    const before = await tableCounts(t.db);
    for (const who of ['rep.paltamo', 'drafter.sotkamo', 'secretary.kuhmo', 'viewer.kuhmo']) {
      // Whatever they send: the body is not even read.
      expect(code(await sendForApproval(t.deps, as[who]!, agreement, { version: v1 }).catch((e) => e)), who).toBe('forbidden');
      expect(code(await sendForApproval(t.deps, as[who]!, agreement, 'garbage').catch((e) => e)), who).toBe('forbidden');
    }
    const foreign = await sendForApproval(t.deps, as['admin.rantala']!, agreement, { version: v1 }).catch((e) => e);
    const missing = await sendForApproval(t.deps, as['admin.rantala']!, crypto.randomUUID(), { version: v1 }).catch((e) => e);
    expect([code(foreign), code(missing)]).toEqual(['not_found', 'not_found']);
    expect(foreign.message).toBe(missing.message);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('refuses a version that does not exist, a body that is not one, the administrative rules, and the same version twice', async () => {
    const v1 = await version('v1');
    expect(code(await sendForApproval(t.deps, admin(), agreement, { version: 9 }).catch((e) => e))).toBe('invalid_input');
    for (const bad of [{}, { version: '1' }, { version: 1.5 }, { version: 1, extra: true }, [], null]) expect(code(await sendForApproval(t.deps, admin(), agreement, bad).catch((e) => e)), JSON.stringify(bad)).toBe('invalid_input');
    await saveVersion(t.deps, admin(), rules, { label: 'Hallintosääntö' });
    expect(code(await sendForApproval(t.deps, admin(), rules, { version: 1 }).catch((e) => e))).toBe('invalid_input');
    await send(v1);
    const before = await tableCounts(t.db);
    expect(code(await send(v1).catch((e) => e))).toBe('conflict');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a new version supersedes the open request; the decisions on the old one stay on record against its hash', async () => {
    const first = await send(await version('v1'));
    await approve(first.id, 'kuhmo', '2026-11-10');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta ja isäntäkunta.']));
    const second = await send(await version('v2'));
    expect(second.supersededRequestId).toBe(first.id);
    expect(second.hash).not.toBe(first.hash);
    const o = await overview();
    expect(o.requests.map((r) => [r.version, r.status])).toEqual([[2, 'open'], [1, 'superseded']]);
    expect(o.requests[1]!.supersededAt).not.toBeNull();
    expect(cell(o, first.id, 'kuhmo')).toMatchObject({ state: 'approved', decisionDate: '2026-11-10', minutesSection: '45 §', coversCurrentText: false });
    expect(cell(o, second.id, 'kuhmo').state).toBe('pending');
    expect(o.summary.fi).toBe('Ei voimassa: 0/10 hyväksyi version 2; Hyrynsalmi, Kajaani, Kuusamo, Paltamo, Puolanka, Ristijärvi, Sotkamo, Suomussalmi ja Taivalkoski käsittelemättä; Kuhmo hyväksyi version 1, joka eroaa versiosta 2 osiossa 1');
  });
});

describe('recording a council decision', () => {
  let request: string;
  beforeEach(async () => {
    request = (await send(await version('v1'))).id;
  });

  it("the municipality's council secretary records the steps: scheduled, then approved, with the minutes", async () => {
    const s = await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-14', note: 'Esityslistalla.' });
    expect(s).toMatchObject({ approvalRequestId: request, recorded: true, decision: { state: 'scheduled', meetingDate: '2026-12-14', decisionDate: null, note: 'Esityslistalla.', recordedVia: 'member', recordedBy: { name: 'Sihteeri Kuhmo' } } });
    t.clock.advance(1000);
    const a = await record(secretary('kuhmo'), request, { municipalityCode: '290', state: 'approved', decisionDate: '2026-11-27', minutesSection: '§45', minutesUrl: 'https://kuhmo.cloudnc.fi/poytakirja/45' });
    expect(a.decision).toMatchObject({ state: 'approved', meetingDate: '2026-11-27', decisionDate: '2026-11-27', minutesSection: '45 §', minutesUrl: 'https://kuhmo.cloudnc.fi/poytakirja/45', note: null, coversCurrentText: true, mayRecord: ['final'] });
    expect(a.decision.history.map((h) => h.state)).toEqual(['scheduled', 'approved']);
    const audit = await t.db.selectFrom('audit_events').select(['details', 'actor_user_id']).where('action', '=', 'approval.decision_recorded').orderBy('seq').execute();
    expect(audit.map((e) => JSON.parse(e.details))).toMatchObject([
      { municipalityCode: '290', event: 'schedule', from: 'pending', to: 'scheduled', onBehalf: false },
      { municipalityCode: '290', event: 'approve', from: 'scheduled', to: 'approved', onBehalf: false, minutesSection: '45 §' },
    ]);
    expect(audit.every((e) => e.actor_user_id === secretary('kuhmo').userId)).toBe(true);
  });

  it("a Kuhmo secretary cannot record Sotkamo's decision, nor a drafter, a member rep or a viewer anyone's; nothing changes", async () => {
    const before = await tableCounts(t.db);
    const sotkamo = { municipalityCode: '765', state: 'approved', decisionDate: '2026-11-20', minutesSection: '12 §' };
    expect(code(await recordCouncilDecision(t.deps, secretary('kuhmo'), request, sotkamo).catch((e) => e))).toBe('forbidden');
    // Forbidden even with a body that would not do: the caller does not learn what a valid one looks like.
    expect(code(await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { ...sotkamo, decisionDate: 'x' }).catch((e) => e))).toBe('forbidden');
    for (const who of ['drafter.sotkamo', 'rep.paltamo', 'viewer.kuhmo']) {
      expect(code(await recordCouncilDecision(t.deps, as[who]!, request, sotkamo).catch((e) => e)), who).toBe('forbidden');
      expect(code(await recordCouncilDecision(t.deps, as[who]!, request, 'garbage').catch((e) => e)), who).toBe('forbidden');
    }
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await overview(secretary('kuhmo'))).requests[0]!.decisions.filter((d) => d.mayRecord.length > 0).map((d) => d.municipalityCode)).toEqual(['290']);
    expect((await overview(as['drafter.sotkamo'])).requests[0]!.decisions.every((d) => d.mayRecord.length === 0)).toBe(true);
    // The council's decision proposal goes with the same standing: its secretary's, and the host admin's for every council.
    expect((await overview(secretary('kuhmo'))).requests[0]!.decisions.filter((d) => d.mayTakeProposal).map((d) => d.municipalityCode)).toEqual(['290']);
    expect((await overview(as['drafter.sotkamo'])).requests[0]!.decisions.some((d) => d.mayTakeProposal)).toBe(false);
    expect((await overview(as['viewer.kuhmo'])).requests[0]!.decisions.some((d) => d.mayTakeProposal)).toBe(false);
    expect((await overview(admin())).requests[0]!.decisions.every((d) => d.mayTakeProposal)).toBe(true);
  });

  it("another area's request is not found, exactly like one that does not exist", async () => {
    const body = { municipalityCode: '902', state: 'scheduled', meetingDate: '2026-12-01' };
    const foreign = await recordCouncilDecision(t.deps, as['secretary.holmpy']!, request, body).catch((e) => e);
    const missing = await recordCouncilDecision(t.deps, as['secretary.holmpy']!, crypto.randomUUID(), body).catch((e) => e);
    expect([code(foreign), code(missing)]).toEqual(['not_found', 'not_found']);
    expect(foreign.message).toBe(missing.message);
    expect(code(await recordCouncilDecision(t.deps, as['admin.rantala']!, request, body).catch((e) => e))).toBe('not_found');
    expect(code(await approvalsOverview(t.deps, as['admin.rantala']!, KAINUU).catch((e) => e))).toBe('not_found');
    expect(code(await approvalsOverview(t.deps, admin(), KAINUU, foreignAgreement).catch((e) => e))).toBe('not_found');
  });

  it('the host admin records on behalf of a municipality, flagged so in the history and the audit log', async () => {
    const r = await record(admin(), request, { municipalityCode: '620', state: 'returned', decisionDate: '2026-11-24', minutesSection: '88 §', note: 'Palautettiin uudelleen valmisteltavaksi.' });
    expect(r.decision).toMatchObject({ state: 'returned', recordedVia: 'on_behalf', recordedBy: { name: 'Pääkäyttäjä Kajaani' } });
    const event = await t.db.selectFrom('council_decision_events').select(['on_behalf', 'recorded_by', 'api_token_id']).executeTakeFirstOrThrow();
    expect(event).toEqual({ on_behalf: 1, recorded_by: admin().userId, api_token_id: null });
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'approval.decision_recorded').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ onBehalf: true, municipalityCode: '620', event: 'return' });
    // A returned matter comes to a new meeting.
    const again = await recordCouncilDecision(t.deps, secretary('puolanka'), request, { municipalityCode: '620', state: 'scheduled', meetingDate: '2026-12-15' });
    expect(again.decision).toMatchObject({ state: 'scheduled', decisionDate: null, minutesSection: null, recordedVia: 'member' });
  });

  it('approved is final for the secretary; the host admin corrects it', async () => {
    await approve(request, 'kuhmo', '2026-11-20');
    for (const state of ['rejected', 'pending', 'scheduled', 'returned']) {
      const body = { municipalityCode: '290', state, meetingDate: state === 'scheduled' ? '2026-12-01' : undefined, ...(['rejected', 'returned'].includes(state) ? { decisionDate: '2026-11-20', minutesSection: '45' } : {}) };
      expect(code(await recordCouncilDecision(t.deps, secretary('kuhmo'), request, body).catch((e) => e)), state).toBe('forbidden');
    }
    const fixed = await recordCouncilDecision(t.deps, admin(), request, { municipalityCode: '290', state: 'approved', decisionDate: '2026-11-20', minutesSection: '46 §', note: 'Pykälänumero korjattu.' });
    expect(fixed.decision).toMatchObject({ state: 'approved', minutesSection: '46 §', recordedVia: 'on_behalf' });
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'approval.decision_recorded').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ event: 'correct', from: 'approved', to: 'approved', onBehalf: true });
    const reopened = await recordCouncilDecision(t.deps, admin(), request, { municipalityCode: '290', state: 'pending' });
    expect(reopened.decision.state).toBe('pending');
  });

  it('a repeated post of the same step changes nothing (a system retrying after a timeout)', async () => {
    const body = { municipalityCode: '290', state: 'approved', decisionDate: '2026-11-20', minutesSection: '45 §' };
    expect((await record(secretary('kuhmo'), request, body)).recorded).toBe(true);
    const before = await tableCounts(t.db);
    const again = await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { ...body, minutesSection: '§ 45' });
    expect(again).toMatchObject({ recorded: false, decision: { state: 'approved' } });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('checks the fields, names each problem, and changes nothing', async () => {
    t.clock.set(NOV_28);
    const before = await tableCounts(t.db);
    const issues = async (body: Record<string, unknown>) => {
      const e = await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { municipalityCode: '290', ...body }).catch((x) => x);
      expect(code(e), JSON.stringify(body)).toBe('invalid_input');
      return (e.details.issues as Array<{ path: string[]; code: string }>).map((i) => `${i.path.join('.')}:${i.code}`);
    };
    expect(await issues({ state: 'scheduled' })).toEqual(['meetingDate:required']);
    expect(await issues({ state: 'scheduled', meetingDate: '2026-02-30' })).toEqual(['meetingDate:not_a_date']);
    expect(await issues({ state: 'scheduled', meetingDate: '2030-01-01' })).toEqual(['meetingDate:too_far_future']);
    expect(await issues({ state: 'scheduled', meetingDate: '2026-12-14', minutesSection: '45 §' })).toEqual(['minutesSection:not_allowed']);
    expect(await issues({ state: 'approved' })).toEqual(['decisionDate:required', 'minutesSection:required']);
    expect(await issues({ state: 'approved', decisionDate: '2026-11-29', minutesSection: '45 §' })).toEqual(['decisionDate:in_future']);
    expect(await issues({ state: 'approved', decisionDate: '1999-01-01', minutesSection: 'pykälä' })).toEqual(['decisionDate:too_far_past', 'minutesSection:invalid']);
    for (const url of ['javascript:alert(1)', 'http://kuhmo.fi/pk', `https://kuhmo.fi/${'a'.repeat(2000)}`]) {
      const e = await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { municipalityCode: '290', state: 'approved', decisionDate: '2026-11-20', minutesSection: '45', minutesUrl: url }).catch((x) => x);
      expect(code(e), url).toBe('invalid_input');
    }
    expect(await issues({ state: 'pending', meetingDate: '2026-12-14' })).toEqual(['meetingDate:not_allowed']);
    for (const bad of [{ state: 'decided' }, { state: 'approved', decisionDate: '2026-11-20', minutesSection: '45', note: 'x'.repeat(2001) }, { state: 'approved', decision_date: '2026-11-20' }]) {
      expect(code(await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { municipalityCode: '290', ...bad }).catch((x) => x)), JSON.stringify(bad).slice(0, 60)).toBe('invalid_input');
    }
    expect(code(await recordCouncilDecision(t.deps, admin(), request, { municipalityCode: '902', state: 'pending' }).catch((x) => x))).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('refuses a decision or meeting dated before the request was sent (by the Helsinki day), naming the field, the version and the day', async () => {
    // Sent at 00.30 on 27.10. in Helsinki, which is still 26.10. in UTC: a decision on 26.10. predates the sending.
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Toinen teksti.']));
    const v2 = await version('v2');
    t.clock.set(Date.parse('2026-10-26T22:30:00Z'));
    const late = await sendForApproval(t.deps, admin(), agreement, { version: v2 });
    t.clock.set(NOV_28);
    const { token } = await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '290', label: 'Kuhmo' });
    const before = await tableCounts(t.db);
    const refused = async (body: Record<string, unknown>) => {
      const e = await recordCouncilDecision(t.deps, secretary('kuhmo'), late.id, { municipalityCode: '290', ...body }).catch((x) => x);
      expect(code(e), JSON.stringify(body)).toBe('invalid_input');
      return { message: e.message as string, issues: e.details.issues as Array<{ path: string[]; code: string; message: string; params?: unknown }> };
    };
    const decision = await refused({ state: 'approved', decisionDate: '2026-10-26', minutesSection: '45 §' });
    expect(decision.issues).toEqual([{ path: ['decisionDate'], code: 'before_sent', message: 'the decision is dated before version 2 was sent to the councils (2026-10-27)', params: { version: 2, sentOn: '2026-10-27' } }]);
    expect(decision.message).toBe('decisionDate: the decision is dated before version 2 was sent to the councils (2026-10-27)');
    expect((await refused({ state: 'scheduled', meetingDate: '2026-10-20' })).issues).toMatchObject([{ path: ['meetingDate'], code: 'before_sent' }]);
    expect((await refused({ state: 'rejected', decisionDate: '2026-11-20', meetingDate: '2026-10-01', minutesSection: '45 §' })).issues).toMatchObject([{ path: ['meetingDate'], code: 'before_sent' }]);
    // By token too, and on behalf: the rule is the request's, not the recorder's.
    const byToken = await recordCouncilDecisionWithToken(t.deps, token, late.id, { municipalityCode: '290', state: 'approved', decisionDate: '2026-10-26', minutesSection: '45 §' }).catch((x) => x);
    expect(byToken.details.issues).toMatchObject([{ code: 'before_sent' }]);
    expect(await tableCounts(t.db)).toEqual(before);
    // The day it was sent is a day a council could decide on it.
    expect((await recordCouncilDecision(t.deps, admin(), late.id, { municipalityCode: '290', state: 'approved', decisionDate: '2026-10-27', minutesSection: '45 §' })).decision).toMatchObject({ state: 'approved', decisionDate: '2026-10-27' });
  });

  it('on a superseded request a decision already taken can still be recorded, but not a coming meeting', async () => {
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Muutettu.']));
    await send(await version('v2'));
    expect(code(await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-14' }).catch((e) => e))).toBe('conflict');
    const late = await approve(request, 'kuhmo', '2026-11-20');
    expect(late.decision).toMatchObject({ state: 'approved', coversCurrentText: false });
  });
});

describe('in force, and the sentence above the matrix', () => {
  it('approved by all is not in force: the request closes; then the decisions become final; in force from the date the agreement states', async () => {
    const sent = await send(await version('v1'));
    const dates = ['2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-09', '2026-11-10', '2026-11-10', '2026-11-11', '2026-11-12'];
    const order = Object.keys(CODES);
    for (const [i, m] of order.slice(0, 9).entries()) await approve(sent.id, m, dates[i]!, 40 + i);
    let o = await overview();
    expect(o).toMatchObject({ inForce: false, approvedText: null, requests: [{ status: 'open', closedAt: null }] });
    expect(o.summary.fi).toBe('Ei voimassa: 9/10 hyväksyi version 1; Taivalkoski käsittelemättä');
    expect(o.summary.sv).toBe('Inte i kraft: 9/10 godkände version 1; Taivalkoski har inte behandlat ärendet');

    // The last council approves: every council has decided, so the request closes; approved is not in force.
    await approve(sent.id, 'taivalkoski', '2026-11-02');
    o = await overview();
    const short = `${sent.hash.slice(0, 4)}…`;
    expect(o).toMatchObject({ inForce: false, inForceHash: null, inForceDetail: null, currentMatchesInForce: false, requests: [{ status: 'closed', closedAt: t.clock.now() }] });
    expect(o.approvedText).toMatchObject({ version: 1, hash: sent.hash, approvedOn: '2026-11-12', finalOn: null, notFinal: expect.arrayContaining(Object.values(CODES)), entryIntoForce: null, inForceFrom: null, inForce: false });
    const closing = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'approval.decision_recorded').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(closing.details)).toMatchObject({ municipalityCode: '832', requestStatus: { from: 'open', to: 'closed' } });
    const everyone = 'Hyrynsalmi, Kajaani, Kuhmo, Kuusamo, Paltamo, Puolanka, Ristijärvi, Sotkamo, Suomussalmi ja Taivalkoski';
    expect(o.summary.fi).toBe(`Ei vielä voimassa: kaikki 10 valtuustoa hyväksyivät version 1 (${short}) 12.11.; lainvoimaisia 0/10; ${everyone} odottavat lainvoimaa; tulee voimaan, kun kaikki päätökset ovat lainvoimaisia`);
    // Nothing to schedule on a closed request; the councils' next steps are finality and signature.
    expect(code(await recordCouncilDecision(t.deps, secretary('kuhmo'), sent.id, { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-14' }).catch((e) => e))).toBe('forbidden');
    expect(cell(o, sent.id, 'kuhmo').mayRecord).toEqual([]);
    expect(cell(await overview(secretary('kuhmo')), sent.id, 'kuhmo').mayRecord).toEqual(['final']);

    // The agreement states its entry into force: 1.1.2027, once the decisions are final.
    await updateEntryIntoForce(t.deps, admin(), KAINUU, { date: '2027-01-01' });
    for (const m of order.filter((m) => m !== 'kuhmo')) await finalise(sent.id, m, '2026-12-04');
    o = await overview();
    expect(o.approvedText).toMatchObject({ finalOn: null, notFinal: ['290'], entryIntoForce: '2027-01-01', inForce: false });
    expect(o.summary.fi).toBe(`Ei vielä voimassa: kaikki 10 valtuustoa hyväksyivät version 1 (${short}) 12.11.; lainvoimaisia 9/10; Kuhmo odottaa lainvoimaa; tulee voimaan 1.1.2027, kun kaikki päätökset ovat lainvoimaisia`);
    expect(o.summary.sv).toBe(`Ännu inte i kraft: alla 10 fullmäktige godkände version 1 (${short}) den 12.11.; laga kraft 9/10; Kuhmo väntar på laga kraft; träder i kraft den 1.1.2027 när alla beslut har vunnit laga kraft`);
    expect(o.summary.en).toBe(`Not yet in force: all 10 councils approved version 1 (${short}) on 12.11.; final 9/10; Kuhmo not yet final; in force from 1.1.2027 once every decision is final`);

    // Every decision final, and Kajaani has signed: still not in force before the day.
    await finalise(sent.id, 'kuhmo', '2026-12-10');
    reach('2026-12-15');
    await recordCouncilDecision(t.deps, secretary('kajaani'), sent.id, { municipalityCode: '205', state: 'signed', signedDate: '2026-12-15', signatory: 'Jari Tervonen, kaupunginjohtaja' });
    t.clock.set(Date.parse('2026-12-31T21:59:59.999Z')); // 23.59.59 on New Year's Eve in Helsinki
    o = await overview();
    expect(o).toMatchObject({ inForce: false, approvedText: { finalOn: '2026-12-10', signedCount: 1, inForceFrom: '2027-01-01', inForce: false } });
    expect(o.summary.fi).toBe(`Ei vielä voimassa: kaikki 10 valtuustoa hyväksyivät version 1 (${short}) 12.11., päätökset lainvoimaisia 10.12., allekirjoitettu 1/10; tulee voimaan 1.1.2027`);
    expect(o.summary.sv).toBe(`Ännu inte i kraft: alla 10 fullmäktige godkände version 1 (${short}) den 12.11., besluten vann laga kraft den 10.12., undertecknat 1/10; träder i kraft den 1.1.2027`);
    expect(o.summary.en).toBe(`Not yet in force: all 10 councils approved version 1 (${short}) on 12.11., decisions final on 10.12., signed 1/10; in force from 1.1.2027`);

    // New Year in Helsinki (still 31.12. in UTC): in force.
    t.clock.set(Date.parse('2026-12-31T22:00:00.000Z'));
    o = await overview();
    expect(o).toMatchObject({ inForce: true, inForceHash: sent.hash, currentMatchesInForce: true, inForceDetail: { version: 1, hash: sent.hash, since: '2027-01-01' } });
    expect(o.summary.fi).toBe(`Voimassa 1.1.2027 alkaen: kaikki 10 valtuustoa hyväksyivät version 1 (${short}) 12.11., päätökset lainvoimaisia 10.12., allekirjoitettu 1/10`);
    expect(o.summary.sv).toBe(`I kraft från 1.1.2027: alla 10 fullmäktige godkände version 1 (${short}) den 12.11., besluten vann laga kraft den 10.12., undertecknat 1/10`);
    expect(o.summary.en).toBe(`In force from 1.1.2027: all 10 councils approved version 1 (${short}) on 12.11., decisions final on 10.12., signed 1/10`);
    expect(cell(o, sent.id, 'kajaani')).toMatchObject({ state: 'signed', decisionDate: '2026-11-03', finalDate: '2026-12-04', signedDate: '2026-12-15', signatory: 'Jari Tervonen, kaupunginjohtaja', minutesSection: '40 §' });
    expect(cell(o, sent.id, 'kajaani').history.map((h) => h.state)).toEqual(['approved', 'final', 'signed']);

    // The text changes after the approvals: still in force (as approved), but the approvals no longer cover the text.
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, SECTION_7, ['Kustannukset jaetaan asukasluvun mukaan.']));
    o = await overview();
    expect(o).toMatchObject({ inForce: true, inForceHash: sent.hash, currentMatchesInForce: false });
    expect(o.currentHash).not.toBe(sent.hash);
    expect(o.requests[0]!.coversCurrentText).toBe(false);
    expect(o.requests[0]!.decisions.every((d) => !d.coversCurrentText)).toBe(true);
  });

  it('finality and signature: dates after the decision and not ahead, the approval itself kept, steps in order, by token on a closed request', async () => {
    const sent = await send(await version('v1'));
    const { token } = await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '765', label: 'Sotkamo' });
    for (const m of Object.keys(CODES)) await approve(sent.id, m, '2026-11-20', 45);
    reach('2026-12-14');
    const before = await tableCounts(t.db);
    const issues = async (who: Actor, body: Record<string, unknown>) => {
      const e = await recordCouncilDecision(t.deps, who, sent.id, { municipalityCode: '290', ...body }).catch((x) => x);
      expect(code(e), JSON.stringify(body)).toBe('invalid_input');
      return (e.details.issues as Array<{ path: string[]; code: string }>).map((i) => `${i.path.join('.')}:${i.code}`);
    };
    const kuhmo = secretary('kuhmo');
    expect(await issues(kuhmo, { state: 'final' })).toEqual(['finalDate:required']);
    expect(await issues(kuhmo, { state: 'final', finalDate: '2026-11-20' })).toEqual(['finalDate:not_after_decision']);
    expect(await issues(kuhmo, { state: 'final', finalDate: '2026-12-15' })).toEqual(['finalDate:in_future']);
    expect(await issues(kuhmo, { state: 'final', finalDate: '11.12.2026' })).toEqual(['finalDate:not_a_date']);
    // The approval's own fields go on as recorded; only a correction changes them.
    expect(await issues(kuhmo, { state: 'final', finalDate: '2026-12-11', decisionDate: '2026-11-21' })).toEqual(['decisionDate:changes_decision']);
    expect(await issues(kuhmo, { state: 'approved', decisionDate: '2026-11-20', minutesSection: '45', finalDate: '2026-12-11' })).toEqual(['finalDate:not_allowed']);
    expect(await issues(admin(), { state: 'signed', decisionDate: '2026-11-20', minutesSection: '45', finalDate: '2026-12-11', signedDate: '2026-11-19' })).toEqual(['signedDate:before_decision']);
    // Signing comes after finality: from approved it is the host admin's correction, not the secretary's step.
    expect(code(await recordCouncilDecision(t.deps, kuhmo, sent.id, { municipalityCode: '290', state: 'signed', finalDate: '2026-12-11', signedDate: '2026-12-12' }).catch((e) => e))).toBe('forbidden');
    expect(await tableCounts(t.db)).toEqual(before);

    const final = await recordCouncilDecision(t.deps, kuhmo, sent.id, { municipalityCode: '290', state: 'final', finalDate: '2026-12-11', minutesSection: '§ 45' });
    expect(final.decision).toMatchObject({ state: 'final', decisionDate: '2026-11-20', meetingDate: '2026-11-20', minutesSection: '45 §', finalDate: '2026-12-11', signedDate: null, mayRecord: ['signed'] });
    const signed = await recordCouncilDecision(t.deps, kuhmo, sent.id, { municipalityCode: '290', state: 'signed', signedDate: '2026-12-14', signatory: '  Kuhmon\u0007  kaupunginjohtaja ' });
    expect(signed.decision).toMatchObject({ state: 'signed', finalDate: '2026-12-11', signedDate: '2026-12-14', signatory: 'Kuhmon kaupunginjohtaja', mayRecord: [] });
    // The same step again changes nothing.
    expect((await recordCouncilDecision(t.deps, kuhmo, sent.id, { municipalityCode: '290', state: 'signed', signedDate: '2026-12-14', signatory: 'Kuhmon kaupunginjohtaja' })).recorded).toBe(false);

    // A municipality's system sees the closed request and records its council's finality there.
    const info = await approvalTokenInfo(t.deps, token);
    expect(info.openRequests).toEqual([]);
    expect(info.closedRequests).toMatchObject([{ id: sent.id, decision: { state: 'approved', decisionDate: '2026-11-20', finalDate: null } }]);
    const byToken = await recordCouncilDecisionWithToken(t.deps, token, sent.id, { municipalityCode: '765', state: 'final', finalDate: '2026-12-12' });
    expect(byToken.decision).toMatchObject({ state: 'final', finalDate: '2026-12-12', recordedVia: 'token' });
  });

  it('the request closes once every council decided, a rejection too; a correction reopens it, or supersedes it when a newer one is out', async () => {
    const v1 = await send(await version('v1'));
    for (const m of Object.keys(CODES).filter((m) => m !== 'sotkamo')) await approve(v1.id, m, '2026-11-10');
    await record(secretary('sotkamo'), v1.id, { municipalityCode: '765', state: 'rejected', decisionDate: '2026-11-11', minutesSection: '90 §' });
    let o = await overview();
    expect(o.requests[0]).toMatchObject({ status: 'closed', closedAt: expect.any(Number) });
    expect(o).toMatchObject({ inForce: false, approvedText: null });
    expect(o.summary.fi).toBe('Ei voimassa: 9/10 hyväksyi version 1; Sotkamo hylkäsi version 1');

    // The host admin corrects Sotkamo's row (recorded in error): the request is open again, and closes again.
    await recordCouncilDecision(t.deps, admin(), v1.id, { municipalityCode: '765', state: 'scheduled', meetingDate: '2026-12-14' });
    o = await overview();
    expect(o.requests[0]).toMatchObject({ status: 'open', closedAt: null });
    const reopened = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'approval.decision_recorded').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(reopened.details)).toMatchObject({ event: 'correct', requestStatus: { from: 'closed', to: 'open' } });
    await record(secretary('sotkamo'), v1.id, { municipalityCode: '765', state: 'rejected', decisionDate: '2026-11-11', minutesSection: '90 §' });
    expect((await overview()).requests[0]!.status).toBe('closed');

    // A new version goes out: the closed request stays closed (its record is whole), not superseded.
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Sotkamon toive huomioitu.']));
    const v2 = await send(await version('v2'));
    expect(v2.supersededRequestId).toBeNull();
    o = await overview();
    expect(o.requests.map((r) => [r.version, r.status])).toEqual([[2, 'open'], [1, 'closed']]);
    // Reopened by a correction while version 2 is out: superseded at once (one request is open at a time).
    await recordCouncilDecision(t.deps, admin(), v1.id, { municipalityCode: '765', state: 'pending' });
    o = await overview();
    expect(o.requests.map((r) => [r.version, r.status])).toEqual([[2, 'open'], [1, 'superseded']]);
    expect(o.requests[1]!.supersededAt).toBe(t.clock.now());
  });

  it('says who has not handled it, and how the version a council approved differs (sections in template order)', async () => {
    await version('v1');
    await version('v2');
    const v3 = await send(await version('Valtuustoille 3'));
    await approve(v3.id, 'sotkamo', '2026-11-05');
    await changeDocument(t.db, agreement, (doc) => {
      writeSection(doc, SECTION_4, ['Jokaisella kunnalla on yksi edustaja.']);
      writeSection(doc, SECTION_7, ['Kustannukset jaetaan asukasluvun mukaan.']);
    });
    const v4 = await send(await version('Valtuustoille 4'));
    expect(v4.version).toBe(4);
    for (const m of ['kajaani', 'paltamo', 'ristijarvi', 'suomussalmi', 'hyrynsalmi', 'kuusamo', 'taivalkoski']) await approve(v4.id, m, '2026-11-20');
    const o = await overview();
    expect(o.inForce).toBe(false);
    expect(o.summary.fi).toBe('Ei voimassa: 7/10 hyväksyi version 4; Kuhmo ja Puolanka käsittelemättä; Sotkamo hyväksyi version 3, joka eroaa versiosta 4 osioissa 4 ja 7');
    expect(o.summary.sv).toBe('Inte i kraft: 7/10 godkände version 4; Kuhmo och Puolanka har inte behandlat ärendet; Sotkamo godkände version 3, som skiljer sig från version 4 i avsnitt 4 och 7');
    expect(o.summary.en).toBe('Not in force: 7/10 approved version 4; Kuhmo and Puolanka have not yet considered it; Sotkamo approved version 3, which differs from version 4 in sections 4 and 7');
    expect(o.progress).toMatchObject({ version: 4, parties: 10, pending: ['290', '620'], approvedOther: [{ code: '765', version: 3, differingSections: [4, 7] }] });
    expect(o.progress!.approved).toHaveLength(7);

    // Scheduled, rejected and returned, in both languages; a Swedish name in the Swedish sentence.
    await recordCouncilDecision(t.deps, secretary('kuhmo'), v4.id, { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-14' });
    await record(secretary('puolanka'), v4.id, { municipalityCode: '620', state: 'returned', decisionDate: '2026-11-25', minutesSection: '7' });
    // Kajaani approved: its secretary cannot take that back (only the host admin corrects).
    expect(code(await recordCouncilDecision(t.deps, secretary('kajaani'), v4.id, { municipalityCode: '205', state: 'pending' }).catch((e) => e))).toBe('forbidden');
    const again = await overview();
    expect(again.summary.fi).toBe('Ei voimassa: 7/10 hyväksyi version 4; Puolanka palautti version 4 uudelleen valmisteltavaksi; Kuhmo käsittelee 14.12.; Sotkamo hyväksyi version 3, joka eroaa versiosta 4 osioissa 4 ja 7');
    expect(again.summary.sv).toBe('Inte i kraft: 7/10 godkände version 4; Puolanka återremitterade version 4; Kuhmo behandlar ärendet den 14.12.; Sotkamo godkände version 3, som skiljer sig från version 4 i avsnitt 4 och 7');
  });

  it('counts approvals by hash: a restored identical version re-sent keeps them, and all of them put it in force', async () => {
    const v1 = await send(await version('v1'));
    for (const m of ['kajaani', 'kuhmo', 'paltamo', 'puolanka', 'ristijarvi']) await approve(v1.id, m, '2026-11-10');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Luonnos, jota ei hyväksytty.']));
    await version('v2');
    t.clock.advance(1000);
    const restored = await restoreVersion(t.deps, admin(), agreement, 1);
    expect(restored.hash).toBe(v1.hash);
    const v3 = await send(restored.number);
    expect(v3.hash).toBe(v1.hash);
    let o = await overview();
    expect(o.summary.fi).toBe('Ei voimassa: 5/10 hyväksyi version 3; Hyrynsalmi, Kuusamo, Sotkamo, Suomussalmi ja Taivalkoski käsittelemättä');
    for (const m of ['sotkamo', 'suomussalmi', 'hyrynsalmi', 'kuusamo', 'taivalkoski']) await approve(v3.id, m, '2026-11-26');
    o = await overview();
    expect(o).toMatchObject({ inForce: false, approvedText: { version: 3, hash: v1.hash, approvedOn: '2026-11-26', notFinal: expect.arrayContaining(['205', '832']) } });
    expect(cell(o, v1.id, 'kajaani').coversCurrentText).toBe(true);
    // Every approval final (on whichever request it was recorded), no date stated: in force from the last finality.
    for (const m of ['kajaani', 'kuhmo', 'paltamo', 'puolanka', 'ristijarvi']) await finalise(v1.id, m, '2026-12-02');
    for (const m of ['sotkamo', 'suomussalmi', 'hyrynsalmi', 'kuusamo', 'taivalkoski']) await finalise(v3.id, m, '2026-12-18');
    o = await overview();
    expect(o).toMatchObject({ inForce: true, inForceHash: v1.hash, currentMatchesInForce: true, inForceDetail: { version: 3, since: '2026-12-18' } });
  });

  it('in force with one text while another is out: says both', async () => {
    const v1 = await send(await version('v1'));
    for (const m of Object.keys(CODES)) await approve(v1.id, m, '2026-11-12');
    for (const m of Object.keys(CODES)) await finalise(v1.id, m, '2026-12-04');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, SECTION_4, ['Jokaisella kunnalla on kaksi edustajaa.']));
    const v2 = await send(await version('v2'));
    await approve(v2.id, 'kuhmo', '2026-12-05');
    const o = await overview();
    const short = `${v1.hash.slice(0, 4)}…`;
    expect(o).toMatchObject({ inForce: true, inForceHash: v1.hash, currentMatchesInForce: false });
    expect(o.summary.fi).toBe(`Voimassa 4.12.2026 alkaen: kaikki 10 valtuustoa hyväksyivät version 1 (${short}) 12.11., päätökset lainvoimaisia 4.12. Käsittelyssä: 1/10 hyväksyi version 2; Hyrynsalmi, Kajaani, Kuusamo, Paltamo, Puolanka, Ristijärvi, Sotkamo, Suomussalmi ja Taivalkoski hyväksyivät version 1, joka eroaa versiosta 2 osiossa 4`);
    expect(o.summary.sv).toBe(`I kraft från 4.12.2026: alla 10 fullmäktige godkände version 1 (${short}) den 12.11., besluten vann laga kraft den 4.12. Under behandling: 1/10 godkände version 2; Hyrynsalmi, Kajana, Kuusamo, Paltamo, Puolanka, Ristijärvi, Sotkamo, Suomussalmi och Taivalkoski godkände version 1, som skiljer sig från version 2 i avsnitt 4`);
  });

  it('a newer text approved by all while an older one is in force: says which is in force and how far the newer one is', async () => {
    const v1 = await send(await version('v1'));
    for (const m of Object.keys(CODES)) await approve(v1.id, m, '2026-11-12');
    for (const m of Object.keys(CODES)) await finalise(v1.id, m, '2026-12-04');
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, SECTION_4, ['Jokaisella kunnalla on kaksi edustajaa.']));
    const v2 = await send(await version('v2'));
    for (const m of Object.keys(CODES)) await approve(v2.id, m, '2026-12-07');
    const o = await overview();
    expect(o).toMatchObject({ inForce: true, inForceHash: v1.hash, approvedText: { version: 2, hash: v2.hash, inForce: false } });
    expect(o.summary.fi).toMatch(new RegExp(`^Voimassa 4\\.12\\.2026 alkaen: versio 1 \\(${v1.hash.slice(0, 4)}…\\)\\. Seuraavaksi: kaikki 10 valtuustoa hyväksyivät version 2 \\(${v2.hash.slice(0, 4)}…\\) 7\\.12\\.; lainvoimaisia 0/10; `));
  });

  it('a rejection leaves it out of force, and says so', async () => {
    const sent = await send(await version('v1'));
    for (const m of Object.keys(CODES).filter((m) => m !== 'sotkamo' && m !== 'kuusamo')) await approve(sent.id, m, '2026-11-10');
    await record(secretary('sotkamo'), sent.id, { municipalityCode: '765', state: 'rejected', decisionDate: '2026-11-11', minutesSection: '90 §' });
    await record(secretary('kuusamo'), sent.id, { municipalityCode: '305', state: 'rejected', decisionDate: '2026-11-11', minutesSection: '91 §' });
    const o = await overview();
    expect(o.inForce).toBe(false);
    expect(o.summary.fi).toBe('Ei voimassa: 8/10 hyväksyi version 1; Kuusamo ja Sotkamo hylkäsivät version 1');
    expect(o.summary.sv).toBe('Inte i kraft: 8/10 godkände version 1; Kuusamo och Sotkamo förkastade version 1');
  });

  it('says when nothing has been sent yet', async () => {
    const o = await overview();
    expect(o).toMatchObject({ inForce: false, inForceHash: null, currentMatchesInForce: false, approvedText: null, entryIntoForce: null, requests: [], progress: null, canSend: false, canSetEntryIntoForce: false });
    expect(o.summary.fi).toBe('Ei voimassa: sopimusta ei ole vielä lähetetty valtuustojen hyväksyttäväksi.');
    expect((await overview(admin())).canSend).toBe(true);
    expect(code(await approvalsOverview(t.deps, admin(), KAINUU, rules).catch((e) => e))).toBe('invalid_input');
  });

  it('uses the Swedish names in the Swedish sentence', async () => {
    const rantala = as['admin.rantala']!;
    await changeDocument(t.db, foreignAgreement, (doc) => writeSection(doc, 'parties', ['Strandvik är ansvarig kommun.']));
    const v = await saveVersion(t.deps, rantala, foreignAgreement, { label: 'Fullmäktige' });
    const sent = await sendForApproval(t.deps, rantala, foreignAgreement, { version: v.number });
    await record(rantala, sent.id, { municipalityCode: '903', state: 'approved', decisionDate: '2026-11-16', minutesSection: '3' });
    const o = await approvalsOverview(t.deps, rantala, SAARISTO);
    expect(o.summary.fi).toBe('Ei voimassa: 1/3 hyväksyi version 1; Holmpy ja Rantala käsittelemättä');
    expect(o.summary.sv).toBe('Inte i kraft: 1/3 godkände version 1; Holmby och Strandvik har inte behandlat ärendet');
  });
});

describe('approval tokens', () => {
  let request: string;
  beforeEach(async () => {
    request = (await send(await version('v1'))).id;
  });

  it('the host admin issues a token to one municipality: shown once, stored hashed, listed without its secret', async () => {
    const issued = await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '765', label: 'Sotkamon asianhallinta' });
    expect(issued.token).toMatch(/^sopu_at_[a-z2-7]{32}$/);
    expect(issued).toMatchObject({ municipalityCode: '765', label: 'Sotkamon asianhallinta', revokedAt: null, lastUsedAt: null, createdBy: { name: 'Pääkäyttäjä Kajaani' } });
    const stored = await t.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(issued.token.slice(8));
    const listed = await listApprovalTokens(t.deps, admin(), KAINUU);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(issued.token.slice(8));
    expect(listed[0]).not.toHaveProperty('token');
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'approval_token.issued').executeTakeFirstOrThrow();
    expect(audit.details).not.toContain(issued.token.slice(8));
  });

  it('only the host admin issues, lists and revokes; another area sees nothing', async () => {
    const issued = await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '765', label: 'Sotkamo' });
    const before = await tableCounts(t.db);
    for (const who of ['secretary.sotkamo', 'drafter.sotkamo', 'viewer.kuhmo']) {
      expect(code(await issueApprovalToken(t.deps, as[who]!, KAINUU, { municipalityCode: '765', label: 'x' }).catch((e) => e)), who).toBe('forbidden');
      expect(code(await listApprovalTokens(t.deps, as[who]!, KAINUU).catch((e) => e)), who).toBe('forbidden');
      expect(code(await revokeApprovalToken(t.deps, as[who]!, issued.id).catch((e) => e)), who).toBe('forbidden');
    }
    expect(code(await issueApprovalToken(t.deps, as['admin.rantala']!, KAINUU, { municipalityCode: '765', label: 'x' }).catch((e) => e))).toBe('not_found');
    expect(code(await revokeApprovalToken(t.deps, as['admin.rantala']!, issued.id).catch((e) => e))).toBe('not_found');
    expect(code(await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '902', label: 'x' }).catch((e) => e))).toBe('invalid_input');
    expect(code(await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '765', label: '' }).catch((e) => e))).toBe('invalid_input');
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("records its own municipality's decisions (audited with no person, and the token), never another's, never another area's", async () => {
    const { token, id } = await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '765', label: 'Sotkamon asianhallinta' });
    t.clock.set(NOV_28);
    const r = await recordCouncilDecisionWithToken(t.deps, token, request, { municipalityCode: '765', state: 'approved', decisionDate: '2026-11-20', minutesSection: '§ 101', minutesUrl: 'https://sotkamo.fi/pk/101' });
    expect(r.decision).toMatchObject({ state: 'approved', minutesSection: '101 §', recordedVia: 'token', recordedBy: null, history: [{ via: 'token', tokenLabel: 'Sotkamon asianhallinta' }] });
    const audit = await t.db.selectFrom('audit_events').select(['actor_user_id', 'details']).where('action', '=', 'approval.decision_recorded').executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBeNull();
    expect(JSON.parse(audit.details)).toMatchObject({ tokenId: id, municipalityCode: '765', onBehalf: false });
    expect((await listApprovalTokens(t.deps, admin(), KAINUU))[0]!.lastUsedAt).toBe(t.clock.now());

    // Another municipality's decision: forbidden. A Saaristo request: not found, as one that does not exist.
    const rantala = as['admin.rantala']!;
    await changeDocument(t.db, foreignAgreement, (doc) => writeSection(doc, 'parties', ['Strandvik.']));
    const foreignVersion = await saveVersion(t.deps, rantala, foreignAgreement, { label: 'v1' });
    const foreignRequest = await sendForApproval(t.deps, rantala, foreignAgreement, { version: foreignVersion.number });
    const before = await tableCounts(t.db);
    expect(code(await recordCouncilDecisionWithToken(t.deps, token, request, { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-14' }).catch((e) => e))).toBe('forbidden');
    const foreign = await recordCouncilDecisionWithToken(t.deps, token, foreignRequest.id, { municipalityCode: '902', state: 'scheduled', meetingDate: '2026-12-14' }).catch((e) => e);
    const missing = await recordCouncilDecisionWithToken(t.deps, token, crypto.randomUUID(), { municipalityCode: '902', state: 'scheduled', meetingDate: '2026-12-14' }).catch((e) => e);
    expect([code(foreign), code(missing)]).toEqual(['not_found', 'not_found']);
    expect(foreign.message).toBe(missing.message);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a revoked token, a made-up one and a session token are unauthenticated; a token is never a session', async () => {
    const { token, id } = await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '765', label: 'Sotkamo' });
    const body = { municipalityCode: '765', state: 'scheduled', meetingDate: '2026-12-14' };
    const session = await sessionTokenFor(t.deps, 'secretary.sotkamo@sopu.example');
    expect(await authenticate(t.deps, token)).toBeNull();
    expect(await authenticateApprovalToken(t.db, session)).toBeNull();
    expect(await authenticateApprovalToken(t.db, `sopu_at_${session}`)).toBeNull();
    expect(code(await recordCouncilDecisionWithToken(t.deps, session, request, body).catch((e) => e))).toBe('unauthenticated');
    expect(code(await recordCouncilDecisionWithToken(t.deps, `${token}x`, request, body).catch((e) => e))).toBe('unauthenticated');
    await revokeApprovalToken(t.deps, admin(), id);
    await revokeApprovalToken(t.deps, admin(), id);
    expect(await t.db.selectFrom('audit_events').select('id').where('action', '=', 'approval_token.revoked').execute()).toHaveLength(1);
    const before = await tableCounts(t.db);
    expect(code(await recordCouncilDecisionWithToken(t.deps, token, request, body).catch((e) => e))).toBe('unauthenticated');
    expect(code(await approvalTokenInfo(t.deps, token).catch((e) => e))).toBe('unauthenticated');
    expect(await tableCounts(t.db)).toEqual(before);
    expect((await listApprovalTokens(t.deps, admin(), KAINUU))[0]!.revokedAt).not.toBeNull();
  });

  it("tells a municipality's system the open requests and where its council stands", async () => {
    const { token } = await issueApprovalToken(t.deps, admin(), KAINUU, { municipalityCode: '290', label: 'Kuhmo' });
    await recordCouncilDecision(t.deps, secretary('kuhmo'), request, { municipalityCode: '290', state: 'scheduled', meetingDate: '2026-12-14' });
    const info = await approvalTokenInfo(t.deps, token);
    expect(info).toMatchObject({ areaSlug: KAINUU, municipalityCode: '290', label: 'Kuhmo', openRequests: [{ id: request, documentId: agreement, documentKind: 'cooperation_agreement', version: 1, decision: { state: 'scheduled', meetingDate: '2026-12-14' } }] });
  });
});
