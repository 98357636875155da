import { getTranslations, makeDocumentBilingual, markTranslationUpdated, type CoreDeps } from '@sopu/core';
import { actorFor } from '@sopu/core/testing';
import { BILINGUAL_MAP, documentLanguages, documentTranslations } from '@sopu/doc-model';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../src/index.ts';
import { cookieFor, openLiveRoom, roundTrip, storedDoc, synced, waitFor, type LiveRoom } from './harness.ts';

// Two languages in the live room (decision 026): the parallel texts are co-edited like any section's, the document's
// languages and translation marks are the server's (made through the room, seen by everyone at once), and a client
// may neither write parallel text into a document of one language nor touch the marks.

let room: LiveRoom;
let deps: CoreDeps;
let collab: LiveRoom['collab'];
let agreement: string;
const open = (...args: Parameters<LiveRoom['open']>) => room.open(...args);

beforeEach(async () => {
  room = await openLiveRoom('saaristo-skargard');
  ({ deps, collab, agreement } = room);
});
afterEach(() => room.close());

function typeIn(doc: Y.Doc, fragmentName: string, text: string) {
  const fragment = doc.getXmlFragment(fragmentName);
  doc.transact(() => {
    let paragraph = fragment.get(0) as Y.XmlElement | undefined;
    if (!paragraph) {
      paragraph = new Y.XmlElement('paragraph');
      fragment.insert(0, [paragraph]);
    }
    let node = paragraph.get(0) as Y.XmlText | undefined;
    if (!node) {
      node = new Y.XmlText();
      paragraph.insert(0, [node]);
    }
    node.insert(node.length, text);
  });
}
const textIn = (doc: Y.Doc, fragmentName: string) => doc.getXmlFragment(fragmentName).toArray().map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText | undefined)?.toString() ?? '').join('');
const stateOf = (doc: Y.Doc, key: string) => documentTranslations(doc)?.find((s) => s.key === key)?.states;

describe('a bilingual document in the live room', () => {
  it('becomes bilingual for everyone at once; both columns are co-edited; a Swedish edit flags the Finnish stale and a mark clears it, live', async () => {
    const swedish = open(collab.wsUrl, agreement, await cookieFor(deps, 'admin.rantala@sopu.example'));
    const finnish = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.holmpy@sopu.example'));
    const reader = open(collab.wsUrl, agreement, await cookieFor(deps, 'rep.saarela@sopu.example'));
    await Promise.all([synced(swedish), synced(finnish), synced(reader)]);
    typeIn(swedish.doc, 'section:parties', 'Parter är Strandvik, Holmby och Saarela.');
    await waitFor(() => textIn(reader.doc, 'section:parties').length > 0, 'the Swedish text');

    await makeDocumentBilingual(deps, await actorFor(deps, 'admin.rantala@sopu.example'), agreement);
    await waitFor(() => documentLanguages(reader.doc) !== null, 'the languages reach the reader');
    expect(documentLanguages(reader.doc)).toEqual({ main: 'sv', parallel: 'fi' });
    expect(stateOf(reader.doc, 'parties')).toEqual({ sv: 'in_line', fi: 'missing' });

    // Two people write the two columns of one section at once.
    typeIn(finnish.doc, 'section:parties:fi', 'Osapuolet ovat Rantala, Holmpy ja Saarela.');
    typeIn(swedish.doc, 'section:parties', ' Avtalet är tvåspråkigt.');
    await waitFor(() => textIn(reader.doc, 'section:parties:fi').startsWith('Osapuolet') && textIn(reader.doc, 'section:parties').endsWith('tvåspråkigt.'), 'both columns reach the reader');
    expect(stateOf(reader.doc, 'parties')).toEqual({ sv: 'stale', fi: 'stale' });
    await markTranslationUpdated(deps, await actorFor(deps, 'drafter.holmpy@sopu.example'), agreement, { section: 'parties' });
    await waitFor(() => stateOf(reader.doc, 'parties')?.fi === 'in_line' && stateOf(reader.doc, 'parties')?.sv === 'in_line', 'the mark reaches the reader');

    // A Swedish edit now: the Finnish is stale for everyone, live.
    typeIn(swedish.doc, 'section:parties', ' Ändrat.');
    await waitFor(() => stateOf(reader.doc, 'parties')?.fi === 'stale', 'the stale flag reaches the reader');
    expect(stateOf(finnish.doc, 'parties')?.fi).toBe('stale');
    // What everyone saw is stored.
    const stored = await storedDoc(deps.db, agreement);
    expect(textIn(stored, 'section:parties:fi')).toBe('Osapuolet ovat Rantala, Holmpy ja Saarela.');
    expect(stateOf(stored, 'parties')).toEqual({ sv: 'in_line', fi: 'stale' });
    expect((await getTranslations(deps, await actorFor(deps, 'rep.saarela@sopu.example'), agreement)).needsTranslation).toEqual(['parties']);
    stored.destroy();
  });

  it('refuses parallel text in a document of one language, and any write to the languages or marks (4422): nothing stored, nothing relayed', async () => {
    const rogue = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.holmpy@sopu.example'));
    const other = open(collab.wsUrl, agreement, await cookieFor(deps, 'admin.rantala@sopu.example'));
    await Promise.all([synced(rogue), synced(other)]);
    typeIn(rogue.doc, 'section:parties:fi', 'Ei kaksikielinen vielä');
    await waitFor(() => rogue.closes.some((c) => c.code === CLOSE.layoutViolation), 'parallel text refused');
    await roundTrip(other);
    expect(other.doc.share.has('section:parties:fi')).toBe(false);

    await makeDocumentBilingual(deps, await actorFor(deps, 'admin.rantala@sopu.example'), agreement);
    const forger = open(collab.wsUrl, agreement, await cookieFor(deps, 'drafter.holmpy@sopu.example'));
    await synced(forger);
    forger.doc.getMap(BILINGUAL_MAP).set('sync:parties', { texts: {}, by: 'someone', at: 1 });
    await waitFor(() => forger.closes.some((c) => c.code === CLOSE.layoutViolation), 'a forged mark refused');
    await roundTrip(other);
    const stored = await storedDoc(deps.db, agreement);
    expect((stored.getMap(BILINGUAL_MAP).get('sync:parties') as { by: string }).by).not.toBe('someone');
    expect(stored.share.has('section:parties:fi')).toBe(false);
    stored.destroy();
  });
});
