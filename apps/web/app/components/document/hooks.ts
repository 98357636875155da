import { useRevalidator } from '@remix-run/react';
import type { SectionMeta } from '@sopu/doc-model';
import { useMemo, useRef, useCallback } from 'react';
import type { SectionOutline } from './SectionView.tsx';
import type { ChangeEvent } from '../editor/use-collab.ts';

export type Row = { template: SectionOutline; meta: SectionMeta | undefined };

/** Sections in the document's order; before the first sync, in the template's order. */
export function useRows(outline: SectionOutline[], sections: SectionMeta[]): Row[] {
  return useMemo(() => {
    const templates = new Map(outline.map((s) => [s.key, s]));
    if (sections.length === 0) return outline.map((template) => ({ template, meta: undefined }));
    return sections.filter((m) => templates.has(m.key)).map((m) => ({ template: templates.get(m.key)!, meta: m }));
  }, [outline, sections]);
}

/** Reloads the page's data (threads) when the server says something changed; a burst of events is one reload. */
export function useLiveThreads() {
  const revalidator = useRevalidator();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  return useCallback((_events: ChangeEvent[]) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => revalidate.current(), 60);
  }, []);
}
