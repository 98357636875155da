import { recordNotificationEvent, type AuditInput, type AuditLog, type NotificationEventInput } from '@sopu/core';
import { nativeStatements, sql, type Db } from '@sopu/db';
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
  /** Who writes under which Yjs client id (doc_clients). */
  clients: Map<number, string>;
}

/** One group commit of a room. */
export interface AppendBatch {
  /** The updates get the sequence numbers after this one. */
  afterSeq: number;
  updates: PendingUpdate[];
  audit: Array<Omit<AuditInput, 'areaId'>>;
  /** Client ids written for the first time in this batch, and whose they are. */
  clients: Array<{ clientId: number; userId: string }>;
  /** News for the mail planner (a suggestion made), stored in the same transaction as the updates that made it. */
  notifications?: Array<Omit<NotificationEventInput, 'areaId'>>;
}

/** The writer's lease on the document was taken over by another process: this process must stop writing it. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

/** Where rooms keep their documents. Injected, so that a test or another deployment can bring its own. */
export interface DocumentStore {
  load(documentId: string): Promise<LoadedDocument>;
  /**
   * Stores a batch atomically, only while `owner` holds the document's lease (else throws LeaseLost and stores
   * nothing). Resolves only when committed.
   */
  append(documentId: string, batch: AppendBatch, context: { areaId: string; owner: string }): Promise<void>;
  /** Takes the document's lease for `owner` if it is free, expired, or already `owner`'s. */
  acquireLease(documentId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends `owner`'s leases; returns the documents whose lease `owner` no longer holds. */
  renewLeases(owner: string, documentIds: string[], ttlMs: number): Promise<string[]>;
  releaseLease(documentId: string, owner: string): Promise<void>;
  /**
   * Asks the process holding the document's lease to hand it over to `requester` (a `lease_wanted` event in the
   * change feed, which the holder reads within its poll interval).
   */
  requestHandover(documentId: string, areaId: string, requester: string): Promise<void>;
  /** Rebuilds the snapshot from the stored state; returns the seq it now covers. */
  compact(documentId: string): Promise<number>;
  /** Stores `state` as the snapshot covering every update up to `seq` (a loaded room's document, right after a commit). */
  writeSnapshot(documentId: string, seq: number, state: Uint8Array): Promise<void>;
}

/** One update, inserted only while `owner` holds the document's lease (the lease check and the write are one statement). */
const INSERT_UNDER_LEASE = `insert into doc_updates (document_id, seq, "update", user_id, created_at)
  select ?, ?, ?, ?, ? where (select owner from document_leases where document_id = ?) = ?`;

export function createDbDocumentStore(db: Db, audit: AuditLog, now: () => number = Date.now): DocumentStore {
  // The group commit of typing (updates only) is the one statement on the path of every relayed edit: on a local
  // file it runs as statements prepared once on the database's own connection (decision 005), not compiled and
  // prepared anew by Kysely and the libSQL client each time.
  const native = nativeStatements(db);
  async function readStored(executor: Pick<Db, 'selectFrom'>, documentId: string): Promise<Omit<LoadedDocument, 'clients'>> {
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

  /**
   * The updates in one statement that inserts them only while `owner` holds the lease: the lease check and the
   * write are one atomic step, with no transaction needed when nothing else is written with them.
   */
  async function insertUpdatesUnderLease(executor: Db, documentId: string, owner: string, afterSeq: number, updates: PendingUpdate[], t: number) {
    if (updates.length === 0) {
      const lease = await executor.selectFrom('document_leases').select('owner').where('document_id', '=', documentId).executeTakeFirst();
      if (lease?.owner !== owner) throw new LeaseLost(`lease on ${documentId} is not held by ${owner}`);
      return;
    }
    const values = sql.join(updates.map((u, i) => sql`(${documentId}, ${afterSeq + i + 1}, ${u.update}, ${u.userId}, ${t})`));
    const result = await sql`insert into doc_updates (document_id, seq, "update", user_id, created_at)
      select * from (values ${values})
      where (select owner from document_leases where document_id = ${documentId}) = ${owner}`.execute(executor);
    if (Number(result.numAffectedRows ?? 0n) !== updates.length) throw new LeaseLost(`lease on ${documentId} is not held by ${owner}`);
  }

  return {
    async load(documentId) {
      const stored = await readStored(db, documentId);
      const clients = await db.selectFrom('doc_clients').select(['client_id', 'user_id']).where('document_id', '=', documentId).execute();
      return { ...stored, clients: new Map(clients.map((c) => [c.client_id, c.user_id])) };
    },

    async append(documentId, batch, { areaId, owner }) {
      const notifications = batch.notifications ?? [];
      if (batch.updates.length === 0 && batch.audit.length === 0 && batch.clients.length === 0 && notifications.length === 0) return;
      const t = now();
      if (batch.audit.length === 0 && batch.clients.length === 0 && notifications.length === 0) {
        if (native && batch.updates.length > 0) {
          const { afterSeq, updates } = batch;
          await native.exclusive((run) => {
            // One statement is atomic on its own; several are one transaction (all under the lease, or none).
            if (updates.length > 1) run('BEGIN IMMEDIATE');
            updates.forEach((u, i) => {
              const blob = Buffer.from(u.update.buffer, u.update.byteOffset, u.update.byteLength);
              if (run(INSERT_UNDER_LEASE, documentId, afterSeq + i + 1, blob, u.userId, t, documentId, owner).changes !== 1) throw new LeaseLost(`lease on ${documentId} is not held by ${owner}`);
            });
            if (updates.length > 1) run('COMMIT');
          });
          return;
        }
        await insertUpdatesUnderLease(db, documentId, owner, batch.afterSeq, batch.updates, t);
        return;
      }
      await db.transaction().execute(async (trx) => {
        await insertUpdatesUnderLease(trx as unknown as Db, documentId, owner, batch.afterSeq, batch.updates, t);
        if (batch.clients.length > 0) {
          await trx
            .insertInto('doc_clients')
            .values(batch.clients.map((c) => ({ document_id: documentId, client_id: c.clientId, user_id: c.userId })))
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
        for (const event of batch.audit) await audit.append(trx, { ...event, areaId }, t);
        for (const event of notifications) await recordNotificationEvent(trx, { ...event, areaId }, t);
      });
    },

    async acquireLease(documentId, owner, ttlMs) {
      const t = now();
      const result = await db
        .insertInto('document_leases')
        .values({ document_id: documentId, owner, expires_at: t + ttlMs })
        .onConflict((oc) =>
          oc
            .column('document_id')
            .doUpdateSet({ owner, expires_at: t + ttlMs })
            .where((eb) => eb.or([eb('document_leases.owner', '=', owner), eb('document_leases.expires_at', '<=', t)])),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },

    async renewLeases(owner, documentIds, ttlMs) {
      if (documentIds.length === 0) return [];
      await db.updateTable('document_leases').set({ expires_at: now() + ttlMs }).where('owner', '=', owner).where('document_id', 'in', documentIds).execute();
      const held = new Set((await db.selectFrom('document_leases').select('document_id').where('owner', '=', owner).where('document_id', 'in', documentIds).execute()).map((r) => r.document_id));
      return documentIds.filter((id) => !held.has(id));
    },

    async releaseLease(documentId, owner) {
      await db.deleteFrom('document_leases').where('document_id', '=', documentId).where('owner', '=', owner).execute();
    },

    async requestHandover(documentId, areaId, requester) {
      await db.insertInto('feed_events').values({ area_id: areaId, document_id: documentId, user_id: null, kind: 'lease_wanted', subject_id: requester, created_at: now() }).execute();
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
      // updates is not (docs/decisions/005-collab-persistence.md).
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
