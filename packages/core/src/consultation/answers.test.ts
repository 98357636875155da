import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addRoundAttachment, addStatementAttachment, ATTACHMENT_MAX_BYTES, getAttachment, removeAttachment, ROUND_ATTACHMENTS_MAX_BYTES, sniffAttachment, zipProblem } from './attachments.ts';
import { consultationDays, shortPeriod } from './consultation.rules.ts';
import { closeRound, createConsultationRound, getRound, openConsultationRound, openDraftRound, remindInvitees, submitStatement } from './consultation.ts';
import { getConsultationSummary, publishSummary, respondToStatements } from './summary.ts';
import { docxOf, exeOf, odtOf, pdfOf, zipOf } from './zip.testing.ts';
import { updateConsultationPeriod } from '../areas/index.ts';
import { consultationSummaryFile } from '../exports/index.ts';
import { planEvents } from '../notify/index.ts';
import type { Actor } from '../shared/deps.ts';
import { isDomainError } from '../shared/errors.ts';
import { actorFor, changeDocument, createTestDeps, documentIdOf, tableCounts, writeSection, type TestDeps } from '../testing.ts';
import { saveVersion } from '../versions/index.ts';

/*
 * Consultation as municipalities answer it (docs/decisions/027): answers per question, the statement's decision,
 * attachments, the minimum consultation period, and the mail a statement and a manual reminder bring.
 */

let t: TestDeps;
let rules: string;
const as: Record<string, Actor> = {};
const PEOPLE = ['admin.kajaani', 'rep.kuhmo', 'rep.sotkamo', 'viewer.kuhmo'];
const DEADLINE = '2026-12-15T16:00';

beforeEach(async () => {
  t = await createTestDeps();
  rules = await documentIdOf(t.db, 'kainuu-koillismaa', 'administrative_rules');
  for (const who of PEOPLE) as[who] = await actorFor(t.deps, `${who}@sopu.example`);
  await changeDocument(t.db, rules, (doc) => writeSection(doc, 'meeting_fees', ['Kokouspalkkio on 150 euroa.']));
  await saveVersion(t.deps, as['admin.kajaani']!, rules, { label: 'Lausunnolle' });
});
afterEach(async () => {
  await t.cleanup();
});

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
  openConsultationRound(t.deps, as['admin.kajaani']!, rules, { version: 1, title: 'Hallintosäännön muutos', questions: ['Onko kokouspalkkio sopiva?', 'Riittääkö kutsuaika?'], deadline: DEADLINE, invited: ['290', '765'], ...over });
const statementIdOf = async (roundId: string, code: string) => (await getRound(t.deps, as['admin.kajaani']!, roundId)).invitees.find((i) => i.municipality.code === code)!.statementId;
const DECISION = { body: 'Kunnanhallitus', date: '2026-11-27', section: '§ 45', url: 'https://kuhmo.cloudnc.fi/pk/45' };

describe('answers per question', () => {
  it('are kept per question, grouped by question in the summary and its PDF with the host response to each', async () => {
    const round = await open();
    await submitStatement(t.deps, as['rep.kuhmo']!, round.id, { municipalityCode: '290', answers: [{ question: 2, text: 'Ei riitä: seitsemän päivää.' }, { question: 1, text: 'On sopiva.' }], decision: DECISION });
    await submitStatement(t.deps, as['rep.sotkamo']!, round.id, { municipalityCode: '765', general: 'Puollamme.', answers: [{ question: 1, text: 'Liian pieni.' }] });
    const own = await getRound(t.deps, as['rep.kuhmo']!, round.id);
    expect(own.invitees.find((i) => i.municipality.code === '290')!.statement).toMatchObject({ answers: [{ question: 1, text: 'On sopiva.' }, { question: 2, text: 'Ei riitä: seitsemän päivää.' }], decision: { body: 'Kunnanhallitus', date: '2026-11-27', section: '45 §', url: DECISION.url } });

    t.clock.set(Date.parse('2026-12-16T00:00:00Z'));
    await closeRound(t.deps, as['admin.kajaani']!, round.id);
    const before = await refusal(publishSummary(t.deps, as['admin.kajaani']!, round.id));
    expect(before.reason).toBe('responses_missing');
    expect(before.details.missing).toEqual(expect.arrayContaining([{ municipalityCode: '290', section: 'q:1' }, { municipalityCode: '290', section: 'q:2' }, { municipalityCode: '765', section: 'q:1' }, { municipalityCode: '765', section: null }]));
    await respondToStatements(t.deps, as['admin.kajaani']!, round.id, {
      responses: [
        { municipalityCode: '290', question: 1, status: 'taken_into_account', reason: '' },
        { municipalityCode: '290', question: 2, status: 'taken_into_account', reason: 'Kutsuaika seitsemän päivää.' },
        { municipalityCode: '765', question: 1, status: 'not_taken_into_account', reason: 'Palkkio on kuntien keskitasoa.' },
        { municipalityCode: '765', status: 'taken_into_account', reason: '' },
      ],
    });
    await publishSummary(t.deps, as['admin.kajaani']!, round.id);
    const summary = await getConsultationSummary(t.deps, as['viewer.kuhmo']!, round.id);
    expect(summary.byQuestion).toEqual([
      {
        number: 1,
        question: 'Onko kokouspalkkio sopiva?',
        answers: [
          { municipality: expect.objectContaining({ code: '290' }), text: 'On sopiva.', response: { status: 'taken_into_account', reason: '' } },
          { municipality: expect.objectContaining({ code: '765' }), text: 'Liian pieni.', response: { status: 'not_taken_into_account', reason: 'Palkkio on kuntien keskitasoa.' } },
        ],
      },
      { number: 2, question: 'Riittääkö kutsuaika?', answers: [{ municipality: expect.objectContaining({ code: '290' }), text: 'Ei riitä: seitsemän päivää.', response: { status: 'taken_into_account', reason: 'Kutsuaika seitsemän päivää.' } }] },
    ]);
    expect(summary.statements).toEqual([
      { municipality: expect.objectContaining({ code: '290' }), decision: { body: 'Kunnanhallitus', date: '2026-11-27', section: '45 §', url: DECISION.url }, attachments: [] },
      { municipality: expect.objectContaining({ code: '765' }), decision: null, attachments: [] },
    ]);
    const view = await getRound(t.deps, as['viewer.kuhmo']!, round.id);
    expect(view.invitees.find((i) => i.municipality.code === '290')!.responses).toEqual(expect.arrayContaining([expect.objectContaining({ section: null, question: 2, status: 'taken_into_account' })]));

    const pdf = await consultationSummaryFile(t.deps, as['viewer.kuhmo']!, round.id, 'pdf');
    const { pdfText } = await import('@sopu/exports/readers');
    const text = (await pdfText(pdf.bytes)).replace(/\s+/g, ' ');
    expect(text).toContain('Kysymys 1: Onko kokouspalkkio sopiva?');
    expect(text.indexOf('On sopiva.')).toBeLessThan(text.indexOf('Kysymys 2'));
    expect(text).toContain('Palkkio on kuntien keskitasoa.');
    expect(text).toContain('45 §');
    expect(text).toContain('Kuhmo: Kunnanhallitus 27.11.2026, 45 § (https://kuhmo.cloudnc.fi/pk/45)');
  }, 60_000);

  it('refuse an unknown question, a question twice, answers beside "no comments", and change nothing', async () => {
    const round = await open();
    const before = await tableCounts(t.db);
    const submit = (body: Record<string, unknown>) => refusal(submitStatement(t.deps, as['rep.kuhmo']!, round.id, { municipalityCode: '290', ...body }));
    expect(await submit({ answers: [{ question: 3, text: 'x' }] })).toMatchObject({ code: 'invalid_input', details: { issues: [expect.objectContaining({ code: 'unknown_question' })] } });
    expect(await submit({ answers: [{ question: 0, text: 'x' }] })).toMatchObject({ code: 'invalid_input' });
    expect(await submit({ answers: [{ question: 1, text: 'a' }, { question: 1, text: 'b' }] })).toMatchObject({ code: 'invalid_input' });
    expect(await submit({ noComments: true, answers: [{ question: 1, text: 'a' }] })).toMatchObject({ code: 'invalid_input' });
    expect(await submit({ answers: [{ question: 1, text: '' }] })).toMatchObject({ code: 'invalid_input' });
    expect(await tableCounts(t.db)).toEqual(before);
    // The boundary: question 2 of 2 is accepted.
    await submitStatement(t.deps, as['rep.kuhmo']!, round.id, { municipalityCode: '290', answers: [{ question: 2, text: 'Kyllä.' }] });
  });
});

describe("the statement's decision", () => {
  it('takes the body, a date up to today, the minute section as written and an https link; refuses the rest', async () => {
    const round = await open();
    const today = '2026-11-28';
    const submit = (decision: Record<string, unknown>) => submitStatement(t.deps, as['rep.kuhmo']!, round.id, { municipalityCode: '290', general: 'Lausunto.', decision: { ...DECISION, ...decision } });
    const before = await tableCounts(t.db);
    expect(await refusal(submit({ date: '2026-11-29' }))).toMatchObject({ code: 'invalid_input', details: { issues: [expect.objectContaining({ code: 'in_future' })] } });
    expect(await refusal(submit({ date: '2026-02-30' }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(submit({ section: 'pykälä' }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(submit({ url: 'http://kuhmo.fi/pk' }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(submit({ url: 'javascript:alert(1)' }))).toMatchObject({ code: 'invalid_input' });
    expect(await refusal(submit({ body: '' }))).toMatchObject({ code: 'invalid_input' });
    expect(await tableCounts(t.db)).toEqual(before);
    const saved = await submit({ date: today, section: '112', url: null });
    expect(saved.statement!.decision).toEqual({ body: 'Kunnanhallitus', date: today, section: '112 §', url: null });
  });
});

describe('the minimum consultation period', () => {
  it('counts Helsinki calendar days, July left out when the agreement says so', () => {
    const at = (iso: string) => Date.parse(iso);
    expect(consultationDays(at('2026-06-01T09:00:00Z'), at('2026-07-16T13:00:00Z'), false)).toBe(45);
    expect(consultationDays(at('2026-06-01T09:00:00Z'), at('2026-07-16T13:00:00Z'), true)).toBe(29);
    expect(consultationDays(at('2026-06-01T09:00:00Z'), at('2026-08-16T13:00:00Z'), true)).toBe(45);
    // 44 days is short of 45, 45 is not.
    expect(shortPeriod({ days: 45, excludesJuly: true }, at('2026-10-01T09:00:00Z'), at('2026-11-14T13:00:00Z'))).toEqual({ days: 44, minimum: 45, excludesJuly: true });
    expect(shortPeriod({ days: 45, excludesJuly: true }, at('2026-10-01T09:00:00Z'), at('2026-11-15T13:00:00Z'))).toBeNull();
    expect(shortPeriod(null, at('2026-10-01T09:00:00Z'), at('2026-10-02T13:00:00Z'))).toBeNull();
  });

  it('refuses a shorter round without a reason (409 short_period, nothing changed), opens it with one and audits the reason', async () => {
    await updateConsultationPeriod(t.deps, as['admin.kajaani']!, 'kainuu-koillismaa', { days: 45, excludesJuly: true });
    const before = await tableCounts(t.db);
    const refused = await refusal(open());
    expect(refused).toMatchObject({ code: 'conflict', reason: 'short_period', details: { days: 17, minimum: 45, excludesJuly: true } });
    expect(await tableCounts(t.db)).toEqual(before);
    // The boundary: 45 days from 28.11. is 12.1.; 11.1. is one short.
    expect((await refusal(open({ deadline: '2027-01-11T16:00' }))).reason).toBe('short_period');
    const long = await open({ deadline: '2027-01-12T16:00' });
    expect(long.state).toBe('open');
    await t.db.deleteFrom('consultation_invitees').where('consultation_round_id', '=', long.id).execute();
    await t.db.deleteFrom('consultation_rounds').where('id', '=', long.id).execute();

    const round = await open({ shortPeriodReason: 'Valtuusto kokoontuu 20.12.' });
    const view = await getRound(t.deps, as['rep.kuhmo']!, round.id);
    expect(view).toMatchObject({ shortPeriodReason: 'Valtuusto kokoontuu 20.12.', shortPeriod: { days: 17, minimum: 45 } });
    const audit = await t.db.selectFrom('audit_events').select('details').where('subject_id', '=', round.id).where('action', '=', 'consultation.opened').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ shortPeriod: { days: 17, minimum: 45, reason: 'Valtuusto kokoontuu 20.12.' } });
  });

  it('lets a short draft be saved with the warning, and asks for the reason when it is opened', async () => {
    await updateConsultationPeriod(t.deps, as['admin.kajaani']!, 'kainuu-koillismaa', { days: 45, excludesJuly: false });
    const draft = await createConsultationRound(t.deps, as['admin.kajaani']!, rules, { version: 1, title: 'Luonnos', questions: [], deadline: DEADLINE, draft: true });
    expect((await getRound(t.deps, as['admin.kajaani']!, draft.id)).shortPeriod).toEqual({ days: 17, minimum: 45, excludesJuly: false });
    expect((await refusal(openDraftRound(t.deps, as['admin.kajaani']!, draft.id))).reason).toBe('short_period');
    expect((await getRound(t.deps, as['admin.kajaani']!, draft.id)).state).toBe('draft');
    const opened = await openDraftRound(t.deps, as['admin.kajaani']!, draft.id, { shortPeriodReason: 'Kiire' });
    expect(opened).toMatchObject({ state: 'open', shortPeriodReason: 'Kiire' });
  });

  it('is a setting of the host admin, audited; out-of-range days are refused', async () => {
    expect((await refusal(updateConsultationPeriod(t.deps, as['admin.kajaani']!, 'kainuu-koillismaa', { days: 0 }))).code).toBe('invalid_input');
    expect((await refusal(updateConsultationPeriod(t.deps, as['admin.kajaani']!, 'kainuu-koillismaa', { days: 366 }))).code).toBe('invalid_input');
    expect((await refusal(updateConsultationPeriod(t.deps, as['rep.kuhmo']!, 'kainuu-koillismaa', { days: 45 }))).code).toBe('forbidden');
    const settings = await updateConsultationPeriod(t.deps, as['admin.kajaani']!, 'kainuu-koillismaa', { days: 365, excludesJuly: true });
    expect(settings.consultationPeriod).toEqual({ days: 365, excludesJuly: true });
    expect((await updateConsultationPeriod(t.deps, as['admin.kajaani']!, 'kainuu-koillismaa', { days: null })).consultationPeriod).toBeNull();
  });
});

describe('attachments', () => {
  it('take PDF, DOCX and ODT by their content, name them by it, and serve them to whoever sees the statement', async () => {
    const round = await open();
    const kuhmo = await statementIdOf(round.id, '290');
    const pdf = await addStatementAttachment(t.deps, as['rep.kuhmo']!, kuhmo, { file: pdfOf(2000), fileName: 'Pöytäkirjanote.exe' });
    expect(pdf).toMatchObject({ fileName: 'Pöytäkirjanote.pdf', mediaType: 'application/pdf', size: 2000 });
    const docx = await addRoundAttachment(t.deps, as['admin.kajaani']!, round.id, { file: docxOf('Saate'), fileName: 'saate.docx' });
    expect(docx.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const odt = await addRoundAttachment(t.deps, as['admin.kajaani']!, round.id, { file: odtOf('Liite'), fileName: 'liite' });
    expect(odt).toMatchObject({ fileName: 'liite.odt', mediaType: 'application/vnd.oasis.opendocument.text' });

    expect((await getAttachment(t.deps, as['rep.kuhmo']!, pdf.id)).bytes).toEqual(pdfOf(2000));
    // Before the close, Sotkamo sees neither Kuhmo's statement nor its file; everyone sees the round's.
    expect((await refusal(getAttachment(t.deps, as['rep.sotkamo']!, pdf.id))).code).toBe('not_found');
    expect((await getAttachment(t.deps, as['rep.sotkamo']!, docx.id)).fileName).toBe('saate.docx');
    expect((await getRound(t.deps, as['rep.sotkamo']!, round.id)).attachments.map((a) => a.fileName)).toEqual(['saate.docx', 'liite.odt']);
    expect((await getRound(t.deps, as['rep.sotkamo']!, round.id)).invitees.find((i) => i.municipality.code === '290')!.attachments).toEqual([]);
    // Sotkamo cannot attach to Kuhmo's statement, nor a viewer to its own.
    expect((await refusal(addStatementAttachment(t.deps, as['rep.sotkamo']!, kuhmo, { file: pdfOf() }))).code).toBe('forbidden');
    expect((await refusal(addStatementAttachment(t.deps, as['viewer.kuhmo']!, kuhmo, { file: pdfOf() }))).code).toBe('forbidden');
    t.clock.set(Date.parse('2026-12-16T00:00:00Z'));
    expect((await refusal(addStatementAttachment(t.deps, as['rep.kuhmo']!, kuhmo, { file: pdfOf() }))).reason).toBe('deadline_passed');
    await closeRound(t.deps, as['admin.kajaani']!, round.id);
    expect((await getAttachment(t.deps, as['rep.sotkamo']!, pdf.id)).fileName).toBe('Pöytäkirjanote.pdf');
    const audit = await t.db.selectFrom('audit_events').select('action').where('subject_id', '=', round.id).where('action', '=', 'consultation.attachment_added').execute();
    expect(audit).toHaveLength(3);
  });

  it('are removed while the round is open: a statement’s by whoever uploaded it, a round’s by the host admin; audited; 404 elsewhere, 409 once closed', async () => {
    const round = await open();
    const kuhmo = await statementIdOf(round.id, '290');
    const mine = await addStatementAttachment(t.deps, as['rep.kuhmo']!, kuhmo, { file: pdfOf(1000), fileName: 'väärä.pdf' });
    const onBehalf = await addStatementAttachment(t.deps, as['admin.kajaani']!, kuhmo, { file: pdfOf(1100), fileName: 'puolesta.pdf' });
    const cover = await addRoundAttachment(t.deps, as['admin.kajaani']!, round.id, { file: pdfOf(1200), fileName: 'saate.pdf' });
    const before = await tableCounts(t.db);
    // Not the uploader, not a rep, another municipality, a made-up id, another area's admin: refused, nothing changes.
    expect((await refusal(removeAttachment(t.deps, as['rep.kuhmo']!, onBehalf.id))).code).toBe('forbidden');
    expect((await refusal(removeAttachment(t.deps, as['viewer.kuhmo']!, mine.id))).code).toBe('forbidden');
    expect((await refusal(removeAttachment(t.deps, as['rep.sotkamo']!, mine.id))).code).toBe('not_found');
    expect((await refusal(removeAttachment(t.deps, as['rep.kuhmo']!, cover.id))).code).toBe('forbidden');
    expect((await refusal(removeAttachment(t.deps, as['rep.kuhmo']!, 'no-such-file'))).code).toBe('not_found');
    expect((await refusal(removeAttachment(t.deps, await actorFor(t.deps, 'admin.rantala@sopu.example'), cover.id))).code).toBe('not_found');
    expect(await tableCounts(t.db)).toEqual(before);

    await removeAttachment(t.deps, as['rep.kuhmo']!, mine.id);
    await removeAttachment(t.deps, as['admin.kajaani']!, cover.id);
    expect((await refusal(getAttachment(t.deps, as['rep.kuhmo']!, mine.id))).code).toBe('not_found');
    const view = await getRound(t.deps, as['admin.kajaani']!, round.id);
    expect(view.attachments).toEqual([]);
    expect(view.invitees.find((i) => i.municipality.code === '290')!.attachments.map((a) => a.fileName)).toEqual(['puolesta.pdf']);
    const audit = await t.db.selectFrom('audit_events').select(['actor_user_id', 'details']).where('action', '=', 'consultation.attachment_removed').orderBy('seq').execute();
    expect(audit.map((e) => [e.actor_user_id, JSON.parse(e.details).fileName, JSON.parse(e.details).municipality])).toEqual([[as['rep.kuhmo']!.userId, 'väärä.pdf', '290'], [as['admin.kajaani']!.userId, 'saate.pdf', null]]);

    // Once the round is closed: 409, and the file stays.
    t.clock.set(Date.parse('2026-12-16T00:00:00Z'));
    expect((await refusal(removeAttachment(t.deps, as['admin.kajaani']!, onBehalf.id))).reason).toBe('deadline_passed');
    await closeRound(t.deps, as['admin.kajaani']!, round.id);
    expect((await refusal(removeAttachment(t.deps, as['admin.kajaani']!, onBehalf.id))).reason).toBe('round_not_open');
    const late = await t.db.selectFrom('consultation_attachments').select('id').where('consultation_round_id', '=', round.id).execute();
    expect(late.map((r) => r.id)).toEqual([onBehalf.id]);
  });

  it('refuse a renamed program, a 30 MB file, a zip bomb, a plain zip and an empty file, changing nothing', async () => {
    const round = await open();
    const kuhmo = await statementIdOf(round.id, '290');
    const before = await tableCounts(t.db);
    const attach = (file: Uint8Array, fileName: string) => refusal(addStatementAttachment(t.deps, as['rep.kuhmo']!, kuhmo, { file, fileName }));
    expect(await attach(exeOf(), 'lausunto.pdf')).toMatchObject({ code: 'invalid_input', details: { issues: [expect.objectContaining({ code: 'unsupported_type' })] } });
    expect(await attach(pdfOf(30 * 1024 * 1024), 'iso.pdf')).toMatchObject({ code: 'too_large' });
    // A DOCX whose one entry unpacks 200 MB of zeros and says so, and one that lies about its size.
    const zeros = new Uint8Array(200 * 1024 * 1024);
    expect(await attach(docxOf('x', [{ name: 'word/media/bomb.bin', data: zeros }]), 'pommi.docx')).toMatchObject({ code: 'invalid_input', details: { issues: [expect.objectContaining({ code: 'unsafe_archive' })] } });
    expect(await attach(docxOf('x', [{ name: 'word/media/bomb.bin', data: zeros.subarray(0, 20 * 1024 * 1024), declaredSize: 1000 }]), 'pommi.docx')).toMatchObject({ code: 'invalid_input', details: { issues: [expect.objectContaining({ code: 'unsafe_archive' })] } });
    expect(await attach(zipOf([{ name: 'a.txt', data: 'hei' }]), 'arkisto.docx')).toMatchObject({ code: 'invalid_input' });
    expect(await attach(new Uint8Array(0), 'tyhja.pdf')).toMatchObject({ code: 'invalid_input' });
    expect(await tableCounts(t.db)).toEqual(before);
  }, 60_000);

  it('hold 10 MB each and 50 MB per round at their boundaries', async () => {
    expect(await sniffAttachment(pdfOf(ATTACHMENT_MAX_BYTES))).toBe('pdf');
    expect((await refusal(sniffAttachment(pdfOf(ATTACHMENT_MAX_BYTES + 1)))).code).toBe('too_large');
    const round = await open();
    for (let i = 0; i < 5; i++) await addRoundAttachment(t.deps, as['admin.kajaani']!, round.id, { file: pdfOf(ROUND_ATTACHMENTS_MAX_BYTES / 5), fileName: `osa-${i}.pdf` });
    const before = await tableCounts(t.db);
    expect((await refusal(addRoundAttachment(t.deps, as['admin.kajaani']!, round.id, { file: pdfOf(1), fileName: 'yli.pdf' }))).code).toBe('too_large');
    expect(await tableCounts(t.db)).toEqual(before);
  }, 60_000);

  it('the zip guard inflates within its bound whatever the headers claim', () => {
    expect(zipProblem(docxOf('ok'))).toBeNull();
    expect(zipProblem(docxOf('x', [{ name: 'a', data: new Uint8Array(2 * 1024 * 1024), declaredSize: 10 }]))).toMatch(/zip bomb|declares/);
    expect(zipProblem(new Uint8Array([1, 2, 3]))).toMatch(/not a complete zip/);
  });
});

describe('mail', () => {
  it('a statement submitted tells the host admin; a manual reminder mails the reps it names', async () => {
    const round = await open();
    await planEvents(t.deps, { gatherMs: 0 });
    await submitStatement(t.deps, as['rep.kuhmo']!, round.id, { municipalityCode: '290', general: 'Lausunto.' });
    await remindInvitees(t.deps, as['admin.kajaani']!, round.id, { municipalityCodes: ['765'] });
    await planEvents(t.deps, { gatherMs: 0 });
    const jobs = await t.db
      .selectFrom('notification_jobs')
      .innerJoin('users', 'users.id', 'notification_jobs.user_id')
      .select(['notification_jobs.kind', 'users.email', 'notification_jobs.dedupe_key'])
      .where('notification_jobs.kind', 'in', ['statement_submitted', 'round_reminder'])
      .orderBy('notification_jobs.kind')
      .execute();
    expect(jobs.map((j) => [j.kind, j.email])).toEqual([
      ['round_reminder', 'rep.sotkamo@sopu.example'],
      ['statement_submitted', 'admin.kajaani@sopu.example'],
    ]);
    expect(jobs[0]!.dedupe_key).toContain(':manual:');
  });
});
