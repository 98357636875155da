import { lazy, useState, type ComponentProps } from 'react';

type EditorChunk = typeof import('./editor-chunk.ts');

let chunk: EditorChunk | null = null;
let loading: Promise<EditorChunk> | null = null;

/**
 * Loads the editor's chunk (editor-chunk.ts) once. The document page calls it as soon as its own code runs, so that
 * the chunk downloads while the page hydrates and its socket syncs; the editors mount only after both.
 */
export function loadEditor(): Promise<EditorChunk> {
  // A failed load (the network) is tried again by the next caller, not remembered.
  loading ??= import('./editor-chunk.ts').then(
    (m) => (chunk = m),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}

/** The editor's chunk once it has loaded (it has whenever an editor exists), else null. */
export const editorChunk = (): EditorChunk | null => chunk;

const LazySectionEditor = lazy(() => loadEditor().then((m) => ({ default: m.SectionEditor })));
const LazyToolbar = lazy(() => loadEditor().then((m) => ({ default: m.Toolbar })));

/**
 * The editor's components: the chunk's own once it has loaded, else a lazy one that suspends until it has (under a
 * Suspense boundary with a visible loading state). Each instance keeps the type it started with, so that an editor
 * is never remounted when the chunk arrives.
 */
export function SectionEditor(props: ComponentProps<EditorChunk['SectionEditor']>) {
  const [Component] = useState(() => chunk?.SectionEditor ?? LazySectionEditor);
  return <Component {...props} />;
}

export function Toolbar(props: ComponentProps<EditorChunk['Toolbar']>) {
  const [Component] = useState(() => chunk?.Toolbar ?? LazyToolbar);
  return <Component {...props} />;
}
