import type { AuditInput, AuditLog } from '@sopu/core';
import type { Db } from '@sopu/db';
import * as Y from 'yjs';

export interface PendingUpdate {
  update: Uint8Array;
  /** null for changes the server made itself. */
  userId: string | null;
}

export interface LoadedDocument {
  /** The compacted state, or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** Updates stored after the snapshot, in order. */
  updates: Uint8Array[];
  lastSeq: number;
  snapshotSeq: number;
}

/** Where rooms keep their documents. Injected, so that a test or another deployment can bring its own. */
export interface DocumentStore {
  load(documentId: string): Promise<LoadedDocument>;
  /**
   * Appends updates with the sequence numbers after `afterSeq`, and the audit events that go with them, in one
   * transaction. Resolves only when committed.
   */
  append(documentId: string, afterSeq: number, updates: PendingUpdate[], audit: Array<Omit<AuditInput, 'areaId'>>, areaId: string): Promise<void>;
  /** Rebuilds the snapshot from the stored state; returns the seq it now covers. */
  compact(documentId: string): Promise<number>;
  /** Stores `state` as the snapshot covering every update up to `seq` (a loaded room's document, right after a commit). */
  writeSnapshot(documentId: string, seq: number, state: Uint8Array): Promise<void>;
}

export function createDbDocumentStore(db: Db, audit: AuditLog, now: () => number = Date.now): DocumentStore {
  async function readStored(executor: Pick<Db, 'selectFrom'>, documentId: string): Promise<LoadedDocument> {
    const snap = await executor.selectFrom('doc_snapshots').select(['seq', 'state']).where('document_id', '=', documentId).executeTakeFirst();
    const snapshotSeq = snap?.seq ?? 0;
    const rows = await executor
      .selectFrom('doc_updates')
      .select(['seq', 'update'])
      .where('document_id', '=', documentId)
      .where('seq', '>', snapshotSeq)
      .orderBy('seq')
      .execute();
    return {
      snapshot: snap?.state ?? null,
      updates: rows.map((r) => r.update),
      lastSeq: rows.at(-1)?.seq ?? snapshotSeq,
      snapshotSeq,
    };
  }

  return {
    load: (documentId) => readStored(db, documentId),

    async append(documentId, afterSeq, updates, events, areaId) {
      if (updates.length === 0 && events.length === 0) return;
      const t = now();
      const rows = updates.map((u, i) => ({ document_id: documentId, seq: afterSeq + i + 1, update: u.update, user_id: u.userId, created_at: t }));
      // One INSERT is atomic on its own; a transaction is needed only when audit events must commit with it.
      if (events.length === 0) {
        await db.insertInto('doc_updates').values(rows).execute();
        return;
      }
      await db.transaction().execute(async (trx) => {
        if (rows.length > 0) await trx.insertInto('doc_updates').values(rows).execute();
        for (const event of events) await audit.append(trx, { ...event, areaId }, t);
      });
    },

    async writeSnapshot(documentId, seq, state) {
      const t = now();
      await db
        .insertInto('doc_snapshots')
        .values({ document_id: documentId, seq, state, created_at: t })
        .onConflict((oc) => oc.column('document_id').doUpdateSet({ seq, state, created_at: t }).where('doc_snapshots.seq', '<', seq))
        .execute();
    },

    async compact(documentId) {
      // Loading into a Y.Doc and encoding it is linear in the document; Y.mergeUpdates over thousands of small
      // updates is not (docs/decisions/005-persistence.md).
      return db.transaction().execute(async (trx) => {
        const stored = await readStored(trx, documentId);
        if (stored.lastSeq === stored.snapshotSeq) return stored.snapshotSeq;
        const doc = new Y.Doc({ gc: true });
        Y.transact(doc, () => {
          if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
          for (const u of stored.updates) Y.applyUpdate(doc, u);
        });
        const state = Y.encodeStateAsUpdate(doc);
        doc.destroy();
        await trx
          .insertInto('doc_snapshots')
          .values({ document_id: documentId, seq: stored.lastSeq, state, created_at: now() })
          .onConflict((oc) => oc.column('document_id').doUpdateSet({ seq: stored.lastSeq, state, created_at: now() }))
          .execute();
        return stored.lastSeq;
      });
    },
  };
}
