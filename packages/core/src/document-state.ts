import type { Db } from '@sopu/db';
import * as Y from 'yjs';

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
