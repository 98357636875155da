import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoLogins, loadDemoAreasIfEmpty } from './demo.ts';
import { createTestDeps, tableCounts, type TestDeps } from '../testing.ts';

let t: TestDeps;
beforeEach(async () => {
  t = await createTestDeps();
});
afterEach(async () => {
  await t.cleanup();
});

describe('demo areas', () => {
  it('loads the two areas with their host municipalities', async () => {
    const areas = await t.db
      .selectFrom('areas')
      .innerJoin('municipalities', 'municipalities.id', 'areas.host_municipality_id')
      .select(['areas.slug', 'municipalities.code', 'municipalities.area_id', 'areas.id'])
      .orderBy('areas.slug')
      .execute();
    expect(areas.map((a) => [a.slug, a.code])).toEqual([['kainuu-koillismaa', '205'], ['saaristo-skargard', '901']]);
    for (const a of areas) expect(a.area_id).toBe(a.id);
  });

  it('every login of demoLogins() exists with its role, area and municipality', async () => {
    const logins = demoLogins();
    expect(logins.length).toBeGreaterThanOrEqual(8 + 13);
    expect(new Set(logins.map((l) => l.email)).size).toBe(logins.length);
    const rows = await t.db
      .selectFrom('users')
      .innerJoin('memberships', 'memberships.user_id', 'users.id')
      .innerJoin('areas', 'areas.id', 'memberships.area_id')
      .innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
      .select(['users.email', 'users.password_hash', 'memberships.role', 'areas.slug', 'municipalities.name_fi'])
      .execute();
    expect(rows).toHaveLength(logins.length);
    for (const login of logins) {
      const row = rows.find((r) => r.email === login.email);
      expect(row, login.email).toMatchObject({ role: login.role, slug: login.area, name_fi: login.municipality });
      expect(row?.password_hash?.startsWith('$argon2id$')).toBe(true);
    }
    expect(logins).toContainEqual(expect.objectContaining({ email: 'admin.kajaani@sopu.example', role: 'host_admin', area: 'kainuu-koillismaa' }));
    expect(logins).toContainEqual(expect.objectContaining({ email: 'admin.rantala@sopu.example', role: 'host_admin', area: 'saaristo-skargard' }));
  });

  it('each area has one agreement and one set of administrative rules, each with a first document update', async () => {
    const docs = await t.db
      .selectFrom('documents')
      .innerJoin('areas', 'areas.id', 'documents.area_id')
      .leftJoin('doc_updates', 'doc_updates.document_id', 'documents.id')
      .select(['areas.slug', 'documents.kind', 'doc_updates.seq', 'doc_updates.update'])
      .orderBy('areas.slug')
      .orderBy('documents.kind')
      .execute();
    expect(docs.map((d) => [d.slug, d.kind, d.seq])).toEqual([
      ['kainuu-koillismaa', 'administrative_rules', 1],
      ['kainuu-koillismaa', 'cooperation_agreement', 1],
      ['saaristo-skargard', 'administrative_rules', 1],
      ['saaristo-skargard', 'cooperation_agreement', 1],
    ]);
    for (const d of docs) {
      expect(d.update).toBeInstanceOf(Uint8Array);
      expect(d.update!.byteLength).toBeGreaterThan(10);
    }
  });

  it('writes an intact audit chain per area', async () => {
    for (const { id } of await t.db.selectFrom('areas').select('id').execute()) {
      expect(await t.deps.audit.verify(t.db, id)).toBeNull();
    }
  });

  it('loads into an empty database and reports it', async () => {
    const empty = await createTestDeps({ demo: false });
    try {
      expect((await tableCounts(empty.db)).areas).toBe(0);
      expect(await loadDemoAreasIfEmpty(empty.deps, empty.clock.now())).toBe(true);
      expect((await tableCounts(empty.db)).areas).toBe(2);
    } finally {
      await empty.cleanup();
    }
  });

  it('loading again is a no-op', async () => {
    const before = await tableCounts(t.db);
    expect(await loadDemoAreasIfEmpty(t.deps)).toBe(false);
    expect(await tableCounts(t.db)).toEqual(before);
  });
});
