// A deterministic simulation of drafters typing into an agreement, one Yjs update per keystroke, the way the
// Tiptap/y-prosemirror binding writes them: characters into a paragraph's Y.XmlText, backspaces, Enter (a new
// paragraph element with its own text), now and then a mark (formatting attribute) over a word.
import { readSections, sectionFragment } from '@sopu/doc-model';
import * as Y from 'yjs';

/** Mulberry32: a small seeded generator, so that every run types the same document. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LETTERS = 'aaaaeeeiiiinnnttssllkkuuoommhhvvrrjjppyydääö        ,.';

export interface TypedUpdate {
  update: Uint8Array;
  typist: number;
}

/**
 * `typists` replicas of a document (already holding the same initial state) take turns typing `count` keystrokes;
 * each keystroke is one transaction, so one update, which is applied to the other replicas at once (they stay in
 * sync, as clients connected to one server do). Returns the updates in the order they happened.
 */
export function simulateTyping(replicas: Y.Doc[], count: number, seed = 1): TypedUpdate[] {
  const random = rng(seed);
  const sections = readSections(replicas[0]!).map((s) => s.key);
  const out: TypedUpdate[] = [];
  const listeners = replicas.map((doc, index) => {
    const listener = (update: Uint8Array, origin: unknown) => {
      if (origin === 'sync') return;
      out.push({ update, typist: index });
      for (const other of replicas) if (other !== doc) Y.applyUpdate(other, update, 'sync');
    };
    doc.on('update', listener);
    return listener;
  });

  let typist = 0;
  let section = sections[0]!;
  let paragraphIndex = 0;
  let cursor = 0;
  const paragraph = (doc: Y.Doc): Y.XmlText => {
    const fragment = sectionFragment(doc, section);
    let element = fragment.get(paragraphIndex) as Y.XmlElement | undefined;
    if (!element) {
      element = new Y.XmlElement('paragraph');
      element.insert(0, [new Y.XmlText()]);
      fragment.insert(fragment.length, [element]);
      paragraphIndex = fragment.length - 1;
    }
    return element.get(0) as Y.XmlText;
  };
  const moveTo = (doc: Y.Doc) => {
    section = sections[Math.floor(random() * sections.length)]!;
    const fragment = sectionFragment(doc, section);
    paragraphIndex = Math.max(0, fragment.length - 1);
    cursor = -1; // end of the paragraph
  };

  // A few keystrokes change nothing (a mark over text that has it already): loop until `count` updates exist.
  for (let i = 0; out.length < count; i++) {
    if (i % 400 === 0 && i > 0) {
      typist = (typist + 1) % replicas.length;
      moveTo(replicas[typist]!);
    }
    const doc = replicas[typist]!;
    doc.transact(() => {
      const text = paragraph(doc);
      if (cursor < 0 || cursor > text.length) cursor = text.length;
      const r = random();
      if (r < 0.05 && cursor > 0) {
        text.delete(cursor - 1, 1);
        cursor--;
      } else if (r < 0.065 && text.length > 20) {
        // Enter at the end of the paragraph: a new, empty paragraph after it.
        const fragment = sectionFragment(doc, section);
        const element = new Y.XmlElement('paragraph');
        element.insert(0, [new Y.XmlText()]);
        fragment.insert(paragraphIndex + 1, [element]);
        paragraphIndex++;
        cursor = 0;
      } else if (r < 0.07 && text.length > 12) {
        const start = Math.floor(random() * (text.length - 6));
        text.format(start, 5, random() < 0.5 ? { bold: {} } : { italic: {} });
      } else {
        text.insert(cursor, LETTERS[Math.floor(random() * LETTERS.length)]!);
        cursor++;
      }
    });
  }
  replicas.forEach((doc, index) => doc.off('update', listeners[index]!));
  return out;
}
