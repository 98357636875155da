import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import { caretLabel, PRESENCE_FIELD, sectionFragmentName, sopuExtensions, type Presence, type PresenceIdentity } from '@sopu/doc-model';
import { useTranslation } from 'react-i18next';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { Toolbar } from './Toolbar.tsx';

interface Props {
  doc: Y.Doc;
  provider: WebsocketProvider;
  sectionKey: string;
  title: string;
  editable: boolean;
  me: PresenceIdentity;
}

/** One Tiptap editor bound to the section's Y.XmlFragment, with everyone's carets. */
export function SectionEditor({ doc, provider, sectionKey, title, editable, me }: Props) {
  const { t } = useTranslation();
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        ...sopuExtensions,
        Collaboration.configure({ fragment: doc.getXmlFragment(sectionFragmentName(sectionKey)) }),
        CollaborationCaret.configure({
          provider,
          user: { name: caretLabel(me), color: me.colour },
        }),
      ],
      editorProps: {
        attributes: {
          class: 'section-editor__content',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-label': t('editor.sectionText', { title }),
          'aria-readonly': String(!editable),
        },
      },
      onFocus: () => {
        const user = provider.awareness.getLocalState()?.[PRESENCE_FIELD] as Presence | undefined;
        if (user) provider.awareness.setLocalStateField(PRESENCE_FIELD, { ...user, section: sectionKey });
      },
      onBlur: () => {
        const user = provider.awareness.getLocalState()?.[PRESENCE_FIELD] as Presence | undefined;
        if (user?.section === sectionKey) provider.awareness.setLocalStateField(PRESENCE_FIELD, { ...user, section: null });
      },
    },
    [doc, provider, sectionKey, editable],
  );

  return (
    <div className={`section-editor${editable ? '' : ' section-editor--readonly'}`}>
      {editable && editor ? <Toolbar editor={editor} sectionTitle={title} /> : null}
      {editor ? <EditorContent editor={editor} /> : <p className="section-editor__loading">{t('editor.loadingSection')}</p>}
    </div>
  );
}
