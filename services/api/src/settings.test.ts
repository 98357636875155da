import { canonicalSections } from '@sopu/doc-model';
import { loadDocumentState } from '@sopu/core';
import { documentIdOf, sessionTokenFor, tableCounts } from '@sopu/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieHeader, createTestApp, ORIGIN, url } from './testing.ts';

const KAINUU = 'kainuu-koillismaa';
const SAARISTO = 'saaristo-skargard';
const KAINUU_CODES = ['205', '290', '578', '620', '697', '765', '777', '105', '305', '832'];

let t: Awaited<ReturnType<typeof createTestApp>>;
const cookies: Record<string, string> = {};
const WHO = ['admin.kajaani', 'drafter.kajaani', 'rep.kuhmo', 'secretary.kuhmo', 'viewer.kuhmo', 'admin.rantala'] as const;
type Who = (typeof WHO)[number];

beforeEach(async () => {
  t = await createTestApp();
  for (const who of WHO) cookies[who] = cookieHeader(await sessionTokenFor(t.deps, `${who}@sopu.example`));
});
afterEach(async () => {
  await t.cleanup();
});

const call = (method: string, path: string, who: Who | null, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.request(url(path), {
    method,
    headers: {
      ...(who ? { cookie: cookies[who]! } : {}),
      ...(method === 'GET' ? {} : { origin: ORIGIN }),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });

interface CheckJson {
  id: string;
  status: string;
  message: string;
  messages: { fi: string; sv: string; en: string };
  section?: { documentId: string; key: string };
}

describe('GET /areas/:slug/checks', () => {
  it('every member gets the checks; message in Finnish by default, in the language of ?lang= or Accept-Language', async () => {
    const res = await call('GET', `/areas/${KAINUU}/checks`, 'viewer.kuhmo');
    expect(res.status).toBe(200);
    const checks = (await res.json()) as CheckJson[];
    const agreement = await documentIdOf(t.db, KAINUU, 'cooperation_agreement');
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['labour_force_threshold', 'pass'],
      ['joint_body_majority', 'pass'],
      ['joint_body_tie_rule', 'pass'],
      ['required_documents', 'fail'],
      [`required_topics:${agreement}`, 'fail'],
    ]);
    expect(checks[0]!.message).toBe(checks[0]!.messages.fi);
    expect(checks[1]!.section).toEqual({ documentId: agreement, key: 'body_composition' });
    const sv = (await (await call('GET', `/areas/${KAINUU}/checks?lang=sv`, 'viewer.kuhmo')).json()) as CheckJson[];
    expect(sv[1]!.message).toBe('Ingen kommun har över hälften av rösterna i det gemensamma organet. Störst andel: Kajana, 39/100 röster (39,00\u00a0%).');
    const en = (await (await call('GET', `/areas/${KAINUU}/checks`, 'viewer.kuhmo', undefined, { 'accept-language': 'en-GB,en;q=0.9' })).json()) as CheckJson[];
    expect(en[1]!.message).toMatch(/^No municipality holds over half/);
    const unknown = (await (await call('GET', `/areas/${KAINUU}/checks?lang=de`, 'viewer.kuhmo')).json()) as CheckJson[];
    expect(unknown[1]!.message).toBe(unknown[1]!.messages.fi);
  });

  it("Saaristo's labour force below 20,000: passes under the Government's permit it has operated by since 2025, naming the decision", async () => {
    const checks = (await (await call('GET', `/areas/${SAARISTO}/checks?lang=sv`, 'admin.rantala')).json()) as CheckJson[];
    expect(checks[0]).toMatchObject({ id: 'labour_force_threshold', status: 'pass', section: { key: 'parties' } });
    expect(checks[0]!.message).toContain('statsrådets undantagstillstånd');
    expect(checks[0]!.message).toContain('VN/4321/2024');
  });

  it('401 without a session; another area the same 404 as a missing one', async () => {
    expect((await call('GET', `/areas/${KAINUU}/checks`, null)).status).toBe(401);
    const foreign = await call('GET', `/areas/${SAARISTO}/checks`, 'admin.kajaani');
    const missing = await call('GET', '/areas/no-such-area/checks', 'admin.kajaani');
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).toBe(await missing.text());
  });
});

describe('GET /areas/:slug/settings', () => {
  it('the settings with vote shares, milestones and days left; canEdit for the host admin only', async () => {
    const res = await call('GET', `/areas/${KAINUU}/settings`, 'rep.kuhmo');
    expect(res.status).toBe(200);
    const s = (await res.json()) as { canEdit: boolean; jointBody: { shares: { verdict: string; totalVotes: number } }; milestones: Array<{ kind: string; daysLeft: number }>; keyFacts: unknown[]; municipalities: Array<{ code: string; labourForce: { source: string } }> };
    expect(s.canEdit).toBe(false);
    expect(s.jointBody.shares).toMatchObject({ verdict: 'pass', totalVotes: 100 });
    expect(s.milestones.find((m) => m.kind === 'council_meeting')).toMatchObject({ daysLeft: 13 });
    expect(s.keyFacts).toHaveLength(5);
    expect(s.municipalities[0]!.labourForce.source).toBe('Tilastokeskus, työssäkäyntitilasto');
    expect(((await (await call('GET', `/areas/${KAINUU}/settings`, 'admin.kajaani')).json()) as { canEdit: boolean }).canEdit).toBe(true);
  });
});

describe('PUT /areas/:slug/settings/…', () => {
  const bodies: Record<string, unknown> = {
    'labour-force': { municipalities: [{ code: '290', labourForce: 3_412, source: 'Tilastokeskus, työssäkäyntitilasto', year: 2024 }] },
    'joint-body': { municipalities: KAINUU_CODES.map((code) => ({ code, seats: code === '205' ? 9 : 1, votesPerSeat: 1 })), chairCode: '205' },
    'exception-ground': { grounds: ['commuting_areas'], permit: null },
    milestones: { milestones: [{ kind: 'in_force', label: { fi: 'Voimaan', sv: 'I kraft' }, date: '2027-01-01' }] },
    'key-facts': { facts: [{ fi: 'Fakta', sv: 'Faktum' }] },
    'second-factor': { required: true },
  };

  it('the host admin changes each setting: 200 with the settings', async () => {
    for (const [path, body] of Object.entries(bodies)) {
      const res = await call('PUT', `/areas/${KAINUU}/settings/${path}`, 'admin.kajaani', body);
      expect(res.status, path).toBe(200);
    }
    const s = (await (await call('GET', `/areas/${KAINUU}/settings`, 'viewer.kuhmo')).json()) as { jointBody: { shares: { verdict: string; reason: string } }; exception: { grounds: string[] }; milestones: unknown[]; keyFacts: unknown[] };
    expect(s.jointBody.shares).toMatchObject({ verdict: 'fail', reason: 'half_with_chair' });
    expect(s.exception.grounds).toEqual(['commuting_areas']);
    expect(s.milestones).toHaveLength(1);
    expect(s.keyFacts).toEqual([{ fi: 'Fakta', sv: 'Faktum', en: '' }]);
    expect((s as unknown as { requireSecondFactor: boolean }).requireSecondFactor).toBe(true);
    // The checks follow.
    const checks = (await (await call('GET', `/areas/${KAINUU}/checks`, 'viewer.kuhmo')).json()) as CheckJson[];
    expect(checks.find((c) => c.id === 'joint_body_majority')!.status).toBe('fail');
    expect(checks.find((c) => c.id === 'joint_body_tie_rule')!.status).toBe('fail');
  });

  it('403 for every other role whatever the body; 404 for another area like a missing one; 401 without a session; nothing changes', async () => {
    const before = await tableCounts(t.db);
    for (const path of Object.keys(bodies)) {
      for (const who of ['drafter.kajaani', 'rep.kuhmo', 'secretary.kuhmo', 'viewer.kuhmo'] as const) {
        for (const body of [bodies[path], 'not json', []]) {
          expect((await call('PUT', `/areas/${KAINUU}/settings/${path}`, who, body)).status, `${who} ${path}`).toBe(403);
        }
      }
      const foreign = await call('PUT', `/areas/${SAARISTO}/settings/${path}`, 'admin.kajaani', bodies[path]);
      const missing = await call('PUT', `/areas/no-such-area/settings/${path}`, 'admin.kajaani', bodies[path]);
      expect(foreign.status, path).toBe(404);
      expect(await foreign.text()).toBe(await missing.text());
      expect((await call('PUT', `/areas/${KAINUU}/settings/${path}`, null, bodies[path])).status).toBe(401);
    }
    expect(await tableCounts(t.db)).toEqual(before);
  });

  it('400 with the issues for bad JSON and invalid input; nothing changes', async () => {
    const before = await tableCounts(t.db);
    const cases: Array<[string, unknown]> = [
      ['labour-force', '{"municipalities": ['],
      ['labour-force', { municipalities: [{ code: '290', labourForce: 3000 }] }],
      ['joint-body', { municipalities: [{ code: '205', seats: 1, votesPerSeat: 1 }], chairCode: null }],
      ['exception-ground', { grounds: ['whim'], permit: null }],
      ['milestones', { milestones: [{ kind: 'other', label: {}, date: '2027-13-01' }] }],
      ['key-facts', { facts: 'many' }],
      ['key-facts', []],
      ['second-factor', { required: 'yes' }],
      ['second-factor', {}],
    ];
    for (const [path, body] of cases) {
      const res = await call('PUT', `/areas/${KAINUU}/settings/${path}`, 'admin.kajaani', body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_input', issues: expect.any(Array) } });
    }
    // Without an Origin header a mutation is refused before anything else.
    const noOrigin = await t.app.request(url(`/areas/${KAINUU}/settings/key-facts`), { method: 'PUT', headers: { cookie: cookies['admin.kajaani']!, 'content-type': 'application/json' }, body: JSON.stringify(bodies['key-facts']) });
    expect(noOrigin.status).toBe(403);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});

describe('POST /areas/:slug/chair-rotation', () => {
  it('answers the rotation; with insert, the table is in the joint body’s section (§ 4), and again replaces it', async () => {
    const res = await call('POST', `/areas/${SAARISTO}/chair-rotation`, 'admin.rantala', { startYear: 2027, years: 3 });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { rows: Array<{ year: number; chair: { code: string } }>; inserted: unknown };
    expect(r.rows.map((row) => [row.year, row.chair.code])).toEqual([[2027, '901'], [2028, '902'], [2029, '903']]);
    expect(r.inserted).toBeNull();
    const inserted = (await (await call('POST', `/areas/${SAARISTO}/chair-rotation`, 'admin.rantala', { startYear: 2027, years: 3, insert: true })).json()) as { inserted: { documentId: string; section: string } };
    expect(inserted.inserted).toEqual({ documentId: await documentIdOf(t.db, SAARISTO, 'cooperation_agreement'), section: 'body_composition', replaced: false });
    const again = (await (await call('POST', `/areas/${SAARISTO}/chair-rotation`, 'admin.rantala', { startYear: 2028, years: 3, insert: true })).json()) as { inserted: { replaced: boolean } };
    expect(again.inserted.replaced).toBe(true);
    const doc = await loadDocumentState(t.db, inserted.inserted.documentId);
    expect(canonicalSections(doc).find((s) => s.key === 'body_composition')!.content.content!.map((b) => b.type)).toEqual(['paragraph', 'table']);
    expect(canonicalSections(doc).find((s) => s.key === 'governance')!.content).toEqual({ type: 'doc' });
    doc.destroy();
  });

  it('400 for two members, 403 for a drafter, 404 for another area', async () => {
    expect((await call('POST', `/areas/${KAINUU}/chair-rotation`, 'admin.kajaani', { startYear: 2027, years: 2, members: ['205', '290'] })).status).toBe(400);
    expect((await call('POST', `/areas/${KAINUU}/chair-rotation`, 'admin.kajaani', { startYear: 2027, years: 0 })).status).toBe(400);
    expect((await call('POST', `/areas/${KAINUU}/chair-rotation`, 'drafter.kajaani', { startYear: 2027, years: 2 })).status).toBe(403);
    expect((await call('POST', `/areas/${SAARISTO}/chair-rotation`, 'admin.kajaani', { startYear: 2027, years: 2 })).status).toBe(404);
  });
});

describe('POST /areas/:slug/cost-shares', () => {
  it('answers the shares exact to the cent; with insert, the table is in the finance section', async () => {
    const res = await call('POST', `/areas/${KAINUU}/cost-shares`, 'admin.kajaani', { year: 2027, netCosts: '10 000 000,00', key: 'labour_force', insert: true });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { totalCents: number; rows: Array<{ code: string; cents: number; percentHundredths: number }>; inserted: { section: string } };
    expect(r.totalCents).toBe(1_000_000_000);
    expect(r.rows.reduce((a, row) => a + row.cents, 0)).toBe(1_000_000_000);
    expect(r.rows.reduce((a, row) => a + row.percentHundredths, 0)).toBe(10_000);
    expect(r.inserted.section).toBe('finance_administration');
    const s = (await (await call('GET', `/areas/${KAINUU}/settings`, 'admin.kajaani')).json()) as { costShares: Array<{ year: number; computedAt: string }> };
    expect(s.costShares).toEqual([expect.objectContaining({ year: 2027, computedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) })]);
  });

  it('400 for a missing key figure, 403 for a rep, 404 for another area; nothing changes', async () => {
    const before = await tableCounts(t.db);
    expect((await call('POST', `/areas/${KAINUU}/cost-shares`, 'admin.kajaani', { year: 2027, netCosts: 1, key: 'job_seekers' })).status).toBe(400);
    expect((await call('POST', `/areas/${KAINUU}/cost-shares`, 'admin.kajaani', '[]')).status).toBe(400);
    expect((await call('POST', `/areas/${KAINUU}/cost-shares`, 'rep.kuhmo', { year: 2027, netCosts: 1, key: 'labour_force' })).status).toBe(403);
    expect((await call('POST', `/areas/${SAARISTO}/cost-shares`, 'admin.kajaani', { year: 2027, netCosts: 1, key: 'labour_force' })).status).toBe(404);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
