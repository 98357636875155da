import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { readSection, setSectionStatus } from '@sopu/doc-model';
import { setAreaStatus, type CoreDeps } from '@sopu/core';
import { CLOSE, createCoreAuthorizer } from '../src/index.ts';
import { connect, cookieFor, createTestDeps, documentOf, ORIGIN, roundTrip, serverHasSeen, startCollab, synced, textOf, typeInto, waitFor, type Client } from './harness.ts';

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

beforeEach(async () => {
  const created = await createTestDeps();
  deps = created.deps;
  cleanupDb = created.cleanup;
  collab = await startCollab(deps);
  agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await collab.stop();
  await cleanupDb();
});

const storedRows = (documentId: string) =>
  deps.db.selectFrom('doc_updates').select(['seq', 'user_id', 'update']).where('document_id', '=', documentId).orderBy('seq').execute();

async function storedDoc(documentId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const snapshot = await deps.db.selectFrom('doc_snapshots').selectAll().where('document_id', '=', documentId).executeTakeFirst();
  if (snapshot) Y.applyUpdate(doc, snapshot.state);
  for (const row of await storedRows(documentId)) if (!snapshot || row.seq > snapshot.seq) Y.applyUpdate(doc, row.update);
  return doc;
}

const userId = async (email: string) => (await deps.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

describe('collab server with real y-websocket clients', () => {
  it('lets two drafters of different municipalities converge on the same text, and stores who wrote what', async () => {
    const kajaani = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const sotkamo = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(kajaani), synced(sotkamo)]);
    // The template arrived from the server: 20 sections.
    expect(kajaani.doc.getMap('sections').size).toBe(20);

    typeInto(kajaani.doc, 'parties', 'Kajaani ');
    typeInto(sotkamo.doc, 'parties', 'Sotkamo ');
    await waitFor(() => textOf(kajaani.doc, 'parties') === textOf(sotkamo.doc, 'parties') && textOf(kajaani.doc, 'parties').length === 16, 'convergence');
    expect(textOf(kajaani.doc, 'parties')).toContain('Kajaani');
    expect(textOf(kajaani.doc, 'parties')).toContain('Sotkamo');

    await waitFor(async () => textOf(await storedDoc(agreement), 'parties').length === 16, 'stored');
    const authors = new Set((await storedRows(agreement)).map((r) => r.user_id));
    expect(authors).toContain(await userId('drafter.kajaani@sopu.example'));
    expect(authors).toContain(await userId('drafter.sotkamo@sopu.example'));
  });

  it('gives every newly opening client the whole current document, also right after an edit (the kept answer is renewed)', async () => {
    const writer = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(writer);
    for (const word of ['yksi ', 'kaksi ', 'kolme ']) {
      typeInto(writer.doc, 'parties', word);
      await serverHasSeen(collab.collab, agreement, await userId('drafter.kajaani@sopu.example'), writer);
      // Two openings in a row share one encoding of the document; the next edit makes it stale.
      const readers: Client[] = [];
      for (let i = 0; i < 2; i++) {
        const reader = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
        await synced(reader);
        readers.push(reader);
      }
      for (const reader of readers) expect(textOf(reader.doc, 'parties')).toBe(textOf(writer.doc, 'parties'));
    }
    expect(textOf(writer.doc, 'parties')).toBe('yksi kaksi kolme ');
  });

  it('relays updates of several writers that arrive together, to everyone, in one piece', async () => {
    const emails = ['drafter.kajaani@sopu.example', 'drafter.sotkamo@sopu.example', 'drafter.kuusamo@sopu.example'];
    const writers = await Promise.all(emails.map(async (email) => open(collab.wsUrl, agreement, await cookieFor(deps, email))));
    const reader = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await Promise.all([...writers, reader].map(synced));
    // Typed in the same turn of this event loop: they reach the server together and are committed as one group.
    for (let round = 0; round < 5; round++) writers.forEach((w, i) => typeInto(w.doc, 'parties', `${i}`));
    const expected = 15;
    await waitFor(() => [...writers, reader].every((c) => textOf(c.doc, 'parties').length === expected), 'everyone has every keystroke');
    const text = textOf(reader.doc, 'parties');
    for (const w of writers) expect(textOf(w.doc, 'parties')).toBe(text);
    await waitFor(async () => textOf(await storedDoc(agreement), 'parties') === text, 'stored');
  });

  it("drops a viewer's edits (never stored or broadcast) while the viewer still syncs and shows presence", async () => {
    const drafter = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const viewer = open(collab.wsUrl, agreement, await cookieFor(deps, 'viewer.kuhmo@sopu.example'));
    await Promise.all([synced(drafter), synced(viewer)]);
    viewer.provider.awareness.setLocalStateField('sopu', { section: 'purpose' });

    typeInto(viewer.doc, 'purpose', 'viewer was here');
    typeInto(drafter.doc, 'purpose', 'drafted');
    await waitFor(() => textOf(viewer.doc, 'purpose').includes('drafted'), 'viewer receives drafts');
    // The viewer's presence reaches the drafter, with the identity the server gave it (read-only, from Kuhmo).
    await waitFor(() => [...drafter.provider.awareness.getStates().values()].some((s) => s.sopu?.name === 'Lukija Kuhmo' && s.sopu?.readOnly === true && s.sopu?.section === 'purpose'), 'viewer presence');
    // The server has handled the viewer's edit and stored (and so relayed) everything it queued, and the drafter has
    // received everything sent to it before its own round trip: only then does "not there" mean never sent.
    await roundTrip(viewer);
    expect(await collab.collab.rooms.get(agreement)!.whenStored()).toBe(true);
    await roundTrip(drafter);

    expect(textOf(drafter.doc, 'purpose')).toBe('drafted');
    const viewerId = await userId('viewer.kuhmo@sopu.example');
    expect((await storedRows(agreement)).filter((r) => r.user_id === viewerId)).toHaveLength(0);
    expect(textOf(await storedDoc(agreement), 'purpose')).toBe('drafted');
  });

  it('refuses a user of another area with 4404, the same as a missing document', async () => {
    const outsider = open(collab.wsUrl, agreement, await cookieFor(deps, 'admin.rantala@sopu.example'));
    const missing = open(collab.wsUrl, '00000000-0000-0000-0000-000000000000', await cookieFor(deps, 'admin.kajaani@sopu.example'));
    await waitFor(() => outsider.closes.length > 0 && missing.closes.length > 0, 'refusals');
    expect(outsider.closes[0]?.code).toBe(CLOSE.notFound);
    expect(missing.closes[0]).toEqual(outsider.closes[0]);
    expect(outsider.doc.getMap('sections').size).toBe(0);
  });

  it('refuses a connection without a session cookie with 4401 and sends no document data', async () => {
    const anonymous = open(collab.wsUrl, agreement, undefined);
    await waitFor(() => anonymous.closes.length > 0, 'refusal');
    expect(anonymous.closes[0]?.code).toBe(CLOSE.unauthenticated);
    expect(anonymous.doc.getMap('sections').size).toBe(0);
  });

  it('refuses an upgrade from a foreign or missing Origin with 403 before anything else: no session is looked up, whatever the cookie', async () => {
    await collab.stop();
    // Every session and membership lookup of the server goes through its authoriser: this one counts them.
    const lookups: string[] = [];
    const authorize = createCoreAuthorizer(deps);
    collab = await startCollab(deps, { recheckMs: 3_600_000, authorize: (documentId, requests) => (lookups.push(documentId), authorize(documentId, requests)) });
    const cookie = await cookieFor(deps, 'drafter.kajaani@sopu.example');
    const upgrade = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${collab.wsUrl}/${path}`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          resolve(101);
          ws.close();
        });
        ws.on('error', () => undefined);
      });
    const evil = 'https://evil.example';
    const refused: Array<[string, Record<string, string>]> = [
      [agreement, { cookie, origin: evil }],
      [agreement, { origin: evil }],
      [agreement, { cookie: 'sopu_session=forged', origin: evil }],
      [agreement, { cookie }],
      ['not-a-document-id!', { cookie, origin: evil }],
    ];
    for (const [path, headers] of refused) expect(await upgrade(path, headers), JSON.stringify(headers)).toBe(403);
    expect(lookups).toEqual([]);
    // The counter does count: the same upgrade from the allowed origin is looked up once.
    expect(await upgrade(agreement, { cookie, origin: ORIGIN })).toBe(101);
    expect(lookups).toEqual([agreement]);
  });

  it('closes only the socket that sends an oversized or undecodable frame', async () => {
    const cookie = await cookieFor(deps, 'drafter.kajaani@sopu.example');
    const bystander = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(bystander);
    const raw = (payload: Buffer) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${collab.wsUrl}/${agreement}`, { headers: { cookie, origin: ORIGIN } });
        ws.on('open', () => ws.send(payload));
        ws.on('close', (code) => resolve(code));
      });
    expect(await raw(Buffer.alloc(1024 * 1024 + 1, 1))).toBe(CLOSE.frameTooLarge);
    expect(await raw(Buffer.from([0xff, 0xff, 0xff]))).toBe(CLOSE.invalidFrame);
    // a sync update whose payload is not a Yjs update
    expect(await raw(Buffer.from([0, 2, 5, 9, 9, 9, 9, 9]))).toBe(CLOSE.invalidFrame);

    const writer = open(collab.wsUrl, agreement, cookie);
    await synced(writer);
    typeInto(writer.doc, 'personnel', 'still working');
    await waitFor(() => textOf(bystander.doc, 'personnel') === 'still working', 'bystander unaffected');
    expect(bystander.closes).toHaveLength(0);
  });

  it('merges a client that edited offline, with no lost or duplicated text', async () => {
    const a = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const b = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(a), synced(b)]);
    typeInto(a.doc, 'finance_administration', 'base.');
    await waitFor(() => textOf(b.doc, 'finance_administration') === 'base.', 'base text');

    a.provider.disconnect();
    typeInto(a.doc, 'finance_administration', ' offline-A.');
    typeInto(b.doc, 'finance_administration', ' online-B.');
    await waitFor(async () => textOf(await storedDoc(agreement), 'finance_administration') === 'base. online-B.', "B's edit stored while A is offline");
    a.provider.connect();

    await waitFor(() => textOf(a.doc, 'finance_administration') === textOf(b.doc, 'finance_administration') && textOf(a.doc, 'finance_administration').length === 'base. offline-A. online-B.'.length, 'merge');
    const text = textOf(a.doc, 'finance_administration');
    expect(text.split('offline-A.').length - 1).toBe(1);
    expect(text.split('online-B.').length - 1).toBe(1);
    expect(text.startsWith('base.')).toBe(true);
  });

  it('keeps the document across a server restart', async () => {
    const cookie = await cookieFor(deps, 'drafter.kajaani@sopu.example');
    const a = open(collab.wsUrl, agreement, cookie);
    await synced(a);
    typeInto(a.doc, 'premises', 'Each municipality answers for its own premises.');
    await waitFor(async () => textOf(await storedDoc(agreement), 'premises').length > 0, 'stored');
    a.destroy();
    await collab.stop();

    collab = await startCollab(deps);
    const b = open(collab.wsUrl, agreement, cookie);
    await synced(b);
    expect(textOf(b.doc, 'premises')).toBe('Each municipality answers for its own premises.');
  });

  it('closes the sockets of a removed member within seconds, and follows a role change to read-only', async () => {
    const sotkamo = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    const kuusamo = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kuusamo@sopu.example'));
    await Promise.all([synced(sotkamo), synced(kuusamo)]);
    const area = await deps.db.selectFrom('areas').select('id').where('slug', '=', 'kainuu-koillismaa').executeTakeFirstOrThrow();

    await deps.db.deleteFrom('memberships').where('area_id', '=', area.id).where('user_id', '=', await userId('drafter.sotkamo@sopu.example')).execute();
    await waitFor(() => sotkamo.closes.some((c) => c.code === CLOSE.notFound), 'removed member disconnected');

    await deps.db.updateTable('memberships').set({ role: 'viewer' }).where('area_id', '=', area.id).where('user_id', '=', await userId('drafter.kuusamo@sopu.example')).execute();
    await collab.collab.recheckAll();
    typeInto(kuusamo.doc, 'liability', 'no longer allowed');
    await serverHasSeen(collab.collab, agreement, await userId('drafter.kuusamo@sopu.example'), kuusamo);
    // Had it been applied, it would be queued: once everything queued is stored, the store says whether it was.
    expect(await collab.collab.rooms.get(agreement)!.whenStored()).toBe(true);
    expect(textOf(await storedDoc(agreement), 'liability')).toBe('');
    expect(kuusamo.closes).toHaveLength(0);
  });

  it('closes every socket of a suspended area with 4404 within seconds, refuses new ones, and lets them in again once resumed (decision 019)', async () => {
    const cookie = await cookieFor(deps, 'drafter.kajaani@sopu.example');
    const a = open(collab.wsUrl, agreement, cookie);
    await synced(a);
    const saaristo = await documentOf(deps.db, 'saaristo-skargard', 'cooperation_agreement');
    const other = open(collab.wsUrl, saaristo, await cookieFor(deps, 'drafter.holmpy@sopu.example'));
    await synced(other);

    await setAreaStatus(deps, 'kainuu-koillismaa', 'suspended');
    await waitFor(() => a.closes.some((c) => c.code === CLOSE.notFound), 'suspended area disconnected');
    const refused = open(collab.wsUrl, agreement, cookie);
    await waitFor(() => refused.closes.some((c) => c.code === CLOSE.notFound), 'new socket refused');
    // The other area is untouched.
    await collab.collab.recheckAll();
    expect(other.closes).toHaveLength(0);

    await setAreaStatus(deps, 'kainuu-koillismaa', 'active');
    const again = open(collab.wsUrl, agreement, cookie);
    await synced(again);
    expect(again.closes).toHaveLength(0);
  });

  it('ends sockets whose session ended', async () => {
    const cookie = await cookieFor(deps, 'drafter.kajaani@sopu.example');
    const a = open(collab.wsUrl, agreement, cookie);
    await synced(a);
    await deps.sessions.invalidate(cookie.split('=')[1]!);
    await waitFor(() => a.closes.some((c) => c.code === CLOSE.unauthenticated), 'logged-out socket closed');
  });

  it('records section status changes in the audit log, and unloads an idle room after storing everything', async () => {
    const a = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(a);
    setSectionStatus(a.doc, 'client_fees', 'not_applicable', 'No fees are charged.', await userId('drafter.kajaani@sopu.example'));
    await waitFor(async () => readSection(await storedDoc(agreement), 'client_fees')?.status === 'not_applicable', 'status stored');
    const events = await deps.db.selectFrom('audit_events').select(['action', 'details', 'actor_user_id']).where('action', '=', 'section.status_changed').execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.details)).toMatchObject({ section: 'client_fees', status: 'not_applicable', reason: 'No fees are charged.' });
    expect(events[0]!.actor_user_id).toBe(await userId('drafter.kajaani@sopu.example'));

    expect(collab.collab.rooms.has(agreement)).toBe(true);
    a.destroy();
    await waitFor(() => !collab.collab.rooms.has(agreement), 'room unloaded');
    const snapshot = await deps.db.selectFrom('doc_snapshots').select('seq').where('document_id', '=', agreement).executeTakeFirst();
    const last = (await storedRows(agreement)).at(-1)!.seq;
    expect(snapshot?.seq).toBe(last);
  });

  it('compacts the update log into a snapshot that loads to the same content', async () => {
    await collab.stop();
    collab = await startCollab(deps, { compactAfter: 20 });
    const a = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(a);
    for (let i = 0; i < 60; i++) typeInto(a.doc, 'development', `${i},`);
    await waitFor(async () => textOf(await storedDoc(agreement), 'development').endsWith('59,'), 'all stored');
    await waitFor(async () => Boolean(await deps.db.selectFrom('doc_snapshots').select('seq').where('document_id', '=', agreement).executeTakeFirst()), 'snapshot');
    const b = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await synced(b);
    expect(textOf(b.doc, 'development')).toBe(textOf(a.doc, 'development'));
  });

  it('puts a status the rules forbid (not applicable without a reason) back to drafting, for everyone, and audits both steps', async () => {
    const rogue = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const other = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(rogue), synced(other)]);
    // Straight into the shared map, past the client-side check of setSectionStatus.
    const entry = rogue.doc.getMap('sections').get('liability') as Y.Map<unknown>;
    rogue.doc.transact(() => entry.set('status', 'not_applicable'));

    await waitFor(() => readSection(rogue.doc, 'liability')?.status === 'drafting' && readSection(other.doc, 'liability')?.status === 'drafting', 'status put back');
    await waitFor(async () => readSection(await storedDoc(agreement), 'liability')?.status === 'drafting', 'stored as drafting');
    const kajaani = await userId('drafter.kajaani@sopu.example');
    await waitFor(async () => (await deps.db.selectFrom('audit_events').select('id').where('action', 'in', ['section.status_changed', 'section.repaired']).execute()).length === 2, 'both audited');
    const events = await deps.db.selectFrom('audit_events').select(['action', 'details', 'actor_user_id']).where('action', 'in', ['section.status_changed', 'section.repaired']).orderBy('seq').execute();
    expect(events[0]).toMatchObject({ action: 'section.status_changed', actor_user_id: kajaani });
    expect(JSON.parse(events[0]!.details)).toMatchObject({ section: 'liability', status: 'not_applicable', reason: '' });
    expect(events[1]).toMatchObject({ action: 'section.repaired', actor_user_id: null });
    expect(JSON.parse(events[1]!.details)).toMatchObject({ section: 'liability', problems: ['reason_required'], after: kajaani });
  });
});

describe('change events for subscribed clients', () => {
  it("tells a subscribed client at once when a thread of its document changes, and a person of their notifications; others hear nothing", async () => {
    const { createThread, mentionToken } = await import('@sopu/core');
    const { actorFor } = await import('@sopu/core/testing');
    const decoding = await import('lib0/decoding');
    const encoding = await import('lib0/encoding');
    const MESSAGE = 100;
    const subscriber = (client: Client) => {
      const received: Array<{ kind: string; threadId?: string }> = [];
      client.provider.messageHandlers[MESSAGE] = (_encoder, decoder) => {
        received.push(...(JSON.parse(decoding.readVarString(decoder)) as { events: typeof received }).events);
      };
      const subscribe = encoding.createEncoder();
      encoding.writeVarUint(subscribe, MESSAGE);
      encoding.writeVarUint(subscribe, 0);
      client.provider.ws!.send(encoding.toUint8Array(subscribe));
      return received;
    };
    const paltamo = open(collab.wsUrl, agreement, await cookieFor(deps, 'rep.paltamo@sopu.example'));
    const stock = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    const rules = await documentOf(deps.db, 'kainuu-koillismaa', 'administrative_rules');
    const elsewhere = open(collab.wsUrl, rules, await cookieFor(deps, 'drafter.sotkamo@sopu.example'));
    await Promise.all([synced(paltamo), synced(stock), synced(elsewhere)]);
    const paltamoEvents = subscriber(paltamo);
    const elsewhereEvents = subscriber(elsewhere);
    let stockGotUnknown = false;
    stock.provider.messageHandlers[MESSAGE] = () => (stockGotUnknown = true);
    await serverHasSeen(collab.collab, agreement, await userId('rep.paltamo@sopu.example'), paltamo);

    const sotkamo = await actorFor(deps, 'drafter.sotkamo@sopu.example');
    const thread = await createThread(deps, sotkamo, agreement, { section: 'parties', body: `${mentionToken(await userId('rep.paltamo@sopu.example'))} katso` });
    await waitFor(() => paltamoEvents.length >= 2, 'events within a second', 1000);
    expect(paltamoEvents).toEqual(expect.arrayContaining([{ kind: 'thread', threadId: thread.id }, { kind: 'notification' }]));
    // The subscriber of another document hears of its own document only (and Sotkamo was not mentioned).
    expect(elsewhereEvents).toEqual([]);
    expect(stockGotUnknown).toBe(false);
  });
});

describe('"agreed" is the negotiation\'s decision', () => {
  it('refuses a client that marks a section agreed, in its own name or another\'s (the host marks it through core, decision 025)', async () => {
    const kajaaniId = await userId('drafter.kajaani@sopu.example');
    const a = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.kajaani@sopu.example'));
    await synced(a);
    typeInto(a.doc, 'equipment', 'Kalusto on yhteistä.');
    setSectionStatus(a.doc, 'equipment', 'agreed', '', kajaaniId);
    await waitFor(() => a.closes.some((c) => c.code === CLOSE.layoutViolation), 'agreed by a client refused');
    a.destroy();
    const stored = await storedDoc(agreement);
    expect(readSection(stored, 'equipment')?.status).toBe('drafting');
    expect(textOf(stored, 'equipment')).toBe('Kalusto on yhteistä.');
  });
});
