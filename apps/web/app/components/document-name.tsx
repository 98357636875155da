import { documentTitle, type DocumentKind } from '@sopu/doc-model';
import { useT } from '../hooks.ts';

/** A document's name for the reader: one still under its kind's default (Finnish) title is named in their language. */
export function useDocumentName(): (kind: DocumentKind, title: string) => string {
  const { t } = useT();
  return (kind, title) => (title === documentTitle(kind).fi ? t(`documentKinds.${kind}`) : title);
}
