import { issueApprovalToken, VERIFY_MAX_BYTES } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { actorFor, documentIdOf, sessionTokenFor, tableCounts } from '@sopu/core/testing';
import { pdfText } from '@sopu/exports/readers';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, url } from './testing.ts';

/*
 * The file routes as a client sees them (docs/decisions/022-exports.md): the types, names and hashes in the
 * headers, a format in the query, a council system's token on its own proposal, verify by multipart file or JSON
 * hash, and the refusals (400 for a format, 413 for an upload over the limit, 401 without a session) changing
 * nothing. What the files say is core's and packages/exports' to test, read back by LibreOffice and poppler.
 */

const KAINUU = 'kainuu-koillismaa';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

let t: Awaited<ReturnType<typeof createTestApp>>;
let agreement: string;
let requestId: string;
const cookies: Record<string, string> = {};
const WHO = ['admin.kajaani', 'viewer.kuhmo', 'secretary.kajaani', 'secretary.kuhmo', 'rep.kuhmo', 'admin.rantala'] as const;
type Who = (typeof WHO)[number];

const get = (path: string, who: Who | null, headers: Record<string, string> = {}) => t.app.request(url(path), { headers: { ...(who ? { cookie: cookies[who]! } : {}), ...headers } });
const post = (path: string, who: Who | null, init: { body: BodyInit; headers?: Record<string, string> }) =>
  t.app.request(url(path), { method: 'POST', headers: { origin: ORIGIN, ...(who ? { cookie: cookies[who]! } : {}), ...init.headers }, body: init.body, duplex: 'half' } as RequestInit);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
function multipart(bytes: Uint8Array, name = 'file.pdf'): FormData {
  const form = new FormData();
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return form;
}

beforeAll(async () => {
  t = await createTestApp({ demo: false });
  await loadDemoAreasIfEmpty(t.deps, t.clock.now(), { content: true });
  agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
  requestId = (await t.db.selectFrom('approval_requests').select('id').where('document_id', '=', agreement).where('status', '=', 'open').executeTakeFirstOrThrow()).id;
  for (const who of WHO) cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

describe('GET /documents/:id/versions/:n/export and /documents/:id/export', () => {
  it('answer the file with its type, its name for saving, its length and both hashes; the cover shows the hash', async () => {
    const version = await t.db.selectFrom('versions').select(['hash']).where('document_id', '=', agreement).where('number', '=', 2).executeTakeFirstOrThrow();
    const res = await get(`/documents/${agreement}/versions/2/export?format=pdf`, 'viewer.kuhmo');
    expect(res.status).toBe(200);
    const bytes = await bytesOf(res);
    const name = `kainuu-koillismaa-yhteistoimintasopimus-v2-${version.hash.slice(0, 8)}.pdf`;
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
    expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));
    expect(res.headers.get('x-sopu-file-sha256')).toBe(sha256(bytes));
    expect(res.headers.get('x-sopu-content-hash')).toBe(version.hash);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect((await pdfText(bytes)).replace(/\s+/g, '')).toContain(version.hash);

    const docx = await get(`/documents/${agreement}/versions/2/export?format=docx`, 'viewer.kuhmo');
    expect(docx.status).toBe(200);
    expect(docx.headers.get('content-type')).toBe(DOCX);
    expect(docx.headers.get('content-disposition')).toContain('-v2-');
    // Without a format: the PDF.
    const plain = await get(`/documents/${agreement}/export`, 'rep.kuhmo');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/pdf');
    expect(plain.headers.get('content-disposition')).toMatch(/filename="kainuu-koillismaa-yhteistoimintasopimus-current-[0-9a-f]{8}\.pdf"/);
  }, 60_000);

  it('an unknown format is 400, a version that is not there 404, another area and no session too: nothing recorded', async () => {
    const before = await tableCounts(t.db);
    const odt = await get(`/documents/${agreement}/versions/2/export?format=odt`, 'viewer.kuhmo');
    expect(odt.status).toBe(400);
    expect(await odt.json()).toMatchObject({ error: { code: 'invalid_input', message: 'format must be docx or pdf' } });
    expect((await get(`/documents/${agreement}/export?format=PDF`, 'viewer.kuhmo')).status).toBe(400);
    expect((await get(`/documents/${agreement}/versions/99/export`, 'viewer.kuhmo')).status).toBe(404);
    expect((await get(`/documents/${agreement}/versions/x/export`, 'viewer.kuhmo')).status).toBe(404);
    expect((await get(`/documents/${agreement}/versions/2/export?format=pdf`, 'admin.rantala')).status).toBe(404);
    expect((await get(`/documents/${agreement}/versions/2/export?format=pdf`, null)).status).toBe(401);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('GET /approval-requests/:id/proposals/:municipalityCode', () => {
  it("is the council secretary's and the host admin's DOCX, and its own token's; another council's is 403", async () => {
    const own = await get(`/approval-requests/${requestId}/proposals/205?format=docx`, 'secretary.kajaani');
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe(DOCX);
    expect(own.headers.get('content-disposition')).toMatch(/filename="kainuu-koillismaa-v2-[0-9a-f]{8}-paatosehdotus-kajaani\.docx"/);
    expect((await get(`/approval-requests/${requestId}/proposals/290`, 'admin.kajaani')).status).toBe(200);

    const before = await tableCounts(t.db);
    expect((await get(`/approval-requests/${requestId}/proposals/205`, 'secretary.kuhmo')).status).toBe(403);
    expect((await get(`/approval-requests/${requestId}/proposals/205`, 'rep.kuhmo')).status).toBe(403);
    expect((await get(`/approval-requests/${requestId}/proposals/205`, 'admin.rantala')).status).toBe(404);
    expect((await get(`/approval-requests/${requestId}/proposals/999`, 'admin.kajaani')).status).toBe(404);
    expect((await get(`/approval-requests/${requestId}/proposals/205?format=pdf`, 'admin.kajaani')).status).toBe(400);
    expect((await get(`/approval-requests/${requestId}/proposals/205`, null)).status).toBe(401);
    expect(await tableCounts(t.db)).toEqual(before);

    const token = (await issueApprovalToken(t.deps, await actorFor(t.deps, 'admin.kajaani@sopu.example'), KAINUU, { municipalityCode: '290', label: 'Kuhmon asianhallinta' })).token;
    const bearer = { authorization: `Bearer ${token}` };
    const byToken = await get(`/approval-requests/${requestId}/proposals/290`, null, bearer);
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get('content-disposition')).toContain('-paatosehdotus-kuhmo.docx');
    expect((await get(`/approval-requests/${requestId}/proposals/205`, null, bearer)).status).toBe(403);
    expect((await get(`/approval-requests/${requestId}/proposals/290`, null, { authorization: 'Bearer sopu_at_unknown' })).status).toBe(401);
  }, 60_000);
});

describe('reports: ?format= on the approvals and a summary', () => {
  it('the approvals as CSV and PDF; without a format the JSON as before; another format 400', async () => {
    const csv = await get(`/areas/${KAINUU}/approvals?format=csv`, 'viewer.kuhmo');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/filename="kainuu-koillismaa-yhteistoimintasopimus-valtuustojen-hyvaksynnat-\d{4}-\d{2}-\d{2}\.csv"/);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^Versio,Tarkiste,/);
    const pdf = await get(`/areas/${KAINUU}/approvals?format=pdf`, 'viewer.kuhmo');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const json = await get(`/areas/${KAINUU}/approvals`, 'viewer.kuhmo');
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(await json.json()).toMatchObject({ documentId: agreement, requests: expect.any(Array) });
    expect((await get(`/areas/${KAINUU}/approvals?format=xlsx`, 'viewer.kuhmo')).status).toBe(400);
    expect((await get(`/areas/${KAINUU}/approvals?format=csv`, 'admin.rantala')).status).toBe(404);
  }, 60_000);

  it("a round's summary as PDF", async () => {
    const round = await t.db.selectFrom('consultation_rounds').select('id').where('area_id', '=', (await t.db.selectFrom('areas').select('id').where('slug', '=', KAINUU).executeTakeFirstOrThrow()).id).where('state', '=', 'summary_published').executeTakeFirstOrThrow();
    const res = await get(`/rounds/${round.id}/summary?format=pdf`, 'rep.kuhmo');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect((await pdfText(await bytesOf(res))).replace(/\s+/g, ' ')).toContain('Yhteenveto lausunnoista');
    expect((await get(`/rounds/${round.id}/summary?format=docx`, 'rep.kuhmo')).status).toBe(400);
    expect((await get(`/rounds/${round.id}/summary`, 'rep.kuhmo')).headers.get('content-type')).toContain('application/json');
  }, 60_000);
});

describe('POST /verify', () => {
  let pdf: Uint8Array;
  let hash: string;

  beforeAll(async () => {
    const res = await get(`/documents/${agreement}/versions/2/export?format=pdf`, 'admin.kajaani');
    pdf = await bytesOf(res);
    hash = res.headers.get('x-sopu-content-hash')!;
  }, 60_000);

  it('a file as multipart `file`: {area, document, version, hash, sentForApproval, approvedBy, matchesCurrent}', async () => {
    const res = await post('/verify', 'secretary.kuhmo', { body: multipart(pdf) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ area: KAINUU, document: agreement, version: 2, hash, sentForApproval: true, matchesCurrent: true, file: { kind: 'version', format: 'pdf', sha256: sha256(pdf) } });
    expect(body.approvedBy).toEqual(['105', '205', '305', '578', '765', '777']);
    expect((body.file as { exportedAt: string }).exportedAt).toMatch(/^\d{4}-\d{2}-\d{2}T.+Z$/);
  });

  it('a hash as JSON {hash}, full or its first 8 digits', async () => {
    for (const given of [hash, hash.slice(0, 8)]) {
      const res = await post('/verify', 'viewer.kuhmo', { body: JSON.stringify({ hash: given }), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ version: 2, hash, file: null });
    }
  });

  it('a changed copy is 404 "not a Sopu export of any version" with reason altered; an unknown hash 404 unknown_hash', async () => {
    const copy = Buffer.from(Buffer.from(pdf).toString('latin1').replace('Sopu (PDFKit)', 'Sopu (PDFKiT)'), 'latin1');
    const res = await post('/verify', 'viewer.kuhmo', { body: multipart(new Uint8Array(copy)) });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found', reason: 'altered', message: expect.stringMatching(/^this file is not a Sopu export of any version/) } });
    const unknown = await post('/verify', 'viewer.kuhmo', { body: JSON.stringify({ hash: 'a'.repeat(64) }), headers: { 'content-type': 'application/json' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { reason: 'unknown_hash' } });
  });

  it('a file neither PDF nor DOCX is 400 "not a Sopu export"; no file, no JSON, a bad hash 400; no session 401', async () => {
    const before = await tableCounts(t.db);
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(64).fill(0)]);
    const res = await post('/verify', 'viewer.kuhmo', { body: multipart(png, 'kuva.pdf') });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_input', issues: [{ path: ['file'], code: 'not_pdf_or_docx', message: expect.stringContaining('not a Sopu export') }] } });
    const noFile = new FormData();
    noFile.set('other', 'x');
    expect((await post('/verify', 'viewer.kuhmo', { body: noFile })).status).toBe(400);
    expect((await post('/verify', 'viewer.kuhmo', { body: 'hash=abc', headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    expect((await post('/verify', 'viewer.kuhmo', { body: '{"hash":', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await post('/verify', 'viewer.kuhmo', { body: JSON.stringify({ hash: 'xyz' }), headers: { 'content-type': 'application/json' } })).status).toBe(400);
    expect((await post('/verify', null, { body: multipart(pdf) })).status).toBe(401);
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('a 30 MB upload is 413, by its declared length and sent in chunks without one', async () => {
    const big = multipart(new Uint8Array(30 * 1024 * 1024), 'iso.pdf');
    const declared = await post('/verify', 'viewer.kuhmo', { body: big });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'too_large', message: expect.stringContaining(`${VERIFY_MAX_BYTES / 1024 / 1024} MB`) } });
    const request = new Request(url('/verify'), { method: 'POST', body: big });
    const type = request.headers.get('content-type')!;
    const whole = new Uint8Array(await request.arrayBuffer());
    // Sent 64 KiB at a time, as a client would, each piece only when the server asks for more.
    let sent = 0;
    const chunked = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (sent >= whole.byteLength) return controller.close();
          const piece = whole.subarray(sent, sent + 64 * 1024);
          sent += piece.byteLength;
          controller.enqueue(piece);
        },
      },
      { highWaterMark: 0 },
    );
    const streamed = await post('/verify', 'viewer.kuhmo', { body: chunked, headers: { 'content-type': type, 'transfer-encoding': 'chunked' } });
    expect(streamed.status).toBe(413);
    // Refused once past the limit, not after reading all 30 MB.
    expect(sent).toBeLessThan(VERIFY_MAX_BYTES + 2 * 1024 * 1024);
  });
});
