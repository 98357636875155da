import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import { caretLabel, colourFor, PRESENCE_FIELD, sectionFragmentName, sopuExtensions, SUGGESTION_MARKS, type DocumentLanguage, type Presence, type PresenceIdentity, type SuggestionAttrs } from '@sopu/doc-model';
import type { AnyExtension } from '@tiptap/core';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CommentHighlights, refreshHighlights, type HighlightThread } from './comment-highlights.ts';
import { SuggestMode } from './suggest-mode.ts';

export interface SectionEditorHandlers {
  /** This section's editor got the focus (the one toolbar acts on it from now on). */
  onFocus: (editor: Editor) => void;
  onOpenThread: (threadId: string) => void;
  onCaretThread: (threadId: string | null) => void;
  onCommentShortcut: (editor: Editor) => void;
  /** The editor exists (or, with null, is gone): the page keeps it to select a thread's text. */
  onEditor: (editor: Editor | null) => void;
}

interface Props {
  doc: Y.Doc;
  provider: WebsocketProvider;
  sectionKey: string;
  /** The Yjs fragment the editor is bound to: the section's own, or in a bilingual document its other language's. */
  fragmentName?: string;
  /** The language of the text (a bilingual document's column). */
  lang?: DocumentLanguage;
  title: string;
  editable: boolean;
  me: PresenceIdentity;
  /** This section's open anchored threads, and the one open in the margin. */
  threads: HighlightThread[];
  activeThread: string | null;
  handlers: SectionEditorHandlers;
  /** Typing suggests changes instead of making them (docs/decisions/025). */
  suggesting: boolean;
  /** Who made a suggestion and when, in words: shown on hover (the side list says it to everyone). */
  describeSuggestion: (kind: 'insert' | 'delete', attrs: SuggestionAttrs) => string;
}

/**
 * The suggestion marks as this page draws them: underlined (insertions) or struck through (deletions) in the author's
 * colour, with who and when as the title.
 */
function drawnSuggestionMarks(describe: () => Props['describeSuggestion']): AnyExtension[] {
  return sopuExtensions.map((extension) => {
    if (!SUGGESTION_MARKS.includes(extension.name)) return extension;
    const kind = extension.name === 'suggestionInsert' ? 'insert' : 'delete';
    return (extension as unknown as { extend: (c: object) => AnyExtension }).extend({
      renderHTML({ mark }: { mark: { attrs: SuggestionAttrs } }) {
        const colour = colourFor(mark.attrs.author);
        return [
          kind === 'insert' ? 'ins' : 'del',
          { class: `suggestion suggestion--${kind}`, 'data-suggestion': mark.attrs.id, title: describe()(kind, mark.attrs), style: `text-decoration-color: ${colour}; --suggestion-colour: ${colour}` },
          0,
        ];
      },
    });
  });
}

/** One Tiptap editor bound to the section's Y.XmlFragment, with everyone's carets and the highlights of threads. */
export function SectionEditor({ doc, provider, sectionKey, fragmentName = sectionFragmentName(sectionKey), lang, title, editable, me, threads, activeThread, handlers, suggesting, describeSuggestion }: Props) {
  const { t } = useTranslation();
  // The extension reads these when it recomputes; refs keep one editor for the page's lifetime.
  const threadsRef = useRef(threads);
  const activeRef = useRef(activeThread);
  const handlersRef = useRef(handlers);
  threadsRef.current = threads;
  activeRef.current = activeThread;
  handlersRef.current = handlers;
  const suggestingRef = useRef(suggesting);
  suggestingRef.current = suggesting;
  const describeRef = useRef(describeSuggestion);
  describeRef.current = describeSuggestion;

  const editor = useEditor(
    {
      immediatelyRender: true,
      editable,
      extensions: [
        ...drawnSuggestionMarks(() => describeRef.current),
        SuggestMode.configure({ active: () => suggestingRef.current, identity: () => ({ userId: me.userId, municipalityCode: me.municipalityCode }) }),
        Collaboration.configure({ fragment: doc.getXmlFragment(fragmentName) }),
        CollaborationCaret.configure({ provider, user: { name: caretLabel(me), color: me.colour } }),
        CommentHighlights.configure({
          threads: () => threadsRef.current,
          activeThread: () => activeRef.current,
          onOpenThread: (id) => handlersRef.current.onOpenThread(id),
          onCaretThread: (id) => handlersRef.current.onCaretThread(id),
          onCommentShortcut: () => {
            if (editorRef.current) handlersRef.current.onCommentShortcut(editorRef.current);
          },
        }),
      ],
      editorProps: {
        attributes: {
          class: 'section-editor__content',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': t('editor.sectionText', { title }),
          'aria-readonly': String(!editable),
          ...(lang ? { lang } : {}),
        },
      },
      onFocus: ({ editor: e }) => {
        handlersRef.current.onFocus(e as Editor);
        const user = provider.awareness.getLocalState()?.[PRESENCE_FIELD] as Presence | undefined;
        if (user) provider.awareness.setLocalStateField(PRESENCE_FIELD, { ...user, section: sectionKey });
      },
      onBlur: () => {
        const user = provider.awareness.getLocalState()?.[PRESENCE_FIELD] as Presence | undefined;
        if (user?.section === sectionKey) provider.awareness.setLocalStateField(PRESENCE_FIELD, { ...user, section: null });
      },
    },
    [doc, provider, sectionKey, fragmentName, editable],
  );
  const editorRef = useRef<Editor | null>(null);
  editorRef.current = editor;

  useEffect(() => {
    handlersRef.current.onEditor(editor);
    return () => handlersRef.current.onEditor(null);
  }, [editor]);

  // New, resolved or reopened threads, or another thread opened: the highlights follow.
  const signature = `${threads.map((th) => `${th.id}:${th.from}:${th.to}`).join('|')}#${activeThread ?? ''}`;
  useEffect(() => {
    if (editor) refreshHighlights(editor);
  }, [editor, signature]);

  return (
    <div className={`section-editor${editable ? '' : ' section-editor--readonly'}${editable && suggesting ? ' section-editor--suggesting' : ''}`}>
      {editor ? <EditorContent editor={editor} /> : <p className="section-editor__loading">{t('editor.loadingSection')}</p>}
    </div>
  );
}
