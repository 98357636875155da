import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import { caretLabel, PRESENCE_FIELD, sectionFragmentName, sopuExtensions, type DocumentLanguage, type Presence, type PresenceIdentity } from '@sopu/doc-model';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CommentHighlights, refreshHighlights, type HighlightThread } from './comment-highlights.ts';

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
}

/** One Tiptap editor bound to the section's Y.XmlFragment, with everyone's carets and the highlights of threads. */
export function SectionEditor({ doc, provider, sectionKey, fragmentName = sectionFragmentName(sectionKey), lang, title, editable, me, threads, activeThread, handlers }: Props) {
  const { t } = useTranslation();
  // The extension reads these when it recomputes; refs keep one editor for the page's lifetime.
  const threadsRef = useRef(threads);
  const activeRef = useRef(activeThread);
  const handlersRef = useRef(handlers);
  threadsRef.current = threads;
  activeRef.current = activeThread;
  handlersRef.current = handlers;

  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        ...sopuExtensions,
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
    <div className={`section-editor${editable ? '' : ' section-editor--readonly'}`}>
      {editor ? <EditorContent editor={editor} /> : <p className="section-editor__loading">{t('editor.loadingSection')}</p>}
    </div>
  );
}
