import { createAnchor, findInSection } from '@sopu/doc-model';
import { loadDocumentState } from '@sopu/core';
import { changeDocument, documentIdOf, sessionTokenFor, tableCounts, writeSection } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, postJson, url } from './testing.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
let agreement: string;
let saaristoAgreement: string;
const cookies: Record<string, string> = {};
const WHO = ['admin.kajaani', 'drafter.kajaani', 'drafter.sotkamo', 'rep.paltamo', 'secretary.kuhmo', 'viewer.kuhmo', 'admin.rantala'] as const;
type Who = (typeof WHO)[number];

beforeEach(async () => {
  t = await createTestApp();
  agreement = await documentIdOf(t.db, 'kainuu-koillismaa', 'cooperation_agreement');
  saaristoAgreement = await documentIdOf(t.db, 'saaristo-skargard', 'cooperation_agreement');
  for (const who of WHO) cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
  await changeDocument(t.db, agreement, (doc) => writeSection(doc, 'parties', ['Kajaanin kaupunki toimii vastuukuntana.']));
});
afterEach(async () => {
  await t.cleanup();
});

const call = (method: string, path: string, who: Who | null, body?: unknown) =>
  t.app.request(url(path), {
    method,
    headers: { ...(who ? { cookie: cookies[who]! } : {}), origin: ORIGIN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });

async function anchor(quote: string) {
  const doc = await loadDocumentState(t.db, agreement);
  const range = findInSection(doc, 'parties', quote)!;
  return createAnchor(doc, 'parties', range.from, range.to);
}

interface ThreadJson {
  id: string;
  section: string;
  quote: string;
  status: string;
  anchorLost: boolean;
  createdAt: string;
  comments: Array<{ id: string; author: { id: string; name: string; municipalityCode: string }; body: string; createdAt: string; editedAt: string | null; deleted: boolean }>;
}

describe('comment threads over the API', () => {
  it('creates a thread on a selection (201), lists it with the documented fields, replies, edits, deletes, resolves, reopens', async () => {
    const created = await call('POST', `/documents/${agreement}/threads`, 'drafter.sotkamo', { section: 'parties', body: 'Onko tämä oikein?', anchor: await anchor('vastuukuntana') });
    expect(created.status).toBe(201);
    const thread = (await created.json()) as ThreadJson;
    expect(thread).toMatchObject({ section: 'parties', quote: 'vastuukuntana', status: 'open', anchorLost: false });
    expect(thread.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(thread.comments[0]).toMatchObject({ body: 'Onko tämä oikein?', editedAt: null, deleted: false, author: { name: 'Valmistelija Sotkamo', municipalityCode: '765' } });

    const list = await call('GET', `/documents/${agreement}/threads`, 'viewer.kuhmo');
    expect(list.status).toBe(200);
    expect(((await list.json()) as ThreadJson[]).map((th) => th.id)).toEqual([thread.id]);

    const reply = await call('POST', `/threads/${thread.id}/comments`, 'rep.paltamo', { body: 'Paltamo kannattaa.' });
    expect(reply.status).toBe(201);
    const replyJson = (await reply.json()) as ThreadJson['comments'][number];
    const edited = await call('PATCH', `/comments/${replyJson.id}`, 'rep.paltamo', { body: 'Paltamo kannattaa muutosta.' });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { editedAt: string | null }).editedAt).not.toBeNull();
    expect((await call('PATCH', `/comments/${replyJson.id}`, 'drafter.sotkamo', { body: 'toisen muokkaus' })).status).toBe(403);
    expect((await call('DELETE', `/comments/${replyJson.id}`, 'drafter.sotkamo')).status).toBe(403);
    expect((await call('DELETE', `/comments/${replyJson.id}`, 'rep.paltamo')).status).toBe(204);

    expect((await call('POST', `/threads/${thread.id}/resolve`, 'secretary.kuhmo')).status).toBe(403);
    const resolved = await call('POST', `/threads/${thread.id}/resolve`, 'drafter.kajaani');
    expect(resolved.status).toBe(200);
    expect(((await resolved.json()) as ThreadJson).status).toBe('resolved');
    const reopened = await call('POST', `/threads/${thread.id}/reopen`, 'drafter.sotkamo');
    expect(((await reopened.json()) as ThreadJson).status).toBe('open');

    const final = ((await (await call('GET', `/documents/${agreement}/threads`, 'viewer.kuhmo')).json()) as ThreadJson[])[0]!;
    expect(final.comments.map((c) => ({ body: c.body, deleted: c.deleted }))).toEqual([
      { body: 'Onko tämä oikein?', deleted: false },
      { body: '', deleted: true },
    ]);
  });

  it('gives viewers 403 on every write, the anonymous 401, and invalid bodies 400 with the reason; nothing changes', async () => {
    const thread = (await (await call('POST', `/documents/${agreement}/threads`, 'drafter.sotkamo', { section: 'parties', body: 'x' })).json()) as ThreadJson;
    const before = await tableCounts(t.db);
    const writes: Array<[string, string, unknown]> = [
      ['POST', `/documents/${agreement}/threads`, { section: 'parties', body: 'katsoja' }],
      ['POST', `/threads/${thread.id}/comments`, { body: 'katsoja' }],
      ['POST', `/threads/${thread.id}/resolve`, undefined],
      ['POST', `/comments/${thread.comments[0]!.id}/hide`, { reason: 'x' }],
    ];
    for (const [method, path, body] of writes) {
      expect((await call(method, path, 'viewer.kuhmo', body)).status, `${method} ${path}`).toBe(403);
      expect((await call(method, path, null, body)).status, `${method} ${path}`).toBe(401);
    }
    for (const body of [{ section: 'parties', body: '' }, { section: 'parties', body: 'x'.repeat(10_001) }, { section: 'nope', body: 'x' }, { body: 'x' }, '{"section":', 'null', { section: 'parties', body: 'x', anchor: { from: '%%%', to: 'AAAA' } }]) {
      const res = await call('POST', `/documents/${agreement}/threads`, 'drafter.sotkamo', body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      const json = (await res.json()) as { error: { code: string; issues?: unknown[] } };
      expect(json.error.code).toBe('invalid_input');
    }
    const tooLong = (await (await call('POST', `/documents/${agreement}/threads`, 'drafter.sotkamo', { section: 'parties', body: 'x'.repeat(10_001) })).json()) as { error: { issues: Array<{ path: string[]; code: string }> } };
    expect(tooLong.error.issues[0]).toMatchObject({ path: ['body'], code: 'too_big' });
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it("answers another area's ids 404, byte for byte like missing ones, for every operation", async () => {
    const foreign = (await (await call('POST', `/documents/${saaristoAgreement}/threads`, 'admin.rantala', { section: 'parties', body: 'Skärgården.' })).json()) as ThreadJson;
    const missing = '00000000-0000-4000-8000-000000000000';
    const pairs: Array<[string, (id: string) => string, unknown]> = [
      ['GET', (id) => `/documents/${id}/threads`, undefined],
      ['POST', (id) => `/documents/${id}/threads`, { section: 'parties', body: 'x' }],
    ];
    for (const [method, path, body] of pairs) {
      const a = await call(method, path(saaristoAgreement), 'admin.kajaani', body);
      const b = await call(method, path(missing), 'admin.kajaani', body);
      expect(a.status).toBe(404);
      expect(await a.text()).toBe(await b.text());
    }
    for (const [method, path, body] of [
      ['POST', `/threads/${foreign.id}/comments`, { body: 'x' }],
      ['POST', `/threads/${foreign.id}/resolve`, undefined],
      ['PATCH', `/comments/${foreign.comments[0]!.id}`, { body: 'x' }],
      ['DELETE', `/comments/${foreign.comments[0]!.id}`, undefined],
      ['POST', `/comments/${foreign.comments[0]!.id}/hide`, { reason: 'x' }],
    ] as const) {
      const res = await call(method, path, 'admin.kajaani', body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toMatch(/Skärgård|Rantala|Strandvik/);
    }
  });

  it('returns markup and script payloads as JSON text, never as HTML', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'`${7*7}';
    const res = await call('POST', `/documents/${agreement}/threads`, 'drafter.sotkamo', { section: 'parties', body: payload });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as ThreadJson).comments[0]!.body).toBe(payload);
    const list = await call('GET', `/documents/${agreement}/threads`, 'drafter.kajaani');
    expect(list.headers.get('content-type')).toMatch(/^application\/json/);
    expect(list.headers.get('x-content-type-options') ?? 'nosniff').toBe('nosniff');
  });
});

describe('notifications over the API', () => {
  it('lists mentions with an unread count and marks them read', async () => {
    const paltamo = await t.db.selectFrom('users').select('id').where('email', '=', 'rep.paltamo@sopu.example').executeTakeFirstOrThrow();
    await call('POST', `/documents/${agreement}/threads`, 'drafter.sotkamo', { section: 'parties', body: `<@${paltamo.id}> katsotko tämän?` });
    const list = (await (await call('GET', '/notifications', 'rep.paltamo')).json()) as { unread: number; items: Array<{ id: string; read: boolean; excerpt: string; areaSlug: string; threadId: string }> };
    expect(list.unread).toBe(1);
    expect(list.items[0]).toMatchObject({ read: false, areaSlug: 'kainuu-koillismaa', excerpt: '@Edustaja Paltamo katsotko tämän?' });
    const marked = await t.app.request(url('/notifications/read'), postJson({ ids: [list.items[0]!.id] }, { cookie: cookies['rep.paltamo']! }));
    expect(await marked.json()).toEqual({ marked: 1 });
    expect(((await (await call('GET', '/notifications', 'rep.paltamo')).json()) as { unread: number }).unread).toBe(0);
    expect((await call('GET', '/notifications', null)).status).toBe(401);
    expect((await t.app.request(url('/notifications/read'), postJson({ ids: 'all' }, { cookie: cookies['rep.paltamo']! }))).status).toBe(400);
  });
});
