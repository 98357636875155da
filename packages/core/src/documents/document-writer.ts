import type { Db } from '@sopu/db';
import * as Y from 'yjs';
import type { AuditLog } from '../shared/audit.ts';
import type { DocumentAudit, DocumentWriter } from '../shared/deps.ts';
import { loadDocumentState } from './document-state.ts';

/**
 * A DocumentWriter straight over the store, for tests and tools that run with no collab server: it appends the
 * change as the next update, with the audit events the change returns in the same transaction (those need `audit`).
 * Never use it beside a live collab server (that is the document's one writer).
 */
export function createStoreDocumentWriter(db: Db, now: () => number = Date.now, audit?: AuditLog): DocumentWriter {
  return {
    async change(document, change, userId) {
      const doc = await loadDocumentState(db, document.id);
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      let events = undefined as DocumentAudit | void;
      doc.transact(() => {
        events = change(doc);
      });
      doc.destroy();
      const toAudit = events ?? [];
      if (toAudit.length > 0 && !audit) throw new Error('this document writer was made without an audit log');
      if (updates.length === 0 && toAudit.length === 0) return;
      const t = now();
      await db.transaction().execute(async (trx) => {
        if (updates.length > 0) {
          const last = await trx.selectFrom('doc_updates').select((eb) => eb.fn.max('seq').as('seq')).where('document_id', '=', document.id).executeTakeFirst();
          await trx.insertInto('doc_updates').values({ document_id: document.id, seq: Number(last?.seq ?? 0) + 1, update: Y.mergeUpdates(updates), user_id: userId, created_at: t }).execute();
        }
        for (const event of toAudit) await audit!.append(trx, { ...event, areaId: document.areaId }, t);
      });
    },
  };
}
