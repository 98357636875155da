import { contentProblems, repairContent, summariseContentRepairs, type ContentRepair } from '@sopu/doc-model';
import type { Db } from '@sopu/db';
import * as Y from 'yjs';
import type { CoreDeps, DocumentAudit } from '../shared/deps.ts';
import { isDomainError } from '../shared/errors.ts';

/**
 * A document's current content as stored: its snapshot and the updates after it. Everything a client has seen is
 * stored (the collab server commits before it relays), so this is at least what anyone sees.
 */
export async function loadDocumentState(db: Db, documentId: string): Promise<Y.Doc> {
  const doc = new Y.Doc({ gc: true });
  const snapshot = await db.selectFrom('doc_snapshots').select(['seq', 'state']).where('document_id', '=', documentId).executeTakeFirst();
  const rows = await db
    .selectFrom('doc_updates')
    .select('update')
    .where('document_id', '=', documentId)
    .where('seq', '>', snapshot?.seq ?? 0)
    .orderBy('seq')
    .execute();
  Y.transact(doc, () => {
    if (snapshot) Y.applyUpdate(doc, snapshot.state);
    for (const row of rows) Y.applyUpdate(doc, row.update);
  });
  return doc;
}

/** The audit event of a repair of stored content (the collab room's on load, or a use case's through its writer). */
export function contentRepairedAudit(documentId: string, repairs: readonly ContentRepair[]): DocumentAudit[number] {
  return { actorUserId: null, action: 'document.content_repaired', subjectType: 'document', subjectId: documentId, details: summariseContentRepairs(repairs) };
}

/**
 * A document's stored state for a use case that shows or freezes its content, with content the editor's schema
 * forbids (stored before the layout guard refused it) repaired first through the document's one writer: the repair
 * is stored once, with its audit event, and every reader after sees the same text. (The collab room repairs on load
 * too, so a document someone has open is repaired already. Readers that only compute the canonical form need none
 * of this: it reads content the way this repair leaves it.)
 */
export async function loadRepairedDocument(
  deps: Pick<CoreDeps, 'db' | 'documents'>,
  document: { id: string; areaId: string; kind: string },
  /** A reader that can do without the repair: when another process writes the document now, read it as stored. */
  options: { readIfBusy?: boolean } = {},
): Promise<Y.Doc> {
  const doc = await loadDocumentState(deps.db, document.id);
  if (contentProblems(doc).length === 0) return doc;
  try {
    await deps.documents.change(
      document,
      (live) => {
        const repairs = repairContent(live, null);
        return repairs.length > 0 ? [contentRepairedAudit(document.id, repairs)] : [];
      },
      null,
    );
  } catch (error) {
    if (options.readIfBusy && isDomainError(error) && error.code === 'conflict') return doc;
    doc.destroy();
    throw error;
  }
  doc.destroy();
  return loadDocumentState(deps.db, document.id);
}
