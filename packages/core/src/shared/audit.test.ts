import { sql } from '@sopu/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_DETAILS_MAX_BYTES, createAuditLog, GENESIS_HASH, resolveAuditKey } from './audit.ts';
import { listAuditLog } from './audit-log.ts';
import { isDomainError } from './errors.ts';
import { changeMemberRole, inviteMember } from '../members/index.ts';
import { actorFor, createTestDeps, type TestDeps } from '../testing.ts';
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

/** The hash an honest append would have given this row: what an attacker who knows the scheme recomputes. */
function rehash(prevHash: string, r: { area_id: string; seq: number; actor_user_id: string | null; action: string; subject_type: string; subject_id: string | null; details: string; created_at: number }) {
  const body = JSON.stringify([r.area_id, r.seq, r.actor_user_id, r.action, r.subject_type, r.subject_id, r.details, r.created_at]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

describe('audit chain', () => {
  it('links every event to the one before, per area, from the genesis hash, and signs the head', async () => {
    await makeEvents(3);
    for (const areaId of [kainuuId, saaristoId]) {
      const rows = await rowsOf(areaId);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
      const head = await t.db.selectFrom('audit_heads').selectAll().where('area_id', '=', areaId).executeTakeFirstOrThrow();
      expect(head).toMatchObject({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });
      expect(await t.deps.audit.verify(t.db, areaId)).toBeNull();
    }
  });

  it('finds a row whose details were changed behind its back', async () => {
    await makeEvents(3);
    await sql`update audit_events set details = ${JSON.stringify({ email: 'someone-else@example.fi' })} where area_id = ${kainuuId} and seq = 5`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toEqual({ seq: 5, kind: 'altered' });
    expect(await t.deps.audit.verify(t.db, saaristoId)).toBeNull();
    expect((await listAuditLog(t.deps, admin, KAINUU)).problem).toEqual({ seq: 5, kind: 'altered' });
  });

  it('finds a rewritten row whose own hash was recomputed correctly: the next link breaks', async () => {
    await makeEvents(3);
    const rows = await rowsOf(kainuuId);
    const forged = { ...rows[3]!, actor_user_id: null };
    const forgedHash = rehash(forged.prev_hash, forged);
    // The forged row is consistent in itself: only the link from row 5 to it can tell.
    expect(forgedHash).not.toBe(rows[3]!.hash);
    await sql`update audit_events set actor_user_id = null, hash = ${forgedHash} where area_id = ${kainuuId} and seq = 4`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toEqual({ seq: 5, kind: 'altered' });
  });

  it('finds a rewrite of the newest row with its hash recomputed: the signed head no longer matches', async () => {
    await makeEvents(2);
    const last = (await rowsOf(kainuuId)).at(-1)!;
    const forgedHash = rehash(last.prev_hash, { ...last, actor_user_id: null });
    await sql`update audit_events set actor_user_id = null, hash = ${forgedHash} where area_id = ${kainuuId} and seq = ${last.seq}`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toEqual({ seq: last.seq, kind: 'altered' });
    // Moving the head along needs the key, which is not in the database: a head re-pointed without it is unsigned.
    await sql`update audit_heads set hash = ${forgedHash} where area_id = ${kainuuId}`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toEqual({ seq: last.seq, kind: 'unsigned' });
  });

  it('finds a deleted row in the middle', async () => {
    await makeEvents(3);
    await sql`delete from audit_events where area_id = ${kainuuId} and seq = 2`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toEqual({ seq: 2, kind: 'missing' });
  });

  it('finds the newest events cut off (truncation), which leaves a chain that is valid in itself', async () => {
    await makeEvents(3);
    const before = await rowsOf(kainuuId);
    await sql`delete from audit_events where area_id = ${kainuuId} and seq > ${before.length - 2}`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toEqual({ seq: before.length - 1, kind: 'truncated' });
    // Cutting the head back too, with a signature made without the key, is also seen.
    const kept = before[before.length - 3]!;
    await sql`update audit_heads set seq = ${kept.seq}, hash = ${kept.hash}, mac = ${'0'.repeat(64)} where area_id = ${kainuuId}`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toEqual({ seq: kept.seq, kind: 'unsigned' });
    // A log emptied altogether is cut off from the start.
    await sql`delete from audit_events where area_id = ${saaristoId}`.execute(t.db);
    expect(await t.deps.audit.verify(t.db, saaristoId)).toEqual({ seq: 1, kind: 'truncated' });
  });

  it('a log signed with another key does not verify', async () => {
    const other = createAuditLog(randomBytes(32));
    expect(await other.verify(t.db, kainuuId)).toEqual({ seq: 3, kind: 'unsigned' });
  });

  it('bounds what one event stores, whatever its details', async () => {
    await t.db.transaction().execute((trx) =>
      t.deps.audit.append(trx, { areaId: kainuuId, actorUserId: null, action: 'test.big', subjectType: 'test', subjectId: 'x'.repeat(5000), details: { long: 'y'.repeat(100_000), many: Array.from({ length: 10_000 }, (_, i) => i), deep: { a: { b: { c: { d: 'too deep' } } } } } }, t.clock.now()),
    );
    const row = (await rowsOf(kainuuId)).at(-1)!;
    expect(Buffer.byteLength(row.details)).toBeLessThanOrEqual(AUDIT_DETAILS_MAX_BYTES);
    expect(row.subject_id!.length).toBeLessThanOrEqual(200);
    expect(JSON.parse(row.details)).toMatchObject({ long: `${'y'.repeat(500)}…`, deep: { a: { b: '[…]' } } });
    expect(JSON.parse(row.details).many).toHaveLength(20);
    expect(await t.deps.audit.verify(t.db, kainuuId)).toBeNull();
  });
});

describe('resolveAuditKey', () => {
  it('takes AUDIT_KEY, or keeps a key file beside a database file, and refuses a remote database without a key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopu-key-'));
    try {
      const url = `file:${join(dir, 'sopu.db')}`;
      const first = resolveAuditKey({ databaseUrl: url });
      expect(first.byteLength).toBe(32);
      expect(Buffer.from(resolveAuditKey({ databaseUrl: url })).equals(Buffer.from(first))).toBe(true);
      expect(statSync(join(dir, 'sopu.db.audit-key')).mode & 0o777).toBe(0o600);
      expect(Buffer.from(resolveAuditKey({ databaseUrl: url, auditKey: 'ab'.repeat(32) })).toString('hex')).toBe('ab'.repeat(32));
      expect(() => resolveAuditKey({ databaseUrl: url, auditKey: 'short' })).toThrow(/64 hexadecimal/);
      expect(() => resolveAuditKey({ databaseUrl: 'libsql://db.example.fi' })).toThrow(/AUDIT_KEY is required/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
      expect(page.problem).toBeNull();
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
