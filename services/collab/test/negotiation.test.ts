import { agreeSection, decideSuggestion, type Actor, type CoreDeps } from '@sopu/core';
import { readSection, readSuggestions, sectionPlainText, sectionsMap } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../src/index.ts';
import { connect, cookieFor, createTestDeps, documentOf, startCollab, storedDoc, synced, textOf, typeInto, userIdOf, waitFor, type Client } from './harness.ts';

// Suggest-only connections and agreed sections, held by the room (docs/decisions/025), tried with stock y-websocket
// clients that write raw Yjs updates, past any editor: each refused update closes its socket with 4422 and is
// neither stored nor relayed (a fresh load from the store shows it). The host's decisions go through core into the
// live room, as in production.

let deps: CoreDeps;
let cleanupDb: () => Promise<void>;
let collab: Awaited<ReturnType<typeof startCollab>>;
let agreement: string;
const clients: Client[] = [];
const open = async (email: string) => {
  const client = connect(collab.wsUrl, agreement, await cookieFor(deps, email));
  clients.push(client);
  await synced(client);
  return client;
};

beforeEach(async () => {
  const created = await createTestDeps({ directEditing: 'host' });
  deps = created.deps;
  cleanupDb = created.cleanup;
  collab = await startCollab(deps);
  agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
  const host = await open('drafter.kajaani@sopu.example');
  typeInto(host.doc, 'equipment', 'Kunnat luovuttavat laitteet.');
  await waitFor(async () => textOf(await storedDoc(deps.db, agreement), 'equipment') === 'Kunnat luovuttavat laitteet.', 'base text stored');
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await collab.stop();
  await cleanupDb();
});

const actor = async (email: string): Promise<Actor> => {
  const u = await deps.db.selectFrom('users').select(['id', 'email', 'display_name']).where('email', '=', email).executeTakeFirstOrThrow();
  return { userId: u.id, email: u.email, displayName: u.display_name };
};
const equipmentText = (doc: Y.Doc) => (doc.getXmlFragment('section:equipment').get(0) as Y.XmlElement).get(0) as Y.XmlText;
const mark = (id: string, author: string, municipality: string) => ({ id, author, municipality, at: 1_796_000_000_000 });

/** The stored document as a fresh load reads it. */
async function stored() {
  const doc = await storedDoc(deps.db, agreement);
  try {
    return { text: sectionPlainText(doc, 'equipment'), xml: doc.getXmlFragment('section:equipment').toString(), suggestions: readSuggestions(doc), status: readSection(doc, 'equipment')?.status };
  } finally {
    doc.destroy();
  }
}

async function refused(email: string, change: (doc: Y.Doc, me: string) => void) {
  const before = await stored();
  const client = await open(email);
  const me = await userIdOf(deps.db, email);
  client.doc.transact(() => change(client.doc, me));
  await waitFor(() => client.closes.some((c) => c.code === CLOSE.layoutViolation), 'refused with 4422');
  client.destroy();
  // The refusal was decided before anything was queued: once the room has stored all it queued, the store is final.
  expect(await collab.collab.rooms.get(agreement)!.whenStored()).toBe(true);
  expect(await stored()).toEqual(before);
}

describe('a member municipality’s drafter may only suggest', () => {
  it('refuses a plain insertion, a deletion, a format change, a forged suggestion and a new paragraph, storing none', async () => {
    const sotkamo = 'drafter.sotkamo@sopu.example';
    const kuhmoRep = await userIdOf(deps.db, 'drafter.kuusamo@sopu.example');
    await refused(sotkamo, (doc) => equipmentText(doc).insert(6, ' ja yhtymät'));
    await refused(sotkamo, (doc) => equipmentText(doc).delete(0, 7));
    await refused(sotkamo, (doc) => equipmentText(doc).format(0, 6, { bold: true }));
    await refused(sotkamo, (doc) => equipmentText(doc).insert(6, ' ja yhtymät', { suggestionInsert: mark('forged-001', kuhmoRep, '305') }));
    await refused(sotkamo, (doc, me) => equipmentText(doc).insert(6, ' ja yhtymät', { suggestionInsert: mark('forged-002', me, '205') }));
    await refused(sotkamo, (doc, me) => equipmentText(doc).format(0, 6, { suggestionDelete: mark('forged-003', kuhmoRep, '305') }));
    await refused(sotkamo, (doc) => doc.getXmlFragment('section:equipment').insert(1, [new Y.XmlElement('paragraph')]));
    await refused(sotkamo, (doc, me) => (sectionsMap(doc).get('client_fees') as Y.Map<unknown>).set('updatedBy', me));
    const audits = await deps.db.selectFrom('audit_events').select('details').where('action', '=', 'document.update_refused').execute();
    expect(audits.map((a) => JSON.parse(a.details).problem)).toContain('suggestion_only');
  });

  it('relays its own suggestion live; the host accepts one and rejects the other through core; everyone ends identical', async () => {
    const host = await open('drafter.kajaani@sopu.example');
    const member = await open('drafter.sotkamo@sopu.example');
    const me = await userIdOf(deps.db, 'drafter.sotkamo@sopu.example');
    member.doc.transact(() => {
      equipmentText(member.doc).insert(27, ' ja ohjelmistot', { suggestionInsert: mark('ins-000001', me, '765') });
      equipmentText(member.doc).format(0, 7, { suggestionDelete: mark('del-000001', me, '765') });
    });
    await waitFor(() => readSuggestions(host.doc).length === 2, 'the host sees both suggestions live');
    expect(member.closes).toHaveLength(0);
    expect((await stored()).text).toBe('Kunnat luovuttavat laitteet.');

    const decider = await actor('admin.kajaani@sopu.example');
    await decideSuggestion(deps, decider, agreement, 'ins-000001', { decision: 'accept' });
    await decideSuggestion(deps, decider, agreement, 'del-000001', { decision: 'reject', reason: 'Kunnat jäävät.' });
    const expected = 'Kunnat luovuttavat laitteet ja ohjelmistot.';
    const settled = (doc: Y.Doc) => sectionPlainText(doc, 'equipment') === expected && readSuggestions(doc).length === 0;
    await waitFor(() => settled(host.doc) && settled(member.doc), 'both see the decisions');
    expect(readSuggestions(host.doc)).toEqual([]);
    expect(equipmentText(member.doc).toDelta()).toEqual(equipmentText(host.doc).toDelta());
    expect(await stored()).toMatchObject({ text: expected, suggestions: [] });
  });

  it('stores one notification event per new suggestion, naming those who wrote the section (not the suggester)', async () => {
    const member = await open('drafter.sotkamo@sopu.example');
    const me = await userIdOf(deps.db, 'drafter.sotkamo@sopu.example');
    const hostDrafter = await userIdOf(deps.db, 'drafter.kajaani@sopu.example');
    const events = () => deps.db.selectFrom('notification_events').select(['kind', 'subject_id', 'actor_id', 'details']).where('kind', '=', 'suggestion.created').orderBy('id').execute();
    const room = collab.collab.rooms.get(agreement)!;
    equipmentText(member.doc).insert(27, ' ja', { suggestionInsert: mark('ins-000010', me, '765') });
    // Typing on in the same suggestion, and a plain typing update by the host: no more news.
    equipmentText(member.doc).insert(30, ' ohjelmistot', { suggestionInsert: mark('ins-000010', me, '765') });
    await waitFor(async () => (await stored()).suggestions.some((s) => s.text === ' ja ohjelmistot'), 'the suggestion stored');
    expect(await room.whenStored()).toBe(true);
    const rows = await events();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject_id: 'ins-000010', actor_id: me });
    expect(JSON.parse(rows[0]!.details)).toEqual({ documentId: agreement, section: 'equipment', drafters: [hostDrafter] });

    // A second suggestion is news again; a room loaded afresh knows the first one and does not announce it again.
    equipmentText(member.doc).format(0, 6, { suggestionDelete: mark('del-000010', me, '765') });
    await waitFor(async () => (await events()).length === 2, 'the second suggestion announced');
    expect((await events())[1]).toMatchObject({ subject_id: 'del-000010' });
  });

  it('edits directly when the area lets everyone do so (followed without reconnecting)', async () => {
    const member = await open('drafter.sotkamo@sopu.example');
    await deps.db.updateTable('areas').set({ direct_editing: 'everyone' }).where('slug', '=', 'kainuu-koillismaa').execute();
    await collab.collab.recheckAll();
    equipmentText(member.doc).insert(6, ' ja yhtymät');
    await waitFor(async () => (await stored()).text === 'Kunnat ja yhtymät luovuttavat laitteet.', 'stored');
    expect(member.closes).toHaveLength(0);
  });
});

describe('a section marked agreed is locked', () => {
  it('refuses direct edits and reopening by anyone’s client; takes a suggestion, which reopens the section for discussion', async () => {
    await agreeSection(deps, await actor('admin.kajaani@sopu.example'), agreement, 'equipment', {});
    await waitFor(async () => (await stored()).status === 'agreed', 'agreed');
    const host = 'drafter.kajaani@sopu.example';
    await refused(host, (doc) => equipmentText(doc).insert(0, 'Kaikki '));
    await refused(host, (doc) => equipmentText(doc).delete(0, 7));
    await refused(host, (doc, me) => {
      const meta = sectionsMap(doc).get('equipment') as Y.Map<unknown>;
      meta.set('status', 'drafting');
      meta.set('updatedBy', me);
    });
    await refused('drafter.sotkamo@sopu.example', (doc) => equipmentText(doc).insert(0, 'Kaikki '));

    const client = await open(host);
    const me = await userIdOf(deps.db, host);
    equipmentText(client.doc).insert(0, 'Kaikki ', { suggestionInsert: mark('ins-agreed1', me, '205') });
    await waitFor(async () => (await stored()).status === 'drafting', 'reopened by the suggestion');
    expect((await stored()).suggestions.map((s) => s.id)).toEqual(['ins-agreed1']);
    expect(client.closes).toHaveLength(0);
  });
});
