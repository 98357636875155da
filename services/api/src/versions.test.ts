import { changeDocument, documentIdOf, sessionTokenFor, writeSection } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, url } from './testing.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let agreement: string;
let saaristo: string;
const cookies: Record<string, string> = {};

beforeEach(async () => {
  t = await createTestApp();
  agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  saaristo = await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement');
  for (const who of ['drafter.sotkamo', 'rep.paltamo', 'admin.rantala', 'viewer.kuhmo']) cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta.']));
});
afterEach(async () => {
  await t.cleanup();
});

const call = (method: string, path: string, who: string, body?: unknown) =>
  t.app.request(url(path), { method, headers: { cookie: cookies[who]!, origin: ORIGIN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

describe('versions over the API', () => {
  it('saves (201 {number, label, hash, createdAt, createdBy}), lists, reads with sections and hashes, and restores', async () => {
    const saved = await call('POST', `/documents/${agreement}/versions`, 'drafter.sotkamo', { label: 'Valtuustokäsittelyyn 3.10.' });
    expect(saved.status).toBe(201);
    const v1 = (await saved.json()) as { number: number; label: string; hash: string; createdAt: string; createdBy: { name: string } };
    expect(v1).toMatchObject({ number: 1, label: 'Valtuustokäsittelyyn 3.10.', createdBy: { name: 'Valmistelija Sotkamo' } });
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v1.createdAt).toMatch(/Z$/);
    const list = (await (await call('GET', `/documents/${agreement}/versions`, 'viewer.kuhmo')).json()) as Array<{ number: number }>;
    expect(list.map((v) => v.number)).toEqual([1]);
    const detail = (await (await call('GET', `/documents/${agreement}/versions/1`, 'viewer.kuhmo')).json()) as { hash: string; sections: Array<{ key: string; hash: string; content: { type: string } }> };
    expect(detail.hash).toBe(v1.hash);
    expect(detail.sections).toHaveLength(20);
    expect(detail.sections[0]).toMatchObject({ key: 'parties', content: { type: 'doc' } });
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Muuta tekstiä.']));
    const restored = await call('POST', `/documents/${agreement}/versions/1/restore`, 'drafter.sotkamo');
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ number: 2, hash: v1.hash, restoredFrom: 1 });
  });

  it('refuses a member rep (403), an empty label (400), another area’s and missing ids (404, alike)', async () => {
    expect((await call('POST', `/documents/${agreement}/versions`, 'rep.paltamo', { label: 'x' })).status).toBe(403);
    expect((await call('POST', `/documents/${agreement}/versions`, 'drafter.sotkamo', { label: '' })).status).toBe(400);
    expect((await call('POST', `/documents/${agreement}/versions`, 'drafter.sotkamo', 'not json')).status).toBe(400);
    const foreign = await call('GET', `/documents/${saaristo}/versions`, 'drafter.sotkamo');
    const missing = await call('GET', '/documents/00000000-0000-4000-8000-000000000000/versions', 'drafter.sotkamo');
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
    expect((await call('GET', `/documents/${agreement}/versions/7`, 'drafter.sotkamo')).status).toBe(404);
    expect((await call('GET', `/documents/${agreement}/versions/x`, 'drafter.sotkamo')).status).toBe(404);
    expect((await call('POST', `/documents/${agreement}/versions/1/restore`, 'admin.rantala')).status).toBe(404);
  });

  it('a missing version of a document the caller reads is named (404 version not found); of another area’s document any number answers as a made-up document', async () => {
    await call('POST', `/documents/${agreement}/versions`, 'drafter.sotkamo', { label: 'Ainoa' });
    // A member: the document is theirs to read, so the answer may say what is missing.
    const absent = await call('GET', `/documents/${agreement}/versions/2`, 'viewer.kuhmo');
    expect(absent.status).toBe(404);
    expect(await absent.json()).toEqual({ error: { code: 'not_found', message: 'version not found' } });
    // An outsider: whether the document exists, and which versions it has, must not show.
    const madeUp = await call('GET', '/documents/00000000-0000-4000-8000-000000000000/versions/1', 'admin.rantala');
    expect(madeUp.status).toBe(404);
    const generic = await madeUp.text();
    expect(JSON.parse(generic)).toEqual({ error: { code: 'not_found', message: 'document not found' } });
    for (const n of ['1', '2', '9999']) expect(await (await call('GET', `/documents/${agreement}/versions/${n}`, 'admin.rantala')).text(), `version ${n}`).toBe(generic);
  });

  it('compares two versions and a version with the current text word by word (GET /diff?from=N&to=M|current)', async () => {
    await call('POST', `/documents/${agreement}/versions`, 'drafter.sotkamo', { label: 'Ensimmäinen' });
    await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaani on vastuukunta ja isäntä.']));
    await call('POST', `/documents/${agreement}/versions`, 'drafter.sotkamo', { label: 'Toinen' });
    type Diff = { from: { version: number | null; label: string | null }; to: { version: number | null; hash: string }; identical: boolean; changedSections: string[]; sections: Array<{ key: string; changed: boolean; blocks?: Array<{ op: string; runs: Array<{ op: string; text: string }> }> }> };
    const res = await call('GET', `/documents/${agreement}/diff?from=1&to=2`, 'viewer.kuhmo');
    expect(res.status).toBe(200);
    const diff = (await res.json()) as Diff;
    expect(diff).toMatchObject({ from: { version: 1, label: 'Ensimmäinen' }, to: { version: 2 }, identical: false, changedSections: ['parties'] });
    const parties = diff.sections.find((s) => s.key === 'parties')!;
    expect(parties.blocks?.[0]?.op).toBe('modify');
    expect(parties.blocks?.[0]?.runs.filter((r) => r.op === 'insert').map((r) => r.text).join('')).toContain('isäntä');
    expect(diff.sections.filter((s) => !s.changed).every((s) => s.blocks === undefined)).toBe(true);
    // Version 2 and the current text are the same: nothing changed; `to` defaults to the current text.
    const same = (await (await call('GET', `/documents/${agreement}/diff?from=2`, 'viewer.kuhmo')).json()) as Diff;
    expect(same).toMatchObject({ to: { version: null }, identical: true, changedSections: [] });
    expect((await call('GET', `/documents/${agreement}/diff?from=current&to=1`, 'viewer.kuhmo')).status).toBe(200);
  });

  it('answers a bad comparison with 400 and another area’s or a missing version with 404', async () => {
    await call('POST', `/documents/${agreement}/versions`, 'drafter.sotkamo', { label: 'Ensimmäinen' });
    // Without `from`: the latest version against the current text.
    expect(await (await call('GET', `/documents/${agreement}/diff`, 'viewer.kuhmo')).json()).toMatchObject({ from: { version: 1 }, to: { version: null } });
    expect((await call('GET', `/documents/${saaristo}/diff`, 'admin.rantala')).status).toBe(404);
    expect((await call('GET', `/documents/${agreement}/diff?from=abc&to=current`, 'viewer.kuhmo')).status).toBe(400);
    expect((await call('GET', `/documents/${agreement}/diff?from=1&to=-1`, 'viewer.kuhmo')).status).toBe(400);
    expect((await call('GET', `/documents/${agreement}/diff?from=1&to=${'9'.repeat(40)}`, 'viewer.kuhmo')).status).toBe(400);
    expect((await call('GET', `/documents/${agreement}/diff?from=1&to=9`, 'viewer.kuhmo')).status).toBe(404);
    expect((await call('GET', `/documents/${saaristo}/diff?from=1&to=current`, 'drafter.sotkamo')).status).toBe(404);
  });
});
