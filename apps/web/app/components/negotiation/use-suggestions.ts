import type { PendingSuggestion } from '@sopu/doc-model';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { editorChunk, loadEditor } from '../editor/lazy-editor.tsx';

/**
 * The document's pending suggestions, read live from the shared document (re-read once per frame of changes). Reading
 * them needs the editor's schema, in the editor's chunk: none are listed until it has loaded (with the editors).
 */
export function useSuggestions(doc: Y.Doc | null): PendingSuggestion[] {
  const [suggestions, setSuggestions] = useState<PendingSuggestion[]>([]);
  useEffect(() => {
    if (!doc) return;
    let frame = 0;
    let closed = false;
    const read = () => {
      frame = 0;
      const chunk = editorChunk();
      if (chunk) setSuggestions(chunk.readSuggestions(doc));
      else loadEditor().then(() => !closed && read(), () => undefined);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    doc.on('update', schedule);
    return () => {
      closed = true;
      doc.off('update', schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [doc]);
  return suggestions;
}
