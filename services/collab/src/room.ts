import { sectionStatusProblem, sectionsMap, setSectionStatus } from '@sopu/doc-model';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import type { AuditInput } from '@sopu/core';
import { CLOSE } from './close-codes.ts';
import type { DocumentStore, LoadedDocument, PendingUpdate } from './store.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export interface Connection {
  ws: WebSocket;
  userId: string;
  readOnly: boolean;
  /** The request's cookie header, kept to re-check the session and membership while the socket is open. */
  cookie: string | undefined;
  awarenessIds: Set<number>;
  wrote: boolean;
  /** Edited since the last authorisation re-check (edits, not cursor moves, are activity). */
  activeSinceCheck: boolean;
}

export interface RoomOptions {
  /** Rebuild the snapshot when this many updates are stored after it. */
  compactAfter: number;
  onError: (error: unknown) => void;
}

type Queued = PendingUpdate & { origin: Connection | null; message: Uint8Array };

const OPEN = 1;

function send(conn: Connection, message: Uint8Array) {
  if (conn.ws.readyState !== OPEN) return;
  conn.ws.send(message, { binary: true }, (error) => {
    if (error) conn.ws.terminate();
  });
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

class InvalidFrame extends Error {}

/**
 * One live document. Updates from writers are applied to the room's Y.Doc at once, but reach the other clients
 * only after they are committed to the store (group commit: whatever arrives while a commit runs goes into the
 * next one). A client's first sync answer likewise waits until everything it contains is stored, so nothing a
 * client has seen can be lost by a crash of this process.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  #lastSeq: number;
  #snapshotSeq: number;
  #pending: Queued[] = [];
  #pendingAudit: Array<Omit<AuditInput, 'areaId'>> = [];
  #waiters: Array<() => void> = [];
  #scheduled = false;
  #flushing = false;
  #compacting = false;
  #compaction: Promise<void> = Promise.resolve();
  #closed = false;
  #failed = false;

  constructor(
    readonly documentId: string,
    readonly areaId: string,
    loaded: LoadedDocument,
    private readonly store: DocumentStore,
    private readonly options: RoomOptions,
  ) {
    Y.transact(this.doc, () => {
      if (loaded.snapshot) Y.applyUpdate(this.doc, loaded.snapshot);
      for (const update of loaded.updates) Y.applyUpdate(this.doc, update);
    });
    this.#lastSeq = loaded.lastSeq;
    this.#snapshotSeq = loaded.snapshotSeq;
    this.awareness.setLocalState(null);

    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      const conn = origin instanceof Object && this.connections.has(origin as Connection) ? (origin as Connection) : null;
      if (conn && !conn.wrote) {
        conn.wrote = true;
        this.#pendingAudit.push({ actorUserId: conn.userId, action: 'document.edited', subjectType: 'document', subjectId: this.documentId });
      }
      this.#pending.push({ update, userId: conn?.userId ?? null, origin: conn, message: updateMessage(update) });
      this.#schedule();
    });

    sectionsMap(this.doc).observeDeep((events, transaction) => {
      const conn = this.connections.has(transaction.origin as Connection) ? (transaction.origin as Connection) : null;
      const keys = new Set<string>();
      for (const event of events) {
        if (event.target === sectionsMap(this.doc)) for (const key of event.keys.keys()) keys.add(key);
        else if (event.path[0] !== undefined) keys.add(String(event.path[0]));
      }
      const rejected: string[] = [];
      for (const key of keys) {
        const entry = sectionsMap(this.doc).get(key);
        const status = entry instanceof Y.Map ? entry.get('status') : undefined;
        const reason = entry instanceof Y.Map ? entry.get('reason') : undefined;
        // A client may write the shared map directly; a status the rules forbid (not applicable without a reason)
        // is put back to drafting by the server, for everyone, and both steps are audited.
        const problem = conn && entry instanceof Y.Map ? sectionStatusProblem(status, reason) : null;
        if (problem) rejected.push(key);
        this.#pendingAudit.push({
          actorUserId: conn?.userId ?? null,
          action: 'section.status_changed',
          subjectType: 'document',
          subjectId: this.documentId,
          details: { section: key, status: typeof status === 'string' ? status : null, reason: typeof reason === 'string' ? reason : '', ...(problem ? { rejected: problem } : {}) },
        });
      }
      if (rejected.length > 0) {
        queueMicrotask(() => {
          if (!this.#closed) for (const key of rejected) setSectionStatus(this.doc, key, 'drafting', '', 'server');
        });
      }
    });

    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const conn = this.connections.has(origin as Connection) ? (origin as Connection) : null;
      if (conn) {
        for (const id of added) conn.awarenessIds.add(id);
        for (const id of removed) conn.awarenessIds.delete(id);
      }
      const message = awarenessMessage(this.awareness, changed);
      for (const c of this.connections) send(c, message);
    });
  }

  get lastSeq() {
    return this.#lastSeq;
  }

  join(conn: Connection) {
    this.connections.add(conn);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    send(conn, encoding.toUint8Array(encoder));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) send(conn, awarenessMessage(this.awareness, states));
  }

  leave(conn: Connection) {
    if (!this.connections.delete(conn)) return;
    awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
  }

  /** Handles one frame; throws InvalidFrame for anything that is not the y-websocket protocol. */
  receive(conn: Connection, data: Uint8Array) {
    if (this.#closed) return;
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) this.#receiveSync(conn, decoder);
      else if (type === MESSAGE_AWARENESS) awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), conn);
      else if (type === MESSAGE_QUERY_AWARENESS) send(conn, awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
      else if (type !== MESSAGE_AUTH) throw new InvalidFrame(`unknown message type ${type}`);
    } catch (error) {
      throw error instanceof InvalidFrame ? error : new InvalidFrame(String(error));
    }
  }

  #receiveSync(conn: Connection, decoder: decoding.Decoder) {
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      Y.decodeStateVector(stateVector);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(encoder, this.doc, stateVector);
      const reply = encoding.toUint8Array(encoder);
      // The reply may contain updates still being committed: send it only once they are stored.
      void this.whenStored().then(() => send(conn, reply));
      return;
    }
    if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) throw new InvalidFrame(`unknown sync step ${step}`);
    const update = decoding.readVarUint8Array(decoder);
    // Read-only connections: their document changes are dropped here, never applied, stored or broadcast.
    if (conn.readOnly) return;
    Y.decodeUpdate(update); // throws on an update Yjs cannot read, before anything is applied
    conn.activeSinceCheck = true;
    Y.applyUpdate(this.doc, update, conn);
  }

  /** Resolves when everything applied to the room so far is committed. */
  whenStored(): Promise<void> {
    if (this.#pending.length === 0 && this.#pendingAudit.length === 0 && !this.#flushing) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #schedule() {
    if (this.#scheduled || this.#flushing || this.#failed) return;
    this.#scheduled = true;
    setImmediate(() => void this.#flush());
  }

  async #flush() {
    this.#scheduled = false;
    const batch = this.#pending.splice(0);
    const audit = this.#pendingAudit.splice(0);
    const waiters = this.#waiters.splice(0);
    if (batch.length > 0 || audit.length > 0) {
      this.#flushing = true;
      try {
        await this.store.append(this.documentId, this.#lastSeq, batch, audit, this.areaId);
      } catch (error) {
        this.#flushing = false;
        this.#fail(error);
        return;
      }
      this.#lastSeq += batch.length;
      this.#flushing = false;
      for (const item of batch) {
        for (const conn of this.connections) if (conn !== item.origin) send(conn, item.message);
      }
    }
    for (const resolve of waiters) resolve();
    if (this.#pending.length > 0 || this.#pendingAudit.length > 0) this.#schedule();
    else for (const resolve of this.#waiters.splice(0)) resolve();
    this.#maybeCompact();
  }

  #maybeCompact() {
    if (this.#compacting || this.#closed || this.#lastSeq - this.#snapshotSeq < this.options.compactAfter) return;
    this.#compaction = this.#snapshot();
  }

  /**
   * Right after a commit with nothing queued, the room's Y.Doc is exactly the stored state up to #lastSeq: encoding
   * it is the compaction (the document is already loaded; reading it back from the store would only repeat that).
   */
  async #snapshot(): Promise<void> {
    if (this.#compacting || this.#failed) return;
    if (this.#pending.length > 0 || this.#flushing) {
      await this.whenStored();
      return this.#snapshot();
    }
    this.#compacting = true;
    const seq = this.#lastSeq;
    try {
      await this.store.writeSnapshot(this.documentId, seq, Y.encodeStateAsUpdate(this.doc));
      this.#snapshotSeq = Math.max(this.#snapshotSeq, seq);
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.#compacting = false;
    }
  }

  /** Storing failed: what this room holds may be ahead of the store, so drop everyone; clients resend on reconnect. */
  #fail(error: unknown) {
    this.#failed = true;
    this.options.onError(error);
    for (const conn of this.connections) conn.ws.close(CLOSE.storageFailed, 'storage failed');
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  get failed() {
    return this.#failed;
  }

  async compactNow(): Promise<void> {
    await this.whenStored();
    await this.#compaction;
    if (this.#lastSeq > this.#snapshotSeq) await this.#snapshot();
  }

  /** Stores what is queued, finishes a running compaction, then frees the document. Frames after this are ignored. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.whenStored();
    await this.#compaction;
    this.destroy();
  }

  destroy() {
    this.awareness.destroy();
    this.doc.destroy();
  }
}

export { InvalidFrame };
