import { diffContent, type ProseMirrorJSON } from '@sopu/doc-model';
import { useMemo } from 'react';
import { DiffBlocks } from './DiffView.tsx';

/**
 * What changed in the other language since a translation was marked in line, as a comparison: loaded when a reader
 * opens "show the change" (SectionView), as the diff needs the editor's schema.
 */
export function TranslationChange({ from, to }: { from: ProseMirrorJSON; to: ProseMirrorJSON }) {
  const blocks = useMemo(() => diffContent(from, to), [from, to]);
  return <DiffBlocks blocks={blocks} />;
}
