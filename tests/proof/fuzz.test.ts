/**
 * Proof: protocol fuzzing. Seeded random, truncated, oversized and mutated y-websocket frames (sync, awareness,
 * unknown types) and Yjs updates that break the layout, sent by hostile sockets to a real collab process. The
 * process stays up and logs nothing, another room keeps working throughout, offending sockets close with a code,
 * and nothing invalid is stored. Short form in `npm test`; `npm run proof -- fuzz` sends many more frames.
 * A failure prints its seed: `PROOF_SEED=<seed> npm run proof -- fuzz` replays it.
 */
import { checkClientUpdate, repairSections, SECTIONS_MAP, sectionFragmentName, sectionsMap, templateFor } from '@sopu/doc-model';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connect, cookieFor, demoDatabase, documentOf, frames, LONG, ORIGIN, prng, rawClient, seedFromEnv, startCollabChild, storedDoc, synced, textOf, typeInto, waitFor,
  type Client, type CollabChild, type RawClient,
} from './support/collab.ts';

const FRAMES = LONG ? 100_000 : 5_000;
const SEED = seedFromEnv(20261201);

let db: Awaited<ReturnType<typeof demoDatabase>>;
let server: CollabChild;
let target: string;
let bystanderDoc: string;
const clients: Client[] = [];

beforeAll(async () => {
  db = await demoDatabase();
  server = await startCollabChild(db.url, { instanceId: 'fuzz' });
  target = await documentOf(db.deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
  bystanderDoc = await documentOf(db.deps.db, 'kainuu-koillismaa', 'administrative_rules');
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.kill('SIGTERM');
  await db?.cleanup();
});

/** An honest client of the fuzzed room: what it holds is what the server relayed (so, stored). */
let mirror: Client;

/** What a client that synced would hold (the fuzzer builds its updates on it). */
function replica(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(mirror.doc));
  return doc;
}

function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on('update', on);
  try {
    change();
  } finally {
    doc.off('update', on);
  }
  return Y.mergeUpdates(updates);
}

type Rng = ReturnType<typeof prng>;
const KEYS = templateFor('cooperation_agreement').map((s) => s.key);

/** Yjs updates a hostile client might build: valid ones, and ones that break the layout in every known way. */
function hostileUpdate(rng: Rng, doc: Y.Doc): Uint8Array {
  const key = rng.pick(KEYS);
  const entry = () => sectionsMap(doc).get(key) as Y.Map<unknown>;
  const makers: Array<() => void> = [
    () => typeInto(doc, key, `fuzz-${rng.int(1e6)} `),
    () => sectionsMap(doc).delete(key),
    () => sectionsMap(doc).set(key, new Y.Map()),
    () => sectionsMap(doc).set(`invented_${rng.int(1000)}`, new Y.Map()),
    () => doc.getMap(`junk${rng.int(10)}`).set('x', 'y'.repeat(rng.int(5000))),
    () => doc.getText('notes').insert(0, 'x'),
    () => entry().set('status', rng.pick(['x', 3, null, {}, 'agreed', 'not_applicable', 'drafting'])),
    () => entry().set('reason', rng.pick([5, '', 'syy', 'x'.repeat(2500)])),
    () => entry().set('order', rng.int(100)),
    () => entry().delete('order'),
    () => entry().set(`f${rng.int(5)}`, 1),
    () => doc.getXmlFragment(sectionFragmentName(key)).insert(0, [new Y.XmlHook('h') as unknown as Y.XmlElement]),
    () => doc.getXmlFragment(`section:nope_${rng.int(5)}`).insert(0, [new Y.XmlElement('paragraph')]),
  ];
  const before = doc.clientID;
  if (rng.chance(0.1)) doc.clientID = rng.pick([...doc.store.clients.keys()].concat([rng.int(2 ** 31)]));
  try {
    const make = rng.pick(makers);
    // A maker may not apply to what earlier hostile changes left in the local copy: then it sends junk instead.
    return updateOf(doc, () => {
      try {
        make();
      } catch {
        doc.getMap('junk').set('fallback', rng.int(1000));
      }
    });
  } finally {
    doc.clientID = before;
  }
}

/** Bytes changed here and there: flips, truncation, junk appended or inserted, lengths made huge. */
function mutate(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = [...bytes];
  const ops = 1 + rng.int(4);
  for (let i = 0; i < ops; i++) {
    const op = rng.int(5);
    const at = rng.int(out.length + 1);
    if (op === 0 && out.length > 0) out[Math.min(at, out.length - 1)] = rng.int(256);
    else if (op === 1) out.length = at;
    else if (op === 2) out.splice(at, 0, ...Array.from({ length: 1 + rng.int(8) }, () => rng.int(256)));
    else if (op === 3) out.splice(at, 0, 0xff, 0xff, 0xff, 0xff, 0x0f);
    else if (op === 4 && out.length > 2) out.splice(at, 1 + rng.int(3));
  }
  return new Uint8Array(out);
}

function awarenessJunk(rng: Rng): Uint8Array {
  const n = rng.pick([0, 1, 2, 10, 500]);
  return frames.awareness(
    Array.from({ length: n }, () => ({
      clientId: rng.int(2 ** 31),
      clock: rng.int(1000),
      state: rng.pick([null, {}, { sopu: { name: 1, municipality: 2, section: '../x' } }, { user: { name: '<script>' } }, { cursor: { anchor: 'x' } }, 'x'.repeat(rng.int(10_000))]),
    })),
  );
}

it(`survives ${FRAMES} hostile frames: no crash, the other room works, nothing invalid is stored`, async () => {
  const rng = prng(SEED);
  const closes = new Map<number, number>();
  const cookie = await cookieFor(db.deps, 'drafter.kajaani@sopu.example');
  const viewerCookie = await cookieFor(db.deps, 'viewer.kuhmo@sopu.example');
  // Another room, in use all along: its two clients must keep converging.
  const a = connect(server.wsUrl, bystanderDoc, await cookieFor(db.deps, 'admin.kajaani@sopu.example'));
  const b = connect(server.wsUrl, bystanderDoc, await cookieFor(db.deps, 'drafter.kajaani@sopu.example'));
  clients.push(a, b);
  mirror = connect(server.wsUrl, target, await cookieFor(db.deps, 'viewer.kuhmo@sopu.example'));
  clients.push(mirror);
  await Promise.all([synced(a), synced(b), synced(mirror)]);

  let doc = replica();
  let socket: RawClient | null = null;
  let sent = 0;
  const open = async () => {
    const raw = rawClient(server.wsUrl, `/collab/${target}`, { Origin: ORIGIN, Cookie: rng.chance(0.1) ? viewerCookie : cookie });
    await raw.status;
    return raw;
  };
  const retire = async (raw: RawClient) => {
    const code = raw.closeCode();
    if (code !== null) closes.set(code, (closes.get(code) ?? 0) + 1);
    raw.end();
  };

  try {
    for (let i = 0; i < FRAMES; i++) {
      if (!socket || socket.closeCode() !== null || rng.chance(0.02)) {
        if (socket) await retire(socket);
        socket = await open();
        doc = replica();
      }
      const kind = rng.int(10);
      let frame: Uint8Array;
      if (kind <= 2) frame = frames.update(hostileUpdate(rng, doc));
      else if (kind === 3) frame = mutate(rng, frames.update(hostileUpdate(rng, doc)));
      else if (kind === 4) frame = rng.chance(0.5) ? awarenessJunk(rng) : mutate(rng, awarenessJunk(rng));
      else if (kind === 5) frame = mutate(rng, frames.syncStep1(doc));
      else if (kind === 6) frame = frames.syncStep2(rng.chance(0.5) ? hostileUpdate(rng, doc) : mutate(rng, hostileUpdate(rng, doc)));
      else if (kind === 7) frame = new Uint8Array(Array.from({ length: rng.int(64) }, () => rng.int(256)));
      else if (kind === 8) frame = new Uint8Array([rng.pick([4, 5, 9, 100, 100, 127, 200]), ...Array.from({ length: rng.int(16) }, () => rng.int(256))]);
      else frame = rng.chance(0.02) ? new Uint8Array(1024 * 1024 + 1 + rng.int(1000)) : frames.queryAwareness();
      socket.send(frame);
      sent++;
      // Let the server's answer (a close, most often) arrive before the next frame, so that frames reach open sockets.
      await new Promise((r) => setImmediate(r));
      if (i % 250 === 0) {
        // The process is alive and the other room still converges.
        expect(server.child.exitCode, `seed ${SEED}, frame ${i}`).toBeNull();
        typeInto(a.doc, 'scope', `${i};`);
        await waitFor(() => textOf(b.doc, 'scope').endsWith(`${i};`), `the other room at frame ${i} (seed ${SEED})`, 15_000);
      }
    }
    if (socket) await retire(socket);
  } catch (error) {
    throw new Error(`fuzz failed with seed ${SEED}: ${String(error)}`);
  }

  // Nothing invalid stored: only the layout's roots, every section there, metadata the repair need not touch.
  const stored = await storedDoc(db.deps.db, target);
  const allowed = new Set([SECTIONS_MAP, ...KEYS.map(sectionFragmentName)]);
  const roots = [...stored.share.keys()];
  expect(roots.filter((r) => !allowed.has(r)), `seed ${SEED}`).toEqual([]);
  expect([...sectionsMap(stored).keys()].sort()).toEqual([...KEYS].sort());
  expect(repairSections(stored, 'cooperation_agreement', 'check'), `seed ${SEED}`).toEqual([]);
  // Every stored update passes the guard on the state before it (replayed from the start).
  const rows = await db.deps.db.selectFrom('doc_updates').select(['seq', 'update', 'user_id']).where('document_id', '=', target).orderBy('seq').execute();
  const replay = new Y.Doc();
  for (const row of rows) {
    if (row.user_id !== null) expect(checkClientUpdate(replay, 'cooperation_agreement', row.update).ok, `stored update ${row.seq} (seed ${SEED})`).toBe(true);
    Y.applyUpdate(replay, row.update);
  }
  expect(server.child.exitCode).toBeNull();
  expect(server.stderr(), `the server logged errors (seed ${SEED})`).toBe('');
  const byCode = [...closes.entries()].sort((x, y) => x[0] - y[0]).map(([code, n]) => `${code}×${n}`).join(', ');
  console.log(`fuzz: ${sent} frames tried (seed ${SEED}), sockets closed by code: ${byCode}, ${rows.length} updates stored, 0 crashes`);
  // A deadline for a run that stopped, not a timing: the long form takes from minutes to far more on a busy machine.
}, LONG ? 3_600_000 : 300_000);
