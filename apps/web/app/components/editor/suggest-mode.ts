import { Extension } from '@tiptap/core';
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { SUGGESTION_DELETE, SUGGESTION_INSERT } from '@sopu/doc-model';

/**
 * Suggestion mode (docs/decisions/025): typing inserts text marked as the person's suggestion, deleting marks text as
 * suggested for deletion (one's own suggested text is really removed), and nothing else changes the text: any other
 * change of the document (formatting, new paragraphs, pasting structure, dragging) is dropped while the mode is on.
 * The collab server holds a suggest-only connection to the same rule, whatever its editor does.
 */
export interface SuggestModeOptions {
  /** Whether suggestion mode is on now (the person's toggle, or forced: a member municipality, an agreed section). */
  active: () => boolean;
  identity: () => { userId: string; municipalityCode: string };
}

const key = new PluginKey('sopuSuggest');

function newSuggestionId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 16);
}

type Me = { userId: string; municipalityCode: string };
const owns = (mark: Mark | undefined, me: Me) => mark !== undefined && mark.attrs.author === me.userId && mark.attrs.municipality === me.municipalityCode;
const markOf = (node: ProseMirrorNode | null | undefined, name: string) => node?.marks.find((m) => m.type.name === name);

/** The character (text node) just before and after a position, within its textblock. */
function around(doc: ProseMirrorNode, pos: number) {
  const $pos = doc.resolve(pos);
  return { before: $pos.nodeBefore, after: $pos.nodeAfter, start: $pos.start(), end: $pos.end(), textblock: $pos.parent.isTextblock };
}

function attrsFor(me: Me, id: string) {
  return { id, author: me.userId, municipality: me.municipalityCode, at: Date.now() };
}

/**
 * Marks [from, to) for deletion in `tr`: text someone already suggested deleting stays as it is, others' suggested
 * text is left alone, one's own suggested text is removed. Returns the transaction.
 */
function suggestDeletion(tr: Transaction, from: number, to: number, me: Me): Transaction {
  const doc = tr.doc;
  const schema = doc.type.schema;
  const deleteType = schema.marks[SUGGESTION_DELETE]!;
  const ownInserted: Array<[number, number]> = [];
  const toMark: Array<[number, number]> = [];
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const start = Math.max(from, pos);
    const end = Math.min(to, pos + node.nodeSize);
    if (start >= end) return false;
    const inserted = markOf(node, SUGGESTION_INSERT);
    if (inserted) {
      if (owns(inserted, me)) ownInserted.push([start, end]);
      return false;
    }
    if (!markOf(node, SUGGESTION_DELETE)) toMark.push([start, end]);
    return false;
  });
  if (toMark.length > 0) {
    // One suggestion with the deletion next to it, if that is one's own; else a new one.
    const edges = [around(doc, toMark[0]![0]).before, around(doc, toMark[toMark.length - 1]![1]).after];
    const neighbour = edges.map((n) => markOf(n, SUGGESTION_DELETE)).find((m) => owns(m, me));
    // The neighbour's own mark as it is (same id, same time): one suggestion, one run of text.
    const mark = neighbour ?? deleteType.create(attrsFor(me, newSuggestionId()));
    for (const [start, end] of toMark) tr.addMark(start, end, mark);
  }
  for (const [start, end] of ownInserted.reverse()) tr.delete(start, end);
  return tr;
}

/** Inserts `text` at `pos` as one's own suggestion (continuing the one just before it, if that is one's own). */
function suggestInsertion(tr: Transaction, pos: number, text: string, me: Me, state: EditorState): Transaction {
  const schema = tr.doc.type.schema;
  const $pos = tr.doc.resolve(pos);
  const previous = markOf($pos.nodeBefore, SUGGESTION_INSERT);
  // Typing on: the same suggestion, its mark as it is (same id and time), so the text stays one run.
  const mark = previous && owns(previous, me) ? previous : schema.marks[SUGGESTION_INSERT]!.create(attrsFor(me, newSuggestionId()));
  const inherited = (state.storedMarks ?? $pos.marks()).filter((m) => m.type.name !== SUGGESTION_INSERT && m.type.name !== SUGGESTION_DELETE);
  const marks = [...inherited, mark];
  tr.insert(pos, schema.text(text, marks));
  return tr.setSelection(TextSelection.create(tr.doc, pos + text.length));
}

function dispatch(view: EditorView, tr: Transaction) {
  view.dispatch(tr.setMeta(key, true).scrollIntoView());
}

/** Whether a range lies inside one textblock (suggestions never cross blocks). */
function withinTextblock(doc: ProseMirrorNode, from: number, to: number): boolean {
  const $from = doc.resolve(from);
  return $from.parent.isTextblock && to <= $from.end();
}

export const SuggestMode = Extension.create<SuggestModeOptions>({
  name: 'sopuSuggestMode',
  // Before the keymaps: Backspace and Delete are ours while the mode is on.
  priority: 1000,
  addOptions() {
    return { active: () => false, identity: () => ({ userId: '', municipalityCode: '' }) };
  },
  addProseMirrorPlugins() {
    const options = this.options;
    const on = (view: EditorView) => view.editable && options.active();
    return [
      new Plugin({
        key,
        // Any other change of the text is dropped while suggesting; remote changes and our own pass.
        filterTransaction: (tr) => !options.active() || !tr.docChanged || tr.getMeta(key) === true || tr.getMeta(ySyncPluginKey) !== undefined,
        props: {
          handleTextInput(view, from, to, text) {
            if (!on(view)) return false;
            const me = options.identity();
            if (!withinTextblock(view.state.doc, from, to)) return true;
            const tr = view.state.tr;
            suggestDeletion(tr, from, to, me);
            dispatch(view, suggestInsertion(tr, tr.mapping.map(from, -1), text, me, view.state));
            return true;
          },
          handleKeyDown(view, event) {
            if (!on(view)) return false;
            const me = options.identity();
            const { state } = view;
            const { from, to, empty } = state.selection;
            if (event.key === 'Enter' || (event.key === 'Tab' && !event.ctrlKey)) return event.key === 'Enter';
            if (event.key !== 'Backspace' && event.key !== 'Delete') return false;
            if (!empty) {
              if (!withinTextblock(state.doc, from, to)) return true;
              const tr = suggestDeletion(state.tr, from, to, me);
              dispatch(view, tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map(from, -1))));
              return true;
            }
            const here = around(state.doc, from);
            if (!here.textblock) return true;
            const back = event.key === 'Backspace';
            // Step over text already suggested for deletion, then mark the next character.
            let p = from;
            const step = () => (back ? markOf(state.doc.resolve(p).nodeBefore, SUGGESTION_DELETE) : markOf(state.doc.resolve(p).nodeAfter, SUGGESTION_DELETE));
            while ((back ? p > here.start : p < here.end) && step()) p += back ? -1 : 1;
            if (back ? p === here.start : p === here.end) {
              dispatch(view, state.tr.setSelection(TextSelection.create(state.doc, p)));
              return true;
            }
            const [start, end] = back ? [p - 1, p] : [p, p + 1];
            const tr = suggestDeletion(state.tr, start, end, me);
            const removed = tr.doc.content.size < state.doc.content.size;
            const caret = back ? start : removed ? start : end;
            dispatch(view, tr.setSelection(TextSelection.create(tr.doc, Math.min(caret, tr.doc.content.size))));
            return true;
          },
          handlePaste(view, _event, slice) {
            if (!on(view)) return false;
            const text = slice.content.textBetween(0, slice.content.size, ' ', ' ').replace(/\s+/g, ' ');
            const { from, to } = view.state.selection;
            if (text === '' || !withinTextblock(view.state.doc, from, to)) return true;
            const me = options.identity();
            const tr = suggestDeletion(view.state.tr, from, to, me);
            dispatch(view, suggestInsertion(tr, tr.mapping.map(from, -1), text, me, view.state));
            return true;
          },
          handleDrop(view) {
            return on(view);
          },
        },
      }),
    ];
  },
});
