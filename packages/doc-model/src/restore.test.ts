import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorBytes, createAnchor, fillSection, findInSection, resolveAnchor, resolveAnchors, type EncodedAnchor } from './anchor.ts';
import { canonicalSections, type ProseMirrorJSON } from './canonical.ts';
import { createInitialState, sectionFragment } from './layout.ts';
import { restoreSection } from './restore.ts';

const text = (value: string, marks?: string[]): ProseMirrorJSON => ({ type: 'text', text: value, ...(marks ? { marks: marks.map((type) => ({ type })) } : {}) });
const p = (...parts: Array<string | ProseMirrorJSON>): ProseMirrorJSON => ({ type: 'paragraph', content: parts.map((x) => (typeof x === 'string' ? text(x) : x)) });
const h = (level: number, value: string): ProseMirrorJSON => ({ type: 'heading', attrs: { level }, content: [text(value)] });
const list = (...items: string[]): ProseMirrorJSON => ({ type: 'bulletList', content: items.map((i) => ({ type: 'listItem', content: [p(i)] })) });
const table = (...rows: string[][]): ProseMirrorJSON => ({
  type: 'table',
  content: rows.map((row, r) => ({ type: 'tableRow', content: row.map((cell) => ({ type: r === 0 ? 'tableHeader' : 'tableCell', content: [p(cell)] })) })),
});
const docOf = (...blocks: ProseMirrorJSON[]): ProseMirrorJSON => ({ type: 'doc', content: blocks });

const KEY = 'parties';

function agreement(content?: ProseMirrorJSON): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, createInitialState('cooperation_agreement'));
  if (content) fillSection(doc, KEY, content);
  return doc;
}
/** The section's content as canonical JSON: what a version stores and hashes. */
const contentOf = (doc: Y.Doc, key = KEY) => canonicalSections(doc).find((s) => s.key === key)!.content;
/** What filling an empty section with `json` gives: the content a restore must end with. */
const expected = (json: ProseMirrorJSON) => contentOf(agreement(json));

function anchorOn(doc: Y.Doc, quote: string): EncodedAnchor {
  const range = findInSection(doc, KEY, quote);
  if (!range) throw new Error(`no "${quote}"`);
  return createAnchor(doc, KEY, range.from, range.to);
}
const resolved = (doc: Y.Doc, anchor: EncodedAnchor) => resolveAnchor(doc, KEY, { from: anchorBytes(anchor.from)!, to: anchorBytes(anchor.to)! });

/** Restores `json` into the section and returns the updates it made. */
function restore(doc: Y.Doc, json: ProseMirrorJSON): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const listen = (u: Uint8Array) => updates.push(u);
  doc.on('update', listen);
  restoreSection(doc, KEY, json);
  doc.off('update', listen);
  return updates;
}

const BASE = docOf(h(2, 'Osapuolet'), p('Kajaani on vastuukunta ja vastaa palveluista.'), p('Sotkamo ja Kuhmo ovat jäseniä.'), list('yksi', 'kaksi'), table(['Kunta', 'Osuus'], ['Kajaani', '40 %']));

describe('restoreSection', () => {
  it('changes nothing at all when the content is the same: no update, every node the same object, anchors hold', () => {
    const doc = agreement(BASE);
    const anchor = anchorOn(doc, 'vastuukunta');
    const nodes = sectionFragment(doc, KEY).toArray();
    expect(restore(doc, BASE)).toEqual([]);
    expect(sectionFragment(doc, KEY).toArray()).toEqual(nodes);
    expect(resolved(doc, anchor)).toMatchObject({ text: 'vastuukunta', lost: false });
  });

  it('changes only the paragraph that differs: the others stay the same objects, an anchor in them holds', () => {
    const doc = agreement(BASE);
    const anchor = anchorOn(doc, 'vastuukunta');
    const [heading, first] = sectionFragment(doc, KEY).toArray();
    const target = docOf(h(2, 'Osapuolet'), p('Kajaani on vastuukunta ja vastaa palveluista.'), p('Sotkamo, Kuhmo ja Paltamo ovat jäseniä.'), list('yksi', 'kaksi'), table(['Kunta', 'Osuus'], ['Kajaani', '40 %']));
    expect(restore(doc, target)).toHaveLength(1);
    expect(contentOf(doc)).toEqual(expected(target));
    expect(sectionFragment(doc, KEY).get(0)).toBe(heading);
    expect(sectionFragment(doc, KEY).get(1)).toBe(first);
    expect(resolved(doc, anchor)).toMatchObject({ text: 'vastuukunta', lost: false });
  });

  it('keeps an anchor whose words survive when the words around them change, and loses it when they go', () => {
    const doc = agreement(BASE);
    const anchor = anchorOn(doc, 'vastuukunta');
    const rest = [p('Sotkamo ja Kuhmo ovat jäseniä.'), list('yksi', 'kaksi')];
    const reworded = docOf(h(2, 'Osapuolet'), p('Kajaani on edelleen vastuukunta, ja se järjestää palvelut.'), ...rest);
    restore(doc, reworded);
    expect(contentOf(doc)).toEqual(expected(reworded));
    // Words typed right at the range's start join it, as when a person types them there; the anchored word holds.
    expect(resolved(doc, anchor)).toMatchObject({ text: 'edelleen vastuukunta', lost: false });
    restore(doc, docOf(h(2, 'Osapuolet'), p('Kajaani järjestää palvelut.'), ...rest));
    expect(resolved(doc, anchor)?.lost ?? true).toBe(true);
  });

  it('a paragraph inserted before the anchored one, and a new block type, leave the anchored paragraph in place', () => {
    const doc = agreement(BASE);
    const anchor = anchorOn(doc, 'vastuukunta');
    const target = docOf(h(2, 'Osapuolet'), p('Uusi johdanto.'), h(3, 'Vastuukunta'), p('Kajaani on vastuukunta ja vastaa palveluista.'), p('Sotkamo ja Kuhmo ovat jäseniä.'));
    restore(doc, target);
    expect(contentOf(doc)).toEqual(expected(target));
    expect(resolved(doc, anchor)).toMatchObject({ text: 'vastuukunta', lost: false });
  });

  it('sets marks on the characters that stay (bold on, italic off) without replacing them', () => {
    const doc = agreement(docOf(p('Kajaani on ', text('vastuukunta', ['italic']), ' ja vastaa.')));
    const anchor = anchorOn(doc, 'vastuukunta');
    const target = docOf(p(text('Kajaani', ['bold']), ' on vastuukunta ja vastaa.'));
    restore(doc, target);
    expect(contentOf(doc)).toEqual(expected(target));
    expect(resolved(doc, anchor)).toMatchObject({ text: 'vastuukunta', lost: false });
  });

  it('empties a section whose version was empty, and fills an empty one', () => {
    const doc = agreement(BASE);
    restore(doc, { type: 'doc' });
    expect(contentOf(doc)).toEqual({ type: 'doc' });
    restore(doc, BASE);
    expect(contentOf(doc)).toEqual(expected(BASE));
  });

  it('ends with exactly the content of the version, whatever the two were (seeded random documents), as one update a peer applies alike', () => {
    let seed = 15;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const WORDS = ['Kajaani', 'vastuukunta', 'jäsen', 'palvelut', 'sopimus', '€', '😀', 'ja', 'on', '§', 'kunta', 'Åbo', 'työllisyysalue'];
    const sentence = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(WORDS)).join(' ');
    const inline = (): ProseMirrorJSON[] => {
      const marks = pick([undefined, ['bold'], ['italic'], ['bold', 'italic']]);
      return random() < 0.3 ? [text(sentence(), marks), text(` ${sentence()}`)] : [text(sentence(), marks)];
    };
    const block = (): ProseMirrorJSON =>
      pick([
        () => ({ type: 'paragraph', content: inline() }),
        () => h(pick([2, 3]), sentence()),
        () => list(sentence(), sentence()),
        () => table([sentence(), sentence()], [sentence(), sentence()]),
        () => ({ type: 'paragraph' }),
      ])();
    const mutate = (blocks: ProseMirrorJSON[]): ProseMirrorJSON[] => {
      const out = [...blocks];
      for (let n = Math.floor(random() * 4); n >= 0; n--) {
        const at = Math.floor(random() * (out.length + 1));
        const what = random();
        if (what < 0.3 || out.length === 0) out.splice(at, 0, block());
        else if (what < 0.5) out.splice(Math.min(at, out.length - 1), 1);
        else if (what < 0.8) out.splice(Math.min(at, out.length - 1), 1, block());
        else out.reverse();
      }
      return out;
    };
    for (let round = 0; round < 150; round++) {
      const before = Array.from({ length: Math.floor(random() * 6) }, block);
      const after = random() < 0.2 ? before : mutate(before);
      const doc = agreement(before.length > 0 ? docOf(...before) : undefined);
      const peer = new Y.Doc();
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
      const target = after.length > 0 ? docOf(...after) : { type: 'doc' };
      const updates = restore(doc, target);
      expect(contentOf(doc), `round ${round}`).toEqual(after.length > 0 ? expected(target) : { type: 'doc' });
      expect(updates.length, `round ${round}`).toBeLessThanOrEqual(1);
      for (const u of updates) Y.applyUpdate(peer, u);
      expect(contentOf(peer), `round ${round}`).toEqual(contentOf(doc));
      // And again: nothing left to change.
      expect(restore(doc, target), `round ${round}`).toEqual([]);
    }
  });
});

describe('resolving many anchors at once (a document’s threads)', () => {
  it('gives for each anchor what resolving it alone gives, across sections, after edits, and null for a position of another section', () => {
    const doc = agreement(docOf(p('Kajaani, Sotkamo ja Kuhmo sopivat.'), list('yksi', 'kaksi')));
    fillSection(doc, 'development', docOf(p('Kehittämisen periaatteet kirjataan tähän.')));
    const inParties = (quote: string) => createAnchor(doc, KEY, findInSection(doc, KEY, quote)!.from, findInSection(doc, KEY, quote)!.to);
    const inDevelopment = createAnchor(doc, 'development', findInSection(doc, 'development', 'periaatteet')!.from, findInSection(doc, 'development', 'periaatteet')!.to);
    const bytes = (a: EncodedAnchor) => ({ from: anchorBytes(a.from)!, to: anchorBytes(a.to)! });
    // Text typed before the anchors moves them.
    ((sectionFragment(doc, KEY).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Aluksi: ');
    const requests = [
      { key: KEY, anchor: bytes(inParties('Sotkamo')) },
      { key: 'development', anchor: bytes(inDevelopment) },
      { key: KEY, anchor: bytes(inParties('kaksi')) },
      // A position of another section does not point into this one.
      { key: KEY, anchor: bytes(inDevelopment) },
    ];
    const alone = requests.map((r) => resolveAnchor(doc, r.key, r.anchor));
    expect(resolveAnchors(doc, requests)).toEqual(alone);
    expect(alone.map((r) => r?.text ?? null)).toEqual(['Sotkamo', 'periaatteet', 'kaksi', null]);
    expect(resolveAnchors(doc, [])).toEqual([]);
  });
});
