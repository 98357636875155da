import type { CoreDeps } from '@sopu/core';
import { readSection, sectionsMap, setSectionStatus, templateFor } from '@sopu/doc-model';
import * as decoding from 'lib0/decoding';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDbDocumentStore, type DocumentStore } from '../src/index.ts';
import { connect, cookieFor, createTestDeps, documentOf, frames, ORIGIN, rawClient, serverHasSeen, startCollab, storedDoc, synced, typeInto, userIdOf, waitFor, type Client, type RawClient } from './harness.ts';

// A connection gets the document (its sync answer) before any update that builds on it. Relayed before it, an
// update's new items wait on the client for what they build on, while its deletions apply at once: a section
// entry whose status the update replaces then holds only {"order": n} until the answer arrives, and setting that
// section's status throws in that browser ("No section"). The convergence proof found this after restarts, when
// every client reconnects at once (docs/decisions/014-collab-hardening.md).

let deps: CoreDeps;
let cleanupDb: () => Promise<void>;
let collab: Awaited<ReturnType<typeof startCollab>>;
let agreement: string;
const clients: Client[] = [];
const errors: unknown[] = [];
/** Set: store.append waits for it (a commit that takes its time). */
let commitGate: Promise<void> | null = null;

beforeEach(async () => {
  const created = await createTestDeps();
  deps = created.deps;
  cleanupDb = created.cleanup;
  errors.length = 0;
  commitGate = null;
  const real = createDbDocumentStore(deps.db, deps.audit);
  const store: DocumentStore = { ...real, append: async (...args) => (await commitGate, real.append(...args)) };
  collab = await startCollab(deps, { store, onError: (e) => errors.push(e) });
  agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await collab.stop();
  await cleanupDb();
  expect(errors).toEqual([]);
});

const SECTION_KEYS = templateFor('cooperation_agreement').map((s) => s.key);

/** The sections of `doc` whose metadata is not whole (readSection: order and a known status). */
const incomplete = (doc: Y.Doc) => SECTION_KEYS.filter((key) => !readSection(doc, key));

/**
 * Applies the server's frames to `doc` in the order they arrived, as y-websocket does, and returns the sections
 * that lacked whole metadata after any of them, and which sync messages were seen.
 */
function replay(doc: Y.Doc, received: Uint8Array[]): { broken: string[]; kinds: string[] } {
  const broken = new Set<string>();
  const kinds: string[] = [];
  for (const bytes of received) {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== 0) continue;
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    kinds.push(['step1', 'step2', 'update'][step] ?? String(step));
    if (step === 0) continue;
    Y.applyUpdate(doc, payload, 'server');
    for (const key of incomplete(doc)) broken.add(`${key} ${JSON.stringify((sectionsMap(doc).get(key) as Y.Map<unknown> | undefined)?.toJSON())}`);
  }
  return { broken: [...broken], kinds };
}

/** The connection of `userId` in the room: how many frames the server has handled from it. */
const handled = (userId: string) => [...collab.collab.rooms.get(agreement)!.connections].find((c) => c.userId === userId)?.framesHandled ?? -1;

/**
 * A drafter (A) types in one section, then a second replica (C) that was last synced before that comes back
 * (a browser reconnecting after a restart) as a raw socket the test drives; then A marks another section.
 */
async function setUp() {
  const writer = connect(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
  clients.push(writer);
  await synced(writer);
  const writerId = await userIdOf(deps.db, 'drafter.kajaani@sopu.example');
  // C's replica: the stored document as it is now, before A's typing.
  const replica = await storedDoc(deps.db, agreement);
  expect(incomplete(replica)).toEqual([]);
  typeInto(writer.doc, 'parties', 'Kajaani ja Sotkamo');
  await serverHasSeen(collab.collab, agreement, writerId, writer);
  expect(await collab.collab.rooms.get(agreement)!.whenStored()).toBe(true);
  const readerId = await userIdOf(deps.db, 'drafter.sotkamo@sopu.example');
  const raw = rawClient(collab.wsUrl, `/collab/${agreement}`, { Origin: ORIGIN, Cookie: await cookieFor(deps, 'drafter.sotkamo@sopu.example') });
  expect(await raw.status).toContain('101');
  // The server's sync step 1 is sent when the connection joins the room.
  await waitFor(() => raw.frames.length > 0, 'sync step 1 from the server');
  /** A sets the purpose section's status: its update builds on A's typing, which C does not have. */
  const markPurpose = async () => {
    setSectionStatus(writer.doc, 'purpose', 'not_applicable', 'Sovitaan erikseen', writerId);
    await serverHasSeen(collab.collab, agreement, writerId, writer);
  };
  return { writer, writerId, replica, raw, readerId, markPurpose };
}

/** C asks for the document; resolves once its answer (sync step 2) has arrived. */
async function askForDocument(raw: RawClient, replica: Y.Doc, readerId: string) {
  const before = handled(readerId);
  raw.send(frames.syncStep1(replica));
  await waitFor(() => handled(readerId) > before, 'the server to read the sync request');
}

const isStep2 = (bytes: Uint8Array) => bytes[0] === 0 && bytes[1] === 1;

describe('a connection gets the document before updates that build on it', () => {
  it('does not relay an update to a connection that has not asked for the document yet; its answer brings it', async () => {
    const { replica, raw, readerId, markPurpose } = await setUp();
    await markPurpose();
    // Stored, and so relayed to every connection that may have it (relaying precedes resolving whenStored).
    expect(await collab.collab.rooms.get(agreement)!.whenStored()).toBe(true);
    await askForDocument(raw, replica, readerId);
    await waitFor(() => raw.frames.some(isStep2), 'the sync answer');
    const { broken, kinds } = replay(replica, raw.frames);
    expect(broken, `sections without whole metadata on the way (frames: ${kinds.join(', ')})`).toEqual([]);
    expect(kinds).toEqual(['step1', 'step2']);
    expect(readSection(replica, 'purpose')).toMatchObject({ status: 'not_applicable', reason: 'Sovitaan erikseen' });
    raw.end();
  });

  it('holds updates stored while a connection waits for its answer, and sends them after it', async () => {
    const { writer, replica, raw, readerId, markPurpose } = await setUp();
    const base = Y.encodeStateAsUpdate(replica);
    let release!: () => void;
    commitGate = new Promise<void>((r) => (release = r));
    // A's status change is applied and waits for its commit; C asks for the document meanwhile: its answer (which
    // has A's change) waits for that commit too.
    await markPurpose();
    await askForDocument(raw, replica, readerId);
    // Then A types again: applied after C's answer was made, so only a relay can bring it.
    typeInto(writer.doc, 'purpose', 'Lisäys');
    await serverHasSeen(collab.collab, agreement, await userIdOf(deps.db, 'drafter.kajaani@sopu.example'), writer);
    commitGate = null;
    release();
    expect(await collab.collab.rooms.get(agreement)!.whenStored()).toBe(true);
    await waitFor(() => raw.frames.some(isStep2), 'the sync answer');
    await waitFor(() => { const copy = new Y.Doc(); Y.applyUpdate(copy, base); replay(copy, raw.frames); return copy.getXmlFragment('section:purpose').toString().includes('Lisäys'); }, 'the later typing relayed');
    const { broken, kinds } = replay(replica, raw.frames);
    expect(broken, `sections without whole metadata on the way (frames: ${kinds.join(', ')})`).toEqual([]);
    expect(kinds[0]).toBe('step1');
    expect(kinds[1]).toBe('step2');
    expect(readSection(replica, 'purpose')).toMatchObject({ status: 'not_applicable' });
    expect(replica.getXmlFragment('section:purpose').toString()).toContain('Lisäys');
    expect(sectionsMap(replica).size).toBe(20);
    raw.end();
  });

  it('drops a connection for which more is kept, while its answer is due, than a socket may have unsent', async () => {
    await collab.stop();
    const real = createDbDocumentStore(deps.db, deps.audit);
    const store: DocumentStore = { ...real, append: async (...args) => (await commitGate, real.append(...args)) };
    collab = await startCollab(deps, { store, onError: (e) => errors.push(e), limits: { maxBufferedBytes: 4096 } });
    const { writer, writerId, replica, raw, readerId } = await setUp();
    let release!: () => void;
    commitGate = new Promise<void>((r) => (release = r));
    // More than 4 KiB of A's typing waits for its commit; C asks meanwhile, so its answer waits for that commit.
    typeInto(writer.doc, 'purpose', 'x'.repeat(6000));
    await serverHasSeen(collab.collab, agreement, writerId, writer);
    await askForDocument(raw, replica, readerId);
    let closed = false;
    void raw.closed.then(() => (closed = true));
    commitGate = null;
    release();
    await waitFor(() => closed || raw.frames.some(isStep2), 'the socket dropped (or answered)');
    expect(raw.frames.some(isStep2)).toBe(false);
    expect(closed).toBe(true);
    await waitFor(() => collab.collab.rooms.get(agreement)!.connections.size === 1, 'the server to let the socket go');
    // A, whose socket had nothing waiting, goes on.
    const other = connect(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    clients.push(other);
    await synced(other);
    expect(other.doc.getXmlFragment('section:purpose').toString()).toContain('x'.repeat(6000));
  });
});
