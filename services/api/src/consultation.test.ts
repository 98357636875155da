import { changeDocument, documentIdOf, sessionTokenFor, tableCounts, writeSection } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, url } from './testing.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let rules: string;
let saaristoRules: string;
const cookies: Record<string, string> = {};
const PEOPLE = ['admin.kajaani', 'rep.kuhmo', 'rep.sotkamo', 'viewer.kuhmo', 'drafter.kajaani', 'admin.rantala', 'rep.holmpy'];
const MISSING = '00000000-0000-4000-8000-000000000000';

/** Sessions follow the test clock: sign everyone in again after moving it past their idle timeout. */
async function signIn() {
  for (const who of PEOPLE) cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
}

beforeEach(async () => {
  t = await createTestApp();
  rules = await documentIdOf(t.db, 'kainuu-koillismaa', 'administrative_rules');
  saaristoRules = await documentIdOf(t.db, 'saaristo-skargard', 'administrative_rules');
  await signIn();
  await changeDocument(t.db, rules, (doc) => writeSection(doc, 'meeting_fees', ['Kokouspalkkio on 150 euroa.']));
  expect((await call('POST', `/documents/${rules}/versions`, 'admin.kajaani', { label: 'Lausunnolle' })).status).toBe(201);
});
afterEach(async () => {
  await t.cleanup();
});

const call = (method: string, path: string, who: string, body?: unknown) =>
  t.app.request(url(path), {
    method,
    headers: { cookie: cookies[who]!, origin: ORIGIN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
const json = async <T = any>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;

const OPEN = { version: 1, title: 'Hallintosäännön muutos 2027', questions: ['Onko kokouspalkkio sopiva?'], deadline: '2026-12-15T16:00' };
const openRound = async (body: Record<string, unknown> = {}) => {
  const res = await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', { ...OPEN, ...body });
  expect(res.status).toBe(201);
  return json<{ id: string; state: string; deadline: string; deadlineLocal: string }>(res);
};

describe('consultation rounds over the API', () => {
  it('opens a round (201 {id, state}) with the deadline in UTC and as Helsinki reads it, across the change to summer time', async () => {
    const winter = await openRound();
    expect(winter).toMatchObject({ id: expect.any(String), state: 'open', deadline: '2026-12-15T14:00:00.000Z', deadlineLocal: '2026-12-15T16:00+02:00', daysLeft: 17, invited: 9 });
    const list = await json<Array<{ id: string }>>(call('GET', `/documents/${rules}/rounds`, 'viewer.kuhmo'));
    expect(list.map((r) => r.id)).toEqual([winter.id]);
    // One open round at a time, refused with its reason.
    const again = await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', { ...OPEN, deadline: '2027-04-01T16:00' });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: { code: 'conflict', message: expect.any(String), reason: 'round_already_open' } });
    t.clock.set(Date.parse('2026-12-15T14:00:01Z'));
    await signIn();
    expect((await call('POST', `/rounds/${winter.id}/close`, 'admin.kajaani')).status).toBe(200);
    const summer = await openRound({ deadline: '2027-04-01T16:00' });
    expect(summer).toMatchObject({ deadline: '2027-04-01T13:00:00.000Z', deadlineLocal: '2027-04-01T16:00+03:00' });
    const offset = await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', { ...OPEN, deadline: '2027-03-28T03:30' });
    expect(offset.status).toBe(400);
    expect(JSON.stringify(await offset.json())).toContain('no_such_time');
  });

  it('takes a deadline as toISOString writes it (milliseconds, Z), in a new round and in a draft edited', async () => {
    const deadline = new Date(t.clock.now() + 16 * 86_400_000 + 7_671_949).toISOString();
    expect(deadline).toBe('2026-12-14T10:07:51.949Z');
    const round = await openRound({ deadline });
    expect(round).toMatchObject({ deadline: '2026-12-14T10:07:51.949Z', deadlineLocal: '2026-12-14T12:07:51.949+02:00' });
    const created = await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', { ...OPEN, draft: true, deadline: '2027-01-10T09:00:00.5+02:00' });
    expect(created.status).toBe(201);
    const draft = await json<{ id: string }>(created);
    const edited = await call('PATCH', `/rounds/${draft.id}`, 'admin.kajaani', { deadline: '2027-01-11T07:00:00.000Z' });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ deadline: '2027-01-11T07:00:00.000Z', deadlineLocal: '2027-01-11T09:00+02:00' });
    const annotated = await call('PATCH', `/rounds/${draft.id}`, 'admin.kajaani', { deadline: '2027-01-11T09:00[Europe/Helsinki]' });
    expect(annotated.status).toBe(400);
    expect(JSON.stringify(await annotated.json())).toContain('"code":"format"');
  });

  it('saves a draft (201 {id, state: draft}) that members cannot find, edits it, opens it; then 409 round_not_draft', async () => {
    const created = await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', { ...OPEN, draft: true, invited: ['290', '765'] });
    expect(created.status).toBe(201);
    const draft = await json<{ id: string; state: string; openedAt: string | null }>(created);
    expect(draft).toMatchObject({ id: expect.any(String), state: 'draft', openedAt: null, invited: 2 });
    // To a member a draft is a missing round, byte for byte, and it is not listed.
    for (const who of ['rep.kuhmo', 'viewer.kuhmo', 'drafter.kajaani']) {
      for (const [method, path, body] of [
        ['GET', '', undefined],
        ['GET', '/summary', undefined],
        ['PATCH', '', { title: 'x' }],
        ['POST', '/open', undefined],
        ['DELETE', '', undefined],
        ['POST', '/statements', { municipalityCode: '290', general: 'x' }],
      ] as const) {
        const seen = await call(method, `/rounds/${draft.id}${path}`, who, body);
        expect(seen.status, `${who} ${method} ${path}`).toBe(404);
        expect(await seen.text()).toBe(await (await call(method, `/rounds/${MISSING}${path}`, who, body)).text());
      }
      expect(await json(call('GET', `/documents/${rules}/rounds`, who)), who).toEqual([]);
    }
    expect(await json(call('GET', `/documents/${rules}/rounds`, 'admin.kajaani'))).toMatchObject([{ id: draft.id, state: 'draft' }]);

    expect((await call('PATCH', `/rounds/${draft.id}`, 'admin.kajaani', { deadline: '2026-11-01T16:00' })).status).toBe(400);
    expect((await call('PATCH', `/rounds/${draft.id}`, 'admin.kajaani', {})).status).toBe(400);
    const edited = await call('PATCH', `/rounds/${draft.id}`, 'admin.kajaani', { title: 'Hallintosääntö 2027, luonnos 2', deadline: '2027-01-15T12:00' });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ state: 'draft', title: 'Hallintosääntö 2027, luonnos 2', deadlineLocal: '2027-01-15T12:00+02:00', openedBy: null, actions: { open: { allowed: true }, edit: { allowed: true }, discard: { allowed: true } } });

    // The round opens when it is opened, not when the draft was saved.
    t.clock.advance(3 * 3_600_000);
    await signIn();
    const opensAt = new Date(t.deps.now()).toISOString();
    const opened = await call('POST', `/rounds/${draft.id}/open`, 'admin.kajaani');
    expect(opened.status).toBe(200);
    expect(await opened.json()).toMatchObject({ state: 'open', openedAt: opensAt, timeline: [{ kind: 'opened', at: opensAt }, { kind: 'deadline' }] });
    expect(await json(call('GET', `/rounds/${draft.id}`, 'rep.kuhmo'))).toMatchObject({ state: 'open', own: { status: 'invited' }, actions: { submitFor: ['290'], open: { allowed: false, reason: 'forbidden' } } });
    // Now the members see it: a non-admin is refused what is the host admin's (403), the host admin is told why not (409).
    for (const who of ['rep.kuhmo', 'viewer.kuhmo', 'drafter.kajaani']) {
      expect((await call('PATCH', `/rounds/${draft.id}`, who, { title: 'x' })).status, who).toBe(403);
      expect((await call('POST', `/rounds/${draft.id}/open`, who)).status, who).toBe(403);
      expect((await call('DELETE', `/rounds/${draft.id}`, who)).status, who).toBe(403);
    }
    for (const [method, path, body] of [['PATCH', '', { title: 'x' }], ['POST', '/open', undefined], ['DELETE', '', undefined]] as const) {
      const refused = await call(method, `/rounds/${draft.id}${path}`, 'admin.kajaani', body);
      expect(refused.status, `${method} ${path}`).toBe(409);
      expect(await refused.json()).toEqual({ error: { code: 'conflict', message: expect.any(String), reason: 'round_not_draft' } });
    }
  });

  it('discards a draft (204), refuses to open one whose deadline passed or while another round is open (409 with the reason)', async () => {
    const open = await openRound({ invited: ['290'] });
    const draft = await json<{ id: string }>(call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', { ...OPEN, deadline: '2027-01-15T16:00', draft: true }));
    const busy = await call('POST', `/rounds/${draft.id}/open`, 'admin.kajaani');
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ error: { reason: 'round_already_open' } });
    t.clock.set(Date.parse('2027-01-15T14:00:00Z'));
    await signIn();
    expect((await call('POST', `/rounds/${open.id}/close`, 'admin.kajaani')).status).toBe(200);
    const late = await call('POST', `/rounds/${draft.id}/open`, 'admin.kajaani');
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { reason: 'deadline_passed' } });
    const discarded = await call('DELETE', `/rounds/${draft.id}`, 'admin.kajaani');
    expect(discarded.status).toBe(204);
    expect(await discarded.text()).toBe('');
    expect((await call('GET', `/rounds/${draft.id}`, 'admin.kajaani')).status).toBe(404);
    expect((await json<Array<{ id: string }>>(call('GET', `/documents/${rules}/rounds`, 'admin.kajaani'))).map((r) => r.id)).toEqual([open.id]);
  });

  it('before the close, another municipality’s rep can neither read nor submit its statement; after it, all members read all', async () => {
    const round = await openRound();
    expect((await call('POST', `/rounds/${round.id}/statements`, 'rep.sotkamo', { municipalityCode: '765', general: 'Sotkamon lausunto: kannatamme.', sections: [{ key: 'meeting_fees', text: 'Palkkio on sopiva.' }] })).status).toBe(201);
    const kuhmoPosted = await call('POST', `/rounds/${round.id}/statements`, 'rep.kuhmo', { municipalityCode: '290', noComments: true });
    expect(kuhmoPosted.status).toBe(201);
    expect(await kuhmoPosted.json()).toMatchObject({ municipality: { code: '290' }, status: 'answered', statement: { number: 1, noComments: true, onBehalf: false }, revisions: [{ number: 1 }] });

    // Kuhmo's rep reads the round: Sotkamo's statement is not in it, nor whether Sotkamo answered.
    const asKuhmo = await call('GET', `/rounds/${round.id}`, 'rep.kuhmo');
    expect(asKuhmo.status).toBe(200);
    const text = await asKuhmo.text();
    expect(text).not.toContain('Sotkamon lausunto');
    expect(text).not.toContain('Palkkio on sopiva');
    const kuhmoView = JSON.parse(text) as { answered: number | null; invitees: Array<{ municipality: { code: string }; status: string | null; statement: unknown }> };
    expect(kuhmoView.answered).toBeNull();
    expect(kuhmoView.invitees.find((i) => i.municipality.code === '765')).toMatchObject({ status: null, statement: null });
    // …nor can it submit (or amend) Sotkamo's: 403, and nothing changes.
    const before = await tableCounts(t.db);
    const forged = await call('POST', `/rounds/${round.id}/statements`, 'rep.kuhmo', { municipalityCode: '765', general: 'Sotkamo peruu kantansa.' });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    expect(await tableCounts(t.db)).toEqual(before);
    // The host admin sees every statement; closing before the deadline is refused with the reason and who is awaited.
    const host = await json<{ answered: number }>(call('GET', `/rounds/${round.id}`, 'admin.kajaani'));
    expect(host.answered).toBe(2);
    const early = await call('POST', `/rounds/${round.id}/close`, 'admin.kajaani');
    expect(early.status).toBe(409);
    const earlyBody = await json<{ error: { reason: string; waitingFor: string[] } }>(early);
    expect(earlyBody.error.reason).toBe('deadline_not_passed');
    expect(earlyBody.error.waitingFor).toHaveLength(7);

    t.clock.set(Date.parse('2026-12-15T14:00:00.001Z'));
    await signIn();
    const late = await call('POST', `/rounds/${round.id}/statements`, 'rep.kuhmo', { municipalityCode: '290', general: 'Myöhässä.' });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { reason: 'deadline_passed' } });
    expect((await call('POST', `/rounds/${round.id}/close`, 'rep.kuhmo')).status).toBe(403);
    const closed = await call('POST', `/rounds/${round.id}/close`, 'admin.kajaani');
    expect(closed.status).toBe(200);
    expect(await closed.json()).toMatchObject({ state: 'closed', answered: 2 });
    for (const who of ['rep.kuhmo', 'viewer.kuhmo']) {
      const after = await call('GET', `/rounds/${round.id}`, who);
      expect(await after.text(), who).toContain('Sotkamon lausunto: kannatamme.');
    }
  });

  it('answers, publishes the summary (409 listing what is missing first), and records the adoption only when the round allows it', async () => {
    const adopt = (body: Record<string, unknown> = {}) => call('POST', `/documents/${rules}/adoptions`, 'admin.kajaani', { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: '2026-11-28', minutesSection: '§ 87', ...body });
    const noRound = await adopt();
    expect(noRound.status).toBe(409);
    expect(await noRound.json()).toEqual({ error: { code: 'conflict', message: expect.any(String), reason: 'no_round' } });

    const round = await openRound({ invited: ['290', '765'] });
    const open = await adopt();
    expect(open.status).toBe(409);
    expect(await open.json()).toMatchObject({ error: { reason: 'round_open' } });
    await call('POST', `/rounds/${round.id}/statements`, 'rep.kuhmo', { municipalityCode: '290', general: 'Kuhmo puoltaa.', sections: [{ key: 'meeting_fees', text: 'Liian pieni.' }] });
    // The host admin answers for Sotkamo on its behalf.
    const behalf = await call('POST', `/rounds/${round.id}/statements`, 'admin.kajaani', { municipalityCode: '765', noComments: true });
    expect(await behalf.json()).toMatchObject({ statement: { onBehalf: true, submittedBy: { name: 'Pääkäyttäjä Kajaani' } } });
    // Everyone answered: the round closes before its deadline.
    expect((await call('POST', `/rounds/${round.id}/close`, 'admin.kajaani')).status).toBe(200);

    const unpublished = await call('POST', `/rounds/${round.id}/publish`, 'admin.kajaani');
    expect(unpublished.status).toBe(409);
    expect(await unpublished.json()).toEqual({
      error: { code: 'conflict', message: expect.any(String), reason: 'responses_missing', missing: [{ municipalityCode: '290', section: null }, { municipalityCode: '290', section: 'meeting_fees' }] },
    });
    expect((await call('POST', `/rounds/${round.id}/responses`, 'rep.kuhmo', '[]')).status).toBe(403);
    expect((await call('POST', `/rounds/${round.id}/responses`, 'admin.kajaani', '[]')).status).toBe(400);
    const answered = await call('POST', `/rounds/${round.id}/responses`, 'admin.kajaani', {
      responses: [
        { municipalityCode: '290', section: null, status: 'taken_into_account', reason: '' },
        { municipalityCode: '290', section: 'meeting_fees', status: 'not_taken_into_account', reason: 'Palkkiosääntö on kaupungin.' },
      ],
    });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ missingResponses: [], actions: { publish: { allowed: true } } });
    expect(await json(call('GET', `/rounds/${round.id}/summary`, 'viewer.kuhmo'))).toMatchObject({ published: false, rows: [] });
    const published = await call('POST', `/rounds/${round.id}/publish`, 'admin.kajaani');
    expect(published.status).toBe(200);
    const summary = await json<{ published: boolean; rows: Array<{ kind: string; response: { status: string } | null }> }>(call('GET', `/rounds/${round.id}/summary`, 'viewer.kuhmo'));
    expect(summary.published).toBe(true);
    expect(summary.rows.map((r) => [r.kind, r.response?.status ?? null])).toEqual([['general', 'taken_into_account'], ['section', 'not_taken_into_account'], ['no_comments', null]]);

    await changeDocument(t.db, rules, (doc) => writeSection(doc, 'meeting_fees', ['Kokouspalkkio on 200 euroa.']));
    expect((await adopt()).status).toBe(201);
    const adoptions = await json<Array<{ version: { number: number }; changedSinceConsultation: boolean; changedSections: string[]; recordedAt: string }>>(call('GET', `/documents/${rules}/adoptions`, 'viewer.kuhmo'));
    expect(adoptions).toMatchObject([{ version: { number: 1 }, changedSinceConsultation: true, changedSections: ['meeting_fees'], recordedAt: expect.stringMatching(/Z$/) }]);
    const twice = await adopt();
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: { reason: 'already_adopted' } });
    const timeline = await json<{ timeline: Array<{ kind: string }> }>(call('GET', `/rounds/${round.id}`, 'rep.sotkamo'));
    expect(timeline.timeline.map((e) => e.kind)).toEqual(['opened', 'statement_submitted', 'statement_submitted', 'closed', 'summary_published', 'adopted', 'deadline']);
  });

  it('refuses the adoption (409 round_open) while a second round on the same version is open, the first one closed', async () => {
    const first = await openRound({ invited: ['290'] });
    await call('POST', `/rounds/${first.id}/statements`, 'rep.kuhmo', { municipalityCode: '290', noComments: true });
    expect((await call('POST', `/rounds/${first.id}/close`, 'admin.kajaani')).status).toBe(200);
    await openRound({ invited: ['290', '765'], title: 'Täydentävä kierros' });
    const before = await tableCounts(t.db);
    const refused = await call('POST', `/documents/${rules}/adoptions`, 'admin.kajaani', { version: 1, body: 'Kajaanin kaupunginvaltuusto', date: '2026-11-28', minutesSection: '§ 87' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: { code: 'conflict', message: expect.stringContaining('still open'), reason: 'round_open' } });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('reminds by in-app notification; the notification names the round', async () => {
    const round = await openRound({ invited: ['290', '765'] });
    await call('POST', `/rounds/${round.id}/statements`, 'rep.sotkamo', { municipalityCode: '765', noComments: true });
    expect((await call('POST', `/rounds/${round.id}/reminders`, 'rep.kuhmo')).status).toBe(403);
    const sent = await call('POST', `/rounds/${round.id}/reminders`, 'admin.kajaani');
    expect(sent.status).toBe(200);
    expect(await sent.json()).toEqual({ municipalities: [{ municipality: { code: '290', name: { fi: 'Kuhmo', sv: 'Kuhmo' } }, recipients: 1 }], recipients: 1 });
    const notifications = await json<{ unread: number; items: Array<Record<string, unknown>> }>(call('GET', '/notifications', 'rep.kuhmo'));
    expect(notifications).toMatchObject({ unread: 1, items: [{ kind: 'round_reminder', roundId: round.id, documentId: rules, threadId: null, excerpt: 'Hallintosäännön muutos 2027' }] });
    const none = await call('POST', `/rounds/${round.id}/reminders`, 'admin.kajaani', { municipalityCodes: ['765'] });
    expect(none.status).toBe(409);
    expect(await none.json()).toMatchObject({ error: { reason: 'nobody_to_remind' } });
  });

  it('a forbidden caller hears 403 (or 404), never that its body is wrong; a permitted one with a bad body 400', async () => {
    const round = await openRound();
    for (const body of ['[]', 'not json', { version: 'x' }]) {
      expect((await call('POST', `/documents/${rules}/rounds`, 'drafter.kajaani', body)).status).toBe(403);
      expect((await call('POST', `/documents/${rules}/adoptions`, 'rep.kuhmo', body)).status).toBe(403);
      expect((await call('POST', `/rounds/${round.id}/statements`, 'viewer.kuhmo', body)).status).toBe(403);
      expect((await call('POST', `/rounds/${round.id}/statements`, 'rep.kuhmo', body)).status).toBe(400);
      expect((await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', body)).status).toBe(400);
    }
    expect((await call('GET', `/rounds/${round.id}`, 'viewer.kuhmo')).status).toBe(200);
  });

  it('another area’s ids are not found, byte for byte as missing ones, both ways, and nothing changes', async () => {
    const kainuuRound = await openRound();
    expect((await call('POST', `/documents/${saaristoRules}/versions`, 'admin.rantala', { label: 'Remiss' })).status).toBe(201);
    const saaristo = await call('POST', `/documents/${saaristoRules}/rounds`, 'admin.rantala', { ...OPEN, title: 'Förvaltningsstadgan 2027' });
    expect(saaristo.status).toBe(201);
    const saaristoRound = await json<{ id: string }>(saaristo);
    const before = await tableCounts(t.db);
    const probes: Array<[string, (id: string) => string, unknown]> = [
      ['GET', (id) => `/rounds/${id}`, undefined],
      ['GET', (id) => `/rounds/${id}/summary`, undefined],
      ['POST', (id) => `/rounds/${id}/statements`, { municipalityCode: '290', general: 'x' }],
      ['POST', (id) => `/rounds/${id}/close`, undefined],
      ['POST', (id) => `/rounds/${id}/reminders`, undefined],
      ['POST', (id) => `/rounds/${id}/responses`, { responses: [] }],
      ['POST', (id) => `/rounds/${id}/publish`, undefined],
      ['PATCH', (id) => `/rounds/${id}`, { title: 'x' }],
      ['POST', (id) => `/rounds/${id}/open`, undefined],
      ['DELETE', (id) => `/rounds/${id}`, undefined],
    ];
    for (const [who, foreignId] of [['admin.rantala', kainuuRound.id], ['rep.holmpy', kainuuRound.id], ['admin.kajaani', saaristoRound.id], ['rep.kuhmo', saaristoRound.id]] as const) {
      for (const [method, path, body] of probes) {
        const foreign = await call(method, path(foreignId), who, body);
        const missing = await call(method, path(MISSING), who, body);
        expect(foreign.status, `${who} ${method} ${path(':id')}`).toBe(404);
        expect(await foreign.text()).toBe(await missing.text());
      }
    }
    for (const [method, path, body] of [['GET', 'rounds', undefined], ['POST', 'rounds', OPEN], ['GET', 'adoptions', undefined], ['POST', 'adoptions', { version: 1, body: 'x', date: '2026-11-28', minutesSection: '1' }]] as const) {
      const foreign = await call(method, `/documents/${saaristoRules}/${path}`, 'admin.kajaani', body);
      const missing = await call(method, `/documents/${MISSING}/${path}`, 'admin.kajaani', body);
      expect(foreign.status).toBe(404);
      expect(await foreign.text()).toBe(await missing.text());
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('is described in the OpenAPI document with its access rules and path parameters named after their tables', async () => {
    const doc = (await json(t.app.request(url('/openapi.json')))) as { paths: Record<string, Record<string, { 'x-sopu-access': unknown; parameters?: Array<{ name: string; in: string }> }>> };
    const expected: Array<[string, string, unknown]> = [
      ['/documents/{documentId}/rounds', 'get', { area: 'area.read' }],
      ['/documents/{documentId}/rounds', 'post', { area: 'consultation.manage' }],
      ['/rounds/{consultationRoundId}', 'get', { area: 'area.read' }],
      ['/rounds/{consultationRoundId}', 'patch', { area: 'consultation.manage' }],
      ['/rounds/{consultationRoundId}', 'delete', { area: 'consultation.manage' }],
      ['/rounds/{consultationRoundId}/open', 'post', { area: 'consultation.manage' }],
      ['/rounds/{consultationRoundId}/summary', 'get', { area: 'area.read' }],
      ['/rounds/{consultationRoundId}/statements', 'post', { area: 'consultation.answer', own: true }],
      ['/rounds/{consultationRoundId}/close', 'post', { area: 'consultation.manage' }],
      ['/rounds/{consultationRoundId}/reminders', 'post', { area: 'consultation.manage' }],
      ['/rounds/{consultationRoundId}/responses', 'post', { area: 'consultation.manage' }],
      ['/rounds/{consultationRoundId}/publish', 'post', { area: 'consultation.manage' }],
      ['/documents/{documentId}/adoptions', 'get', { area: 'area.read' }],
      ['/documents/{documentId}/adoptions', 'post', { area: 'consultation.manage' }],
    ];
    for (const [path, method, rule] of expected) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op!['x-sopu-access']).toEqual(rule);
      expect(op!.parameters?.filter((p) => p.in === 'path').map((p) => p.name)).toEqual([path.includes('consultationRoundId') ? 'consultationRoundId' : 'documentId']);
    }
    // The summary as a file: ?format=pdf.
    expect(doc.paths['/rounds/{consultationRoundId}/summary']?.get?.parameters?.filter((p) => p.in === 'query').map((p) => p.name)).toEqual(['format']);
  });
});

describe('answers, decisions, the minimum period and attachments over the API (docs/decisions/027)', () => {
  it('a statement carries answers per question and its decision; the summary groups the answers by question', async () => {
    const round = await openRound({ questions: ['Onko kokouspalkkio sopiva?', 'Riittääkö kutsuaika?'] });
    const res = await call('POST', `/rounds/${round.id}/statements`, 'rep.kuhmo', {
      municipalityCode: '290',
      answers: [{ question: 2, text: 'Ei: seitsemän päivää.' }],
      decision: { body: 'Kunnanhallitus', date: '2026-11-27', section: '§ 45', url: 'https://kuhmo.cloudnc.fi/pk/45' },
    });
    expect(res.status).toBe(201);
    const statement = await res.json();
    expect(statement).toMatchObject({ statementId: expect.any(String), attachments: [], statement: { answers: [{ question: 2, text: 'Ei: seitsemän päivää.' }], decision: { body: 'Kunnanhallitus', date: '2026-11-27', section: '45 §', url: 'https://kuhmo.cloudnc.fi/pk/45' } } });
    const bad = await call('POST', `/rounds/${round.id}/statements`, 'rep.kuhmo', { municipalityCode: '290', answers: [{ question: 3, text: 'x' }] });
    expect(bad.status).toBe(400);
    const summary = await json(call('GET', `/rounds/${round.id}/summary`, 'admin.kajaani'));
    expect(summary.byQuestion).toEqual([
      { number: 1, question: 'Onko kokouspalkkio sopiva?', answers: [] },
      { number: 2, question: 'Riittääkö kutsuaika?', answers: [{ municipality: expect.objectContaining({ code: '290' }), text: 'Ei: seitsemän päivää.', response: null }] },
    ]);
    expect(summary.statements[0]).toMatchObject({ decision: { section: '45 §' } });
  });

  it('a round shorter than the minimum period is 409 short_period with the days, changing nothing, and opens with a reason', async () => {
    const period = await call('PUT', '/areas/kainuu-koillismaa/settings/consultation-period', 'admin.kajaani', { days: 45, excludesJuly: true });
    expect(period.status).toBe(200);
    expect((await period.json()).consultationPeriod).toEqual({ days: 45, excludesJuly: true });
    expect((await call('PUT', '/areas/kainuu-koillismaa/settings/consultation-period', 'rep.kuhmo', { days: 10 })).status).toBe(403);
    const before = await tableCounts(t.db);
    const short = await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', OPEN);
    expect(short.status).toBe(409);
    expect(await short.json()).toEqual({ error: { code: 'conflict', message: expect.any(String), reason: 'short_period', days: 17, minimum: 45, excludesJuly: true } });
    expect(await tableCounts(t.db)).toEqual(before);
    const confirmed = await call('POST', `/documents/${rules}/rounds`, 'admin.kajaani', { ...OPEN, shortPeriodReason: 'Valtuusto 20.12.' });
    expect(confirmed.status).toBe(201);
    const view = await json(call('GET', `/rounds/${(await confirmed.json()).id}`, 'viewer.kuhmo'));
    expect(view).toMatchObject({ shortPeriodReason: 'Valtuusto 20.12.', shortPeriod: { days: 17, minimum: 45, excludesJuly: true }, attachments: [] });
  });

  it('attachments: multipart upload by the statement’s municipality, refused for another, downloaded with nosniff', async () => {
    const round = await openRound();
    const view = await json(call('GET', `/rounds/${round.id}`, 'admin.kajaani'));
    const kuhmo = view.invitees.find((i: { municipality: { code: string } }) => i.municipality.code === '290').statementId;
    const upload = (path: string, who: string, bytes: Uint8Array, name: string) => {
      const body = new FormData();
      body.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
      return t.app.request(url(path), { method: 'POST', body, headers: { cookie: cookies[who]!, origin: ORIGIN } });
    };
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const added = await upload(`/statements/${kuhmo}/attachments`, 'rep.kuhmo', pdf, 'Pöytäkirjanote.pdf');
    expect(added.status).toBe(201);
    const file = await added.json();
    expect(file).toMatchObject({ fileName: 'Pöytäkirjanote.pdf', mediaType: 'application/pdf', size: pdf.length, uploadedAt: expect.any(String) });
    expect((await upload(`/statements/${kuhmo}/attachments`, 'rep.sotkamo', pdf, 'x.pdf')).status).toBe(403);
    expect((await upload(`/rounds/${round.id}/attachments`, 'rep.kuhmo', pdf, 'x.pdf')).status).toBe(403);
    expect((await upload(`/statements/${MISSING}/attachments`, 'rep.kuhmo', pdf, 'x.pdf')).status).toBe(404);
    const notMultipart = await call('POST', `/statements/${kuhmo}/attachments`, 'rep.kuhmo', { file: 'x' });
    expect(notMultipart.status).toBe(400);
    // A caller who may not attach hears 403 (or 404), never that the body is wrong: the body is read after the check.
    expect((await call('POST', `/rounds/${round.id}/attachments`, 'rep.kuhmo', { file: 'x' })).status).toBe(403);
    expect((await call('POST', `/statements/${kuhmo}/attachments`, 'viewer.kuhmo', { file: 'x' })).status).toBe(403);
    expect((await call('POST', `/rounds/${MISSING}/attachments`, 'admin.kajaani', { file: 'x' })).status).toBe(404);
    const download = await call('GET', `/attachments/${file.id}`, 'rep.kuhmo');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment;');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await call('GET', `/attachments/${file.id}`, 'rep.sotkamo')).status).toBe(404);
    expect((await call('GET', `/attachments/${file.id}`, 'admin.rantala')).status).toBe(404);

    // Removed by whoever uploaded it while the round is open: 403 for a viewer, 404 for another area or municipality.
    expect((await call('DELETE', `/attachments/${file.id}`, 'viewer.kuhmo')).status).toBe(403);
    expect((await call('DELETE', `/attachments/${file.id}`, 'rep.sotkamo')).status).toBe(404);
    expect((await call('DELETE', `/attachments/${file.id}`, 'admin.rantala')).status).toBe(404);
    expect((await call('DELETE', `/attachments/${file.id}`, 'rep.kuhmo')).status).toBe(204);
    expect((await call('GET', `/attachments/${file.id}`, 'rep.kuhmo')).status).toBe(404);
    expect((await call('DELETE', `/attachments/${file.id}`, 'rep.kuhmo')).status).toBe(404);
  });
});
