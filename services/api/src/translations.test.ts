import { changeDocument, documentIdOf, sessionTokenFor, tableCounts } from '@sopu/core/testing';
import { fillSection, hashTranslationTexts } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, url } from './testing.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let saaristo: string;
let kainuu: string;
const cookies: Record<string, string> = {};
const paragraph = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

beforeEach(async () => {
  t = await createTestApp();
  saaristo = await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement');
  kainuu = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  for (const who of ['admin.rantala', 'drafter.holmpy', 'rep.saarela', 'admin.kajaani']) cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
  await changeDocument(t.db, saaristo, (doc) => fillSection(doc, 'parties', paragraph('Parter är Strandvik, Holmby och Saarela.')));
});
afterEach(async () => {
  await t.cleanup();
});

const call = (method: string, path: string, who: string, body?: unknown) =>
  t.app.request(url(path), { method, headers: { cookie: cookies[who]!, origin: ORIGIN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

describe('two languages over the API (decision 026)', () => {
  it('the host admin makes the agreement bilingual; a drafter marks a translation updated; sending warns about a stale one', async () => {
    expect(await (await call('GET', `/documents/${saaristo}/translations`, 'rep.saarela')).json()).toEqual({ documentId: saaristo, language: 'sv', languages: null, sections: [], needsTranslation: [] });
    const made = await call('POST', `/documents/${saaristo}/bilingual`, 'admin.rantala');
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ languages: { main: 'sv', parallel: 'fi' }, needsTranslation: ['parties'] });
    const again = await call('POST', `/documents/${saaristo}/bilingual`, 'admin.rantala');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'conflict', reason: 'already_bilingual' } });

    // The version with the Finnish missing goes to the councils only when the sender says so.
    await call('POST', `/documents/${saaristo}/versions`, 'admin.rantala', { label: 'Utkast' });
    const refused = await call('POST', `/documents/${saaristo}/approval-requests`, 'admin.rantala', { version: 1 });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'conflict', reason: 'stale_translations', sections: ['parties'] } });
    const sent = await call('POST', `/documents/${saaristo}/approval-requests`, 'admin.rantala', { version: 1, acknowledgeTranslations: true });
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ version: 1, translationGaps: ['parties'] });

    await changeDocument(t.db, saaristo, (doc) => fillSection(doc, 'parties', paragraph('Osapuolet ovat Rantala, Holmpy ja Saarela.'), 'fi'));
    expect(((await (await call('GET', `/documents/${saaristo}/translations`, 'rep.saarela')).json()) as { sections: Array<{ key: string; states: unknown }> }).sections.find((s) => s.key === 'parties')!.states).toEqual({ sv: 'stale', fi: 'in_line' });
    const marked = await call('POST', `/documents/${saaristo}/translations/mark`, 'drafter.holmpy', { section: 'parties' });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toMatchObject({ key: 'parties', states: { sv: 'in_line', fi: 'in_line' }, changed: [], markedAt: expect.stringMatching(/Z$/) });

    // The version's detail and the threads name the languages.
    await call('POST', `/documents/${saaristo}/versions`, 'admin.rantala', { label: 'Tvåspråkig' });
    const detail = (await (await call('GET', `/documents/${saaristo}/versions/2`, 'rep.saarela')).json()) as { languages: string[]; sections: Array<{ key: string; parallel?: unknown }> };
    expect(detail.languages).toEqual(['sv', 'fi']);
    expect(detail.sections.find((s) => s.key === 'parties')!.parallel).toEqual(paragraph('Osapuolet ovat Rantala, Holmpy ja Saarela.'));
    const thread = await call('POST', `/documents/${saaristo}/threads`, 'rep.saarela', { section: 'parties', body: 'Hyvä käännös.', language: 'fi' });
    expect(thread.status).toBe(201);
    expect(await thread.json()).toMatchObject({ section: 'parties', language: 'fi' });
    const documents = (await (await call('GET', '/areas/saaristo-skargard/documents', 'rep.saarela')).json()) as Array<{ kind: string; language: string }>;
    expect(documents.find((d) => d.kind === 'cooperation_agreement')!.language).toBe('sv');
  });

  it('marks the texts the person saw (seen), refuses others with 409 text_changed; a position names its language column', async () => {
    await call('POST', `/documents/${saaristo}/bilingual`, 'admin.rantala');
    await changeDocument(t.db, saaristo, (doc) => fillSection(doc, 'parties', paragraph('Osapuolet ovat Rantala, Holmpy ja Saarela.'), 'fi'));
    const texts = { sv: paragraph('Parter är Strandvik, Holmby och Saarela.'), fi: paragraph('Osapuolet ovat Rantala, Holmpy ja Saarela.') };
    const stale = await call('POST', `/documents/${saaristo}/translations/mark`, 'drafter.holmpy', { section: 'parties', seen: hashTranslationTexts({ ...texts, fi: paragraph('Osapuolet ovat Rantala.') }) });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'conflict', reason: 'text_changed' } });
    expect((await call('POST', `/documents/${saaristo}/translations/mark`, 'drafter.holmpy', { section: 'parties', seen: 'not-a-hash' })).status).toBe(400);
    const marked = await call('POST', `/documents/${saaristo}/translations/mark`, 'drafter.holmpy', { section: 'parties', seen: hashTranslationTexts(texts) });
    expect(marked.status).toBe(200);
    expect(await marked.json()).toMatchObject({ states: { sv: 'in_line', fi: 'in_line' } });

    // Saarela objects to the Finnish text only: a Swedish edit leaves the objection current, a Finnish one does not.
    const put = await call('PUT', `/documents/${saaristo}/sections/parties/positions/903`, 'rep.saarela', { stance: 'objects', text: 'Suomenkielinen nimi on väärin.', language: 'fi' });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ language: 'fi', current: true });
    const position = async () => {
      const body = (await (await call('GET', `/documents/${saaristo}/positions`, 'rep.saarela')).json()) as { sections: Array<{ key: string; positions: Array<{ municipalityCode: string; language: string | null; current: boolean }> }> };
      return body.sections.find((s) => s.key === 'parties')!.positions.find((p) => p.municipalityCode === '903');
    };
    await changeDocument(t.db, saaristo, (doc) => fillSection(doc, 'parties', paragraph('Parter är Strandvik, Holmby och Saarela kommun.')));
    expect(await position()).toMatchObject({ language: 'fi', current: true });
    await changeDocument(t.db, saaristo, (doc) => fillSection(doc, 'parties', paragraph('Osapuolet ovat Rantala, Holmpy ja Saarelan kunta.'), 'fi'));
    expect(await position()).toMatchObject({ language: 'fi', current: false });
    // Without a column it concerns both languages; a column that is not one is refused.
    expect(await (await call('PUT', `/documents/${saaristo}/sections/parties/positions/903`, 'rep.saarela', { stance: 'agree' })).json()).toMatchObject({ language: null });
    expect((await call('PUT', `/documents/${saaristo}/sections/parties/positions/903`, 'rep.saarela', { stance: 'agree', language: 'en' })).status).toBe(400);
    expect((await call('PUT', `/documents/${kainuu}/sections/parties/positions/205`, 'admin.kajaani', { stance: 'agree', language: 'fi' })).status).toBe(400);
  });

  it('refuses: a member rep marking (403), making bilingual in an area without Swedish (409), another area (404), an unknown section (400); nothing changes', async () => {
    const counts = await tableCounts(t.db);
    expect((await call('POST', `/documents/${saaristo}/bilingual`, 'drafter.holmpy')).status).toBe(403);
    const finnishOnly = await call('POST', `/documents/${kainuu}/bilingual`, 'admin.kajaani');
    expect(finnishOnly.status).toBe(409);
    expect(await finnishOnly.json()).toMatchObject({ error: { reason: 'no_swedish_member' } });
    const foreign = await call('POST', `/documents/${kainuu}/bilingual`, 'admin.rantala');
    const missing = await call('POST', '/documents/00000000-0000-4000-8000-000000000000/bilingual', 'admin.rantala');
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
    const notBilingual = await call('POST', `/documents/${saaristo}/translations/mark`, 'drafter.holmpy', { section: 'parties' });
    expect(notBilingual.status).toBe(409);
    expect(await notBilingual.json()).toMatchObject({ error: { reason: 'not_bilingual' } });
    expect((await call('POST', `/documents/${saaristo}/translations/mark`, 'rep.saarela', { section: 'parties' })).status).toBe(403);
    expect((await call('POST', `/documents/${saaristo}/translations/mark`, 'drafter.holmpy', { section: 'nope' })).status).toBe(400);
    expect(await tableCounts(t.db)).toEqual(counts);
  });
});
