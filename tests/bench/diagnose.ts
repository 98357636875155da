// Micro-measurements behind the suggestions in the benchmark report (not part of run.ts):
//   node --import tsx --expose-gc tests/bench/diagnose.ts
// 1. One group commit of one keystroke: DocumentStore.append as it is (one statement prepared once on the database's
//    own connection, under the serial lock: @sopu/db nativeStatements) versus one libSQL client batch call (prepared
//    anew each time, the path before) and versus bare prepared statements on a second native connection.
// 2. One batched authorize call for N connections (server.ts re-checks a room in slices of 50 with the loop free between): how long the event
//    loop is held without serving anything.
// 3. Compaction as store.compact does it (read snapshot + tail, rebuild, encode, write, inside the db lock) versus
//    encoding the room's own, already loaded Y.Doc.
import { createSessions } from '@sopu/auth';
import { createCoreAuthorizer, createDbDocumentStore } from '@sopu/collab';
import { createAuditLog } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { randomBytes } from 'node:crypto';
import { createTestDb } from '@sopu/db';
import { createRequire } from 'node:module';
import * as Y from 'yjs';
import { ms, summarise, table } from './common.ts';
import { simulateTyping } from './typing.ts';

// @libsql/client and libsql are not dependencies of tests/: reach them through @sopu/db, which uses them.
const fromDb = createRequire(import.meta.resolve('@sopu/db'));
const clientPath = fromDb.resolve('@libsql/client');
type Client = { execute(sql: string): Promise<unknown>; batch(stmts: Array<{ sql: string; args: unknown[] }>, mode: 'write'): Promise<unknown>; close(): void };
const { createClient } = (await import(clientPath)) as { createClient: (config: { url: string }) => Client };
const Database = createRequire(clientPath)('libsql') as new (path: string) => {
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): unknown };
  close(): void;
};

const N = Number(process.env.DIAG_COMMITS ?? 1000);
const { db, cleanup, path } = await createTestDb();
const audit = createAuditLog(randomBytes(32));
await loadDemoAreasIfEmpty({ db, audit });
const { id: documentId, area_id: areaId } = await db
  .selectFrom('documents')
  .innerJoin('areas', 'areas.id', 'documents.area_id')
  .select(['documents.id', 'documents.area_id'])
  .where('areas.slug', '=', 'kainuu-koillismaa')
  .where('documents.kind', '=', 'cooperation_agreement')
  .executeTakeFirstOrThrow();
const user = (await db.selectFrom('users').select('id').where('email', '=', 'drafter.kajaani@sopu.example').executeTakeFirstOrThrow()).id;
const store = createDbDocumentStore(db, audit);
await store.acquireLease(documentId, 'bench', 3_600_000);
const loaded = await store.load(documentId);
const replica = new Y.Doc();
for (const u of loaded.updates) Y.applyUpdate(replica, u);
const keystrokes = simulateTyping([replica], 3 * N + 12_000, 3).map((t) => t.update);
// The compaction test encodes a replica that is exactly the stored document: one fed the same updates.
const storedReplica = new Y.Doc();
for (const u of loaded.updates) Y.applyUpdate(storedReplica, u);
let seq = loaded.lastSeq;
let k = 0;
const out: string[] = [];

// --- 1. commits -----------------------------------------------------------------------------------------------------
async function timeIt(label: string, fn: () => Promise<void> | void) {
  const samples: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const s = summarise(samples);
  return [label, ms(s.p50, 3), ms(s.p99, 3), ms(s.max, 3)];
}
const rows: string[][] = [];
rows.push(
  await timeIt('`store.append` (statement prepared once, serial lock)', async () => {
    await store.append(documentId, { afterSeq: seq, updates: [{ update: keystrokes[k++]!, userId: user }], audit: [], clients: [] }, { areaId, owner: 'bench' });
    seq++;
  }),
);
const client = createClient({ url: `file:${path}` });
await client.execute('PRAGMA synchronous = NORMAL');
await client.execute('PRAGMA busy_timeout = 5000');
const insertSql = 'insert into doc_updates (document_id, seq, "update", user_id, created_at) values (?, ?, ?, ?, ?)';
rows.push(
  await timeIt('`client.batch([insert], "write")` (libSQL client, one call)', async () => {
    seq++;
    await client.batch([{ sql: insertSql, args: [documentId, seq, keystrokes[k++]!, user, Date.now()] }], 'write');
  }),
);
client.close();
const native = new Database(path);
native.exec('PRAGMA synchronous = NORMAL');
const insert = native.prepare(insertSql);
const begin = native.prepare('BEGIN IMMEDIATE');
const commit = native.prepare('COMMIT');
rows.push(
  await timeIt('cached prepared statements on the native `libsql` connection', () => {
    seq++;
    begin.run();
    insert.run(documentId, seq, Buffer.from(keystrokes[k++]!), user, Date.now());
    commit.run();
  }),
);
native.close();
out.push(`### One group commit of one keystroke update (${N} each, ms)`, '', table(['how', 'p50', 'p99', 'max'], rows), '');

// --- 2. re-checks ---------------------------------------------------------------------------------------------------
const sessions = createSessions(db, { idleTimeoutMs: 8 * 3_600_000, absoluteTimeoutMs: 7 * 86_400_000, secureCookies: false });
const authorize = createCoreAuthorizer({ db, sessions });
const recheckRows: string[][] = [];
for (const count of [50, 200]) {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) cookies.push(`sopu_session=${(await sessions.create(user)).token}`);
  const held: number[] = [];
  for (let round = 0; round < 5; round++) {
    let served = 0;
    let running = true;
    const tick = () => {
      served++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await new Promise((r) => setTimeout(r, 5));
    served = 0;
    const t0 = performance.now();
    await authorize(
      documentId,
      cookies.map((cookie) => ({ cookie, activity: false })),
    );
    const t1 = performance.now();
    running = false;
    if (served > 0) console.error(`(the loop did get ${served} turns during ${count} re-checks)`);
    held.push(t1 - t0);
  }
  const s = summarise(held);
  recheckRows.push([String(count), ms(s.p50, 1), ms(s.max, 1), ms(s.p50 / count, 3)]);
}
out.push(
  '### One batched `authorize` call for N connections (5 rounds; server.ts re-checks in slices of 50)',
  '',
  'libSQL runs each statement synchronously and hands back a settled promise, so one call runs as one chain of microtasks: no socket is served until it ends.',
  '',
  table(['connections', 'event loop held p50 (ms)', 'max (ms)', 'per connection (ms)'], recheckRows),
  '',
);

// --- 3. compaction --------------------------------------------------------------------------------------------------
// A document of 10,000 keystrokes, compacted, then a tail of 199 more: what every 200th flush pays.
let appended = 0;
for (let i = 0; i < 10_000; i += 100) {
  const batch = keystrokes.slice(k + i, k + i + 100).map((update) => ({ update, userId: user }));
  await store.append(documentId, { afterSeq: seq, updates: batch, audit: [], clients: [] }, { areaId, owner: 'bench' });
  seq += batch.length;
  appended += batch.length;
}
k += appended;
Y.transact(storedReplica, () => {
  for (const u of keystrokes.slice(0, k)) Y.applyUpdate(storedReplica, u);
});
await store.compact(documentId);
const compactRows: string[][] = [];
const viaStore: number[] = [];
const viaDoc: number[] = [];
for (let round = 0; round < 10; round++) {
  const tail = keystrokes.slice(k, k + 199).map((update) => ({ update, userId: user }));
  k += 199;
  if (tail.length !== 199) throw new Error('not enough keystrokes');
  await store.append(documentId, { afterSeq: seq, updates: tail, audit: [], clients: [] }, { areaId, owner: 'bench' });
  seq += tail.length;
  Y.transact(storedReplica, () => {
    for (const t of tail) Y.applyUpdate(storedReplica, t.update);
  });
  (globalThis as { gc?: () => void }).gc?.();
  let t0 = performance.now();
  await store.compact(documentId);
  viaStore.push(performance.now() - t0);
  t0 = performance.now();
  const state = Y.encodeStateAsUpdate(storedReplica);
  await db
    .insertInto('doc_snapshots')
    .values({ document_id: documentId, seq, state, created_at: Date.now() })
    .onConflict((oc) => oc.column('document_id').doUpdateSet({ seq, state, created_at: Date.now() }))
    .execute();
  viaDoc.push(performance.now() - t0);
}
const a = summarise(viaStore);
const b = summarise(viaDoc);
compactRows.push(['`store.compact` (read + rebuild + encode + write, in one transaction)', ms(a.p50), ms(a.max)]);
compactRows.push(["encode the room's loaded Y.Doc + one upsert", ms(b.p50), ms(b.max)]);
out.push('### Compaction of a 10,000-keystroke document with a 199-update tail (10 rounds, ms)', '', table(['how', 'p50', 'max'], compactRows), '');

console.log(out.join('\n'));
replica.destroy();
storedReplica.destroy();
await cleanup();
