import { sessionTokenFor } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi } from './app.ts';
import { cookieHeader, createTestApp, url } from './testing.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
// Everything a response could give away about the Saaristo area: its names and its municipalities' names.
const SAARISTO_WORDS = ['saaristo', 'skärgård', 'archipelago', 'Rantala', 'Strandvik', 'Holmpy', 'Holmby', 'Saarela', '901', '902', '903'];
/**
 * Whether a body names a word of Saaristo's: names anywhere, a municipality code only as a number of its own (a random
 * id such as 9e902901-… holds "901" by chance in about one run in a hundred).
 */
const names = (body: string, word: string) =>
  /^[0-9]+$/.test(word) ? new RegExp(`(?<![0-9A-Za-z])${word}(?![0-9A-Za-z])`).test(body) : body.toLowerCase().includes(word.toLowerCase());

let t: Awaited<ReturnType<typeof createTestApp>>;
let kainuuCookie: string;
beforeEach(async () => {
  t = await createTestApp();
  kainuuCookie = cookieHeader(await sessionTokenFor(t.deps, 'viewer.kuhmo@sopu.example'));
});
afterEach(async () => {
  await t.cleanup();
});

const get = (path: string, headers: Record<string, string> = { cookie: kainuuCookie }) => t.app.request(url(path), { headers });

interface AreaBody {
  slug: string;
  name: { fi: string; sv: string; en: string };
  hostMunicipalityCode: string | null;
  exceptionGrounds: string[];
  municipalities: Array<{ code: string; name: { fi: string; sv: string }; language: string; labourForce: number | null; labourForceIsDemo: boolean; isHost: boolean }>;
}

describe('GET /me', () => {
  it('returns the user and their memberships', async () => {
    const res = await get('/me');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { email: 'viewer.kuhmo@sopu.example', locale: 'fi' },
      memberships: [{ areaSlug: KAINUU, municipalityCode: '290', role: 'viewer', areaName: { fi: 'Kainuu-Koillismaan työllisyysalue' } }],
    });
  });
});

describe('GET /areas/:slug', () => {
  it('returns the area with its municipalities: code, names, language, labour force, host flag', async () => {
    const res = await get(`/areas/${KAINUU}`);
    expect(res.status).toBe(200);
    const area = (await res.json()) as AreaBody;
    expect(area.slug).toBe(KAINUU);
    expect(area.name.sv).toBe('Sysselsättningsområdet Kajanaland-Koillismaa');
    expect(area.hostMunicipalityCode).toBe('205');
    expect(area.municipalities).toHaveLength(10);
    expect(area.municipalities.find((m) => m.code === '205')).toEqual({ code: '205', name: { fi: 'Kajaani', sv: 'Kajana' }, language: 'fi', labourForce: 17000, labourForceIsDemo: true, isHost: true });
    expect(area.municipalities.filter((m) => m.isHost).map((m) => m.code)).toEqual(['205']);
    expect(area.municipalities.reduce((sum, m) => sum + (m.labourForce ?? 0), 0)).toBe(40_350);
  });

  it('shows a bilingual area with its languages and exception grounds', async () => {
    const cookie = cookieHeader(await sessionTokenFor(t.deps, 'drafter.holmpy@sopu.example'));
    const area = (await (await get(`/areas/${SAARISTO}`, { cookie })).json()) as AreaBody;
    expect(area.exceptionGrounds).toEqual(['archipelago_or_distance', 'language_rights']);
    expect(Object.fromEntries(area.municipalities.map((m) => [m.code, m.language]))).toEqual({ '901': 'sv-fi', '902': 'sv', '903': 'fi' });
    expect(area.municipalities.find((m) => m.code === '902')?.name).toEqual({ fi: 'Holmpy', sv: 'Holmby' });
  });

  it('404 for an unknown slug', async () => {
    const res = await get('/areas/no-such-area');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('401 without a session, or with an unknown one', async () => {
    for (const path of ['/me', `/areas/${KAINUU}`, `/areas/${KAINUU}/documents`]) {
      expect((await get(path, {})).status, path).toBe(401);
      expect((await get(path, { cookie: cookieHeader('a'.repeat(40)) })).status, path).toBe(401);
      expect((await get(path, { authorization: 'Bearer nope' })).status, path).toBe(401);
    }
    const res = await get(`/areas/${KAINUU}`, {});
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
  });
});

describe('GET /areas/:slug/documents', () => {
  it("lists the area's agreement and administrative rules", async () => {
    const res = await get(`/areas/${KAINUU}/documents`);
    expect(res.status).toBe(200);
    const docs = (await res.json()) as Array<{ id: string; kind: string; title: string }>;
    expect(docs.map((d) => d.kind).sort()).toEqual(['administrative_rules', 'cooperation_agreement']);
    for (const d of docs) {
      expect(d.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(d.title.length).toBeGreaterThan(0);
    }
    const ours = await t.db.selectFrom('documents').innerJoin('areas', 'areas.id', 'documents.area_id').select('documents.id').where('areas.slug', '=', KAINUU).execute();
    expect(docs.map((d) => d.id).sort()).toEqual(ours.map((d) => d.id).sort());
  });
});

describe('GET /openapi.json', () => {
  it('describes every endpoint, under the /api/v1 server', async () => {
    const res = await t.app.request(url('/openapi.json'));
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; servers?: Array<{ url: string }>; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.fromEntries(Object.entries(doc.paths).map(([path, ops]) => [path, Object.keys(ops).sort()]))).toEqual({
      '/session': ['delete', 'post'],
      '/me': ['get'],
      '/areas/{slug}': ['get'],
      '/areas/{slug}/documents': ['get'],
      '/documents/{documentId}/threads': ['get', 'post'],
      '/threads/{threadId}/comments': ['post'],
      '/threads/{threadId}/resolve': ['post'],
      '/threads/{threadId}/reopen': ['post'],
      '/comments/{commentId}': ['delete', 'patch'],
      '/comments/{commentId}/hide': ['post'],
      '/notifications': ['get'],
      '/notifications/read': ['post'],
      '/documents/{documentId}/versions': ['get', 'post'],
      '/documents/{documentId}/diff': ['get'],
      '/documents/{documentId}/versions/{number}': ['get'],
      '/documents/{documentId}/versions/{number}/restore': ['post'],
      '/documents/{documentId}/translations': ['get'],
      '/documents/{documentId}/bilingual': ['post'],
      '/documents/{documentId}/translations/mark': ['post'],
      '/documents/{documentId}/approval-requests': ['post'],
      '/areas/{slug}/approvals': ['get'],
      '/approval-requests/{approvalRequestId}/decisions': ['post'],
      '/approval-token': ['get'],
      '/areas/{slug}/approval-tokens': ['get', 'post'],
      '/approval-tokens/{apiTokenId}': ['delete'],
      '/documents/{documentId}/rounds': ['get', 'post'],
      '/rounds/{consultationRoundId}': ['delete', 'get', 'patch'],
      '/rounds/{consultationRoundId}/open': ['post'],
      '/rounds/{consultationRoundId}/summary': ['get'],
      '/rounds/{consultationRoundId}/statements': ['post'],
      '/rounds/{consultationRoundId}/close': ['post'],
      '/rounds/{consultationRoundId}/reminders': ['post'],
      '/rounds/{consultationRoundId}/responses': ['post'],
      '/rounds/{consultationRoundId}/publish': ['post'],
      '/documents/{documentId}/adoptions': ['get', 'post'],
      '/areas/{slug}/checks': ['get'],
      '/areas/{slug}/settings': ['get'],
      '/areas/{slug}/settings/labour-force': ['put'],
      '/areas/{slug}/settings/joint-body': ['put'],
      '/areas/{slug}/settings/exception-ground': ['put'],
      '/areas/{slug}/settings/milestones': ['put'],
      '/areas/{slug}/settings/key-facts': ['put'],
      '/areas/{slug}/settings/entry-into-force': ['put'],
      '/areas/{slug}/settings/direct-editing': ['put'],
      '/areas/{slug}/settings/consultation-period': ['put'],
      '/rounds/{consultationRoundId}/attachments': ['post'],
      '/statements/{statementId}/attachments': ['post'],
      '/attachments/{attachmentId}': ['delete', 'get'],
      '/areas/{slug}/settings/second-factor': ['put'],
      '/areas/{slug}/chair-rotation': ['post'],
      '/areas/{slug}/cost-shares': ['post'],
      '/documents/{documentId}/versions/{number}/export': ['get'],
      '/documents/{documentId}/export': ['get'],
      '/approval-requests/{approvalRequestId}/proposals/{municipalityCode}': ['get'],
      '/verify': ['post'],
      '/documents/{documentId}/suggestions': ['get'],
      '/documents/{documentId}/suggestions/{suggestionId}/accept': ['post'],
      '/documents/{documentId}/suggestions/{suggestionId}/reject': ['post'],
      '/documents/{documentId}/positions': ['get'],
      '/documents/{documentId}/sections/{key}/positions/{code}': ['put'],
      '/documents/{documentId}/sections/{key}/agree': ['post'],
      '/documents/{documentId}/sections/{key}/reopen': ['post'],
    });
    // The paths are relative to the mount point; without a server entry a client would call /session at the root.
    expect(doc.servers?.map((s) => s.url)).toEqual(['/api/v1']);
  });
});

describe('tenant isolation over HTTP', () => {
  it('a member of Kainuu gets, for every area endpoint with the Saaristo slug, the same 404 as for a slug that does not exist', async () => {
    const doc = (await (await t.app.request(url('/openapi.json'))).json()) as { paths: Record<string, Record<string, unknown>> };
    const areaPaths = Object.entries(doc.paths).filter(([path]) => path.includes('{slug}'));
    expect(areaPaths.length).toBeGreaterThanOrEqual(2);
    for (const [path, operations] of areaPaths) {
      for (const method of Object.keys(operations)) {
        const call = (slug: string) =>
          t.app.request(url(path.replace('{slug}', slug)), { method: method.toUpperCase(), headers: { cookie: kainuuCookie, origin: 'http://localhost', 'content-type': 'application/json' }, ...(method === 'get' ? {} : { body: '{}' }) });
        const real = await call(SAARISTO);
        const missing = await call('no-such-area');
        const realBody = await real.text();
        expect(real.status, `${method} ${path}`).toBe(404);
        expect(missing.status).toBe(404);
        expect(realBody, `${method} ${path}`).toBe(await missing.text());
        for (const word of SAARISTO_WORDS) expect(names(realBody, word), word).toBe(false);
      }
    }
  });

  it("a host admin of Kainuu cannot see Saaristo either, and Saaristo's own member can", async () => {
    const admin = cookieHeader(await sessionTokenFor(t.deps, 'admin.kajaani@sopu.example'));
    expect((await get(`/areas/${SAARISTO}`, { cookie: admin })).status).toBe(404);
    expect((await get(`/areas/${SAARISTO}/documents`, { cookie: admin })).status).toBe(404);
    const rantala = cookieHeader(await sessionTokenFor(t.deps, 'admin.rantala@sopu.example'));
    expect((await get(`/areas/${SAARISTO}`, { cookie: rantala })).status).toBe(200);
    expect((await get(`/areas/${KAINUU}`, { cookie: rantala })).status).toBe(404);
  });

  it('GET /me of a Kainuu member says nothing of Saaristo', async () => {
    const body = await (await get('/me')).text();
    for (const word of SAARISTO_WORDS) expect(names(body, word), word).toBe(false);
  });
});

describe('errors', () => {
  it('an unknown endpoint is a JSON 404', async () => {
    const res = await get('/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('an unexpected failure is a 500 that reveals nothing, and is logged', async () => {
    const { Hono } = await import('hono');
    const broken = { ...t.deps, sessions: { ...t.deps.sessions, validate: async () => { throw new Error('database password is hunter2'); } } };
    const app = new Hono().route('/api/v1', createApi(broken, { trustProxy: false }));
    const res = await app.request(url('/me'), { headers: { cookie: kainuuCookie } });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(body).not.toContain('hunter2');
    // Logged exactly once, with the error itself (the only place its message may appear).
    const consoleError = vi.mocked(console.error);
    expect(consoleError.mock.calls).toEqual([[expect.objectContaining({ message: 'database password is hunter2' })]]);
    expect(vi.mocked(console.warn).mock.calls).toEqual([]);
    consoleError.mockClear();
  });
});
