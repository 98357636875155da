import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { anchorBytes, encodeAnchorPosition } from '@sopu/doc-model';
import * as Y from 'yjs';

/** An open thread of this section, as the highlights need it. */
export interface HighlightThread {
  id: string;
  from: string;
  to: string;
}

export interface CommentHighlightsOptions {
  /** The section's open anchored threads, read whenever the highlights are recomputed. */
  threads: () => HighlightThread[];
  /** The thread to show emphasised (the one open in the margin). */
  activeThread: () => string | null;
  onOpenThread: (threadId: string) => void;
  /** The caret entered or left a highlighted range (for the page to announce and offer the thread). */
  onCaretThread: (threadId: string | null) => void;
  /** Ctrl+Alt+M: comment the selection, or open the thread under the caret. */
  onCommentShortcut: () => void;
}

export const commentHighlightsKey = new PluginKey<DecorationSet>('sopuCommentHighlights');

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: Map<Y.AbstractType<unknown>, unknown>;
}

const bindingOf = (state: EditorState): Binding | null => (ySyncPluginKey.getState(state)?.binding as Binding | undefined) ?? null;

/** Where a thread's anchor is in this editor now, or null when its text is gone. */
function rangeOf(binding: Binding, thread: HighlightThread, size: number): { from: number; to: number } | null {
  const from = anchorBytes(thread.from);
  const to = anchorBytes(thread.to);
  if (!from || !to) return null;
  const a = relativePositionToAbsolutePosition(binding.doc, binding.type, Y.decodeRelativePosition(from), binding.mapping as never);
  const b = relativePositionToAbsolutePosition(binding.doc, binding.type, Y.decodeRelativePosition(to), binding.mapping as never);
  if (a === null || b === null) return null;
  const start = Math.max(0, Math.min(a, size));
  const end = Math.max(start, Math.min(b, size));
  return end > start ? { from: start, to: end } : null;
}

/** The anchor of the current selection, as the API takes it; null for an empty selection. */
export function selectionAnchor(editor: Editor): { anchor: { from: string; to: string }; quote: string } | null {
  const { from, to, empty } = editor.state.selection;
  const binding = bindingOf(editor.state);
  if (empty || !binding) return null;
  const quote = editor.state.doc.textBetween(from, to, ' ', ' ').trim();
  if (!quote) return null;
  return {
    anchor: {
      from: encodeAnchorPosition(absolutePositionToRelativePosition(from, binding.type, binding.mapping as never)),
      to: encodeAnchorPosition(absolutePositionToRelativePosition(to, binding.type, binding.mapping as never)),
    },
    quote,
  };
}

/** Selects a thread's text in the editor (the thread list's "show in the text"); false when the text is gone. */
export function selectThreadText(editor: Editor, thread: HighlightThread): boolean {
  const binding = bindingOf(editor.state);
  const range = binding && rangeOf(binding, thread, editor.state.doc.content.size);
  if (!range) return false;
  editor.chain().focus().setTextSelection(range).scrollIntoView().run();
  return true;
}

/**
 * Highlights the text of a section's open threads (their anchors are Yjs relative positions, so they follow the
 * text as anyone edits). Clicking a highlight opens its thread; the caret in one is reported to the page, which
 * says so and offers the thread (Ctrl+Alt+M) for keyboard and screen-reader users.
 */
export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: 'commentHighlights',

  addOptions() {
    return { threads: () => [], activeThread: () => null, onOpenThread: () => {}, onCaretThread: () => {}, onCommentShortcut: () => {} };
  },

  addKeyboardShortcuts() {
    return {
      'Mod-Alt-m': () => {
        this.options.onCommentShortcut();
        return true;
      },
    };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    const compute = (state: EditorState): DecorationSet => {
      const binding = bindingOf(state);
      if (!binding) return DecorationSet.empty;
      const active = options.activeThread();
      const decorations: Decoration[] = [];
      for (const thread of options.threads()) {
        const range = rangeOf(binding, thread, state.doc.content.size);
        if (!range) continue;
        decorations.push(
          Decoration.inline(range.from, range.to, { class: thread.id === active ? 'comment-highlight comment-highlight--active' : 'comment-highlight', 'data-thread-id': thread.id }, { threadId: thread.id }),
        );
      }
      return DecorationSet.create(state.doc, decorations);
    };
    let lastCaretThread: string | null = null;
    return [
      new Plugin<DecorationSet>({
        key: commentHighlightsKey,
        state: {
          init: (_config, state) => compute(state),
          apply(tr: Transaction, set: DecorationSet, _old: EditorState, state: EditorState) {
            // Remote changes (rendered by the Yjs binding) and new threads: recompute from the relative positions.
            // Local typing: map the ranges along (the binding writes it to Yjs only after this transaction).
            if (tr.getMeta(commentHighlightsKey) || tr.getMeta(ySyncPluginKey)) return compute(state);
            return tr.docChanged ? set.map(tr.mapping, tr.doc) : set;
          },
        },
        props: {
          decorations: (state) => commentHighlightsKey.getState(state),
          handleClick(view, pos) {
            const id = threadAt(view.state, pos);
            if (id) options.onOpenThread(id);
            return false;
          },
        },
        view: () => ({
          update(view) {
            const id = threadAt(view.state, view.state.selection.from);
            if (id !== lastCaretThread && view.hasFocus()) {
              lastCaretThread = id;
              options.onCaretThread(id);
            }
          },
        }),
      }),
    ];
  },
});

/** The thread whose highlight covers `pos` (the innermost, when ranges overlap), or null. */
function threadAt(state: EditorState, pos: number): string | null {
  const found = commentHighlightsKey.getState(state)?.find(pos, pos) ?? [];
  const innermost = found.sort((a, b) => b.from - a.from)[0];
  return (innermost?.spec as { threadId?: string } | undefined)?.threadId ?? null;
}

/** Tells an editor that the threads (or which one is active) changed: its highlights are recomputed. */
export function refreshHighlights(editor: Editor) {
  if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(commentHighlightsKey, true));
}
