// Child process: OUR collab server (services/collab) over a fresh temp-file libSQL database with the demo data,
// real sessions and the production authoriser, on 127.0.0.1 port 0. Configured like services/collab/src/main.ts:
// production defaults for re-check interval (3 s), room unload (2 s) and compaction (every 200 updates).
// Started by run.ts through child_process.fork; talks to it over IPC.
import { createLoginThrottle, createSessions } from '@sopu/auth';
import { createCollabServer, createCoreAuthorizer, createDbDocumentStore, DEFAULT_LIMITS, type DocumentStore } from '@sopu/collab';
import { createAuditLog, createFeedSignal, createStoreDocumentWriter, type CoreDeps } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { randomBytes } from 'node:crypto';
import { checkpointerOf, createTestDb } from '@sopu/db';
import { createInitialState } from '@sopu/doc-model';
import { createServer } from 'node:http';
import * as Y from 'yjs';
import { simulateTyping } from './typing.ts';
import type { AddressInfo } from 'node:net';
import { serveParent, traceUpdates, type ChildStats } from './child-control.ts';
import { ORIGIN, type ServerReady } from './common.ts';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 210);
const AREA = 'kainuu-koillismaa';

const traced = await traceUpdates();
// Production servers checkpoint the WAL on a worker thread (packages/db/src/checkpointer.ts); BENCH_CHECKPOINTS=main
// measures SQLite's default instead (the committing connection checkpoints every 1,000 pages).
const BACKGROUND_CHECKPOINTS = process.env.BENCH_CHECKPOINTS !== 'main';
const { db, cleanup } = await createTestDb({ backgroundCheckpoints: BACKGROUND_CHECKPOINTS });
const sessions = createSessions(db, { idleTimeoutMs: 8 * 3_600_000, absoluteTimeoutMs: 7 * 86_400_000, secureCookies: false });
const deps: CoreDeps = { db, sessions, throttle: createLoginThrottle(db), audit: createAuditLog(randomBytes(32)), feed: createFeedSignal(), documents: createStoreDocumentWriter(db), now: Date.now, publicUrl: ORIGIN, invitationTtlMs: 86_400_000 };
await loadDemoAreasIfEmpty(deps);
const authorize = createCoreAuthorizer(deps);

const { id: documentId } = await db
  .selectFrom('documents')
  .innerJoin('areas', 'areas.id', 'documents.area_id')
  .select('documents.id')
  .where('areas.slug', '=', AREA)
  .where('documents.kind', '=', 'cooperation_agreement')
  .executeTakeFirstOrThrow();

// Every member of the area the authoriser lets write the agreement's text directly (by default the host's drafters
// and admin; the other municipalities' drafters suggest, decision 025, and the room refuses their plain typing, which
// is not what these clients do); sessions are spread over them.
const members = await db
  .selectFrom('users')
  .innerJoin('memberships', 'memberships.user_id', 'users.id')
  .innerJoin('areas', 'areas.id', 'memberships.area_id')
  .select(['users.id', 'users.email'])
  .where('areas.slug', '=', AREA)
  .orderBy('users.email')
  .execute();
const writers: string[] = [];
for (const member of members) {
  const session = await sessions.create(member.id);
  const [grant] = await authorize(documentId, [{ cookie: `sopu_session=${session.token}`, activity: true }]);
  if (grant && !('deny' in grant) && !grant.readOnly && !grant.suggestOnly) writers.push(member.id);
}
if (writers.length === 0) throw new Error('no demo user may edit the agreement');
const cookies: string[] = [];
for (let i = 0; i < SESSIONS; i++) cookies.push(`sopu_session=${(await sessions.create(writers[i % writers.length]!)).token}`);

// Two more agreements of the same area: one with 10,000 stored keystrokes (open → synced), one for idle sockets.
const areaId = (await db.selectFrom('documents').select('area_id').where('id', '=', documentId).executeTakeFirstOrThrow()).area_id;
const openDocumentId = 'bench-open-10000';
const idleDocumentId = 'bench-idle';
for (const [id, title] of [[openDocumentId, 'Bench: 10,000 keystrokes'], [idleDocumentId, 'Bench: idle sockets']] as const) {
  await db.insertInto('documents').values({ id, area_id: areaId, kind: 'cooperation_agreement', title, created_by: null, created_at: Date.now() }).execute();
  await db.insertInto('doc_updates').values({ document_id: id, seq: 1, update: createInitialState('cooperation_agreement'), user_id: null, created_at: Date.now() }).execute();
}
const OPEN_KEYSTROKES = Number(process.env.BENCH_OPEN_KEYSTROKES ?? 10_000);
{
  // Typed by three of the writers, one keystroke = one update, stored as group commits of 100 would store them.
  const seedStore = createDbDocumentStore(db, deps.audit);
  await seedStore.acquireLease(openDocumentId, 'bench-seed', 600_000);
  const initial = await seedStore.load(openDocumentId);
  const replicas = [0, 1, 2].map(() => {
    const doc = new Y.Doc();
    for (const u of initial.updates) Y.applyUpdate(doc, u);
    return doc;
  });
  const typed = simulateTyping(replicas, OPEN_KEYSTROKES, 42);
  let seq = initial.lastSeq;
  for (let i = 0; i < typed.length; i += 100) {
    const batch = typed.slice(i, i + 100).map((u) => ({ update: u.update, userId: writers[u.typist % writers.length]! }));
    await seedStore.append(openDocumentId, { afterSeq: seq, updates: batch, audit: [], clients: [] }, { areaId, owner: 'bench-seed' });
    seq += batch.length;
  }
  await seedStore.releaseLease(openDocumentId, 'bench-seed');
  for (const r of replicas) r.destroy();
}

// The store and the authoriser, timed from the outside (services/collab itself is untouched): how long each
// group commit takes including its wait for the database lock (it is on the path of every broadcast), how long
// compactions hold that lock, and how much authorising (mostly the periodic re-checks) the server does.
let errors = 0;
const timings = { append: [] as number[], appendRows: 0, compact: [] as number[], authorize: [] as number[], authorizeRequests: 0 };
// When (epochMs) authorisations and compactions ran, to line slow edits up with them.
const windows = { authorize: [] as Array<[number, number]>, compact: [] as Array<[number, number]>, append: [] as Array<[number, number]> };
const inner = createDbDocumentStore(db, deps.audit);
const timed =
  <A extends unknown[], R>(into: number[], fn: (...args: A) => Promise<R>, window?: Array<[number, number]>) =>
  async (...args: A): Promise<R> => {
    const t0 = performance.now();
    try {
      return await fn(...args);
    } finally {
      const t1 = performance.now();
      into.push(t1 - t0);
      window?.push([performance.timeOrigin + t0, performance.timeOrigin + t1]);
    }
  };
/** Merges windows less than `gap` ms apart (overlapping or back-to-back authorisations count as one burst). */
function bursts(list: Array<[number, number]>, gap = 2): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of [...list].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a - last[1] < gap) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
const store: DocumentStore = {
  ...inner,
  append: timed(
    timings.append,
    (documentId, batch, context) => {
      timings.appendRows += batch.updates.length;
      return inner.append(documentId, batch, context);
    },
    windows.append,
  ),
  compact: timed(timings.compact, inner.compact, windows.compact),
  // The room compacts by writing its loaded document as the snapshot: timed as a compaction.
  writeSnapshot: timed(timings.compact, inner.writeSnapshot, windows.compact),
};
// Each call's window with the number of sockets it checked (the idle phase adds them up per re-check round).
const authorizeCalls: Array<[number, number, number]> = [];
const authorizeTimed: typeof authorize = async (documentId, requests) => {
  timings.authorizeRequests += requests.length;
  const t0 = performance.now();
  try {
    return await authorize(documentId, requests);
  } finally {
    const t1 = performance.now();
    timings.authorize.push(t1 - t0);
    windows.authorize.push([performance.timeOrigin + t0, performance.timeOrigin + t1]);
    authorizeCalls.push([performance.timeOrigin + t0, performance.timeOrigin + t1, requests.length]);
  }
};
const collab = createCollabServer({
  store,
  authorize: authorizeTimed,
  allowedOrigins: [ORIGIN],
  // BENCH_RENEWAL_MS: how long the rooms hold presence renewals (production 5 s; 0 relays each at once).
  ...(process.env.BENCH_RENEWAL_MS ? { limits: { presence: { ...DEFAULT_LIMITS.presence, renewalRelayMs: Number(process.env.BENCH_RENEWAL_MS) } } } : {}),
  onError: (error) => {
    errors++;
    console.error('[collab]', error);
  },
});
const server = createServer((_req, res) => res.writeHead(426).end());
server.on('upgrade', (req, socket, head) => {
  if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1]! : 0;
};
async function stats(reset: boolean): Promise<ChildStats> {
  const w = { recheck: bursts(windows.authorize), compact: bursts(windows.compact), authorize: authorizeCalls.map((c) => [...c]) as unknown as Array<[number, number]> };
  const t = {
    appends: timings.append.length,
    appendRows: timings.appendRows,
    appendP50: pct(timings.append, 50),
    appendP99: pct(timings.append, 99),
    appendMax: pct(timings.append, 100),
    compactions: timings.compact.length,
    compactP50: pct(timings.compact, 50),
    compactMax: pct(timings.compact, 100),
    authorizations: timings.authorize.length,
    authorizeRequests: timings.authorizeRequests,
    authorizeMs: timings.authorize.reduce((a, b) => a + b, 0),
    authorizeP99: pct(timings.authorize, 99),
    authorizeMax: pct(timings.authorize, 100),
  };
  if (reset) {
    timings.append.length = 0;
    timings.compact.length = 0;
    timings.authorize.length = 0;
    timings.appendRows = 0;
    timings.authorizeRequests = 0;
    windows.authorize.length = 0;
    windows.compact.length = 0;
    authorizeCalls.length = 0;
  }
  const updates = await db.selectFrom('doc_updates').select((eb) => eb.fn.countAll<number>().as('n')).where('document_id', '=', documentId).executeTakeFirstOrThrow();
  const snapshot = await db.selectFrom('doc_snapshots').select('seq').where('document_id', '=', documentId).executeTakeFirst();
  const audit = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  // Slow edits (≥ 2 ms from frame to first send) and what overlapped them: a GC, a re-check call, a compaction, a commit.
  const slowTrace = traced.slow(2);
  const overlaps = (edit: [number, number], list: Array<[number, number]>) => list.some(([a, b]) => a < edit[1] && b > edit[0]);
  const slowStats = {
    traceSlow: slowTrace.edits.length,
    traceSlowGc: slowTrace.edits.filter((e) => overlaps(e, slowTrace.gc)).length,
    traceSlowRecheck: slowTrace.edits.filter((e) => overlaps(e, windows.authorize)).length,
    traceSlowCompact: slowTrace.edits.filter((e) => overlaps(e, windows.compact)).length,
    traceSlowCommit: slowTrace.edits.filter((e) => overlaps(e, windows.append)).length,
    traceSlowNone: slowTrace.edits.filter((e) => ![slowTrace.gc, windows.authorize, windows.compact].some((l) => overlaps(e, l))).length,
  };
  // Where the slow edits' time went: before the commit began (receive, guard, apply, the hop), the commit (lock
  // wait + statements), after it (relay up to the first send). The last commit inside each edit is its own.
  const parts = slowTrace.edits.map((e) => {
    const commit = windows.append.filter(([a, b]) => a >= e[0] && b <= e[1]).at(-1);
    return commit ? [commit[0] - e[0], commit[1] - commit[0], e[1] - commit[1]] : [NaN, NaN, NaN];
  });
  if (process.env.BENCH_TRACE === '1') {
    slowTrace.edits.forEach((e, i) => {
      const inside = windows.append.filter(([a, b]) => a < e[1] && b > e[0]).map(([a, b]) => `${(a - e[0]).toFixed(2)}+${(b - a).toFixed(2)}`);
      console.error(`[trace] slow edit ${(e[1] - e[0]).toFixed(2)} ms: handler ${slowTrace.handled[i]!.toFixed(2)} ms, commits (start after frame + length) ${inside.join(', ')}`);
    });
  }
  const partStats = {
    traceSlowBefore: pct(parts.map((p) => p[0]!), 50),
    traceSlowHandled: pct(slowTrace.handled, 50),
    traceSlowCommitMs: pct(parts.map((p) => p[1]!), 50),
    traceSlowAfter: pct(parts.map((p) => p[2]!), 50),
  };
  windows.append.length = 0;
  const trace = traced().sort((a, b) => a - b);
  return { stats: { ...t, ...slowStats, ...partStats, checkpoints: checkpointerOf(db)?.checkpoints ?? -1, traceN: trace.length, traceP50: pct(trace, 50), traceP90: pct(trace, 90), traceP99: pct(trace, 99), traceMax: pct(trace, 100), storedUpdates: Number(updates.n), snapshotSeq: snapshot?.seq ?? 0, auditEvents: Number(audit.n), errors, writers: writers.length }, windows: w };
}

async function stop() {
  server.closeAllConnections();
  server.close();
  await collab.close();
  await cleanup();
  process.exit(0);
}

serveParent({
  stats,
  stop,
  loaded: async (id) => collab.rooms.has(id),
  unload: () => collab.unloadIdle(),
  // One session per socket (the worst case for a re-check: every token is looked up).
  sessions: async (count) => {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(`sopu_session=${(await sessions.create(writers[i % writers.length]!)).token}`);
    return out;
  },
});

const ready: ServerReady = {
  type: 'ready',
  port,
  wsUrl: `ws://127.0.0.1:${port}/collab`,
  documentId,
  cookies,
  openDocumentId,
  idleDocumentId,
  framing: 'y-websocket',
  description: `createCollabServer + createDbDocumentStore (libSQL temp file, WAL, synchronous=NORMAL, checkpoints ${BACKGROUND_CHECKPOINTS ? 'on a worker thread' : 'in the committing connection (SQLite default)'}) + createCoreAuthorizer, ${writers.length} demo writers, ${SESSIONS} sessions`,
};
process.send!(ready);
