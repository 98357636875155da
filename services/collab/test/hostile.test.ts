import type { CoreDeps } from '@sopu/core';
import { canonicalDocument, canonicalJson, contentHash, contentProblems, readSection, sectionPlainText, sectionsMap } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE, DEFAULT_LIMITS } from '../src/index.ts';
import {
  connect, cookieFor, createTestDeps, documentOf, frames, ORIGIN, rawClient, serverHasSeen, startCollab, storedDoc, synced, textOf, typeInto, userIdOf, waitFor,
  type Client, type RawClient,
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
  // Presence renewals are relayed together after 300 ms here (5 s in production), so a test can wait for them.
  collab = await startCollab(deps, { onError: (e) => errors.push(e), limits: { presence: { ...DEFAULT_LIMITS.presence, renewalRelayMs: 300 } } });
  agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await collab.stop();
  await cleanupDb();
  // A test that expects a server error takes it out of the list and checks it there; anything left is unexpected.
  expect(errors.splice(0).map(String)).toEqual([]);
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

/** The connection of `email`'s person in the room (one each in these tests). */
async function connectionOf(email: string) {
  const userId = await userIdOf(deps.db, email);
  return [...collab.collab.rooms.get(agreement)!.connections].find((c) => c.userId === userId)!;
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

  it('refuses text the editor schema does not allow where it is written (4422): nothing stored or relayed, the peers and the hash carry on', async () => {
    const peer = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(peer);
    typeInto(peer.doc, 'parties', 'Kajaani on vastuukunta.');
    await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'parties') === 'Kajaani on vastuukunta.', 'the peer\'s text stored');
    const hashBefore = contentHash(peer.doc);
    const rowsBefore = await storedRows();
    // First as the issue found it: the stock y-websocket client, one bare text pushed into a section.
    const rogue = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(rogue);
    rogue.doc.getXmlFragment('section:parties').push([new Y.XmlText('x')]);
    await waitFor(() => rogue.closes.some((c) => c.code === CLOSE.layoutViolation), 'the stock client closed with 4422');
    rogue.provider.disconnect();
    const el = (name: string, ...children: Array<Y.XmlElement | Y.XmlText>) => {
      const element = new Y.XmlElement(name);
      if (children.length > 0) element.insert(0, children);
      return element;
    };
    const shapes: Array<(d: Y.Doc) => void> = [
      (d) => d.getXmlFragment('section:parties').push([el('marquee', new Y.XmlText('x'))]),
      (d) => ((d.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).insertEmbed(2, el('paragraph')),
      (d) => {
        const heading = el('heading', new Y.XmlText('x'));
        heading.setAttribute('level', 9 as unknown as string);
        d.getXmlFragment('section:purpose').push([heading]);
      },
      (d) => d.getXmlFragment('section:purpose').push([el('tableCell', el('paragraph'))]),
      (d) => d.getXmlFragment('section:purpose').push([el('table', el('tableRow', el('tableCell', el('paragraph', el('iframe')))))]),
      (d) => ((d.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 7, { blink: {} }),
      (d) => ((d.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 7, { link: { href: 'javascript:alert(document.cookie)', title: null } }),
      (d) => ((d.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 7, { link: { href: 'https://kajaani.fi', target: '_top', title: null } }),
    ];
    for (const shape of shapes) {
      const { raw, doc } = await rawDrafter();
      raw.send(frames.update(updateOf(doc, () => shape(doc))));
      await waitFor(() => raw.closeCode() === CLOSE.layoutViolation, 'closed with 4422');
      raw.end();
    }
    expect(await storedRows()).toEqual(rowsBefore);
    expect(peer.closes).toEqual([]);
    expect(contentHash(peer.doc)).toBe(hashBefore);
    expect(contentProblems(peer.doc)).toEqual([]);
    expect(contentProblems(await storedDoc(deps.db, agreement))).toEqual([]);
    const refused = await deps.db.selectFrom('audit_events').select('details').where('action', '=', 'document.update_refused').execute();
    expect(refused.map((r) => JSON.parse(r.details).problem)).toEqual(Array(1 + shapes.length).fill('not_in_schema'));
    await stillWorks('after text the schema does not allow');
    expect(contentHash(peer.doc)).not.toBe(hashBefore);
    expect(errors).toEqual([]);
  });

  it('repairs on load what a past guard stored (stored as an update, audited once), so clients and the hash read it', async () => {
    await collab.stop();
    const rowsBefore = await storedRows();
    // Written straight to the store, as a past guard let it through.
    const bad = await storedDoc(deps.db, agreement);
    const stateBefore = Y.encodeStateVector(bad);
    bad.transact(() => {
      bad.getXmlFragment('section:parties').push([new Y.XmlText('x')]);
      const heading = new Y.XmlElement('heading');
      heading.insert(0, [new Y.XmlText('Otsikko')]);
      heading.setAttribute('level', 9 as unknown as string);
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText('Katso tästä.');
      paragraph.insert(0, [text]);
      bad.getXmlFragment('section:purpose').push([heading, paragraph]);
      text.format(6, 5, { link: { href: 'javascript:alert(1)', target: '_blank' } });
    });
    await deps.db.insertInto('doc_updates').values({ document_id: agreement, seq: rowsBefore.at(-1)!.seq + 1, update: Y.encodeStateAsUpdate(bad, stateBefore), user_id: null, created_at: Date.now() }).execute();
    const hashOfStored = contentHash(bad);
    collab = await startCollab(deps, { onError: (e) => errors.push(e) });
    const reader = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(reader);
    expect(contentProblems(reader.doc)).toEqual([]);
    expect(contentHash(reader.doc)).toBe(hashOfStored);
    expect(sectionPlainText(reader.doc, 'purpose')).toBe('Otsikko\n\nKatso tästä.');
    expect(canonicalJson(canonicalDocument(reader.doc))).not.toContain('javascript:');
    await waitFor(async () => contentProblems(await storedDoc(deps.db, agreement)).length === 0, 'the repair stored');
    const repaired = await deps.db.selectFrom('audit_events').select(['details', 'actor_user_id']).where('action', '=', 'document.content_repaired').execute();
    expect(repaired).toHaveLength(1);
    expect(JSON.parse(repaired[0]!.details)).toEqual({
      count: 3,
      repairs: [
        { section: 'parties', problem: 'text in the section' },
        { section: 'purpose', problem: 'heading.level may not be 9' },
        { section: 'purpose', problem: 'link: href, target not allowed (in paragraph)' },
      ],
    });
    // Loaded again (a new room), there is nothing left to repair.
    reader.destroy();
    await collab.collab.unloadIdle();
    const again = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await synced(again);
    expect(await deps.db.selectFrom('audit_events').select('id').where('action', '=', 'document.content_repaired').execute()).toHaveLength(1);
    await stillWorks('after a repair on load');
    expect(errors).toEqual([]);
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
  const { maxIds, maxStateBytes, burst } = DEFAULT_LIMITS.presence;
  /**
   * The raw client's last presence frame: a state of an id it owns. The server relays presence in the order it
   * handles frames, on each socket in order, so once a watcher has this marker it has everything the raw client's
   * earlier frames made the server relay (and the server has handled them all).
   */
  async function afterMarker(raw: RawClient, watcher: Client, id: number, clock: number) {
    raw.send(frames.awareness([{ clientId: id, clock, state: { sopu: { section: 'liability' } } }]));
    await waitFor(() => watcher.provider.awareness.getStates().get(id)?.sopu?.section === 'liability', 'the presence marker');
  }

  it("never lets one connection speak for another's client id", async () => {
    const victim = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await Promise.all([synced(victim), synced(watcher)]);
    victim.provider.awareness.setLocalStateField('sopu', { section: 'purpose' });
    const victimId = victim.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().get(victimId)?.sopu?.section === 'purpose', 'victim presence');
    const { raw } = await rawDrafter();
    raw.send(frames.awareness([{ clientId: victimId, clock: 1000, state: { sopu: { name: 'Hijacked', section: 'parties' } } }]));
    raw.send(frames.awareness([{ clientId: victimId, clock: 1001, state: null }]));
    await afterMarker(raw, watcher, 7, 1);
    expect(watcher.provider.awareness.getStates().get(victimId)?.sopu).toMatchObject({ name: 'Valmistelija Sotkamo', section: 'purpose' });
    expect([...(await connectionOf('drafter.kajaani@sopu.example')).presenceIds]).toEqual([7]);
    expect(raw.closeCode()).toBeNull();
  });

  it(`claims at most ${maxIds} presence ids per connection, however many it floods its peers with`, async () => {
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await synced(watcher);
    const { raw } = await rawDrafter();
    raw.send(frames.awareness(Array.from({ length: 20_000 }, (_, i) => ({ clientId: 5_000_000 + i, clock: 1, state: { sopu: { section: 'parties' } } }))));
    await afterMarker(raw, watcher, 5_000_000, 2);
    const fakes = [...watcher.provider.awareness.getStates().keys()].filter((id) => id >= 5_000_000 && id < 5_020_000 && id !== watcher.doc.clientID).sort((a, b) => a - b);
    expect(fakes).toEqual(Array.from({ length: maxIds }, (_, i) => 5_000_000 + i));
    expect((await connectionOf('drafter.kajaani@sopu.example')).presenceIds.size).toBe(maxIds);
    expect(raw.closeCode()).toBeNull();
  });

  it(`drops a presence state over ${maxStateBytes} bytes, and keeps one of exactly that size`, async () => {
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await synced(watcher);
    const { raw } = await rawDrafter();
    /** A state whose JSON is exactly `bytes` long. */
    const sized = (bytes: number) => {
      const state = { sopu: { section: 'parties' }, pad: '' };
      state.pad = 'x'.repeat(bytes - JSON.stringify(state).length);
      expect(new TextEncoder().encode(JSON.stringify(state)).length).toBe(bytes);
      return state;
    };
    raw.send(frames.awareness([{ clientId: 1001, clock: 1, state: sized(maxStateBytes) }]));
    raw.send(frames.awareness([{ clientId: 1002, clock: 1, state: sized(maxStateBytes + 1) }]));
    raw.send(frames.awareness([{ clientId: 1003, clock: 1, state: sized(900_000) }]));
    await afterMarker(raw, watcher, 1001, 2);
    const states = watcher.provider.awareness.getStates();
    expect(states.has(1001)).toBe(true);
    expect(states.has(1002)).toBe(false);
    expect(states.has(1003)).toBe(false);
    // What is relayed is the server's own small state, never the padding.
    expect(JSON.stringify(states.get(1001))).not.toContain('xxxx');
    expect([...(await connectionOf('drafter.kajaani@sopu.example')).presenceIds]).toEqual([1001]);
  });

  it('closes a socket that asks for everyone\'s presence in a loop (each answer encodes every state)', async () => {
    const { raw } = await rawDrafter();
    const before = raw.frames.length;
    for (let i = 0; i < 50; i++) raw.send(frames.queryAwareness());
    await waitFor(() => raw.closeCode() === CLOSE.rateLimited, 'closed with 4429');
    expect(raw.frames.length - before).toBeLessThanOrEqual(DEFAULT_LIMITS.syncRequests.burst);
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

  it('relays a change of presence at once, and a renewal (same state, newer clock) later with the room\'s other renewals', async () => {
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await synced(watcher);
    const { raw } = await rawDrafter();
    const states = watcher.provider.awareness.getStates();
    const clockOf = (id: number) => watcher.provider.awareness.meta.get(id)?.clock;
    raw.send(frames.awareness([{ clientId: 41, clock: 1, state: { sopu: { section: 'parties' } } }]));
    await waitFor(() => states.get(41)?.sopu?.section === 'parties', 'the first state');
    // What reaches the watcher: each awareness message is one 'update' event.
    const seen = new Map<string, number>();
    let messages = 0;
    watcher.provider.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }) => {
      messages++;
      for (const id of [...added, ...updated]) seen.set(`${id}@${clockOf(id)}`, messages);
    });
    // One frame with a renewal of 41 and a new id 42 of the same connection.
    raw.send(frames.awareness([
      { clientId: 41, clock: 2, state: { sopu: { section: 'parties' } } },
      { clientId: 42, clock: 1, state: { sopu: { section: 'purpose' } } },
    ]));
    await waitFor(() => states.get(42)?.sopu?.section === 'purpose', 'the change, relayed at once');
    await waitFor(() => clockOf(41) === 2, 'the renewal, relayed with the others');
    // Relayed at once, the renewal would have come in the same message as the change: it was held, and came later.
    expect(seen.get('41@2')).toBeGreaterThan(seen.get('42@1')!);
    expect(states.get(41)?.sopu).toMatchObject({ name: 'Valmistelija Kajaani', section: 'parties' });
    // A change after a renewal still goes at once, with its newest clock.
    raw.send(frames.awareness([{ clientId: 41, clock: 3, state: { sopu: { section: 'liability' } } }]));
    await waitFor(() => states.get(41)?.sopu?.section === 'liability' && clockOf(41) === 3, 'the next change');
    expect(raw.closeCode()).toBeNull();
  });

  it('relays held renewals to the room\'s sockets a slot at a time, spread over the period', async () => {
    // Ten sockets join one after another, so each has its own slot; the timer visits one slot per tick (300 ms / 10).
    const watchers: Array<ReturnType<typeof open>> = [];
    for (let i = 0; i < 10; i++) {
      const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
      await synced(watcher);
      watchers.push(watcher);
    }
    const { raw } = await rawDrafter();
    raw.send(frames.awareness([{ clientId: 51, clock: 1, state: { sopu: { section: 'parties' } } }]));
    await waitFor(() => watchers.every((w) => w.provider.awareness.getStates().get(51)?.sopu?.section === 'parties'), 'the first state, everywhere');
    const arrived: number[] = [];
    for (const watcher of watchers) {
      watcher.provider.awareness.on('update', ({ updated }: { updated: number[] }) => {
        if (updated.includes(51) && watcher.provider.awareness.meta.get(51)?.clock === 2) arrived.push(performance.now());
      });
    }
    raw.send(frames.awareness([{ clientId: 51, clock: 2, state: { sopu: { section: 'parties' } } }]));
    await waitFor(() => arrived.length === watchers.length, 'the renewal, on every socket');
    // All at once (one message to every socket) they would arrive within a few milliseconds of each other; a tick
    // fires no sooner than 30 ms after the one before, and ten slots are nine ticks apart.
    expect(Math.max(...arrived) - Math.min(...arrived)).toBeGreaterThanOrEqual(200);
    for (const watcher of watchers) expect(watcher.provider.awareness.meta.get(51)?.clock).toBe(2);
    expect(raw.closeCode()).toBeNull();
  });

  it('applies presence at a bounded rate, the latest state winning', async () => {
    const watcher = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await synced(watcher);
    let received = 0;
    watcher.provider.awareness.on('update', ({ updated, added }: { updated: number[]; added: number[] }) => (received += updated.length + added.length));
    const { raw } = await rawDrafter();
    for (let clock = 1; clock <= 500; clock++) raw.send(frames.awareness([{ clientId: 99, clock, state: { sopu: { section: clock === 500 ? 'liability' : 'parties' } } }]));
    await waitFor(() => watcher.provider.awareness.getStates().get(99)?.sopu?.section === 'liability', 'the latest state arrives');
    // The burst, whatever the rate refilled while 500 frames were handled (well under a second), and the latest.
    expect(received).toBeLessThanOrEqual(burst + 20);
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
    collab = await startCollab(deps, { onError: (e) => errors.push(e), limits: { maxBufferedBytes: 256 * 1024 } });
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
    collab = await startCollab(deps, { onError: (e) => errors.push(e), store: { ...real, load: async (id) => (await gate, real.load(id)) } });
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
    const conn = await connectionOf('drafter.sotkamo@sopu.example');
    const area = await deps.db.selectFrom('areas').select('id').where('slug', '=', 'kainuu-koillismaa').executeTakeFirstOrThrow();
    await deps.db.deleteFrom('memberships').where('area_id', '=', area.id).where('user_id', '=', conn.userId).execute();
    await collab.collab.recheckAll();
    await waitFor(() => raw.closeCode() === CLOSE.notFound, 'denied');
    // The raw client ignores the close frame and keeps writing; the server counts the frame as handled (dropped).
    const handled = conn.framesHandled;
    raw.send(frames.update(updateOf(doc, () => typeInto(doc, 'purpose', 'after the denial'))));
    await waitFor(() => conn.framesHandled > handled, 'the frame after the denial handled');
    expect(await collab.collab.rooms.get(agreement)!.whenStored()).toBe(true);
    expect(textOf(await storedDoc(deps.db, agreement), 'purpose')).toBe('');
    await stillWorks('after a denial');
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
    expect(errors.splice(0).map(String)).toEqual(['Error: database is down']);
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
