/**
 * Two people typing at the same caret, through the real Yjs binding (@tiptap/y-tiptap's ySyncPlugin) and the app's
 * schema, without a browser: each side is an EditorState driven by a small headless stand-in for EditorView, and the
 * two Y.Docs exchange updates only when the test delivers them, so every interleaving is reproducible.
 *
 * What must hold: each person's typed text stays one contiguous run, and each person's caret stays right after their
 * own text (docs/decisions/010-caret-order-in-concurrent-typing.md).
 */
import { sopuSchema } from '@sopu/doc-model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { ySyncPlugin } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';

const REMOTE = Symbol('remote');

interface PluginView {
  update?: (view: HeadlessView, prevState: EditorState) => void;
  destroy?: () => void;
}

/** What the binding uses of an EditorView: state, dispatch (running plugin views' update) and focus. */
class HeadlessView {
  state: EditorState;
  private readonly pluginViews: PluginView[] = [];

  constructor(state: EditorState) {
    this.state = state;
    for (const plugin of state.plugins) {
      const view = plugin.spec.view?.(this as never) as PluginView | undefined;
      if (view) this.pluginViews.push(view);
    }
  }

  dispatch(tr: Transaction): void {
    const prevState = this.state;
    this.state = this.state.apply(tr);
    for (const view of this.pluginViews) view.update?.(this, prevState);
  }

  hasFocus(): boolean {
    return true;
  }

  destroy(): void {
    for (const view of this.pluginViews) view.destroy?.();
  }
}

interface Peer {
  name: string;
  doc: Y.Doc;
  view: HeadlessView;
  /** Updates made here and not yet delivered to the other peer. */
  outbox: Uint8Array[];
}

function peer(name: string, clientID: number): Peer {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const fragment = doc.getXmlFragment('section:parties');
  const outbox: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) outbox.push(update);
  });
  const view = new HeadlessView(EditorState.create({ schema: sopuSchema, plugins: [ySyncPlugin(fragment)] }));
  return { name, doc, view, outbox };
}

/** Delivers the next `count` pending updates (all by default) from one peer to the other, in order. */
function deliver(from: Peer, to: Peer, count = from.outbox.length): void {
  for (const update of from.outbox.splice(0, count)) Y.applyUpdate(to.doc, update, REMOTE);
}

function sync(a: Peer, b: Peer): void {
  while (a.outbox.length > 0 || b.outbox.length > 0) {
    deliver(a, b);
    deliver(b, a);
  }
}

/** One keystroke, as ProseMirror handles typed text: insert at the selection, caret after it. */
function press(p: Peer, char: string): void {
  p.view.dispatch(p.view.state.tr.insertText(char));
}

function text(p: Peer): string {
  return p.view.state.doc.textBetween(0, p.view.state.doc.content.size, '\n');
}

/** The text of the caret's paragraph before the caret. */
function beforeCaret(p: Peer): string {
  const { $head } = p.view.state.selection;
  return $head.parent.textBetween(0, $head.parentOffset);
}

function caretToEnd(p: Peer): void {
  const doc = p.view.state.doc;
  p.view.dispatch(p.view.state.tr.setSelection(TextSelection.create(doc, doc.content.size - 1)));
}

const BASE = 'Kajaanin kaupunki toimii vastuukuntana.';

/** Two people with the same one-paragraph section, both carets at its end. Lower client id: Yjs orders it first. */
function twoPeople(kajaaniId: number, sotkamoId: number): [Peer, Peer] {
  const kajaani = peer('Kajaani', kajaaniId);
  const sotkamo = peer('Sotkamo', sotkamoId);
  kajaani.view.dispatch(kajaani.view.state.tr.insertText(BASE, 1));
  sync(kajaani, sotkamo);
  expect(text(sotkamo)).toBe(BASE);
  caretToEnd(kajaani);
  caretToEnd(sotkamo);
  return [kajaani, sotkamo];
}

function expectInOrder(kajaani: Peer, sotkamo: Peer, mine: string, theirs: string): void {
  const final = text(kajaani);
  expect(text(sotkamo)).toBe(final);
  // Each addition whole, one after the other, after the text that was there.
  expect([BASE + mine + theirs, BASE + theirs + mine], final).toContain(final);
  // Each caret right after its own text.
  expect(beforeCaret(kajaani).endsWith(mine), `Kajaani's caret in ${final}`).toBe(true);
  expect(beforeCaret(sotkamo).endsWith(theirs), `Sotkamo's caret in ${final}`).toBe(true);
}

const KAJAANI_MORE = ' Kajaani lisää tähän omat sanansa.';
const SOTKAMO_MORE = ' Sotkamo kirjoittaa samaan kappaleeseen.';

describe('concurrent typing at the same caret (y-tiptap binding)', () => {
  it("a character typed just before the same character from the other person goes before it (the diff follows the caret)", () => {
    for (const [kajaaniId, sotkamoId] of [[1, 2], [2, 1]] as const) {
      const [kajaani, sotkamo] = twoPeople(kajaaniId, sotkamoId);
      // Sotkamo's space reaches Kajaani before Kajaani types: Kajaani's caret stays before it, and Kajaani then types
      // the same character there. A diff of the two strings cannot tell which space is new.
      press(sotkamo, ' ');
      deliver(sotkamo, kajaani);
      expect(beforeCaret(kajaani)).toBe(BASE);
      for (const char of ' Kajaani') press(kajaani, char);
      for (const char of 'Sotkamo') press(sotkamo, char);
      sync(kajaani, sotkamo);
      expectInOrder(kajaani, sotkamo, ' Kajaani', ' Sotkamo');
    }
  });

  it('a remote character ordered before the local one does not pull the caret back in front of the local one', () => {
    for (const [kajaaniId, sotkamoId] of [[1, 2], [2, 1]] as const) {
      const [kajaani, sotkamo] = twoPeople(kajaaniId, sotkamoId);
      // Both type a space at the same moment; each receives the other's afterwards.
      press(kajaani, ' ');
      press(sotkamo, ' ');
      sync(kajaani, sotkamo);
      expect(beforeCaret(kajaani), 'Kajaani typed one space').toMatch(/ $/);
      for (const char of 'Kajaani') press(kajaani, char);
      for (const char of 'Sotkamo') press(sotkamo, char);
      sync(kajaani, sotkamo);
      expectInOrder(kajaani, sotkamo, ' Kajaani', ' Sotkamo');
    }
  });

  it('Backspace in a run of the same letter removes the letter before the caret, not the last of the run', () => {
    const [kajaani, sotkamo] = twoPeople(1, 2);
    press(kajaani, 'o');
    press(kajaani, 'o');
    sync(kajaani, sotkamo);
    // Kajaani's caret between the two o's; Sotkamo's caret there too.
    const between = kajaani.view.state.doc.content.size - 2;
    for (const p of [kajaani, sotkamo]) p.view.dispatch(p.view.state.tr.setSelection(TextSelection.create(p.view.state.doc, between)));
    kajaani.view.dispatch(kajaani.view.state.tr.delete(between - 1, between));
    press(sotkamo, 'X');
    sync(kajaani, sotkamo);
    // Kajaani removed the first o; Sotkamo's X stays where Sotkamo put it, after that o's place.
    expect(text(kajaani)).toBe(`${BASE}Xo`);
    expect(text(sotkamo)).toBe(`${BASE}Xo`);
  });

  it('a paragraph the other person moves keeps the caret inside it, at the same place (the recovery for moved blocks still works)', () => {
    const [kajaani, sotkamo] = twoPeople(1, 2);
    // Kajaani adds a second paragraph and puts the caret in the first one, after "Kajaanin".
    kajaani.view.dispatch(kajaani.view.state.tr.insert(kajaani.view.state.doc.content.size, sopuSchema.node('paragraph', null, sopuSchema.text('Toinen kappale.'))));
    sync(kajaani, sotkamo);
    kajaani.view.dispatch(kajaani.view.state.tr.setSelection(TextSelection.create(kajaani.view.state.doc, 1 + 'Kajaanin'.length)));
    // Sotkamo moves the second paragraph in front of the first (a drag and drop: delete and insert).
    const doc = sotkamo.view.state.doc;
    const second = doc.child(1);
    const secondStart = doc.child(0).nodeSize;
    sotkamo.view.dispatch(sotkamo.view.state.tr.delete(secondStart, secondStart + second.nodeSize).insert(0, second));
    sync(kajaani, sotkamo);
    expect(text(kajaani)).toBe(`Toinen kappale.\n${BASE}`);
    expect(kajaani.view.state.selection.$head.parent.textContent).toBe(BASE);
    expect(beforeCaret(kajaani)).toBe('Kajaanin');
    // And when the caret's own paragraph is the one moved.
    sotkamo.view.dispatch(sotkamo.view.state.tr.setSelection(TextSelection.create(sotkamo.view.state.doc, 1)));
    const now = kajaani.view.state.doc;
    const own = now.child(1);
    const ownStart = now.child(0).nodeSize;
    sotkamo.view.dispatch(sotkamo.view.state.tr.delete(ownStart, ownStart + own.nodeSize).insert(0, own));
    sync(kajaani, sotkamo);
    expect(text(kajaani)).toBe(`${BASE}\nToinen kappale.`);
    expect(beforeCaret(kajaani)).toBe('Kajaanin');
  });

  it('keystrokes interleaved with deliveries in many orders (as two browsers typing at once): each text stays whole', () => {
    // A small deterministic generator: the same schedules on every run.
    let seed = 0x5eed;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const failures: string[] = [];
    for (let round = 0; round < 200; round++) {
      const [kajaani, sotkamo] = round % 2 === 0 ? twoPeople(1, 2) : twoPeople(2, 1);
      const queues = new Map<Peer, string[]>([
        [kajaani, [...KAJAANI_MORE]],
        [sotkamo, [...SOTKAMO_MORE]],
      ]);
      while ([...queues.values()].some((q) => q.length > 0) || kajaani.outbox.length > 0 || sotkamo.outbox.length > 0) {
        const step = random();
        const typist = step < 0.3 ? kajaani : step < 0.6 ? sotkamo : null;
        if (typist) {
          const char = queues.get(typist)!.shift();
          if (char !== undefined) press(typist, char);
        } else if (step < 0.8) deliver(kajaani, sotkamo, 1);
        else deliver(sotkamo, kajaani, 1);
      }
      const final = text(kajaani);
      const ordered = final === BASE + KAJAANI_MORE + SOTKAMO_MORE || final === BASE + SOTKAMO_MORE + KAJAANI_MORE;
      const carets = beforeCaret(kajaani).endsWith(KAJAANI_MORE) && beforeCaret(sotkamo).endsWith(SOTKAMO_MORE);
      if (text(sotkamo) !== final || !ordered || !carets) failures.push(`round ${round}: ${JSON.stringify(final.slice(BASE.length))}`);
      kajaani.view.destroy();
      sotkamo.view.destroy();
    }
    expect(failures).toEqual([]);
  });
});
