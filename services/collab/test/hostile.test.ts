import type { CoreDeps } from '@sopu/core';
import { readSection, sectionsMap } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../src/index.ts';
import {
  connect, cookieFor, createTestDeps, documentOf, frames, ORIGIN, rawClient, serverHasSeen, startCollab, storedDoc, synced, textOf, typeInto, userIdOf, waitFor,
  type Client,
} from './harness.ts';

// What a client that runs any code can send: each case was reproduced against the landed server before its fix.

let deps: CoreDeps;
let cleanupDb: () => Promise<void>;
let collab: Awaited<ReturnType<typeof startCollab>>;
let agreement: string;
const clients: Client[] = [];
const open = (...args: Parameters<typeof connect>) => {
  const client = connect(...args);
  clients.push(client);
  return client;
};
const errors: unknown[] = [];

beforeEach(async () => {
  const created = await createTestDeps();
  deps = created.deps;
  cleanupDb = created.cleanup;
  errors.length = 0;
  collab = await startCollab(deps, { onError: (e) => errors.push(e) });
  agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await collab.stop();
  await cleanupDb();
});

const storedRows = () => deps.db.selectFrom('doc_updates').select(['seq', 'update']).where('document_id', '=', agreement).orderBy('seq').execute();
const storedBytes = async () => (await storedRows()).reduce((n, r) => n + r.update.byteLength, 0);

/** A raw socket of a signed-in drafter, synced (it has the server's state in `doc`). */
async function rawDrafter(email = 'drafter.kajaani@sopu.example') {
  const raw = rawClient(collab.wsUrl, `/collab/${agreement}`, { Origin: ORIGIN, Cookie: await cookieFor(deps, email) });
  expect(await raw.status).toContain('101');
  await waitFor(() => raw.frames.length > 0, 'sync step 1 from the server');
  // The server's own state, as a y-websocket client would have it after syncing.
  const doc = new Y.Doc();
  const room = collab.collab.rooms.get(agreement)!;
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc));
  return { raw, doc };
}

function updateOf(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  doc.on('update', on);
  change();
  doc.off('update', on);
  return Y.mergeUpdates(updates);
}

/** A healthy pair of drafters: proof after each attack that the room (and the process) still works. */
async function stillWorks(marker: string) {
  const a = open(collab.wsUrl, agreement, await cookieFor(deps, 'admin.kajaani@sopu.example'));
  const b = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
  await Promise.all([synced(a), synced(b)]);
  typeInto(a.doc, 'development', marker);
  await waitFor(() => textOf(b.doc, 'development').includes(marker), `"${marker}" relayed`);
  await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'development').includes(marker), `"${marker}" stored`);
}

describe('upgrades: any path, header or cookie gets a clear refusal', () => {
  it('answers a malformed path (/collab/%), malformed cookies and odd ids without throwing, and keeps serving', async () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['/collab/%', { Origin: ORIGIN }],
      ['/collab/%E0%A4%A', { Origin: ORIGIN }],
      ['/collab/../../etc/passwd', { Origin: ORIGIN }],
      [`/collab/${'a'.repeat(5000)}`, { Origin: ORIGIN }],
      [`/collab/${agreement}`, { Origin: ORIGIN, Cookie: 'sopu_session=%' }],
      [`/collab/${agreement}`, { Origin: ORIGIN, Cookie: 'a=%; sopu_session=%E0%A4%A' }],
      [`/collab/${agreement}`, { Origin: '%%%' }],
      [`/collab/${agreement}?%`, { Origin: ORIGIN }],
    ];
    for (const [path, headers] of cases) {
      const raw = rawClient(collab.wsUrl, path, headers);
      const status = await raw.status;
      if (status.includes('101')) {
        await waitFor(() => raw.closeCode() !== null, `a close code for ${path}`);
        expect([CLOSE.notFound, CLOSE.unauthenticated], path).toContain(raw.closeCode());
        expect(raw.frames, path).toHaveLength(0);
      } else expect(status, path).toMatch(/^HTTP\/1\.1 (400|403|404)/);
      raw.end();
    }
    expect(errors).toEqual([]);
    await stillWorks('after malformed upgrades');
  });
});

describe('the layout guard holds the document shape', () => {
  it('refuses a status the server does not know: the socket closes with 4422, nothing is stored, the room carries on', async () => {
    const rogue = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const peer = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(rogue), synced(peer)]);
    const before = await storedRows();
    rogue.doc.transact(() => (sectionsMap(rogue.doc).get('liability') as Y.Map<unknown>).set('status', 'x'));
    await waitFor(() => rogue.closes.some((c) => c.code === CLOSE.layoutViolation), 'rogue closed');
    rogue.provider.disconnect();
    expect(await storedRows()).toHaveLength(before.length);
    expect(readSection(peer.doc, 'liability')?.status).toBe('drafting');
    expect(readSection(await storedDoc(deps.db, agreement), 'liability')?.status).toBe('drafting');
    await stillWorks('after an unknown status');
    const refused = await deps.db.selectFrom('audit_events').select(['details', 'actor_user_id']).where('action', '=', 'document.update_refused').execute();
    expect(refused).toHaveLength(1);
    expect(JSON.parse(refused[0]!.details)).toMatchObject({ problem: 'invalid_value' });
  });

  it('keeps every section: deleting one from the sections map is refused, peers and the store keep it', async () => {
    const rogue = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const peer = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(rogue), synced(peer)]);
    rogue.doc.transact(() => sectionsMap(rogue.doc).delete('parties'));
    await waitFor(() => rogue.closes.some((c) => c.code === CLOSE.layoutViolation), 'rogue closed');
    rogue.provider.disconnect();
    expect(sectionsMap(peer.doc).has('parties')).toBe(true);
    expect(readSection(await storedDoc(deps.db, agreement), 'parties')).toBeDefined();
    await stillWorks('after a section deletion');
  });

  it('never stores or relays unknown top-level types (400 KB of junk), nor invented section keys', async () => {
    const peer = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(peer);
    const bytesBefore = await storedBytes();
    const auditBefore = (await deps.db.selectFrom('audit_events').select('id').execute()).length;
    for (const change of [
      (d: Y.Doc) => d.getMap('junk').set('x', 'j'.repeat(400_000)),
      (d: Y.Doc) => {
        for (let i = 0; i < 200; i++) sectionsMap(d).set(`invented_${i}`, new Y.Map());
      },
      (d: Y.Doc) => d.getXmlFragment('section:invented').insert(0, [new Y.XmlElement('paragraph')]),
    ]) {
      const { raw, doc } = await rawDrafter();
      raw.send(frames.update(updateOf(doc, () => change(doc))));
      await waitFor(() => raw.closeCode() === CLOSE.layoutViolation, 'closed with 4422');
      raw.end();
    }
    expect(await storedBytes()).toBe(bytesBefore);
    expect(peer.doc.share.has('junk')).toBe(false);
    expect([...sectionsMap(peer.doc).keys()].some((k) => k.startsWith('invented'))).toBe(false);
    // One bounded audit event per refusal, not one per invented key.
    const events = await deps.db.selectFrom('audit_events').select(['action', 'details']).execute();
    expect(events.length - auditBefore).toBe(3);
    for (const e of events.slice(auditBefore)) expect(e.details.length).toBeLessThan(1000);
    await stillWorks('after junk');
  });

  it("refuses writing under another person's client id, so their next edits are not dropped as duplicates", async () => {
    const victim = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    const peer = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await Promise.all([synced(victim), synced(peer)]);
    typeInto(victim.doc, 'purpose', 'victim-1 ');
    await waitFor(() => textOf(peer.doc, 'purpose') === 'victim-1 ', 'first edit relayed');
    // The attacker forges the victim's next struct under the victim's client id.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim.doc));
    forged.clientID = victim.doc.clientID;
    const { raw } = await rawDrafter('drafter.kajaani@sopu.example');
    raw.send(frames.update(updateOf(forged, () => typeInto(forged, 'purpose', 'FORGED'))));
    await waitFor(() => raw.closeCode() === CLOSE.layoutViolation, 'forger closed');
    typeInto(victim.doc, 'purpose', 'victim-2');
    await waitFor(() => textOf(peer.doc, 'purpose') === 'victim-1 victim-2', 'victim keeps writing');
    expect(textOf(await storedDoc(deps.db, agreement), 'purpose')).not.toContain('FORGED');
  });

  it('holds an update whose beginning has not arrived, applies both in order, and bounds what it holds', async () => {
    const { raw, doc } = await rawDrafter();
    const first = updateOf(doc, () => typeInto(doc, 'parties', 'first '));
    const second = updateOf(doc, () => typeInto(doc, 'parties', 'second'));
    raw.send(frames.update(second));
    raw.send(frames.update(first));
    await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'parties') === 'first second', 'both stored in order');
    // Endless updates that never become complete are a memory leak: over the bound, the socket closes.
    const gap = new Y.Doc();
    gap.clientID = 777;
    typeInto(gap, 'parties', 'never sent');
    for (let i = 0; i < 40; i++) raw.send(frames.update(updateOf(gap, () => typeInto(gap, 'parties', String(i)))));
    await waitFor(() => raw.closeCode() === CLOSE.rateLimited, 'closed for holding too much');
  });
});

describe('presence is per connection, bounded, and its identity comes from the session', () => {
  it('keeps one connection from speaking for other client ids, flooding peers with fake ones, or sending huge states', async () => {
    const victim = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await Promise.all([synced(victim), synced(watcher)]);
    victim.provider.awareness.setLocalStateField('sopu', { section: 'purpose' });
    const victimId = victim.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().get(victimId)?.sopu?.section === 'purpose', 'victim presence');

    const { raw } = await rawDrafter();
    // Overwrite the victim's presence, 20,000 fake people, and a 900 KB state.
    raw.send(frames.awareness([{ clientId: victimId, clock: 1000, state: { sopu: { name: 'Hijacked', section: 'parties' } } }]));
    raw.send(frames.awareness(Array.from({ length: 20_000 }, (_, i) => ({ clientId: 5_000_000 + i, clock: 1, state: { sopu: { name: `Fake ${i}` } } }))));
    raw.send(frames.awareness([{ clientId: 42, clock: 1, state: { sopu: { name: 'x'.repeat(900_000) } } }]));
    raw.send(frames.queryAwareness());
    const userId = await userIdOf(deps.db, 'drafter.kajaani@sopu.example');
    await waitFor(() => [...(collab.collab.rooms.get(agreement)?.connections ?? [])].some((c) => c.userId === userId && c.framesHandled >= 4), 'frames handled');
    // A sync round trip of the watcher: everything relayed before it has arrived.
    await waitFor(() => watcher.provider.awareness.getStates().size >= 2, 'states');
    const states = watcher.provider.awareness.getStates();
    expect(states.get(victimId)?.sopu).toMatchObject({ name: 'Valmistelija Sotkamo', section: 'purpose' });
    expect(states.size).toBeLessThanOrEqual(2 + 4);
    for (const state of states.values()) expect(JSON.stringify(state).length).toBeLessThan(4096);
    expect(raw.closeCode()).toBeNull();
  });

  it('sets name, municipality, role and read-only from the session, whatever the client claims; the rest is dropped', async () => {
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await synced(watcher);
    const viewer = open(collab.wsUrl, agreement, await cookieFor(deps, 'viewer.kuhmo@sopu.example'));
    await synced(viewer);
    viewer.provider.awareness.setLocalState({
      sopu: { userId: 'someone-else', name: 'Pääkäyttäjä', municipality: { toString: null }, role: 'host_admin', readOnly: false, colour: 'red', section: '../etc' },
      user: { name: '<img src=x onerror=alert(1)>', color: 'javascript:alert(1)' },
      cursor: { anchor: { evil: true }, head: null },
      extra: 'x'.repeat(3000),
    });
    const id = viewer.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().get(id)?.sopu?.name === 'Lukija Kuhmo', 'stamped presence');
    const state = watcher.provider.awareness.getStates().get(id)!;
    expect(state.sopu).toEqual({
      userId: await userIdOf(deps.db, 'viewer.kuhmo@sopu.example'),
      name: 'Lukija Kuhmo',
      municipality: { fi: 'Kuhmo', sv: 'Kuhmo' },
      municipalityCode: '290',
      role: 'viewer',
      readOnly: true,
      colour: expect.stringMatching(/^#[0-9a-f]{6}$/),
      section: null,
    });
    expect(state.user).toEqual({ name: 'Lukija Kuhmo (Kuhmo)', color: state.sopu.colour });
    expect(state).not.toHaveProperty('cursor');
    expect(state).not.toHaveProperty('extra');
  });

  it('applies presence at a bounded rate, the latest state winning', async () => {
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await synced(watcher);
    let received = 0;
    watcher.provider.awareness.on('update', ({ updated, added }: { updated: number[]; added: number[] }) => (received += updated.length + added.length));
    const { raw } = await rawDrafter();
    for (let clock = 1; clock <= 500; clock++) raw.send(frames.awareness([{ clientId: 99, clock, state: { sopu: { section: clock === 500 ? 'liability' : 'parties' } } }]));
    await waitFor(() => watcher.provider.awareness.getStates().get(99)?.sopu?.section === 'liability', 'the latest state arrives');
    expect(received).toBeLessThan(100);
  });
});

describe('memory: every buffer is bounded', () => {
  it('closes a socket that asks for the whole document in a loop (SyncStep1)', async () => {
    const { raw, doc } = await rawDrafter();
    for (let i = 0; i < 50; i++) raw.send(frames.syncStep1(doc));
    await waitFor(() => raw.closeCode() === CLOSE.rateLimited, 'closed with 4429');
    expect(raw.frames.length).toBeLessThan(20);
  });

  it('drops a socket that does not read what it is sent (back-pressure), and the room carries on', async () => {
    await collab.stop();
    collab = await startCollab(deps, { limits: { maxBufferedBytes: 256 * 1024 } });
    const { raw, doc } = await rawDrafter();
    // Asks for the document as a y-websocket client does: updates are relayed only to a socket that was answered.
    raw.send(frames.syncStep1(doc));
    await waitFor(() => raw.frames.some((f) => f[0] === 0 && f[1] === 1), 'the sync answer');
    const kajaani = await userIdOf(deps.db, 'drafter.kajaani@sopu.example');
    const slow = [...collab.collab.rooms.get(agreement)!.connections].find((c) => c.userId === kajaani)!;
    const writer = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(writer);
    // The raw client stops reading: its TCP window fills, then the server's send buffer.
    raw.pause();
    // Beyond what the kernel's socket buffers hold, the server's own buffer grows: past the limit, the socket goes.
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 1000 && collab.collab.rooms.get(agreement)!.connections.has(slow); i++) {
      typeInto(writer.doc, 'equipment', chunk);
      await new Promise((r) => setTimeout(r, 2));
    }
    await waitFor(() => !collab.collab.rooms.get(agreement)!.connections.has(slow), 'slow socket dropped', 15_000);
    await stillWorks('after a slow consumer');
  });

  it('bounds what a socket may send while its room is still loading', async () => {
    await collab.stop();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { createDbDocumentStore } = await import('../src/index.ts');
    const real = createDbDocumentStore(deps.db, deps.audit);
    collab = await startCollab(deps, { store: { ...real, load: async (id) => (await gate, real.load(id)) } });
    const raw = rawClient(collab.wsUrl, `/collab/${agreement}`, { Origin: ORIGIN, Cookie: await cookieFor(deps, 'drafter.kajaani@sopu.example') });
    expect(await raw.status).toContain('101');
    for (let i = 0; i < 100; i++) raw.send(frames.queryAwareness());
    await waitFor(() => raw.closeCode() === CLOSE.rateLimited, 'closed with 4429');
    release();
  });
});

describe('access ends at once, and fails closed', () => {
  it('drops what a denied socket sends after the denial, before its close handshake ends', async () => {
    const { raw, doc } = await rawDrafter('drafter.sotkamo@sopu.example');
    const area = await deps.db.selectFrom('areas').select('id').where('slug', '=', 'kainuu-koillismaa').executeTakeFirstOrThrow();
    await deps.db.deleteFrom('memberships').where('area_id', '=', area.id).where('user_id', '=', await userIdOf(deps.db, 'drafter.sotkamo@sopu.example')).execute();
    await collab.collab.recheckAll();
    await waitFor(() => raw.closeCode() === CLOSE.notFound, 'denied');
    // The raw client ignores the close frame and keeps writing.
    raw.send(frames.update(updateOf(doc, () => typeInto(doc, 'purpose', 'after the denial'))));
    await stillWorks('after a denial');
    expect(textOf(await storedDoc(deps.db, agreement), 'purpose')).toBe('');
  });

  it('closes every socket (1013) when access cannot be checked, rather than keeping them open', async () => {
    await collab.stop();
    let failing = false;
    const { createCoreAuthorizer } = await import('../src/index.ts');
    const real = createCoreAuthorizer(deps);
    collab = await startCollab(deps, { onError: (e) => errors.push(e), authorize: async (id, requests) => (failing ? Promise.reject(new Error('database is down')) : real(id, requests)) });
    const a = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(a);
    failing = true;
    await collab.collab.recheckAll();
    await waitFor(() => a.closes.some((c) => c.code === CLOSE.tryAgainLater), 'closed with 1013');
    expect(errors.map(String)).toEqual(['Error: database is down']);
  });

  it("drops a viewer's offline edits when it reconnects (sync step 2), and keeps the viewer connected", async () => {
    const viewerCookie = await cookieFor(deps, 'viewer.kuhmo@sopu.example');
    const viewer = open(collab.wsUrl, agreement, viewerCookie);
    const drafter = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(viewer), synced(drafter)]);
    viewer.provider.disconnect();
    typeInto(viewer.doc, 'personnel', 'viewer offline edit');
    viewer.provider.connect();
    await synced(viewer);
    await serverHasSeen(collab.collab, agreement, await userIdOf(deps.db, 'viewer.kuhmo@sopu.example'), viewer);
    typeInto(drafter.doc, 'personnel', 'drafted');
    await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'personnel') === 'drafted', 'drafter stored');
    expect(textOf(drafter.doc, 'personnel')).toBe('drafted');
    expect(viewer.closes).toHaveLength(0);
  });
});
