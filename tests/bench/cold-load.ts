// Child process: cold load of a document with 10,000 stored keystroke updates.
//   ours:  DocumentStore.load() + new Room(...) (snapshot + tail applied in one transaction), after store.compact()
//   naive: SELECT all stored updates of the document + apply them to a fresh Y.Doc in one transaction
// Fresh temp-file libSQL database with the demo data; the updates are written through DocumentStore.append in
// batches of 100 (as group commits would), with the author's user id. Reports over IPC.
import { createDbDocumentStore, DEFAULT_LIMITS, Room } from '@sopu/collab';
import { createAuditLog } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { randomBytes } from 'node:crypto';
import { createTestDb } from '@sopu/db';
import { readSections, sectionFragment, sectionsMap } from '@sopu/doc-model';
import * as Y from 'yjs';
import { simulateTyping } from './typing.ts';


const UPDATES = Number(process.env.BENCH_COLD_UPDATES ?? 10_000);
const RUNS = Number(process.env.BENCH_COLD_RUNS ?? 30);
const WARMUP = 3;
const COMPACT_AFTER = 200;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

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
const typists = await db
  .selectFrom('users')
  .select('id')
  .where('email', 'in', ['drafter.kajaani@sopu.example', 'drafter.sotkamo@sopu.example', 'drafter.kuusamo@sopu.example'])
  .execute();
const store = createDbDocumentStore(db, audit);

// --- write 10,000 keystrokes -------------------------------------------------------------------------------------
await store.acquireLease(documentId, 'bench', 3_600_000);
const initial = await store.load(documentId);
const replicas = typists.map(() => {
  const doc = new Y.Doc();
  for (const u of initial.updates) Y.applyUpdate(doc, u);
  return doc;
});
const typed = simulateTyping(replicas, UPDATES, 42);
let lastSeq = initial.lastSeq;
async function appendAll(updates: typeof typed) {
  for (let i = 0; i < updates.length; i += 100) {
    const batch = updates.slice(i, i + 100).map((u) => ({ update: u.update, userId: typists[u.typist]!.id }));
    await store.append(documentId, { afterSeq: lastSeq, updates: batch, audit: [], clients: [] }, { areaId, owner: 'bench' });
    lastSeq += batch.length;
  }
}
await appendAll(typed);
const updateBytes = typed.reduce((n, u) => n + u.update.byteLength, 0);

function fingerprint(doc: Y.Doc): string {
  const sections = readSections(doc).map((s) => `${s.key}:${s.status}:${sectionFragment(doc, s.key).toString()}`);
  return `${sectionsMap(doc).size}|${sections.join('\n')}`;
}
const expected = fingerprint(replicas[0]!);
const textChars = readSections(replicas[0]!).reduce((n, s) => n + sectionFragment(replicas[0]!, s.key).toString().length, 0);

// --- the two ways of loading ---------------------------------------------------------------------------------------
async function naive() {
  const t0 = performance.now();
  const rows = await db.selectFrom('doc_updates').select('update').where('document_id', '=', documentId).orderBy('seq').execute();
  const t1 = performance.now();
  const doc = new Y.Doc({ gc: true });
  Y.transact(doc, () => {
    for (const row of rows) Y.applyUpdate(doc, row.update);
  });
  const t2 = performance.now();
  return { total: t2 - t0, query: t1 - t0, build: t2 - t1, rows: rows.length, doc };
}

async function ours() {
  const t0 = performance.now();
  const loaded = await store.load(documentId);
  const t1 = performance.now();
  const room = new Room(loaded, { documentId, areaId, kind: 'cooperation_agreement', owner: 'bench', store, limits: DEFAULT_LIMITS, compactAfter: COMPACT_AFTER, onError: (e) => console.error(e), onFailed: () => undefined, now: Date.now });
  const t2 = performance.now();
  return { total: t2 - t0, query: t1 - t0, build: t2 - t1, rows: loaded.updates.length + (loaded.snapshot ? 1 : 0), doc: room.doc, room, snapshotBytes: loaded.snapshot?.byteLength ?? 0 };
}

type Sample = { total: number; query: number; build: number };
async function measure<T extends Sample & { doc: Y.Doc }>(label: string, fn: () => Promise<T>, after: (r: T) => void) {
  const samples: Sample[] = [];
  let last: T | undefined;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    gc();
    const r = await fn();
    if (fingerprint(r.doc) !== expected) throw new Error(`${label}: loaded document differs from the typed one`);
    if (i >= WARMUP) samples.push({ total: r.total, query: r.query, build: r.build });
    after(r);
    last = r;
  }
  return { samples, last: last! };
}

// Naive first (nothing compacted yet; compaction does not delete rows, so it reads the same 10,001 rows either way).
const naiveResult = await measure('naive', naive, (r) => r.doc.destroy());

let t = performance.now();
const snapshotSeq = await store.compact(documentId);
const compactFullMs = performance.now() - t;
const oursResult = await measure('ours', ours, (r) => r.room.destroy());

// Worst case between compactions: snapshot + a tail of COMPACT_AFTER - 1 updates.
const tail = simulateTyping(replicas, COMPACT_AFTER - 1, 7);
await appendAll(tail);
const expectedTail = fingerprint(replicas[0]!);
const tailRuns: Sample[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  gc();
  const r = await ours();
  if (fingerprint(r.doc) !== expectedTail) throw new Error('ours+tail: loaded document differs from the typed one');
  if (i >= WARMUP) tailRuns.push({ total: r.total, query: r.query, build: r.build });
  r.room.destroy();
}
t = performance.now();
await store.compact(documentId);
const compactTailMs = performance.now() - t;

process.send!({
  type: 'cold',
  updates: UPDATES,
  naiveRows: naiveResult.last.rows,
  updateBytes,
  textChars,
  snapshotSeq,
  snapshotBytes: oursResult.last.snapshotBytes,
  compactFullMs,
  compactTailMs,
  naive: naiveResult.samples,
  ours: oursResult.samples,
  oursTail: tailRuns,
  gcBetweenRuns: typeof (globalThis as { gc?: unknown }).gc === 'function',
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  dbPath: path,
});
await cleanup();
process.exit(0);
