// The editor's own code (Tiptap, ProseMirror, the Yjs binding, suggestion mode, comment highlights) as one chunk the
// document page loads after its first paint, while its socket syncs (lazy-editor.tsx): the page is drawn and hydrated
// without it, and no editor can mount before the document has synced anyway. With it the readers of the document that
// need the editor's schema: a bilingual document's translation states and the pending suggestions.
export { documentTranslations, readSuggestions } from '@sopu/doc-model';
export { selectionAnchor, selectThreadText } from './comment-highlights.ts';
export { SectionEditor } from './SectionEditor.tsx';
export { Toolbar } from './Toolbar.tsx';
