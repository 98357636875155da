import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAdoptions, recordAdoption } from './adoption.ts';
import { helsinkiDate as helsinkiDateOf, parseDeadline } from './consultation.rules.ts';
import { getConsultationSummary, publishSummary, respondToStatements } from './summary.ts';
import {
  closeRound, createConsultationRound, discardDraftRound, getRound, listAreaRounds, listRounds, openConsultationRound, openDraftRound, remindInvitees, submitStatement, updateDraftRound,
} from './consultation.ts';
import type { Actor } from '../shared/deps.ts';
import { isDomainError } from '../shared/errors.ts';
import { listNotifications } from '../comments/index.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, writeSection, type TestDeps } from '../testing.ts';
import { saveVersion } from '../versions/index.ts';

let t: TestDeps;
let rules: string;
let agreement: string;
let foreignRules: string;
const as: Record<string, Actor> = {};
const PEOPLE = ['admin.kajaani', 'drafter.kajaani', 'drafter.sotkamo', 'rep.kuhmo', 'rep.sotkamo', 'rep.paltamo', 'rep.kajaani', 'viewer.kuhmo', 'secretary.sotkamo', 'admin.rantala'];

const helsinki = (local: string) => {
  const p = parseDeadline(local);
  if (!p.ok) throw new Error(local);
  return p.ms;
};
const DEADLINE = '2026-12-15T16:00';

beforeEach(async () => {
  t = await createTestDeps();
  rules = await documentIdOf(t.db, 'kainuu-koillismaa', 'administrative_rules');
  agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  foreignRules = await documentIdOf(t.db, 'saaristo-skargard', 'administrative_rules');
  for (const who of PEOPLE) as[who] = await actorFor(t.deps, `${who}@sopu.example`);
  await changeDocument(t.db, rules, (doc) => {
    writeSection(doc, 'scope', ['Lautakunta on Kajaanin ja sopijakuntien yhteinen toimielin.']);
    writeSection(doc, 'meeting_fees', ['Kokouspalkkio on 150 euroa.']);
  });
  await saveVersion(t.deps, as['admin.kajaani']!, rules, { label: 'Lausunnolle' });
});
afterEach(async () => {
  await t.cleanup();
});

const code = (e: unknown) => (isDomainError(e) ? e.code : e);
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (isDomainError(e)) return { code: e.code, reason: e.details.reason, message: e.message, details: e.details };
    throw e;
  }
  throw new Error('expected a refusal');
};

const open = (over: Record<string, unknown> = {}) =>
  openConsultationRound(t.deps, as['admin.kajaani']!, rules, { version: 1, title: 'Hallintosäännön muutos 2027', questions: ['Onko kokouspalkkio sopiva?'], deadline: DEADLINE, coverLetter: 'Pyydämme lausuntoa.', ...over });
const submit = (who: string, roundId: string, body: Record<string, unknown>) => submitStatement(t.deps, as[who]!, roundId, body);

describe('opening a round', () => {
  it('freezes a saved version of the rules and invites every member but the host; later edits do not change it', async () => {
    t.clock.advance(1000);
    const round = await open();
    expect(round).toMatchObject({ state: 'open', title: 'Hallintosäännön muutos 2027', version: { number: 1, label: 'Lausunnolle' }, deadline: Date.parse('2026-12-15T14:00:00Z'), deadlineLocal: '2026-12-15T16:00+02:00', deadlinePassed: false, daysLeft: 17, invited: 9, answered: 0, own: null });
    await changeDocument(t.db, rules, (doc) => writeSection(doc, 'meeting_fees', ['Kokouspalkkio on 200 euroa.']));
    await saveVersion(t.deps, as['admin.kajaani']!, rules, { label: 'Muutettu' });
    const view = await getRound(t.deps, as['rep.kuhmo']!, round.id);
    expect(view.version).toEqual(round.version);
    expect(view.invitees.map((i) => i.municipality.code).sort()).toEqual(['105', '290', '305', '578', '620', '697', '765', '777', '832']);
    expect(view).toMatchObject({ questions: ['Onko kokouspalkkio sopiva?'], coverLetter: 'Pyydämme lausuntoa.', openedBy: { name: 'Pääkäyttäjä Kajaani' }, own: { municipality: { code: '290' }, status: 'invited' } });
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('subject_id', '=', round.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['consultation.opened']);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ version: 1, deadline: '2026-12-15T14:00:00.000Z', invited: expect.arrayContaining(['290', '765']) });
  });

  it('invites the municipalities named; lists the rounds for the document and the area dashboard', async () => {
    const round = await open({ invited: ['290', '765'], deadline: '2026-12-15T16:00+02:00' });
    expect(round.invited).toBe(2);
    expect((await listRounds(t.deps, as['viewer.kuhmo']!, rules)).map((r) => r.id)).toEqual([round.id]);
    const dashboard = await listAreaRounds(t.deps, as['rep.sotkamo']!, 'kainuu-koillismaa');
    expect(dashboard).toMatchObject([{ id: round.id, daysLeft: 17, answered: null, own: { municipality: { code: '765', name: { fi: 'Sotkamo' } }, status: 'invited' } }]);
    expect((await listAreaRounds(t.deps, as['rep.paltamo']!, 'kainuu-koillismaa'))[0]!.own).toBeNull();
    expect(await listAreaRounds(t.deps, as['admin.rantala']!, 'saaristo-skargard')).toEqual([]);
  });

  it('refuses, changing nothing: other roles, another document kind, bad deadlines, versions and invitations, a second open round', async () => {
    const before = await tableCounts(t.db);
    expect(code(await open().then(() => null, (e) => e))).toBeNull();
    const afterOne = await tableCounts(t.db);
    for (const who of ['drafter.kajaani', 'rep.kuhmo', 'viewer.kuhmo', 'drafter.sotkamo']) {
      expect(await refusal(openConsultationRound(t.deps, as[who]!, rules, { nonsense: true }))).toMatchObject({ code: 'forbidden' });
    }
    expect(await refusal(openConsultationRound(t.deps, as['admin.rantala']!, rules, {}))).toMatchObject({ code: 'not_found' });
    expect(await refusal(openConsultationRound(t.deps, as['admin.kajaani']!, agreement, { version: 1, title: 'x', questions: [], deadline: DEADLINE }))).toMatchObject({ code: 'conflict', reason: 'not_consultable' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ deadline: '2026-11-01T16:00' }, 'in_past'],
      [{ deadline: '2027-03-28T03:30' }, 'no_such_time'],
      [{ deadline: '15.12.2026' }, 'format'],
      [{ version: 9 }, 'unknown_version'],
      [{ invited: ['205'] }, 'host_municipality'],
      [{ invited: ['901'] }, 'unknown_municipality'],
      [{ title: '' }, 'too_small'],
    ];
    for (const [over, problem] of cases) {
      const r = await refusal(open(over));
      expect(r.code, problem).toBe('invalid_input');
      expect(JSON.stringify(r.details.issues), problem).toContain(problem);
    }
    expect(await refusal(open())).toMatchObject({ code: 'conflict', reason: 'round_already_open' });
    expect(await tableCounts(t.db)).toEqual(afterOne);
    expect(afterOne.consultation_rounds).toBe(before.consultation_rounds + 1);
  });
});

describe('draft rounds', () => {
  const draft = (over: Record<string, unknown> = {}, who = 'admin.kajaani') =>
    createConsultationRound(t.deps, as[who]!, rules, { version: 1, title: 'Luonnos: hallintosääntö 2027', questions: ['Onko kokouspalkkio sopiva?'], deadline: DEADLINE, draft: true, ...over });
  const MEMBERS = ['rep.kuhmo', 'rep.sotkamo', 'viewer.kuhmo', 'drafter.kajaani', 'drafter.sotkamo', 'secretary.sotkamo', 'rep.kajaani'];
  const missing = '00000000-0000-4000-8000-000000000000';
  const auditOf = async (roundId: string) =>
    (await t.db.selectFrom('audit_events').select(['action', 'details']).where('subject_id', '=', roundId).orderBy('seq').execute()).map((a) => ({ action: a.action, details: JSON.parse(a.details) as Record<string, unknown> }));

  it('is the host admin’s alone: to every member it is not found, byte for byte as a missing round, and it is not listed', async () => {
    const before = await tableCounts(t.db);
    const round = await draft();
    expect(round).toMatchObject({ state: 'draft', openedAt: null, invited: 9, answered: 0, deadlineLocal: '2026-12-15T16:00+02:00' });
    expect(await listRounds(t.deps, as['admin.kajaani']!, rules)).toMatchObject([{ id: round.id, state: 'draft' }]);
    expect(await listAreaRounds(t.deps, as['admin.kajaani']!, 'kainuu-koillismaa')).toMatchObject([{ id: round.id }]);
    const host = await getRound(t.deps, as['admin.kajaani']!, round.id);
    expect(host).toMatchObject({ state: 'draft', openedAt: null, openedBy: null, questions: ['Onko kokouspalkkio sopiva?'] });
    expect(host.timeline.map((e) => e.kind)).toEqual(['deadline']);
    expect(host.actions).toMatchObject({
      open: { allowed: true }, edit: { allowed: true }, discard: { allowed: true }, submitFor: [],
      close: { allowed: false, reason: 'round_not_open' }, remind: { allowed: false, reason: 'round_not_open' }, respond: { allowed: false, reason: 'round_draft' }, publish: { allowed: false, reason: 'round_draft' },
    });
    const afterDraft = await tableCounts(t.db);
    const calls: Array<[string, (who: string, id: string) => Promise<unknown>]> = [
      ['getRound', (who, id) => getRound(t.deps, as[who]!, id)],
      ['getConsultationSummary', (who, id) => getConsultationSummary(t.deps, as[who]!, id)],
      ['submitStatement', (who, id) => submitStatement(t.deps, as[who]!, id, { municipalityCode: '290', general: 'x' })],
      ['updateDraftRound', (who, id) => updateDraftRound(t.deps, as[who]!, id, { title: 'x' })],
      ['openDraftRound', (who, id) => openDraftRound(t.deps, as[who]!, id)],
      ['discardDraftRound', (who, id) => discardDraftRound(t.deps, as[who]!, id)],
      ['closeRound', (who, id) => closeRound(t.deps, as[who]!, id)],
      ['remindInvitees', (who, id) => remindInvitees(t.deps, as[who]!, id, {})],
    ];
    for (const who of MEMBERS) {
      expect(await listRounds(t.deps, as[who]!, rules), who).toEqual([]);
      expect(await listAreaRounds(t.deps, as[who]!, 'kainuu-koillismaa'), who).toEqual([]);
      for (const [name, call] of calls) {
        const seen = await refusal(call(who, round.id));
        expect(seen, `${who} ${name}`).toMatchObject({ code: 'not_found' });
        expect(seen).toEqual(await refusal(call(who, missing)));
      }
    }
    expect(await tableCounts(t.db)).toEqual(afterDraft);
    expect(afterDraft.consultation_rounds).toBe(before.consultation_rounds + 1);
    // Nobody is told of a draft.
    for (const who of MEMBERS) expect((await listNotifications(t.deps, as[who]!)).items, who).toEqual([]);
    expect(await auditOf(round.id)).toMatchObject([{ action: 'consultation.drafted', details: { version: 1, title: 'Luonnos: hallintosääntö 2027', deadline: '2026-12-15T14:00:00.000Z' } }]);
  });

  it('takes no statement, reminder, close nor answers, even from the host admin (409, the reason)', async () => {
    const round = await draft({ invited: ['290'] });
    const before = await tableCounts(t.db);
    expect(await refusal(submit('admin.kajaani', round.id, { municipalityCode: '290', general: 'x' }))).toMatchObject({ code: 'conflict', reason: 'round_not_open', message: expect.stringContaining('not been opened') });
    expect(await refusal(remindInvitees(t.deps, as['admin.kajaani']!, round.id, {}))).toMatchObject({ reason: 'round_not_open' });
    t.clock.set(helsinki(DEADLINE) + 1);
    expect(await refusal(closeRound(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ reason: 'round_not_open' });
    expect(await refusal(respondToStatements(t.deps, as['admin.kajaani']!, round.id, { responses: [{ municipalityCode: '290', status: 'partly', reason: 'x' }] }))).toMatchObject({ reason: 'round_draft' });
    expect(await refusal(publishSummary(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ reason: 'round_draft' });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('is edited by the host admin, field by field, with the same checks as opening; each edit audited', async () => {
    const round = await draft();
    await changeDocument(t.db, rules, (doc) => writeSection(doc, 'meeting_fees', ['Kokouspalkkio on 180 euroa.']));
    await saveVersion(t.deps, as['admin.kajaani']!, rules, { label: 'Korjattu' });
    const edited = await updateDraftRound(t.deps, as['admin.kajaani']!, round.id, { version: 2, title: 'Hallintosääntö 2027', deadline: '2027-01-15T12:00', invited: ['290', '765'], coverLetter: 'Hyvä vastaanottaja,' });
    expect(edited).toMatchObject({ state: 'draft', title: 'Hallintosääntö 2027', version: { number: 2, label: 'Korjattu' }, deadlineLocal: '2027-01-15T12:00+02:00', invited: 2, coverLetter: 'Hyvä vastaanottaja,', questions: ['Onko kokouspalkkio sopiva?'] });
    expect(edited.invitees.map((i) => i.municipality.code)).toEqual(['290', '765']);
    const again = await updateDraftRound(t.deps, as['admin.kajaani']!, round.id, { questions: ['Yksi', 'Kaksi'] });
    expect(again).toMatchObject({ title: 'Hallintosääntö 2027', questions: ['Yksi', 'Kaksi'], invited: 2 });
    const before = await tableCounts(t.db);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ deadline: '2026-11-01T16:00' }, 'in_past'],
      [{ deadline: '2028-12-01T16:00' }, 'too_far'],
      [{ version: 9 }, 'unknown_version'],
      [{ invited: ['205'] }, 'host_municipality'],
      [{ invited: [] }, 'too_small'],
      [{ title: '' }, 'too_small'],
      [{}, 'nothing to change'],
    ];
    for (const [body, problem] of cases) {
      const r = await refusal(updateDraftRound(t.deps, as['admin.kajaani']!, round.id, body));
      expect(r.code, problem).toBe('invalid_input');
      expect(JSON.stringify(r.details.issues), problem).toContain(problem);
    }
    expect(await refusal(updateDraftRound(t.deps, as['admin.rantala']!, round.id, { title: 'x' }))).toMatchObject({ code: 'not_found' });
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await auditOf(round.id)).toMatchObject([
      { action: 'consultation.drafted' },
      { action: 'consultation.draft_edited', details: { changed: ['version', 'title', 'deadline', 'invited', 'coverLetter'], version: 2, deadline: '2027-01-15T10:00:00.000Z', invited: ['290', '765'] } },
      { action: 'consultation.draft_edited', details: { changed: ['questions'] } },
    ]);
  });

  it('opens to the members at the moment it is opened: the timeline’s “opened”, the audit, listed and answerable; then no longer a draft', async () => {
    const round = await draft({ invited: ['290', '765'] });
    t.clock.advance(2 * 86_400_000);
    const opensAt = t.deps.now();
    const opened = await openDraftRound(t.deps, as['admin.kajaani']!, round.id);
    expect(opened).toMatchObject({ state: 'open', openedAt: opensAt, openedBy: { name: 'Pääkäyttäjä Kajaani' }, daysLeft: 15 });
    expect(opened.timeline).toMatchObject([{ kind: 'opened', at: opensAt }, { kind: 'deadline' }]);
    expect(opened.actions).toMatchObject({ open: { allowed: false, reason: 'round_not_draft' }, edit: { allowed: false, reason: 'round_not_draft' }, discard: { allowed: false, reason: 'round_not_draft' } });
    expect((await listAreaRounds(t.deps, as['rep.sotkamo']!, 'kainuu-koillismaa'))).toMatchObject([{ id: round.id, openedAt: opensAt, own: { status: 'invited' } }]);
    const kuhmo = await getRound(t.deps, as['rep.kuhmo']!, round.id);
    expect(kuhmo).toMatchObject({ state: 'open', actions: { submitFor: ['290'], open: { reason: 'forbidden' }, edit: { reason: 'forbidden' }, discard: { reason: 'forbidden' } } });
    await submit('rep.kuhmo', round.id, { municipalityCode: '290', general: 'Kuhmo puoltaa.' });

    const before = await tableCounts(t.db);
    expect(await refusal(updateDraftRound(t.deps, as['admin.kajaani']!, round.id, { title: 'Muutettu jälkikäteen' }))).toMatchObject({ code: 'conflict', reason: 'round_not_draft' });
    expect(await refusal(discardDraftRound(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ code: 'conflict', reason: 'round_not_draft' });
    expect(await refusal(openDraftRound(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ code: 'conflict', reason: 'round_not_draft' });
    // A member who can see the round is refused what is not theirs: forbidden, not "not found".
    for (const who of ['rep.kuhmo', 'drafter.kajaani']) {
      expect(await refusal(updateDraftRound(t.deps, as[who]!, round.id, { title: 'x' })), who).toMatchObject({ code: 'forbidden' });
      expect(await refusal(openDraftRound(t.deps, as[who]!, round.id)), who).toMatchObject({ code: 'forbidden' });
      expect(await refusal(discardDraftRound(t.deps, as[who]!, round.id)), who).toMatchObject({ code: 'forbidden' });
    }
    expect(await tableCounts(t.db)).toEqual(before);
    expect(await auditOf(round.id)).toMatchObject([
      { action: 'consultation.drafted' },
      { action: 'consultation.opened', details: { version: 1, invited: ['290', '765'], fromDraft: true } },
      { action: 'consultation.statement_submitted' },
    ]);
  });

  it('opens only with its deadline ahead and no other round on the rules open; drafts wait beside an open round', async () => {
    const first = await open();
    const waiting = await draft({ deadline: '2027-02-01T16:00' });
    expect((await getRound(t.deps, as['admin.kajaani']!, waiting.id)).actions.open).toMatchObject({ allowed: false, reason: 'round_already_open' });
    expect(await refusal(openDraftRound(t.deps, as['admin.kajaani']!, waiting.id))).toMatchObject({ code: 'conflict', reason: 'round_already_open', details: { roundId: first.id } });
    await closeRoundAfterDeadline(first.id);
    expect((await getRound(t.deps, as['admin.kajaani']!, waiting.id)).actions.open).toEqual({ allowed: true });
    t.clock.set(helsinki('2027-02-01T16:00'));
    expect((await getRound(t.deps, as['admin.kajaani']!, waiting.id)).actions.open).toMatchObject({ allowed: false, reason: 'deadline_passed' });
    expect(await refusal(openDraftRound(t.deps, as['admin.kajaani']!, waiting.id))).toMatchObject({ code: 'conflict', reason: 'deadline_passed' });
    await updateDraftRound(t.deps, as['admin.kajaani']!, waiting.id, { deadline: '2027-03-01T16:00' });
    expect(await openDraftRound(t.deps, as['admin.kajaani']!, waiting.id)).toMatchObject({ state: 'open', deadlineLocal: '2027-03-01T16:00+02:00' });
  });

  it('is discarded by the host admin: gone, its invitees too; the audit keeps what it was', async () => {
    const before = await tableCounts(t.db);
    const round = await draft({ invited: ['290', '765'] });
    await discardDraftRound(t.deps, as['admin.kajaani']!, round.id);
    const after = await tableCounts(t.db);
    expect({ ...after, audit_events: before.audit_events }).toEqual(before);
    expect(await refusal(getRound(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ code: 'not_found' });
    expect(await refusal(discardDraftRound(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ code: 'not_found' });
    expect(await listRounds(t.deps, as['admin.kajaani']!, rules)).toEqual([]);
    expect(await auditOf(round.id)).toMatchObject([{ action: 'consultation.drafted' }, { action: 'consultation.draft_discarded', details: { title: 'Luonnos: hallintosääntö 2027', invited: ['290', '765'] } }]);
  });

  it('is created only by the host admin, on the rules; openConsultationRound opens at once whatever the input says', async () => {
    for (const who of ['drafter.kajaani', 'rep.kuhmo', 'viewer.kuhmo']) expect(await refusal(draft({}, who)), who).toMatchObject({ code: 'forbidden' });
    expect(await refusal(draft({}, 'admin.rantala'))).toMatchObject({ code: 'not_found' });
    expect(await refusal(createConsultationRound(t.deps, as['admin.kajaani']!, agreement, { version: 1, title: 'x', questions: [], deadline: DEADLINE, draft: true }))).toMatchObject({ reason: 'not_consultable' });
    expect(await refusal(draft({ draft: 'yes' }))).toMatchObject({ code: 'invalid_input' });
    expect(await createConsultationRound(t.deps, as['admin.kajaani']!, rules, { version: 1, title: 'Suoraan', questions: [], deadline: DEADLINE })).toMatchObject({ state: 'open' });
    expect(await refusal(open({ draft: true }))).toMatchObject({ reason: 'round_already_open' });
  });

  it('is no consultation: the adoption of its version is refused as never consulted', async () => {
    const round = await draft({ invited: ['290'] });
    t.clock.set(helsinki(DEADLINE) + 86_400_000);
    expect(await refusal(recordAdoption(t.deps, as['admin.kajaani']!, rules, { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: helsinkiDateOf(t.deps.now()), minutesSection: '§ 1' }))).toMatchObject({ reason: 'no_round' });
    expect((await getRound(t.deps, as['admin.kajaani']!, round.id)).state).toBe('draft');
  });
});

describe('statements', () => {
  let roundId: string;
  beforeEach(async () => {
    roundId = (await open()).id;
  });

  it('before the close a municipality sees only its own statement; the host admin sees every one and who answered', async () => {
    await submit('rep.kuhmo', roundId, { municipalityCode: '290', general: 'Kuhmo puoltaa muutosta.', sections: [{ key: 'meeting_fees', text: 'Palkkio on liian pieni.' }] });
    await submit('rep.sotkamo', roundId, { municipalityCode: '765', noComments: true });
    const kuhmo = await getRound(t.deps, as['rep.kuhmo']!, roundId);
    const sotkamoAsSeenByKuhmo = kuhmo.invitees.find((i) => i.municipality.code === '765')!;
    expect(sotkamoAsSeenByKuhmo).toEqual({ municipality: { code: '765', name: { fi: 'Sotkamo', sv: 'Sotkamo' } }, status: null, answeredAt: null, statement: null, revisions: [], responses: [], statementId: expect.any(String), attachments: [] });
    expect(kuhmo.invitees.find((i) => i.municipality.code === '290')!.statement).toMatchObject({ number: 1, general: 'Kuhmo puoltaa muutosta.', sections: [{ key: 'meeting_fees', text: 'Palkkio on liian pieni.' }], noComments: false, onBehalf: false, submittedBy: { name: 'Edustaja Kuhmo' } });
    expect(kuhmo.answered).toBeNull();
    expect(JSON.stringify(kuhmo)).not.toContain('Edustaja Sotkamo');
    expect(kuhmo.timeline.map((e) => e.kind)).toEqual(['opened', 'statement_submitted', 'deadline']);
    // The viewer of Kuhmo sees Kuhmo's statement (their municipality's), not Sotkamo's.
    const viewer = await getRound(t.deps, as['viewer.kuhmo']!, roundId);
    expect(viewer.invitees.filter((i) => i.statement).map((i) => i.municipality.code)).toEqual(['290']);
    expect(viewer.actions.submitFor).toEqual([]);
    const host = await getRound(t.deps, as['admin.kajaani']!, roundId);
    expect(host.answered).toBe(2);
    expect(host.invitees.filter((i) => i.status === 'answered').map((i) => i.municipality.code).sort()).toEqual(['290', '765']);
    expect(host.invitees.find((i) => i.municipality.code === '765')!.statement).toMatchObject({ noComments: true, general: '', sections: [] });
    expect(host.actions.submitFor).toHaveLength(9);
    expect(host.actions.close).toMatchObject({ allowed: false, reason: 'deadline_not_passed' });
    expect(kuhmo.actions).toMatchObject({ submitFor: ['290'], close: { allowed: false, reason: 'forbidden' } });
  });

  it('another municipality’s rep cannot submit for it (forbidden, nothing changes, nothing learnt); nor can viewers, drafters or secretaries', async () => {
    await submit('rep.sotkamo', roundId, { municipalityCode: '765', general: 'Sotkamon lausunto.' });
    const before = await tableCounts(t.db);
    expect(await refusal(submit('rep.kuhmo', roundId, { municipalityCode: '765', general: 'Kuhmo kirjoittaa Sotkamon nimissä.' }))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(submit('rep.kuhmo', roundId, { municipalityCode: '999', general: 'x' }))).toMatchObject({ code: 'forbidden' });
    for (const who of ['viewer.kuhmo', 'drafter.sotkamo', 'secretary.sotkamo', 'drafter.kajaani']) {
      expect(await refusal(submit(who, roundId, { municipalityCode: '765', general: 'x' })), who).toMatchObject({ code: 'forbidden' });
    }
    expect(await refusal(submit('rep.kajaani', roundId, { municipalityCode: '205', general: 'x' }))).toMatchObject({ code: 'conflict', reason: 'not_invited' });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('refuses malformed statements with the field at fault', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ municipalityCode: '290' }, 'general'],
      [{ municipalityCode: '290', general: '   ' }, 'general'],
      [{ municipalityCode: '290', noComments: true, general: 'mutta silti' }, 'noComments'],
      [{ municipalityCode: '290', sections: [{ key: 'nope', text: 'x' }] }, 'sections.0.key'],
      [{ municipalityCode: '290', sections: [{ key: 'scope', text: 'a' }, { key: 'scope', text: 'b' }] }, 'sections.1.key'],
      [{ municipalityCode: '290', general: 'x'.repeat(20_001) }, 'general'],
    ];
    for (const [body, path] of bad) {
      const r = await refusal(submit('rep.kuhmo', roundId, body));
      expect(r.code).toBe('invalid_input');
      expect((r.details.issues as Array<{ path: string[] }>).map((i) => i.path.join('.')), path).toContain(path);
    }
    expect((await tableCounts(t.db)).consultation_statement_revisions).toBe(0);
  });

  it('amends until the deadline (its exact millisecond included), keeping every revision; then refuses', async () => {
    await submit('rep.kuhmo', roundId, { municipalityCode: '290', general: 'Ensimmäinen.' });
    t.clock.advance(60_000);
    await submit('rep.kuhmo', roundId, { municipalityCode: '290', noComments: true });
    t.clock.set(helsinki(DEADLINE));
    const last = await submit('rep.kuhmo', roundId, { municipalityCode: '290', general: 'Kolmas, viime hetkellä.', sections: [{ key: 'scope', text: 'Tarkennus.' }] });
    expect(last.statement).toMatchObject({ number: 3, general: 'Kolmas, viime hetkellä.' });
    expect(last.revisions.map((r) => [r.number, r.general, r.noComments])).toEqual([[1, 'Ensimmäinen.', false], [2, '', true], [3, 'Kolmas, viime hetkellä.', false]]);
    t.clock.advance(1);
    expect(await refusal(submit('rep.kuhmo', roundId, { municipalityCode: '290', general: 'Myöhässä.' }))).toMatchObject({ code: 'conflict', reason: 'deadline_passed' });
    expect(await refusal(submit('rep.sotkamo', roundId, { municipalityCode: '765', general: 'Myöhässä.' }))).toMatchObject({ code: 'conflict', reason: 'deadline_passed' });
    const view = await getRound(t.deps, as['rep.kuhmo']!, roundId);
    expect(view.invitees.find((i) => i.municipality.code === '290')!.revisions).toHaveLength(3);
    expect(view.timeline.map((e) => e.kind)).toEqual(['opened', 'statement_submitted', 'statement_amended', 'statement_amended', 'deadline']);
    expect(view.actions.submitFor).toEqual([]);
    const actions = await t.db.selectFrom('audit_events').select('action').where('subject_id', '=', roundId).orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toEqual(['consultation.opened', 'consultation.statement_submitted', 'consultation.statement_amended', 'consultation.statement_amended']);
  });

  it('a deadline in summer time set in winter is held at the Helsinki hour, not an hour later', async () => {
    await closeRoundAfterDeadline(roundId);
    const summer = await open({ deadline: '2027-04-01T16:00' });
    t.clock.set(Date.parse('2027-04-01T13:00:00.000Z'));
    await submit('rep.kuhmo', summer.id, { municipalityCode: '290', general: 'Ajallaan.' });
    t.clock.set(Date.parse('2027-04-01T13:30:00.000Z')); // 16.30 in Helsinki; 15.30 by the winter offset
    expect(await refusal(submit('rep.kuhmo', summer.id, { municipalityCode: '290', general: 'Myöhässä.' }))).toMatchObject({ reason: 'deadline_passed' });
  });

  it('the host admin may submit on a municipality’s behalf, marked and audited as such', async () => {
    const view = await submit('admin.kajaani', roundId, { municipalityCode: '578', general: 'Paltamon kunnanhallitus päätti puoltaa (pöytäkirja liitteenä).' });
    expect(view.statement).toMatchObject({ onBehalf: true, submittedBy: { name: 'Pääkäyttäjä Kajaani' } });
    const event = await t.db.selectFrom('audit_events').select(['action', 'actor_user_id', 'details']).where('subject_id', '=', roundId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(event.action).toBe('consultation.statement_submitted');
    expect(event.actor_user_id).toBe(as['admin.kajaani']!.userId);
    expect(JSON.parse(event.details)).toMatchObject({ municipality: '578', onBehalf: true, revision: 1 });
    const paltamo = await getRound(t.deps, as['rep.paltamo']!, roundId);
    expect(paltamo.timeline.find((e) => e.kind === 'statement_submitted')).toMatchObject({ municipality: { code: '578' }, onBehalf: true });
  });
});

async function closeRoundAfterDeadline(roundId: string) {
  const round = await t.db.selectFrom('consultation_rounds').select('deadline').where('id', '=', roundId).executeTakeFirstOrThrow();
  t.clock.set(round.deadline + 1);
  return closeRound(t.deps, as['admin.kajaani']!, roundId);
}

describe('closing', () => {
  it('is refused before the deadline while someone has not answered; allowed once everyone has', async () => {
    const round = await open({ invited: ['290', '765'] });
    await submit('rep.kuhmo', round.id, { municipalityCode: '290', general: 'Kuhmo.' });
    const before = await tableCounts(t.db);
    expect(await refusal(closeRound(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ code: 'conflict', reason: 'deadline_not_passed', details: { waitingFor: ['765'] } });
    expect(await refusal(closeRound(t.deps, as['rep.kuhmo']!, round.id))).toMatchObject({ code: 'forbidden' });
    expect(await tableCounts(t.db)).toEqual(before);
    await submit('rep.sotkamo', round.id, { municipalityCode: '765', noComments: true });
    const closed = await closeRound(t.deps, as['admin.kajaani']!, round.id);
    expect(closed).toMatchObject({ state: 'closed', deadlinePassed: false, closedBy: { name: 'Pääkäyttäjä Kajaani' } });
    expect(await refusal(closeRound(t.deps, as['admin.kajaani']!, round.id))).toMatchObject({ reason: 'round_not_open' });
  });

  it('after the deadline: the silent become no_answer, and every member of the area sees every statement (not its history)', async () => {
    const round = await open();
    await submit('rep.kuhmo', round.id, { municipalityCode: '290', general: 'Kuhmo, ensin.' });
    await submit('rep.kuhmo', round.id, { municipalityCode: '290', general: 'Kuhmo, lopullinen.' });
    await submit('rep.sotkamo', round.id, { municipalityCode: '765', general: 'Sotkamo.' });
    const closed = await closeRoundAfterDeadline(round.id);
    expect(closed.invitees.filter((i) => i.status === 'no_answer')).toHaveLength(7);
    for (const who of ['rep.paltamo', 'viewer.kuhmo', 'secretary.sotkamo', 'drafter.kajaani']) {
      const view = await getRound(t.deps, as[who]!, round.id);
      expect(view.answered, who).toBe(2);
      expect(view.invitees.find((i) => i.municipality.code === '290')!.statement?.general, who).toBe('Kuhmo, lopullinen.');
      expect(view.invitees.every((i) => i.status !== null), who).toBe(true);
    }
    const paltamo = await getRound(t.deps, as['rep.paltamo']!, round.id);
    expect(paltamo.invitees.find((i) => i.municipality.code === '290')!.revisions).toEqual([]);
    expect((await getRound(t.deps, as['rep.kuhmo']!, round.id)).invitees.find((i) => i.municipality.code === '290')!.revisions).toHaveLength(2);
    expect(paltamo.timeline.at(-1)).toMatchObject({ kind: 'closed', noAnswer: expect.arrayContaining([{ code: '578', name: { fi: 'Paltamo', sv: 'Paltamo' } }]) });
    expect(await refusal(submit('rep.paltamo', round.id, { municipalityCode: '578', general: 'Myöhässä.' }))).toMatchObject({ reason: 'round_not_open' });
  });
});

describe('reminders', () => {
  it('notify the member reps of the municipalities that have not answered, in-app, pointing at the round', async () => {
    const round = await open({ invited: ['290', '765', '578'] });
    await submit('rep.sotkamo', round.id, { municipalityCode: '765', general: 'Sotkamo.' });
    const sent = await remindInvitees(t.deps, as['admin.kajaani']!, round.id, undefined);
    expect(sent.municipalities.map((m) => [m.municipality.code, m.recipients]).sort()).toEqual([['290', 1], ['578', 1]]);
    const kuhmo = await listNotifications(t.deps, as['rep.kuhmo']!);
    expect(kuhmo.unread).toBe(1);
    expect(kuhmo.items[0]).toMatchObject({ kind: 'round_reminder', round: { id: round.id, title: 'Hallintosäännön muutos 2027', deadlineLocal: '2026-12-15T16:00+02:00' }, document: { id: rules }, excerpt: 'Hallintosäännön muutos 2027', actor: { name: 'Pääkäyttäjä Kajaani' }, threadId: null });
    expect((await listNotifications(t.deps, as['rep.sotkamo']!)).items).toEqual([]);
    // Only named ones, and only those who have not answered.
    expect((await remindInvitees(t.deps, as['admin.kajaani']!, round.id, { municipalityCodes: ['578'] })).recipients).toBe(1);
    expect(await refusal(remindInvitees(t.deps, as['admin.kajaani']!, round.id, { municipalityCodes: ['765'] }))).toMatchObject({ reason: 'nobody_to_remind' });
    expect(await refusal(remindInvitees(t.deps, as['admin.kajaani']!, round.id, { municipalityCodes: ['205'] }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(remindInvitees(t.deps, as['rep.kuhmo']!, round.id, {}))).toMatchObject({ code: 'forbidden' });
    // The reminded see the reminder on the round's timeline, for themselves only; the host sees all.
    const paltamo = await getRound(t.deps, as['rep.paltamo']!, round.id);
    expect(paltamo.timeline.filter((e) => e.kind === 'reminded')).toMatchObject([{ municipalities: [{ code: '578' }], recipients: null }, { municipalities: [{ code: '578' }] }]);
    expect((await getRound(t.deps, as['rep.sotkamo']!, round.id)).timeline.filter((e) => e.kind === 'reminded')).toEqual([]);
    expect((await getRound(t.deps, as['admin.kajaani']!, round.id)).timeline.filter((e) => e.kind === 'reminded')).toMatchObject([{ recipients: 2 }, { recipients: 1 }]);
    t.clock.set(helsinki(DEADLINE) + 1);
    expect(await refusal(remindInvitees(t.deps, as['admin.kajaani']!, round.id, {}))).toMatchObject({ reason: 'deadline_passed' });
  });
});

describe('responses and the summary', () => {
  let roundId: string;
  beforeEach(async () => {
    roundId = (await open({ invited: ['290', '765', '578'] })).id;
    await submit('rep.kuhmo', roundId, { municipalityCode: '290', general: 'Kuhmo puoltaa.', sections: [{ key: 'meeting_fees', text: 'Palkkio on liian pieni.' }, { key: 'scope', text: 'Selkeä.' }] });
    await submit('rep.sotkamo', roundId, { municipalityCode: '765', noComments: true });
  });

  it('the host answers each statement and section comment once closed, publishes when all are answered; then everyone sees it', async () => {
    expect(await refusal(respondToStatements(t.deps, as['admin.kajaani']!, roundId, { responses: [{ municipalityCode: '290', status: 'taken_into_account', reason: '' }] }))).toMatchObject({ reason: 'round_open' });
    await closeRoundAfterDeadline(roundId);
    expect(await refusal(publishSummary(t.deps, as['admin.kajaani']!, roundId))).toMatchObject({
      reason: 'responses_missing',
      details: { missing: [{ municipalityCode: '290', section: null }, { municipalityCode: '290', section: 'meeting_fees' }, { municipalityCode: '290', section: 'scope' }] },
    });
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ municipalityCode: '765', status: 'taken_into_account', reason: '' }, 'nothing to answer: no comments'],
      [{ municipalityCode: '578', status: 'taken_into_account', reason: '' }, 'nothing to answer: no answer'],
      [{ municipalityCode: '290', section: 'meeting_procedure', status: 'taken_into_account', reason: '' }, 'no comment on that section'],
      [{ municipalityCode: '290', status: 'not_taken_into_account', reason: '' }, 'no reason'],
      [{ municipalityCode: '290', status: 'maybe', reason: 'x' }, 'no such status'],
    ];
    for (const [item, why] of bad) expect((await refusal(respondToStatements(t.deps, as['admin.kajaani']!, roundId, { responses: [item] }))).code, why).toBe('invalid_input');
    expect(await refusal(respondToStatements(t.deps, as['rep.kuhmo']!, roundId, { responses: [] }))).toMatchObject({ code: 'forbidden' });

    await respondToStatements(t.deps, as['admin.kajaani']!, roundId, {
      responses: [
        { municipalityCode: '290', section: null, status: 'taken_into_account', reason: '' },
        { municipalityCode: '290', section: 'meeting_fees', status: 'not_taken_into_account', reason: 'Palkkiot noudattavat kaupungin palkkiosääntöä.' },
      ],
    });
    // Before publication the members do not see the answers; the host sees them and what is missing.
    const draft = await getRound(t.deps, as['admin.kajaani']!, roundId);
    expect(draft.missingResponses).toEqual([{ municipalityCode: '290', section: 'scope' }]);
    expect(draft.actions.publish).toMatchObject({ allowed: false, reason: 'responses_missing' });
    expect((await getRound(t.deps, as['rep.kuhmo']!, roundId)).invitees.flatMap((i) => i.responses)).toEqual([]);
    expect((await getConsultationSummary(t.deps, as['rep.kuhmo']!, roundId)).rows).toEqual([]);
    // A response may be changed until publication.
    await respondToStatements(t.deps, as['admin.kajaani']!, roundId, {
      responses: [
        { municipalityCode: '290', section: 'scope', status: 'taken_into_account', reason: 'Kiitos.' },
        { municipalityCode: '290', section: 'meeting_fees', status: 'partly', reason: 'Palkkio tarkistetaan 2028.' },
      ],
    });
    const summary = await publishSummary(t.deps, as['admin.kajaani']!, roundId);
    expect(summary).toMatchObject({ published: true, publishedBy: { name: 'Pääkäyttäjä Kajaani' }, counts: { invited: 3, answered: 2, noComments: 1, noAnswer: 1, taken_into_account: 2, partly: 1, not_taken_into_account: 0 } });
    const seen = await getConsultationSummary(t.deps, as['viewer.kuhmo']!, roundId);
    expect(seen.rows.map((r) => [r.municipality.code, r.kind, r.section?.key ?? null, r.response?.status ?? null])).toEqual([
      ['290', 'general', null, 'taken_into_account'],
      ['290', 'section', 'scope', 'taken_into_account'],
      ['290', 'section', 'meeting_fees', 'partly'],
      ['578', 'no_answer', null, null],
      ['765', 'no_comments', null, null],
    ]);
    expect(seen.rows[2]).toMatchObject({ statement: 'Palkkio on liian pieni.', section: { title: { fi: expect.any(String) } }, response: { reason: 'Palkkio tarkistetaan 2028.' } });
    const kuhmo = await getRound(t.deps, as['rep.sotkamo']!, roundId);
    expect(kuhmo.invitees.find((i) => i.municipality.code === '290')!.responses.map((r) => r.status).sort()).toEqual(['partly', 'taken_into_account', 'taken_into_account']);
    expect(kuhmo.timeline.map((e) => e.kind)).toEqual(['opened', 'statement_submitted', 'statement_submitted', 'deadline', 'closed', 'summary_published']);
    expect(await refusal(respondToStatements(t.deps, as['admin.kajaani']!, roundId, { responses: [{ municipalityCode: '290', status: 'partly', reason: 'x' }] }))).toMatchObject({ reason: 'summary_published' });
    expect(await refusal(publishSummary(t.deps, as['admin.kajaani']!, roundId))).toMatchObject({ reason: 'summary_published' });
  });
});

describe('adoption of the rules', () => {
  const adopt = (over: Record<string, unknown> = {}, who = 'admin.kajaani') =>
    recordAdoption(t.deps, as[who]!, rules, { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: '2026-12-20', minutesSection: '§ 87', ...over });

  it('is refused with its reason until the consulted version’s round is closed; then recorded, once', async () => {
    expect(await refusal(adopt())).toMatchObject({ code: 'conflict', reason: 'no_round' });
    const round = await open();
    await submit('rep.kuhmo', round.id, { municipalityCode: '290', general: 'Kuhmo.' });
    expect(await refusal(adopt())).toMatchObject({ code: 'conflict', reason: 'round_open' });
    await closeRoundAfterDeadline(round.id);
    t.clock.set(helsinki('2026-12-21T09:00'));
    expect(await refusal(adopt({ date: '2026-12-14' }))).toMatchObject({ reason: 'decided_before_hearing_ended' });
    expect(await refusal(adopt({ date: '2026-12-22' }))).toMatchObject({ reason: 'decision_in_future' });
    expect(await refusal(adopt({}, 'rep.kuhmo'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(adopt({}, 'drafter.kajaani'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(adopt({}, 'admin.rantala'))).toMatchObject({ code: 'not_found' });
    expect(await refusal(adopt({ version: 7 }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(adopt({ date: '2026-02-30' }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(recordAdoption(t.deps, as['admin.kajaani']!, agreement, { version: 1, body: 'x', date: '2026-12-20', minutesSection: '1' }))).toMatchObject({ code: 'conflict', reason: 'not_consultable' });
    const adoption = await adopt();
    expect(adoption).toMatchObject({ version: { number: 1, label: 'Lausunnolle' }, round: { id: round.id }, decisionBody: 'Kajaanin kaupunginvaltuusto', decisionDate: '2026-12-20', minutesSection: '§ 87', changedSinceConsultation: false, changedSections: [], recordedBy: { name: 'Pääkäyttäjä Kajaani' } });
    expect(await refusal(adopt())).toMatchObject({ reason: 'already_adopted' });
    expect(await listAdoptions(t.deps, as['viewer.kuhmo']!, rules)).toEqual([adoption]);
    expect((await getRound(t.deps, as['viewer.kuhmo']!, round.id)).timeline.at(-1)).toMatchObject({ kind: 'adopted', decisionBody: 'Kajaanin kaupunginvaltuusto', minutesSection: '§ 87' });
    const audit = await t.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'rules.adopted').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ version: 1, roundId: round.id, changedSinceConsultation: false });
  });

  it('is refused while a new round on the same version is open, although an older round on it was closed and heard', async () => {
    const first = await open({ invited: ['290'] });
    await submit('rep.kuhmo', first.id, { municipalityCode: '290', general: 'Kuhmo.' });
    t.clock.advance(3_600_000);
    await closeRound(t.deps, as['admin.kajaani']!, first.id);
    // The host asks again on the same text (say, a municipality was left out).
    t.clock.advance(3_600_000);
    const second = await open({ invited: ['290', '765'], title: 'Täydentävä lausuntokierros' });
    const before = await tableCounts(t.db);
    const body = { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: helsinkiDateOf(t.deps.now()), minutesSection: '§ 12' };
    expect(await refusal(recordAdoption(t.deps, as['admin.kajaani']!, rules, body))).toMatchObject({ code: 'conflict', reason: 'round_open' });
    expect(await tableCounts(t.db)).toEqual(before);
    // Once the new hearing is over, the adoption names the round that heard the members last.
    await submit('rep.kuhmo', second.id, { municipalityCode: '290', noComments: true });
    await submit('rep.sotkamo', second.id, { municipalityCode: '765', general: 'Sotkamo.' });
    t.clock.advance(3_600_000);
    await closeRound(t.deps, as['admin.kajaani']!, second.id);
    expect(await recordAdoption(t.deps, as['admin.kajaani']!, rules, { ...body, date: helsinkiDateOf(t.deps.now()) })).toMatchObject({ round: { id: second.id } });
  });

  it('names the consulted version when the rules changed after the round, with the sections that differ', async () => {
    const round = await open({ invited: ['290'] });
    await submit('rep.kuhmo', round.id, { municipalityCode: '290', general: 'Kuhmo.' });
    t.clock.advance(3_600_000);
    await closeRound(t.deps, as['admin.kajaani']!, round.id);
    await changeDocument(t.db, rules, (doc) => writeSection(doc, 'meeting_fees', ['Kokouspalkkio on 200 euroa.']));
    const adoption = await recordAdoption(t.deps, as['admin.kajaani']!, rules, { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: '2026-11-28', minutesSection: '§ 12' });
    expect(adoption).toMatchObject({ version: { number: 1 }, changedSinceConsultation: true, changedSections: ['meeting_fees'] });
    expect(adoption.currentHash).not.toBe(adoption.version.hash);
    // A later version that was never consulted cannot be adopted.
    await saveVersion(t.deps, as['admin.kajaani']!, rules, { label: 'Palkkiot muutettu' });
    expect(await refusal(recordAdoption(t.deps, as['admin.kajaani']!, rules, { version: 2, body: 'Valtuusto', date: '2026-11-28', minutesSection: '§ 13' }))).toMatchObject({ reason: 'no_round' });
  });
});

describe('another area', () => {
  it('sees no round of Kainuu: not found, the same as a missing id, and nothing changes', async () => {
    const round = await open();
    await submit('rep.kuhmo', round.id, { municipalityCode: '290', general: 'Kuhmo.' });
    const before = await tableCounts(t.db);
    const missing = '00000000-0000-4000-8000-000000000000';
    const calls: Array<(id: string) => Promise<unknown>> = [
      (id) => getRound(t.deps, as['admin.rantala']!, id),
      (id) => getConsultationSummary(t.deps, as['admin.rantala']!, id),
      (id) => submitStatement(t.deps, as['admin.rantala']!, id, { municipalityCode: '290', general: 'x' }),
      (id) => closeRound(t.deps, as['admin.rantala']!, id),
      (id) => remindInvitees(t.deps, as['admin.rantala']!, id, {}),
      (id) => respondToStatements(t.deps, as['admin.rantala']!, id, { responses: [] }),
      (id) => publishSummary(t.deps, as['admin.rantala']!, id),
    ];
    for (const call of calls) {
      const foreign = await refusal(call(round.id));
      const none = await refusal(call(missing));
      expect(foreign).toMatchObject({ code: 'not_found' });
      expect(foreign).toEqual(none);
    }
    expect(await refusal(listRounds(t.deps, as['admin.rantala']!, rules))).toMatchObject({ code: 'not_found' });
    expect(await refusal(listAdoptions(t.deps, as['admin.rantala']!, rules))).toMatchObject({ code: 'not_found' });
    expect(await listRounds(t.deps, as['admin.rantala']!, foreignRules)).toEqual([]);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
