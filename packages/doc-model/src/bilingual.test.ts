import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fillSection, replaceContent } from './anchor.ts';
import {
  BILINGUAL_MAP, documentLanguages, makeBilingual, markTranslationInLine, parallelFragmentName, readTranslationMark, sectionTranslation, type DocumentLanguage,
} from './bilingual.ts';
import { canonicalDocument, canonicalSections, contentHash, documentTranslations, hashCanonicalSection, sectionPlainText, sectionTexts, type ProseMirrorJSON } from './canonical.ts';
import { diffDocuments } from './diff.ts';
import { changedSections, checkClientUpdate } from './guard.ts';
import { createInitialState } from './layout.ts';
import { templateFor } from './templates.ts';

const KIND = 'cooperation_agreement' as const;
const p = (text: string): ProseMirrorJSON => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

/** A new agreement with Finnish text in `parties`, as the server has it. */
function agreement(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, createInitialState(KIND));
  fillSection(doc, 'parties', p('Kajaani ja Sotkamo'));
  return doc;
}

/** Made bilingual the way the use case does it: the present texts in `main`, each section marked as it stands. */
function bilingual(doc: Y.Doc, main: DocumentLanguage = 'fi'): Y.Doc {
  const texts = new Map(canonicalSections(doc).map((s) => [s.key, s.content]));
  makeBilingual(doc, main, texts, 'admin', 1000);
  return doc;
}

/** A client synced with the server's document, and what its change makes it send. */
function clientOf(server: Y.Doc): Y.Doc {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  return client;
}
function updateOf(client: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => updates.push(u);
  client.on('update', onUpdate);
  change();
  client.off('update', onUpdate);
  return Y.mergeUpdates(updates);
}
function typeInto(doc: Y.Doc, fragmentName: string, text: string) {
  const fragment = doc.getXmlFragment(fragmentName);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  fragment.insert(fragment.length, [paragraph]);
}

describe('a bilingual document', () => {
  it('a document in one language keeps its canonical form and hash: no languages, no parallel text', () => {
    const doc = agreement();
    const canonical = canonicalDocument(doc);
    expect(canonical).not.toHaveProperty('languages');
    expect(canonical.sections.every((s) => !('parallel' in s))).toBe(true);
    expect(documentLanguages(doc)).toBeNull();
    expect(documentTranslations(doc)).toBeNull();
    // Reading the languages never creates the map (a monolingual document gets no update from being read).
    expect(doc.share.has(BILINGUAL_MAP)).toBe(false);
  });

  it("holds both languages' texts, and its hash and every section's hash cover both", () => {
    const doc = bilingual(agreement());
    expect(documentLanguages(doc)).toEqual({ main: 'fi', parallel: 'sv' });
    const before = contentHash(doc);
    const sectionBefore = hashCanonicalSection(canonicalSections(doc).find((s) => s.key === 'parties')!);
    fillSection(doc, 'parties', p('Kajana och Sotkamo'), 'sv');
    expect(doc.share.has(parallelFragmentName('parties', 'sv'))).toBe(true);
    const canonical = canonicalDocument(doc);
    expect(canonical.languages).toEqual(['fi', 'sv']);
    const parties = canonical.sections.find((s) => s.key === 'parties')!;
    expect(parties.content).toEqual(p('Kajaani ja Sotkamo'));
    expect(parties.parallel).toEqual(p('Kajana och Sotkamo'));
    // Only the Swedish changed, and both hashes say so.
    expect(contentHash(doc)).not.toBe(before);
    expect(hashCanonicalSection(parties)).not.toBe(sectionBefore);
    expect(sectionTexts(canonical, parties, 'fi')).toEqual({ fi: p('Kajaani ja Sotkamo'), sv: p('Kajana och Sotkamo') });
    expect(sectionPlainText(doc, 'parties', 'sv')).toBe('Kajana och Sotkamo');
    expect(sectionPlainText(doc, 'parties')).toBe('Kajaani ja Sotkamo');
  });

  it('a document whose text is Swedish keeps it where it is and gets its Finnish beside it', () => {
    const doc = bilingual(agreement(), 'sv');
    fillSection(doc, 'parties', p('Kajaani ja Sotkamo (suomeksi)'), 'fi');
    const parties = canonicalDocument(doc).sections.find((s) => s.key === 'parties')!;
    expect(sectionTexts(canonicalDocument(doc), parties, 'sv')).toEqual({ sv: p('Kajaani ja Sotkamo'), fi: p('Kajaani ja Sotkamo (suomeksi)') });
    expect(doc.share.has('section:parties:fi')).toBe(true);
    expect(() => makeBilingual(doc, 'fi', new Map(), null, 0)).toThrow(/bilingual already/);
  });
});

describe('translation state', () => {
  const state = (doc: Y.Doc, key = 'parties') => documentTranslations(doc)!.find((s) => s.key === key)!;

  it('a section with no Swedish yet shows its Swedish as missing; empty sections are in line', () => {
    const doc = bilingual(agreement());
    expect(state(doc).states).toEqual({ fi: 'in_line', sv: 'missing' });
    expect(state(doc, 'purpose').states).toEqual({ fi: 'in_line', sv: 'in_line' });
  });

  it('a Finnish change leaves the Swedish stale, with what changed; marking it updated clears it', () => {
    const doc = bilingual(agreement());
    fillSection(doc, 'parties', p('Kajana och Sotkamo'), 'sv');
    markTranslationInLine(doc, 'parties', state(doc).texts, 'drafter', 2000);
    expect(state(doc).states).toEqual({ fi: 'in_line', sv: 'in_line' });
    expect(readTranslationMark(doc, 'parties')).toMatchObject({ by: 'drafter', at: 2000 });

    const text = (doc.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.insert(text.length, ', Kuhmo');
    const stale = state(doc);
    expect(stale.states).toEqual({ fi: 'in_line', sv: 'stale' });
    expect(stale.changed).toEqual(['fi']);
    // The change to show: the Finnish as it was when marked, and now.
    expect(stale.mark!.texts.fi).toEqual(p('Kajaani ja Sotkamo'));
    expect(stale.texts.fi).toEqual(p('Kajaani ja Sotkamo, Kuhmo'));

    markTranslationInLine(doc, 'parties', stale.texts, 'drafter', 3000);
    expect(state(doc).states).toEqual({ fi: 'in_line', sv: 'in_line' });
  });

  it('when both changed since the mark, each is stale until someone checks them; undoing a change is no change', () => {
    const doc = bilingual(agreement());
    fillSection(doc, 'parties', p('Kajana och Sotkamo'), 'sv');
    markTranslationInLine(doc, 'parties', state(doc).texts, 'drafter', 2000);
    const sv = (doc.getXmlFragment('section:parties:sv').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    sv.insert(sv.length, '!');
    expect(state(doc).states).toEqual({ fi: 'stale', sv: 'in_line' });
    const fi = (doc.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    fi.insert(fi.length, '!');
    expect(state(doc).states).toEqual({ fi: 'stale', sv: 'stale' });
    sv.delete(sv.length - 1, 1);
    expect(state(doc).states).toEqual({ fi: 'in_line', sv: 'stale' });
  });

  it('is pure: the same texts and mark give the same state', () => {
    expect(sectionTranslation('x', { fi: p('a'), sv: p('b') }, null).states).toEqual({ fi: 'stale', sv: 'stale' });
    expect(sectionTranslation('x', { fi: p('a'), sv: p('b') }, { texts: { fi: p('a'), sv: p('b') }, by: null, at: null }).states).toEqual({ fi: 'in_line', sv: 'in_line' });
    expect(sectionTranslation('x', { fi: p('a'), sv: { type: 'doc' } }, { texts: { fi: p('a'), sv: p('b') }, by: null, at: null }).states).toEqual({ fi: 'in_line', sv: 'missing' });
  });
});

describe('the layout guard and a bilingual document', () => {
  it('refuses parallel text in a document of one language, and in the main language of a bilingual one', () => {
    const server = agreement();
    const client = clientOf(server);
    const swedish = updateOf(client, () => typeInto(client, 'section:parties:sv', 'Kajana'));
    expect(checkClientUpdate(server, KIND, swedish)).toMatchObject({ ok: false, problem: 'unknown_root' });

    bilingual(server);
    // Each from a fresh replica: none of them builds on another that the server did not take.
    const typing = (name: string) => {
      const synced = clientOf(server);
      return checkClientUpdate(server, KIND, updateOf(synced, () => typeInto(synced, name, 'Kajana')));
    };
    expect(typing('section:parties:sv')).toMatchObject({ ok: true });
    expect(typing('section:parties:fi')).toMatchObject({ ok: false, problem: 'unknown_root' });
    expect(typing('section:no_such_section:sv')).toMatchObject({ ok: false, problem: 'unknown_root' });
    // What the editor's schema forbids is refused in the parallel text as in the main one.
    const synced = clientOf(server);
    const heading9 = updateOf(synced, () => {
      const h = new Y.XmlElement('heading');
      h.setAttribute('level', 9 as unknown as string);
      synced.getXmlFragment('section:parties:sv').insert(0, [h]);
    });
    expect(checkClientUpdate(server, KIND, heading9)).toMatchObject({ ok: false, problem: 'not_in_schema' });
  });

  it("refuses a client's write to the document's languages or translation marks, and their deletion", () => {
    const plain = agreement();
    const client = clientOf(plain);
    // Making itself bilingual is the server's to do.
    expect(checkClientUpdate(plain, KIND, updateOf(client, () => client.getMap(BILINGUAL_MAP).set('languages', ['fi', 'sv'])))).toMatchObject({ ok: false, problem: 'forbidden_field' });

    const server = bilingual(agreement());
    const writing = (change: (map: Y.Map<unknown>) => void) => {
      const synced = clientOf(server);
      return checkClientUpdate(server, KIND, updateOf(synced, () => change(synced.getMap(BILINGUAL_MAP))));
    };
    expect(writing((map) => map.set('sync:parties', { texts: {}, by: 'me', at: 1 }))).toMatchObject({ ok: false, problem: 'forbidden_field' });
    expect(writing((map) => map.delete('languages'))).toMatchObject({ ok: false, problem: 'forbidden_field' });
    expect(writing((map) => map.delete('sync:parties'))).toMatchObject({ ok: false, problem: 'forbidden_field' });
    expect(documentLanguages(server)).toEqual({ main: 'fi', parallel: 'sv' });
  });

  it('counts an edit of either language as a change of the section (an agreed section reopens)', () => {
    const doc = bilingual(agreement());
    let seen = new Set<string>();
    doc.on('afterTransaction', (t: Y.Transaction) => {
      seen = changedSections(t);
    });
    typeInto(doc, 'section:purpose:sv', 'Syftet');
    expect([...seen]).toEqual(['purpose']);
  });
});

describe('versions of a bilingual document', () => {
  it('a comparison shows a change of the other language alone as a change of the section', () => {
    const doc = bilingual(agreement());
    fillSection(doc, 'parties', p('Kajana och Sotkamo'), 'sv');
    const before = canonicalDocument(doc);
    const sv = (doc.getXmlFragment('section:parties:sv').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    sv.insert(sv.length, ' samt Kuhmo');
    const diff = diffDocuments(before, canonicalDocument(doc));
    const parties = diff.sections.find((s) => s.key === 'parties')!;
    expect(parties.changed).toBe(true);
    expect(parties.blocks!.every((b) => b.op === 'equal')).toBe(true);
    expect(parties.parallelBlocks!.map((b) => b.runs.filter((r) => r.op === 'insert').map((r) => r.text).join(''))).toEqual([' samt Kuhmo']);
    expect(diff.sections.filter((s) => s.changed).map((s) => s.key)).toEqual(['parties']);
  });

  it('restoring a version puts back both languages', () => {
    const doc = bilingual(agreement());
    fillSection(doc, 'parties', p('Kajana och Sotkamo'), 'sv');
    const saved = canonicalDocument(doc);
    const sv = (doc.getXmlFragment('section:parties:sv').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    sv.insert(0, 'Ändrat: ');
    const fi = (doc.getXmlFragment('section:parties').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    fi.insert(0, 'Muutettu: ');
    replaceContent(doc, saved.sections, 'u1', 5000);
    expect(canonicalDocument(doc)).toEqual(saved);
    expect(templateFor(KIND).length).toBe(saved.sections.length);
  });
});
