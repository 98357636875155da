// Where an edit's time goes inside ours, without sockets or other processes (not part of run.ts):
//   node --import tsx tests/bench/edit-path.ts
// A real Room over a temp-file libSQL database with the demo data and 50 connections whose sockets only note when
// they were first sent something; one editor's keystrokes go through Room.receive (guard, apply, handlers), the
// group commit and the relay. Each keystroke is timed back to back ("hot": caches warm) and again with 20 ms between
// keystrokes, as in the benchmark ("after a pause": whatever else runs on the machine meanwhile has evicted the
// caches), and the layout guard alone before each paused keystroke.
import { createDbDocumentStore, DEFAULT_LIMITS, Room } from '@sopu/collab';
import { createAuditLog } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { createTestDb } from '@sopu/db';
import { checkClientUpdate } from '@sopu/doc-model';
import { randomBytes } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { ms, sleep, summarise, table } from './common.ts';

const { db, cleanup } = await createTestDb();
const audit = createAuditLog(randomBytes(32));
await loadDemoAreasIfEmpty({ db, audit });
const { id: documentId, area_id: areaId } = await db.selectFrom('documents').select(['id', 'area_id']).where('kind', '=', 'cooperation_agreement').executeTakeFirstOrThrow();
const user = (await db.selectFrom('users').select('id').where('email', '=', 'drafter.kajaani@sopu.example').executeTakeFirstOrThrow()).id;
const store = createDbDocumentStore(db, audit);
await store.acquireLease(documentId, 'edit-path', 3_600_000);
const room = new Room(await store.load(documentId), { documentId, areaId, kind: 'cooperation_agreement', owner: 'edit-path', store, limits: DEFAULT_LIMITS, compactAfter: 200, onError: console.error, onFailed: () => undefined, now: Date.now });

let firstSend = 0;
type Conn = Parameters<Room['receive']>[0];
const conns: Conn[] = [];
for (let i = 0; i < 50; i++) {
  const ws = { readyState: 1, bufferedAmount: 0, send: () => void (firstSend ||= performance.now()), close() {}, terminate() {} };
  const conn = { ws, userId: user, readOnly: false, identity: {}, closing: false, cookie: '', wrote: false, activeSinceCheck: false, syncBucket: { take: () => true }, held: [], heldBytes: 0, presenceIds: new Set(), framesHandled: 0, subscribed: false, answered: true, answersDue: 0, relaysDue: [], relaysDueBytes: 0 } as unknown as Conn;
  room.connections.add(conn);
  conns.push(conn);
}
const frame = (update: Uint8Array) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
};
const editor = new Y.Doc();
Y.applyUpdate(editor, Y.encodeStateAsUpdate(room.doc));
const text = new Y.XmlText();
editor.transact(() => {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [text]);
  editor.getXmlFragment('section:parties').insert(0, [paragraph]);
});
room.receive(conns[0]!, frame(Y.encodeStateAsUpdate(editor, Y.encodeStateVector(room.doc))));
await room.whenStored();
const keystrokes: Uint8Array[] = [];
editor.on('update', (u: Uint8Array) => keystrokes.push(u));
for (let i = 0; i < 4000; i++) text.insert(text.length, 'a');

async function measure(updates: Uint8Array[], pauseMs: number, guardFirst: boolean) {
  const receive: number[] = [];
  const toFirstSend: number[] = [];
  const guard: number[] = [];
  for (const update of updates) {
    if (pauseMs > 0) await sleep(pauseMs);
    if (guardFirst) {
      const t = performance.now();
      checkClientUpdate(room.doc, 'cooperation_agreement', update, () => true, user);
      guard.push(performance.now() - t);
    }
    firstSend = 0;
    const t0 = performance.now();
    room.receive(conns[0]!, frame(update));
    receive.push(performance.now() - t0);
    await room.whenStored();
    toFirstSend.push(firstSend - t0);
  }
  return { receive: summarise(receive), toFirstSend: summarise(toFirstSend), guard: summarise(guard) };
}
const hot = await measure(keystrokes.slice(0, 3000), 0, false);
const paused = await measure(keystrokes.slice(3000, 3300), 20, false);
const pausedGuard = await measure(keystrokes.slice(3300, 3600), 20, true);
console.log(
  table(
    ['keystrokes', 'receive() p50 (guard, apply, handlers)', 'receive → first send p50 (+ commit)', 'p99', 'guard alone, first p50'],
    [
      ['3,000 back to back (hot)', ms(hot.receive.p50, 3), ms(hot.toFirstSend.p50, 3), ms(hot.toFirstSend.p99, 3), ''],
      ['300, 20 ms apart', ms(paused.receive.p50, 3), ms(paused.toFirstSend.p50, 3), ms(paused.toFirstSend.p99, 3), ''],
      ['300, 20 ms apart, guard run first', ms(pausedGuard.receive.p50, 3), ms(pausedGuard.toFirstSend.p50, 3), ms(pausedGuard.toFirstSend.p99, 3), ms(pausedGuard.guard.p50, 3)],
    ],
  ),
);
room.destroy();
await cleanup();
