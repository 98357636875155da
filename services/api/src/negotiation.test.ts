import { changeDocument, documentIdOf, sessionTokenFor, writeSection, writeSuggestion } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, url } from './testing.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let agreement: string;
let saaristo: string;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeEach(async () => {
  t = await createTestApp();
  agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  saaristo = await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement');
  for (const who of ['drafter.sotkamo', 'drafter.kajaani', 'admin.kajaani', 'rep.kuhmo', 'admin.rantala', 'viewer.kuhmo']) {
    cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
    ids[who] = (await t.db.selectFrom('users').select('id').where('email', '=', `${who}@sopu.example`).executeTakeFirstOrThrow()).id;
  }
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'equipment', ['Kunnat luovuttavat laitteet.']));
  await changeDocument(t.db, agreement, (doc) => {
    const mark = (id: string) => ({ id, author: ids['drafter.sotkamo']!, municipality: '765' });
    writeSuggestion(doc, 'equipment', { kind: 'insert', index: 27, text: ' ja ohjelmistot' }, mark('ins-api-0001'));
    writeSuggestion(doc, 'equipment', { kind: 'delete', index: 0, length: 6 }, mark('del-api-0001'));
  });
});
afterEach(async () => {
  await t.cleanup();
});

const call = (method: string, path: string, who: string, body?: unknown) =>
  t.app.request(url(path), { method, headers: { cookie: cookies[who]!, origin: ORIGIN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

describe('suggestions over the API', () => {
  it('lists them ([{id, section, kind, text, author, municipalityCode, createdAt}]); the host accepts and rejects; a member cannot; an outsider does not see them', async () => {
    const list = await call('GET', `/documents/${agreement}/suggestions`, 'viewer.kuhmo');
    expect(list.status).toBe(200);
    expect(((await list.json()) as unknown[]).filter((s) => (s as { section: string }).section === 'equipment')).toEqual([
      { id: 'del-api-0001', section: 'equipment', kind: 'delete', text: 'Kunnat', author: { id: ids['drafter.sotkamo'], name: 'Valmistelija Sotkamo' }, municipalityCode: '765', createdAt: '2026-11-30T00:53:20.000Z' },
      { id: 'ins-api-0001', section: 'equipment', kind: 'insert', text: ' ja ohjelmistot', author: { id: ids['drafter.sotkamo'], name: 'Valmistelija Sotkamo' }, municipalityCode: '765', createdAt: '2026-11-30T00:53:20.000Z' },
    ]);
    expect((await call('GET', `/documents/${agreement}/suggestions`, 'admin.rantala')).status).toBe(404);
    expect((await call('POST', `/documents/${agreement}/suggestions/ins-api-0001/accept`, 'drafter.sotkamo')).status).toBe(403);
    expect((await call('POST', `/documents/${agreement}/suggestions/ins-api-0001/accept`, 'rep.kuhmo')).status).toBe(403);
    expect((await call('POST', `/documents/${agreement}/suggestions/ins-api-0001/accept`, 'admin.rantala')).status).toBe(404);

    const stale = await call('POST', `/documents/${agreement}/suggestions/ins-api-0001/accept`, 'drafter.kajaani', { text: ' ja ohjelmat' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'conflict', reason: 'stale', text: ' ja ohjelmistot' } });
    const accepted = await call('POST', `/documents/${agreement}/suggestions/ins-api-0001/accept`, 'drafter.kajaani');
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ decision: 'accepted', suggestions: [{ id: 'ins-api-0001' }] });
    expect((await call('POST', `/documents/${agreement}/suggestions/del-api-0001/reject`, 'admin.kajaani', {})).status).toBe(400);
    expect((await call('POST', `/documents/${agreement}/suggestions/del-api-0001/reject`, 'admin.kajaani', { reason: 'x'.repeat(2001) })).status).toBe(400);
    expect((await call('POST', `/documents/${agreement}/suggestions/del-api-0001/reject`, 'admin.kajaani', { reason: 'Kunnat jäävät.' })).status).toBe(200);
    expect((await call('POST', `/documents/${agreement}/suggestions/del-api-0001/reject`, 'admin.kajaani', { reason: 'Taas.' })).status).toBe(404);
    const after = (await (await call('GET', `/documents/${agreement}/suggestions`, 'viewer.kuhmo')).json()) as Array<{ section: string }>;
    expect(after.filter((s) => s.section === 'equipment')).toEqual([]);
  });
});

describe('positions over the API', () => {
  it('PUT /documents/:id/sections/:key/positions/:code for one’s own municipality; GET /positions shows it bound to the text', async () => {
    const put = await call('PUT', `/documents/${agreement}/sections/equipment/positions/290`, 'rep.kuhmo', { stance: 'objects', text: 'Omistus sovittava.' });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ section: 'equipment', municipalityCode: '290', stance: 'objects', text: 'Omistus sovittava.', current: true });
    expect((await call('PUT', `/documents/${agreement}/sections/equipment/positions/765`, 'rep.kuhmo', { stance: 'agree' })).status).toBe(403);
    expect((await call('PUT', `/documents/${agreement}/sections/equipment/positions/999`, 'rep.kuhmo', { stance: 'agree' })).status).toBe(404);
    expect((await call('PUT', `/documents/${agreement}/sections/nosuch/positions/290`, 'rep.kuhmo', { stance: 'agree' })).status).toBe(404);
    expect((await call('PUT', `/documents/${agreement}/sections/equipment/positions/290`, 'viewer.kuhmo', { stance: 'agree' })).status).toBe(403);
    const positions = (await (await call('GET', `/documents/${agreement}/positions`, 'viewer.kuhmo')).json()) as { sections: Array<{ key: string; hash: string; positions: Array<{ municipalityCode: string; stance: string; current: boolean }> }> };
    const equipment = positions.sections.find((s) => s.key === 'equipment')!;
    expect(equipment.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(equipment.positions).toMatchObject([{ municipalityCode: '290', stance: 'objects', current: true }]);

    // An objection to the current text keeps the section from being agreed; the host admin overrides with a reason.
    await call('POST', `/documents/${agreement}/suggestions/ins-api-0001/reject`, 'admin.kajaani', { reason: 'Ei.' });
    await call('POST', `/documents/${agreement}/suggestions/del-api-0001/reject`, 'admin.kajaani', { reason: 'Ei.' });
    const refused = await call('POST', `/documents/${agreement}/sections/equipment/agree`, 'drafter.kajaani');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { reason: 'not_agreeable', problems: ['objections'] } });
    expect((await call('POST', `/documents/${agreement}/sections/equipment/agree`, 'rep.kuhmo')).status).toBe(403);
    expect((await call('POST', `/documents/${agreement}/sections/equipment/agree`, 'admin.kajaani', { override: 'Ohjausryhmä sopi.' })).status).toBe(200);
    expect((await call('POST', `/documents/${agreement}/sections/equipment/reopen`, 'drafter.kajaani', { reason: 'Lisättävää.' })).status).toBe(200);
    expect((await call('POST', `/documents/${saaristo}/sections/parties/reopen`, 'drafter.kajaani', {})).status).toBe(404);
  });
});
