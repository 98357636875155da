import type { Editor } from '@tiptap/react';
import { isAllowedLinkHref } from '@sopu/doc-model';
import { useEditorState } from '@tiptap/react';
import { useTranslation } from 'react-i18next';

interface Props {
  editor: Editor;
  sectionTitle: string;
  /** In suggestion mode the text's form does not change: the formatting buttons are off. */
  suggesting?: boolean;
}

/**
 * The one formatting toolbar of the document, for the section whose editor last had the focus: real buttons with
 * names and pressed state, usable by keyboard (Tab into it from the editor, Shift+Tab back).
 */
export function Toolbar({ editor, sectionTitle, suggesting = false }: Props) {
  const { t } = useTranslation();
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      link: e.isActive('link'),
      table: e.isActive('table'),
    }),
  });

  const chain = () => editor.chain().focus();
  const setLink = () => {
    const previous = (editor.getAttributes('link').href as string | undefined) ?? 'https://';
    const href = window.prompt(t('editor.linkPrompt'), previous);
    if (href === null) return;
    if (href.trim() === '') return void chain().extendMarkRange('link').unsetLink().run();
    if (!isAllowedLinkHref(href.trim())) return void window.alert(t('editor.linkInvalid'));
    chain().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };

  const button = (label: string, pressed: boolean | undefined, onClick: () => void, text: string) => (
    <button type="button" className="toolbar__button" aria-pressed={pressed} title={label} aria-label={label} disabled={suggesting} onMouseDown={(e) => e.preventDefault()} onClick={onClick}>
      {text}
    </button>
  );

  return (
    <div className="toolbar" role="toolbar" aria-label={t('editor.toolbar', { title: sectionTitle })}>
      {button(t('editor.heading2'), state.h2, () => chain().toggleHeading({ level: 2 }).run(), 'H2')}
      {button(t('editor.heading3'), state.h3, () => chain().toggleHeading({ level: 3 }).run(), 'H3')}
      {button(t('editor.bold'), state.bold, () => chain().toggleBold().run(), 'B')}
      {button(t('editor.italic'), state.italic, () => chain().toggleItalic().run(), 'I')}
      {button(t('editor.bulletList'), state.bullet, () => chain().toggleBulletList().run(), '•')}
      {button(t('editor.orderedList'), state.ordered, () => chain().toggleOrderedList().run(), '1.')}
      {button(t('editor.link'), state.link, setLink, t('editor.linkShort'))}
      {state.table ? (
        <>
          {button(t('editor.addRow'), undefined, () => chain().addRowAfter().run(), t('editor.addRowShort'))}
          {button(t('editor.addColumn'), undefined, () => chain().addColumnAfter().run(), t('editor.addColumnShort'))}
          {button(t('editor.deleteRow'), undefined, () => chain().deleteRow().run(), t('editor.deleteRowShort'))}
          {button(t('editor.deleteTable'), undefined, () => chain().deleteTable().run(), t('editor.deleteTableShort'))}
        </>
      ) : (
        button(t('editor.insertTable'), undefined, () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), t('editor.insertTableShort'))
      )}
    </div>
  );
}
