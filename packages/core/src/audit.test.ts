import { sql } from '@sopu/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBrokenAuditLink, GENESIS_HASH } from './audit.ts';
import { listAuditLog } from './audit-log.ts';
import { isDomainError } from './errors.ts';
import { changeMemberRole, inviteMember } from './members.ts';
import { actorFor, createTestDeps, type TestDeps } from './testing.ts';
import type { Actor } from './deps.ts';

const KAINUU = 'kainuu-koillismaa';

let t: TestDeps;
let admin: Actor;
let kainuuId: string;
let saaristoId: string;
beforeEach(async () => {
  t = await createTestDeps();
  admin = await actorFor(t.deps, 'admin.kajaani@sopu.example');
  const areas = await t.db.selectFrom('areas').select(['id', 'slug']).execute();
  kainuuId = areas.find((a) => a.slug === KAINUU)!.id;
  saaristoId = areas.find((a) => a.slug === 'saaristo-skargard')!.id;
});
afterEach(async () => {
  await t.cleanup();
});

/** Writes `n` audited changes into Kainuu: invitations to distinct addresses. */
async function makeEvents(n: number) {
  for (let i = 0; i < n; i++) {
    t.clock.advance(1000);
    await inviteMember(t.deps, admin, KAINUU, { email: `person${i}@example.fi`, displayName: `Person ${i}`, municipalityCode: '578', role: 'viewer' });
  }
}
const rowsOf = (areaId: string) => t.db.selectFrom('audit_events').selectAll().where('area_id', '=', areaId).orderBy('seq').execute();

describe('audit chain', () => {
  it('links every event to the one before, per area, from the genesis hash', async () => {
    await makeEvents(3);
    for (const areaId of [kainuuId, saaristoId]) {
      const rows = await rowsOf(areaId);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
      expect(await findBrokenAuditLink(t.db, areaId)).toBeNull();
    }
  });

  it('finds a row whose details were changed behind its back', async () => {
    await makeEvents(3);
    await sql`update audit_events set details = ${JSON.stringify({ email: 'someone-else@example.fi' })} where area_id = ${kainuuId} and seq = 5`.execute(t.db);
    expect(await findBrokenAuditLink(t.db, kainuuId)).toBe(5);
    expect(await findBrokenAuditLink(t.db, saaristoId)).toBeNull();
    expect((await listAuditLog(t.deps, admin, KAINUU)).brokenAtSeq).toBe(5);
  });

  it('finds a rewritten row even when its own hash was recomputed naively, and a deleted row', async () => {
    await makeEvents(3);
    // An attacker who rewrites the actor and fixes up that row's hash still breaks the next link.
    const rows = await rowsOf(kainuuId);
    await sql`update audit_events set actor_user_id = null, hash = ${'f'.repeat(64)} where area_id = ${kainuuId} and seq = 4`.execute(t.db);
    expect(await findBrokenAuditLink(t.db, kainuuId)).toBe(4);
    await sql`update audit_events set actor_user_id = ${rows[3]!.actor_user_id}, hash = ${rows[3]!.hash} where area_id = ${kainuuId} and seq = 4`.execute(t.db);
    expect(await findBrokenAuditLink(t.db, kainuuId)).toBeNull();

    await sql`delete from audit_events where area_id = ${kainuuId} and seq = 2`.execute(t.db);
    expect(await findBrokenAuditLink(t.db, kainuuId)).toBe(3);
  });
});

describe('listAuditLog', () => {
  it('pages from the newest event back to the first', async () => {
    await makeEvents(4); // 3 demo events + 4 = 7
    const seen: number[] = [];
    let beforeSeq: number | undefined;
    let pages = 0;
    do {
      const page = await listAuditLog(t.deps, admin, KAINUU, { beforeSeq, limit: 3 });
      expect(page.events.length).toBeLessThanOrEqual(3);
      expect(page.brokenAtSeq).toBeNull();
      seen.push(...page.events.map((e) => e.seq));
      beforeSeq = page.nextBeforeSeq ?? undefined;
      pages += 1;
    } while (beforeSeq !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it('ends with nextBeforeSeq null when the last page is exactly full', async () => {
    await makeEvents(1); // 4 events
    const first = await listAuditLog(t.deps, admin, KAINUU, { limit: 2 });
    expect(first.events.map((e) => e.seq)).toEqual([4, 3]);
    expect(first.nextBeforeSeq).toBe(3);
    const second = await listAuditLog(t.deps, admin, KAINUU, { beforeSeq: 3, limit: 2 });
    expect(second.events.map((e) => e.seq)).toEqual([2, 1]);
    expect(second.nextBeforeSeq).toBeNull();
  });

  it('names the actor and parses the details', async () => {
    const sotkamo = await t.db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id').select('memberships.id').where('users.email', '=', 'drafter.sotkamo@sopu.example').executeTakeFirstOrThrow();
    await changeMemberRole(t.deps, admin, KAINUU, sotkamo.id, { role: 'viewer' });
    const [latest] = (await listAuditLog(t.deps, admin, KAINUU, { limit: 1 })).events;
    expect(latest).toMatchObject({ action: 'member.role_changed', actorUserId: admin.userId, actorName: admin.displayName, details: { from: 'drafter', to: 'viewer' } });
  });

  it('clamps the limit and shows only its own area', async () => {
    const all = await listAuditLog(t.deps, admin, KAINUU, { limit: 0 });
    expect(all.events).toHaveLength(1);
    const big = await listAuditLog(t.deps, admin, KAINUU, { limit: 10_000 });
    expect(big.events.map((e) => e.seq)).toEqual([3, 2, 1]);
    const saaristoIds = new Set((await rowsOf(saaristoId)).map((r) => r.id));
    expect(big.events.some((e) => saaristoIds.has(e.id))).toBe(false);
  });

  it('is for host admins only', async () => {
    const drafter = await actorFor(t.deps, 'drafter.kajaani@sopu.example');
    const error = await listAuditLog(t.deps, drafter, KAINUU).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe('forbidden');
  });
});
