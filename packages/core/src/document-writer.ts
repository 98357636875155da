import type { Db } from '@sopu/db';
import * as Y from 'yjs';
import type { DocumentWriter } from './deps.ts';
import { loadDocumentState } from './document-state.ts';

/**
 * A DocumentWriter straight over the store, for tests and tools that run with no collab server: it appends the
 * change as the next update. Never use it beside a live collab server (that is the document's one writer).
 */
export function createStoreDocumentWriter(db: Db, now: () => number = Date.now): DocumentWriter {
  return {
    async change(document, change, userId) {
      const doc = await loadDocumentState(db, document.id);
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      doc.transact(() => change(doc));
      doc.destroy();
      if (updates.length === 0) return;
      const last = await db.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', document.id).executeTakeFirst();
      await db.insertInto('doc_updates').values({ document_id: document.id, seq: Number(last?.seq ?? 0) + 1, update: Y.mergeUpdates(updates), user_id: userId, created_at: now() }).execute();
    },
  };
}
