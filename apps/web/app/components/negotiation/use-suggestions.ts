import { readSuggestions, type PendingSuggestion } from '@sopu/doc-model';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';

/** The document's pending suggestions, read live from the shared document (re-read once per frame of changes). */
export function useSuggestions(doc: Y.Doc | null): PendingSuggestion[] {
  const [suggestions, setSuggestions] = useState<PendingSuggestion[]>([]);
  useEffect(() => {
    if (!doc) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setSuggestions(readSuggestions(doc));
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    doc.on('update', schedule);
    return () => {
      doc.off('update', schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [doc]);
  return suggestions;
}
