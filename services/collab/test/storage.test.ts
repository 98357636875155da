import type { CoreDeps } from '@sopu/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE, createDbDocumentStore, LeaseLost, type AppendBatch, type DocumentStore } from '../src/index.ts';
import { connect, cookieFor, createTestDeps, documentOf, roundTrip, serverHasSeen, startCollab, storedDoc, synced, textOf, typeInto, userIdOf, waitFor, type Client } from './harness.ts';

let deps: CoreDeps;
let cleanupDb: () => Promise<void>;
let agreement: string;
const servers: Array<Awaited<ReturnType<typeof startCollab>>> = [];
const clients: Client[] = [];
const errors: unknown[] = [];
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args);
  clients.push(client);
  return client;
};
async function start(overrides: Parameters<typeof startCollab>[1] = {}) {
  const server = await startCollab(deps, { onError: (e) => errors.push(e), ...overrides });
  servers.push(server);
  return server;
}

beforeEach(async () => {
  ({ deps, cleanup: cleanupDb } = await createTestDeps());
  errors.length = 0;
  agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.stop();
  await cleanupDb();
  // A test that expects a server error takes it out of the list and checks it there; anything left is unexpected.
  expect(errors.splice(0).map(String)).toEqual([]);
});

/** The real store, with append held until the test releases it: a commit that takes as long as the test wants. */
function gatedStore(real: DocumentStore) {
  let gate: { promise: Promise<void>; release: () => void } | null = null;
  let appends = 0;
  const store: DocumentStore = {
    ...real,
    append: async (...args) => {
      appends++;
      if (gate) await gate.promise;
      return real.append(...args);
    },
  };
  return {
    store,
    appends: () => appends,
    hold() {
      let release!: () => void;
      gate = { promise: new Promise<void>((r) => (release = r)), release: () => release() };
    },
    release() {
      gate?.release();
      gate = null;
    },
  };
}

describe('persist before broadcast, deterministically', () => {
  it('relays nothing, to a peer or to a newly joining client, before the commit has finished', async () => {
    const gated = gatedStore(createDbDocumentStore(deps.db, deps.audit));
    const server = await start({ store: gated.store });
    const writer = open(server.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const peer = open(server.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(writer), synced(peer)]);

    gated.hold();
    const appendsBefore = gated.appends();
    typeInto(writer.doc, 'parties', 'held in the commit');
    const late = open(server.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    try {
      await waitFor(() => gated.appends() > appendsBefore, 'the commit started');
      // A client joining now asks for everything (sync step 1); its answer (sync step 2) must wait for the commit too.
      await waitFor(() => late.provider.wsconnected, 'late client connected');
      // Round trips on both sockets: the server has handled the late client's sync request, and each has received
      // everything the server sent it so far. A relay or a sync answer sent before the commit would be there now.
      await roundTrip(late);
      await roundTrip(peer);
      expect(gated.appends()).toBe(appendsBefore + 1);
      expect(textOf(peer.doc, 'parties')).toBe('');
      expect(late.provider.synced).toBe(false);
      expect(textOf(late.doc, 'parties')).toBe('');
    } finally {
      // Also when an assertion failed: a commit held for ever would keep the server from stopping.
      gated.release();
    }
    await waitFor(() => textOf(peer.doc, 'parties') === 'held in the commit', 'peer receives after the commit');
    await synced(late);
    expect(textOf(late.doc, 'parties')).toBe('held in the commit');
  });
});

describe("a use case's change through the room", () => {
  it('is stored in one commit with the audit events it returns, and relayed', async () => {
    const real = createDbDocumentStore(deps.db, deps.audit);
    const batches: AppendBatch[] = [];
    const server = await start({ store: { ...real, append: (id, batch, context) => (batches.push(batch), real.append(id, batch, context)) } });
    const reader = open(server.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(reader);
    const area = await deps.db.selectFrom('documents').select('area_id').where('id', '=', agreement).executeTakeFirstOrThrow();
    await server.collab.documentWriter.change(
      { id: agreement, areaId: area.area_id, kind: 'cooperation_agreement' },
      (doc) => {
        typeInto(doc, 'premises', 'Taulukko lisätty.');
        return [{ actorUserId: null, action: 'document.table_inserted', subjectType: 'document', subjectId: agreement, details: { section: 'premises' } }];
      },
      null,
    );
    const commit = batches.find((b) => b.audit.some((e) => e.action === 'document.table_inserted'));
    expect(commit?.updates).toHaveLength(1);
    expect(await deps.db.selectFrom('audit_events').select(['subject_id', 'details']).where('action', '=', 'document.table_inserted').execute()).toEqual([{ subject_id: agreement, details: JSON.stringify({ section: 'premises' }) }]);
    expect(textOf(await storedDoc(deps.db, agreement), 'premises')).toBe('Taulukko lisätty.');
    await waitFor(() => textOf(reader.doc, 'premises') === 'Taulukko lisätty.', 'relayed');
    expect(errors).toEqual([]);
  });
});

describe('storage failure', () => {
  it('drops and resolves what was queued behind a failing commit, closes the room (1011) and recovers when storage does', async () => {
    const real = createDbDocumentStore(deps.db, deps.audit);
    let failNext = false;
    let appends = 0;
    let release!: () => void;
    let held: Promise<void> | null = null;
    const store: DocumentStore = {
      ...real,
      append: async (...args) => {
        appends++;
        if (held) await held;
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        return real.append(...args);
      },
    };
    const server = await start({ store });
    const writerCookie = await cookieFor(deps, 'drafter.kajaani@sopu.example');
    const writer = open(server.wsUrl, agreement, writerCookie);
    const peer = open(server.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(writer), synced(peer)]);
    const room = server.collab.rooms.get(agreement)!;

    held = new Promise<void>((r) => (release = r));
    failNext = true;
    const appendsBefore = appends;
    typeInto(writer.doc, 'purpose', 'first');
    await waitFor(() => appends > appendsBefore, 'the failing commit started');
    // Queued while the failing commit waits: must be dropped and resolved, not left hanging.
    typeInto(writer.doc, 'purpose', ' second');
    await serverHasSeen(server.collab, agreement, await userIdOf(deps.db, 'drafter.kajaani@sopu.example'), writer);
    const waiting = room.whenStored();
    release();
    held = null;
    expect(await waiting).toBe(false);
    await waitFor(() => writer.closes.some((c) => c.code === CLOSE.storageFailed) && peer.closes.some((c) => c.code === CLOSE.storageFailed), 'both closed with 1011');
    expect(textOf(peer.doc, 'purpose')).toBe('');
    expect(errors.splice(0).map(String)).toEqual(['Error: disk full']);
    // Unload and shutdown do not hang on the failed room; a new room loads from the store, and the writer's
    // reconnect resends what was never stored.
    await room.close();
    await synced(writer);
    await synced(peer);
    await waitFor(() => textOf(peer.doc, 'purpose') === 'first second', 'resent after reconnect');
    await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'purpose') === 'first second', 'stored after reconnect');
    expect(server.collab.rooms.get(agreement)).not.toBe(room);
    const seqs = (await deps.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).orderBy('seq').execute()).map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it("an old room's unload timer never removes its replacement (one room per document, no sequence collisions)", async () => {
    const real = createDbDocumentStore(deps.db, deps.audit);
    let fail = false;
    const store: DocumentStore = { ...real, append: async (...args) => (fail ? Promise.reject(new Error('io error')) : real.append(...args)) };
    const server = await start({ store, unloadAfterMs: 100 });
    const a = open(server.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(a);
    const first = server.collab.rooms.get(agreement)!;
    fail = true;
    typeInto(a.doc, 'premises', 'x');
    await waitFor(() => a.closes.some((c) => c.code === CLOSE.storageFailed), 'failed');
    expect(errors.splice(0).map(String)).toEqual(['Error: io error']);
    fail = false;
    await synced(a);
    const second = server.collab.rooms.get(agreement)!;
    expect(second).not.toBe(first);
    // Whatever unload the first room had scheduled has fired (or was cancelled) once none is pending.
    await waitFor(() => server.collab.rooms.pendingUnloads === 0, 'no unload pending');
    expect(server.collab.rooms.get(agreement)).toBe(second);
    const b = open(server.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(b);
    typeInto(b.doc, 'premises', 'y');
    await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'premises').length === 2, 'both stored');
    expect(server.collab.rooms.get(agreement)).toBe(second);
  });
});

describe('one writer per document (lease)', () => {
  it('hands the document over to a second process that asks for it: stored first, sockets told to reconnect (1012), nothing lost', async () => {
    const one = await start({ instanceId: 'process-one', unloadAfterMs: 50, minHoldMs: 0 });
    const two = await start({ instanceId: 'process-two', unloadAfterMs: 50, minHoldMs: 0 });
    const a = open(one.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(a);
    expect(await deps.db.selectFrom('document_leases').selectAll().where('document_id', '=', agreement).executeTakeFirst()).toMatchObject({ owner: 'process-one' });
    // A client of process one, not routed anywhere else: it stays away once told the document moved.
    a.provider.on('connection-close', () => a.provider.shouldConnect && a.provider.disconnect());
    typeInto(a.doc, 'parties', 'from one');
    await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'parties') === 'from one', 'stored by one');

    // Process two is asked for the document: it asks process one, which hands it over; the handshake waits for that.
    const b = open(two.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(b);
    expect(b.closes).toEqual([]);
    // 1012, not a 44xx: the stock y-websocket client reconnects after it (it gives up after 4400–4499).
    expect(a.closes.map((c) => c.code)).toEqual([CLOSE.handedOver]);
    expect(a.provider.shouldReconnect({ code: CLOSE.handedOver } as CloseEvent, a.provider)).toBe(true);
    expect(textOf(b.doc, 'parties')).toBe('from one');
    expect(one.collab.rooms.has(agreement)).toBe(false);
    expect(await deps.db.selectFrom('document_leases').select('owner').where('document_id', '=', agreement).executeTakeFirst()).toEqual({ owner: 'process-two' });
    // What a typed after the handover it resends when it connects again (its replica has it): nothing is lost.
    typeInto(a.doc, 'parties', ', offline');
    b.destroy();
    await waitFor(() => !two.collab.rooms.has(agreement) && two.collab.rooms.pendingUnloads === 0, 'process two unloads the document');
    a.provider.connect();
    await synced(a);
    await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'parties') === 'from one, offline', 'a\'s later edit stored');
  });

  it('waits out the lease of a process that died, and answers 1013 when the lease is not free within the wait', async () => {
    // A lease left by a process that is gone (nobody answers a handover request): one second left on it.
    await deps.db.insertInto('document_leases').values({ document_id: agreement, owner: 'dead-process', expires_at: Date.now() + 1000 }).execute();
    const two = await start({ instanceId: 'process-two' });
    const b = open(two.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(b);
    expect(b.closes).toEqual([]);
    expect(await deps.db.selectFrom('document_leases').select('owner').where('document_id', '=', agreement).executeTakeFirst()).toEqual({ owner: 'process-two' });

    const other = await documentOf(deps.db, 'kainuu-koillismaa', 'administrative_rules');
    await deps.db.insertInto('document_leases').values({ document_id: other, owner: 'dead-process', expires_at: Date.now() + 60_000 }).execute();
    const three = await start({ instanceId: 'process-three', leaseWaitMs: 300 });
    const c = open(three.wsUrl, other, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await waitFor(() => c.closes.some((x) => x.code === CLOSE.servedElsewhere), 'refused once the wait is over');
    expect(c.closes[0]).toEqual({ code: CLOSE.servedElsewhere, reason: 'document served elsewhere' });
    // The stock client does not give up (it would for good on a 44xx): it comes back, and is told again.
    await waitFor(() => c.closes.filter((x) => x.code === CLOSE.servedElsewhere).length >= 2, 'the stock client tried again', 10_000);
    c.provider.disconnect();
    expect(three.collab.rooms.has(other)).toBe(false);
  });

  it('stops a writer whose lease was taken over: its next commit stores nothing and its clients are told (1013, which the stock client retries)', async () => {
    const one = await start({ instanceId: 'process-one' });
    const a = open(one.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(a);
    // Process one stalled past its lease; another process took the document over.
    await deps.db.updateTable('document_leases').set({ owner: 'process-two', expires_at: Date.now() + 60_000 }).where('document_id', '=', agreement).execute();
    const rowsBefore = await deps.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute();
    typeInto(a.doc, 'parties', 'too late');
    await waitFor(() => a.closes.some((c) => c.code === CLOSE.servedElsewhere), 'told to go elsewhere');
    a.provider.disconnect();
    expect(await deps.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute()).toHaveLength(rowsBefore.length);
    const [lost, ...others] = errors.splice(0);
    expect(lost).toBeInstanceOf(LeaseLost);
    expect(others).toEqual([]);
  });

  it('store.append refuses an owner without the lease, atomically, and a restarted owner takes its lease back at once', async () => {
    const store = createDbDocumentStore(deps.db, deps.audit);
    const doc = new Y.Doc();
    const update = Y.encodeStateAsUpdate(doc);
    expect(await store.acquireLease(agreement, 'a', 60_000)).toBe(true);
    expect(await store.acquireLease(agreement, 'b', 60_000)).toBe(false);
    await expect(store.append(agreement, { afterSeq: 1, updates: [{ update, userId: null }], audit: [{ actorUserId: null, action: 'x', subjectType: 'document', subjectId: agreement }], clients: [{ clientId: 1, userId: 'u' }] }, { areaId: 'none', owner: 'b' })).rejects.toBeInstanceOf(LeaseLost);
    expect(await deps.db.selectFrom('doc_updates').select('seq').where('document_id', '=', agreement).execute()).toHaveLength(1);
    expect(await deps.db.selectFrom('doc_clients').selectAll().execute()).toHaveLength(0);
    // The same owner (a restarted process of the same slot) gets it back without waiting for the expiry.
    expect(await store.acquireLease(agreement, 'a', 60_000)).toBe(true);
    // An expired lease is free for anyone.
    await deps.db.updateTable('document_leases').set({ expires_at: 0 }).execute();
    expect(await store.acquireLease(agreement, 'b', 60_000)).toBe(true);
    expect(await store.renewLeases('a', [agreement], 60_000)).toEqual([agreement]);
  });
});
