import { contentRepairedAudit, type AuditInput, type DocumentAudit } from '@sopu/core';
import { changedSections, checkClientUpdate, checkSuggestionUpdate, readSuggestions, repairContent, sectionWriters, suggestionMarksIn, reopenAgreedSections, repairSections, sectionsMap, templateFor, type DocumentKind, type PresenceIdentity } from '@sopu/doc-model';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CLOSE } from './close-codes.ts';
import { CommitQueue } from './commit-queue.ts';
import { TokenBucket, type Limits } from './limits.ts';
import { PresencePolicy, type PresencePeer } from './presence.ts';
import { awarenessMessage, readMessage, syncStep1Message, syncStep2Message, updateMessage } from './protocol.ts';
import type { DocumentStore, LoadedDocument, PendingUpdate } from './store.ts';

/**
 * Presence renewals are relayed to a room's sockets in this many groups, one group per tick of the renewal period:
 * each socket still gets one message a period, and the echo every stock client sends back for it, but a room of 200
 * is not sent (and does not answer) all at once.
 */
const RENEWAL_SLOTS = 10;

/** What every suggestion mark's name starts with (suggestionInsert, suggestionDelete), as the update's bytes hold it. */
const SUGGESTION_KEY = Buffer.from('suggestion');

export interface Connection extends PresencePeer {
  ws: WebSocket;
  userId: string;
  readOnly: boolean;
  /** May only suggest changes: every update is held to the suggestion rule (doc-model suggestions.ts). */
  suggestOnly: boolean;
  /** Set when access ended: the socket is closing and nothing it sends is handled any more. */
  closing: boolean;
  /** The request's cookie header, kept to re-check the session and membership while the socket is open. */
  cookie: string | undefined;
  /** Wrote to the document (audited once per connection). */
  wrote: boolean;
  /** Edited since the last authorisation re-check (edits, not cursor moves, are activity). */
  activeSinceCheck: boolean;
  syncBucket: TokenBucket;
  /** Updates that start after what the document has of their client, held until the missing part arrives. */
  held: Uint8Array[];
  heldBytes: number;
  /** When this connection last had an update refused (refusals are audited at most once a minute each). */
  lastRefusalAuditAt?: number;
  /** Frames received and handled (or dropped) so far: lets a test know the server has seen everything it sent. */
  framesHandled: number;
  /** Asked for the document's change events (Sopu's own client does; a stock y-websocket client does not). */
  subscribed: boolean;
  /**
   * Has been sent a sync answer (the document as it was when it asked): only from then on are updates relayed to
   * it, since an update relayed before the state it builds on breaks the client's replica for a while (its new
   * items wait for what they build on, its deletions apply at once: a section entry keeps only its order).
   */
  answered: boolean;
  /** Sync answers made for it and not sent yet (each waits until what it holds is stored). */
  answersDue: number;
  /** Updates relayed while its first answer was due, sent right after that answer; and their size. */
  relaysDue: Uint8Array[];
  relaysDueBytes: number;
  /** Which tick of the room's renewal timer relays presence renewals to it (set when it joins). */
  renewalSlot: number;
}

export function createConnection(ws: WebSocket, grant: { userId: string; readOnly: boolean; suggestOnly?: boolean; identity: PresenceIdentity }, cookie: string | undefined, limits: Limits, now: () => number): Connection {
  return {
    ws,
    userId: grant.userId,
    readOnly: grant.readOnly,
    suggestOnly: grant.suggestOnly ?? false,
    identity: grant.identity,
    closing: false,
    cookie,
    wrote: false,
    activeSinceCheck: false,
    syncBucket: new TokenBucket(limits.syncRequests, now),
    held: [],
    heldBytes: 0,
    presenceIds: new Set(),
    framesHandled: 0,
    subscribed: false,
    answered: false,
    answersDue: 0,
    relaysDue: [],
    relaysDueBytes: 0,
    renewalSlot: 0,
  };
}

/** A frame the room will not take: the connection closes with `code`. */
export class Refused extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(reason);
  }
}

export interface RoomOptions {
  documentId: string;
  areaId: string;
  kind: DocumentKind;
  /** The lease owner this process writes as. */
  owner: string;
  store: DocumentStore;
  limits: Limits;
  /** Rebuild the snapshot when this many updates are stored after it. */
  compactAfter: number;
  onError: (error: unknown) => void;
  metrics?: { stored(updates: number, seconds: number): void; relayed(messages: number): void } | undefined;
  /** Storing failed (or the lease was lost): the room is finished and every connection was closed. */
  onFailed: (room: Room, error: unknown) => void;
  now: () => number;
}

type Queued = PendingUpdate & { origin: Connection | null; message: Uint8Array };
type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };

const OPEN = 1;
/** The origin of changes the room makes itself (repairs): relayed to everyone, the writer included. */
export const SERVER_ORIGIN = Symbol('server');

/** A change a use case asked the room to make (restoring a version), on behalf of `userId`. */
class ServerChange {
  constructor(readonly userId: string | null) {}
}
const REFUSAL_AUDIT_EVERY_MS = 60_000;
/** Updates merged into one relayed message at most (Y.mergeUpdates grows faster than linearly with more). */
const RELAY_MERGE = 32;

/**
 * One live document. A client's update is checked against the layout (doc-model's guard) before it is applied;
 * applied updates reach the other clients only after they are committed (the commit queue), and a client's sync
 * answer likewise waits until everything in it is stored, so nothing a client has seen can be lost by a crash.
 * Updates reach a client only after its first sync answer, so that it never holds an update without what it builds on.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  readonly documentId: string;
  readonly areaId: string;
  readonly #options: RoomOptions;
  readonly #queue: CommitQueue<Queued>;
  readonly #presence: PresencePolicy;
  /** Client id → the user who writes under it. */
  readonly #clientOwners: Map<number, string>;
  readonly #sectionKeys: Set<string>;
  #snapshotSeq: number;
  readonly #textChanged = new Set<string>();
  /** The sync answer to an empty state vector (the whole document) while the document has not changed since. */
  #wholeDocumentAnswer: Uint8Array | null = null;
  /** The sections map changed in the transaction just applied. */
  #sectionsTouched = false;
  #compacting = false;
  #compaction: Promise<void> = Promise.resolve();
  #closed = false;
  /** Suggestions the room has seen (at load, or made since): a new one is news for the section's writers. */
  readonly #knownSuggestions = new Set<string>();
  /** The presence ids whose state the awareness update being handled changed (its 'change' event comes first). */
  #presenceChanged: Set<number> | null = null;
  /**
   * Presence ids renewed (unchanged state, newer clock) and not yet relayed to the sockets of each renewal slot.
   * Every socket has a slot; the timer visits one slot per tick, so a room's sockets get their renewals at
   * different moments of the period, not all in one turn (decision 005).
   */
  readonly #renewals: Set<number>[] = Array.from({ length: RENEWAL_SLOTS }, () => new Set<number>());
  #renewalTimer: NodeJS.Timeout | undefined;
  #renewalTick = 0;
  #nextRenewalSlot = 0;

  constructor(loaded: LoadedDocument, options: RoomOptions) {
    this.#options = options;
    this.documentId = options.documentId;
    this.areaId = options.areaId;
    this.#clientOwners = new Map(loaded.clients);
    this.#sectionKeys = new Set(templateFor(options.kind).map((s) => s.key));
    Y.transact(this.doc, () => {
      if (loaded.snapshot) Y.applyUpdate(this.doc, loaded.snapshot);
      for (const update of loaded.updates) Y.applyUpdate(this.doc, update);
    });
    this.#snapshotSeq = loaded.snapshotSeq;
    for (const suggestion of readSuggestions(this.doc)) this.#knownSuggestions.add(suggestion.id);
    this.awareness.setLocalState(null);
    this.#presence = new PresencePolicy(this.awareness, options.limits.presence, (key) => this.#sectionKeys.has(key), options.now);
    this.#queue = new CommitQueue<Queued>(
      loaded.lastSeq,
      async (batch) => {
        const started = performance.now();
        await options.store.append(this.documentId, batch, { areaId: this.areaId, owner: options.owner });
        options.metrics?.stored(batch.updates.length, (performance.now() - started) / 1000);
      },
      (updates) => this.#relay(updates),
      (error) => this.#fail(error),
    );

    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.#wholeDocumentAnswer = null;
      const conn = this.#connectionOf(origin);
      // Only a change of the document is the person's activity (a sync answer with nothing new is not).
      if (conn) conn.activeSinceCheck = true;
      if (conn && !conn.wrote) {
        conn.wrote = true;
        this.#queue.pushAudit({ actorUserId: conn.userId, action: 'document.edited', subjectType: 'document', subjectId: this.documentId });
      }
      const userId = conn?.userId ?? (origin instanceof ServerChange ? origin.userId : null);
      this.#queue.push({ update, userId, origin: conn, message: updateMessage(update) });
    });

    sectionsMap(this.doc).observeDeep((events, transaction) => {
      this.#sectionsTouched = true;
      const conn = this.#connectionOf(transaction.origin);
      if (!conn) return;
      const keys = new Set<string>();
      for (const event of events) if (event.path[0] !== undefined) keys.add(String(event.path[0]));
      for (const key of keys) {
        const entry = sectionsMap(this.doc).get(key);
        const status = entry instanceof Y.Map ? entry.get('status') : undefined;
        const reason = entry instanceof Y.Map ? entry.get('reason') : undefined;
        this.#queue.pushAudit({
          actorUserId: conn.userId,
          action: 'section.status_changed',
          subjectType: 'document',
          subjectId: this.documentId,
          details: { section: key, status: typeof status === 'string' ? status : null, reason: typeof reason === 'string' ? reason : '' },
        });
      }
    });

    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (this.#connectionOf(transaction.origin)) for (const key of changedSections(transaction)) this.#textChanged.add(key);
    });

    // A change of presence (someone came, left, moved their caret) goes to everyone at once. A renewal (the same
    // state with a newer clock, which every stock client sends every 15 s) waits, and the room's renewals go out
    // together: one message per socket every few seconds instead of one per renewal, and since the stock client
    // echoes every awareness update it receives back to the server, one echo per socket instead of one per renewal.
    // With 200 people in a room that was 200 × 199 messages out and as many echoes in every 15 s (decision 005).
    this.awareness.on('change', ({ added, updated, removed }: AwarenessChanges) => {
      this.#presenceChanged = new Set([...added, ...updated, ...removed]);
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChanges) => {
      const changed = this.#presenceChanged ?? new Set<number>();
      this.#presenceChanged = null;
      const holdRenewals = options.limits.presence.renewalRelayMs > 0;
      const now = [...added, ...updated, ...removed].filter((id) => changed.has(id) || !holdRenewals);
      for (const slot of this.#renewals) for (const id of now) slot.delete(id);
      if (holdRenewals) for (const id of updated) if (!changed.has(id)) for (const slot of this.#renewals) slot.add(id);
      if (now.length > 0) this.#relayPresence(now, this.connections);
      this.#scheduleRenewals();
    });
    // Whatever was stored before this version of the guard, the room starts from content the editor's schema allows
    // and a well-formed layout (each repair stored with its audit event in the room's first commit).
    const repaired = repairContent(this.doc, SERVER_ORIGIN);
    if (repaired.length > 0) this.#queue.pushAudit(contentRepairedAudit(this.documentId, repaired));
    this.#repair(null);
  }

  get lastSeq() {
    return this.#queue.lastSeq;
  }

  get failed() {
    return this.#queue.failed;
  }

  join(conn: Connection) {
    this.connections.add(conn);
    conn.renewalSlot = this.#nextRenewalSlot++ % RENEWAL_SLOTS;
    this.send(conn, syncStep1Message(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) this.send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  leave(conn: Connection) {
    if (!this.connections.delete(conn)) return;
    this.#presence.leave(conn);
  }

  /** Sends unless the socket is gone; a socket that does not keep up with what it is sent is dropped. */
  send(conn: Connection, message: Uint8Array) {
    if (conn.ws.readyState !== OPEN || conn.closing) return;
    // What is still unsent counts, not this message: a whole-document sync reply may be bigger than the limit.
    if (conn.ws.bufferedAmount > this.#options.limits.maxBufferedBytes) {
      conn.closing = true;
      conn.ws.terminate();
      return;
    }
    conn.ws.send(message, { binary: true }, (error) => {
      if (error) conn.ws.terminate();
    });
  }

  /** Handles one frame. Throws InvalidFrame (not the protocol) or Refused (over a limit, against the layout). */
  receive(conn: Connection, bytes: Uint8Array) {
    if (this.#closed || conn.closing || this.failed) return;
    const message = readMessage(bytes);
    switch (message.type) {
      case 'sync-step1': {
        if (!conn.syncBucket.take()) throw new Refused(CLOSE.rateLimited, 'too many sync requests');
        const reply = this.#syncAnswer(message.stateVector);
        // The reply may contain updates still being committed: send it only once they are stored.
        conn.answersDue += 1;
        void this.#queue.whenStored().then((stored) => {
          conn.answersDue -= 1;
          if (stored) this.#answer(conn, reply);
        });
        return;
      }
      case 'sync-step2':
      case 'update':
        // Read-only connections: their document changes are dropped here, never checked, applied, stored or relayed.
        if (conn.readOnly) return;
        this.#applyClientUpdate(conn, message.update);
        return;
      case 'awareness':
        this.#presence.receive(conn, message.update);
        return;
      case 'query-awareness': {
        if (!conn.syncBucket.take()) throw new Refused(CLOSE.rateLimited, 'too many sync requests');
        this.send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
        return;
      }
      case 'auth':
        return;
      case 'subscribe-events':
        conn.subscribed = true;
        return;
    }
  }

  /** Sends a sync answer; after the first, the updates relayed while it was due (the client has their base now). */
  #answer(conn: Connection, reply: Uint8Array) {
    this.send(conn, reply);
    if (conn.answered) return;
    conn.answered = true;
    for (const message of conn.relaysDue.splice(0)) this.send(conn, message);
    conn.relaysDueBytes = 0;
  }

  /**
   * Relays a stored update to a connection. Before the connection has been answered once, an update may build on
   * what it does not have yet: with no answer due, it is dropped (the answer, made later, holds it); with one due
   * (made before this update was applied, or sent only after this relay), it waits for that answer.
   */
  #relayTo(conn: Connection, message: Uint8Array): number {
    if (conn.answered) {
      this.send(conn, message);
      return 1;
    }
    if (conn.answersDue === 0 || conn.closing) return 0;
    conn.relaysDue.push(message);
    conn.relaysDueBytes += message.byteLength;
    // As for a socket that does not read what it is sent (send): one that waits this long for its answer is dropped.
    if (conn.relaysDueBytes > this.#options.limits.maxBufferedBytes) {
      conn.closing = true;
      conn.relaysDue = [];
      conn.ws.terminate();
    }
    return 1;
  }

  /**
   * The answer to a client's state vector. A client opening the document has nothing (an empty state vector) and
   * gets the whole document: that answer is encoded once and kept until the document changes, so that a room many
   * people open costs one encoding, not one each.
   */
  #syncAnswer(stateVector: Uint8Array): Uint8Array {
    if (Y.decodeStateVector(stateVector).size > 0) return syncStep2Message(this.doc, stateVector);
    this.#wholeDocumentAnswer ??= syncStep2Message(this.doc, stateVector);
    return this.#wholeDocumentAnswer;
  }

  #applyClientUpdate(conn: Connection, update: Uint8Array) {
    const owns = (client: number) => this.#clientOwners.get(client) === conn.userId;
    const verdict = checkClientUpdate(this.doc, this.#options.kind, update, owns, conn.userId);
    if (!verdict.ok && verdict.incomplete) {
      conn.held.push(update);
      conn.heldBytes += update.byteLength;
      if (conn.held.length > this.#options.limits.maxHeldUpdates || conn.heldBytes > this.#options.limits.maxHeldBytes) {
        throw new Refused(CLOSE.rateLimited, 'too many incomplete updates');
      }
      return;
    }
    if (!verdict.ok) {
      if (verdict.problem === 'malformed') throw new Refused(CLOSE.invalidFrame, 'invalid update');
      this.#auditRefusal(conn, verdict.problem, verdict.detail);
      throw new Refused(CLOSE.layoutViolation, `update refused: ${verdict.problem}`);
    }
    // Suggest-only connections everywhere, and everyone in a section marked agreed: suggestions only (decision 025).
    const rule = checkSuggestionUpdate(this.doc, update, { userId: conn.userId, municipalityCode: conn.identity.municipalityCode }, conn.suggestOnly);
    if (!rule.ok) {
      this.#auditRefusal(conn, rule.problem, rule.detail);
      throw new Refused(CLOSE.layoutViolation, `update refused: ${rule.problem}`);
    }
    for (const clientId of verdict.clients) {
      if (this.#clientOwners.has(clientId) || Y.getState(this.doc.store, clientId) > 0) continue;
      this.#clientOwners.set(clientId, conn.userId);
      this.#queue.pushClient({ clientId, userId: conn.userId });
    }
    this.#textChanged.clear();
    this.#sectionsTouched = false;
    Y.applyUpdate(this.doc, update, conn);
    this.#noteSuggestions(conn, update);
    this.#reopenAgreed(conn);
    // Only a change of the sections map can leave section metadata wrong (a text change of an agreed section is
    // the reopening above): most updates are typing, and need no repair transaction.
    if (this.#sectionsTouched) this.#repair(conn);
    this.#retryHeld(conn);
  }

  /**
   * A suggestion the update made (one the room has not seen, in the writer's own name) is news for those who wrote
   * the section's text: a notification event stored with the update, which the mail planner turns into mail
   * (notify/planner.ts). Typing updates are passed over by a byte search before anything is decoded.
   */
  #noteSuggestions(conn: Connection, update: Uint8Array) {
    if (Buffer.from(update.buffer, update.byteOffset, update.byteLength).indexOf(SUGGESTION_KEY) === -1) return;
    const marks = suggestionMarksIn(update).filter((mark) => !this.#knownSuggestions.has(mark.id));
    if (marks.length === 0) return;
    const pending = readSuggestions(this.doc);
    for (const mark of marks) {
      this.#knownSuggestions.add(mark.id);
      const suggestion = pending.find((s) => s.id === mark.id);
      if (mark.author !== conn.userId || !suggestion) continue;
      const drafters = sectionWriters(this.doc, suggestion.section, (client) => this.#clientOwners.get(client)).filter((userId) => userId !== conn.userId);
      this.#queue.pushNotification({ kind: 'suggestion.created', subjectId: mark.id, actorId: conn.userId, details: { documentId: this.documentId, section: suggestion.section, drafters } });
    }
  }

  /** Held updates of a connection whose missing part may have arrived now. */
  #retryHeld(conn: Connection) {
    let progress = conn.held.length > 0;
    while (progress) {
      progress = false;
      for (const held of conn.held) {
        const verdict = checkClientUpdate(this.doc, this.#options.kind, held, (client) => this.#clientOwners.get(client) === conn.userId, conn.userId);
        if (!verdict.ok && verdict.incomplete) continue;
        conn.held.splice(conn.held.indexOf(held), 1);
        conn.heldBytes -= held.byteLength;
        this.#applyClientUpdate(conn, held);
        progress = true;
        break;
      }
    }
  }

  /** Concurrent, individually valid changes can still leave a section's metadata wrong: the server puts it right. */
  #repair(by: Connection | null) {
    const repairs = repairSections(this.doc, this.#options.kind, SERVER_ORIGIN, this.#options.now());
    for (const repair of repairs) {
      this.#queue.pushAudit({ actorUserId: null, action: 'section.repaired', subjectType: 'document', subjectId: this.documentId, details: { section: repair.key, problems: repair.problems, after: by?.userId ?? null } });
    }
  }

  /** Sections whose text the last client update changed: an "agreed" mark on them no longer holds. */
  #reopenAgreed(conn: Connection) {
    if (this.#textChanged.size === 0) return;
    // Typing into sections nobody marked agreed (nearly always): no transaction at all.
    const sections = sectionsMap(this.doc);
    if (![...this.#textChanged].some((key) => { const meta = sections.get(key); return meta instanceof Y.Map && meta.get('status') === 'agreed'; })) {
      this.#textChanged.clear();
      return;
    }
    const reopened = reopenAgreedSections(this.doc, this.#textChanged, SERVER_ORIGIN, this.#options.now());
    this.#textChanged.clear();
    for (const key of reopened) {
      this.#queue.pushAudit({ actorUserId: null, action: 'section.reopened', subjectType: 'document', subjectId: this.documentId, details: { section: key, after: conn.userId } });
    }
  }

  #auditRefusal(conn: Connection, problem: string, detail: string) {
    const t = this.#options.now();
    if (conn.lastRefusalAuditAt !== undefined && t - conn.lastRefusalAuditAt < REFUSAL_AUDIT_EVERY_MS) return;
    conn.lastRefusalAuditAt = t;
    this.#queue.pushAudit({ actorUserId: conn.userId, action: 'document.update_refused', subjectType: 'document', subjectId: this.documentId, details: { problem, detail } });
  }

  #connectionOf(origin: unknown): Connection | null {
    return typeof origin === 'object' && origin !== null && this.connections.has(origin as Connection) ? (origin as Connection) : null;
  }

  /**
   * Sends a stored batch to the room. One update goes to everyone but its writer, as it came. Several (updates
   * that arrived while a commit ran, or at once) go out merged, up to RELAY_MERGE at a time: one message per
   * socket instead of one per update (each message is a system call per socket, which dominates a busy room). A
   * writer gets a merged message unless it wrote all of it; its own updates in it change nothing on its side.
   */
  #relay(updates: Queued[]) {
    let messages = 0;
    if (updates.length === 1) {
      const item = updates[0]!;
      for (const conn of this.connections) if (conn !== item.origin) messages += this.#relayTo(conn, item.message);
    } else {
      for (let start = 0; start < updates.length; start += RELAY_MERGE) {
        const chunk = updates.slice(start, start + RELAY_MERGE);
        const origin = chunk.every((u) => u.origin === chunk[0]!.origin) ? chunk[0]!.origin : null;
        const message = chunk.length === 1 ? chunk[0]!.message : updateMessage(Y.mergeUpdates(chunk.map((u) => u.update)));
        for (const conn of this.connections) if (conn !== origin) messages += this.#relayTo(conn, message);
      }
    }
    this.#options.metrics?.relayed(messages);
    this.#maybeCompact();
  }

  /**
   * Makes a change of the server's own (a use case's: restoring a version) to the live document, relayed to every
   * client; resolves true once it is stored, false if storing failed.
   */
  applyServerChange(change: (doc: Y.Doc) => void | DocumentAudit, userId: string | null): Promise<boolean> {
    if (this.#closed || this.failed) return Promise.resolve(false);
    let audit = undefined as DocumentAudit | void;
    this.doc.transact(() => {
      audit = change(this.doc);
    }, new ServerChange(userId));
    // Committed with the change itself.
    for (const event of audit ?? []) this.#queue.pushAudit(event);
    this.#repair(null);
    return this.whenStored();
  }

  /** Resolves true when everything applied to the room so far is committed, false if storing failed. */
  whenStored(): Promise<boolean> {
    return this.#queue.whenStored();
  }

  #maybeCompact() {
    if (this.#compacting || this.#closed || this.lastSeq - this.#snapshotSeq < this.#options.compactAfter) return;
    this.#compaction = this.#snapshot();
  }

  /**
   * Right after a commit with nothing queued, the room's Y.Doc is exactly the stored state up to lastSeq: encoding
   * it is the compaction (the document is already loaded; reading it back from the store would only repeat that).
   */
  async #snapshot(): Promise<void> {
    if (this.#compacting || this.failed) return;
    if (!this.#queue.idle) {
      if (!(await this.whenStored())) return;
      return this.#snapshot();
    }
    this.#compacting = true;
    const seq = this.lastSeq;
    try {
      await this.#options.store.writeSnapshot(this.documentId, seq, Y.encodeStateAsUpdate(this.doc));
      this.#snapshotSeq = Math.max(this.#snapshotSeq, seq);
    } catch (error) {
      this.#options.onError(error);
    } finally {
      this.#compacting = false;
    }
  }

  /** Storing failed: what this room holds may be ahead of the store, so drop everyone; clients resend on reconnect. */
  #fail(error: unknown) {
    this.#options.onError(error);
    const code = error instanceof Error && error.name === 'LeaseLost' ? CLOSE.servedElsewhere : CLOSE.storageFailed;
    for (const conn of this.connections) {
      conn.closing = true;
      conn.ws.close(code, code === CLOSE.servedElsewhere ? 'document served elsewhere' : 'storage failed');
    }
    this.#options.onFailed(this, error);
  }

  async compactNow(): Promise<void> {
    await this.whenStored();
    await this.#compaction;
    if (!this.failed && this.lastSeq > this.#snapshotSeq) await this.#snapshot();
  }

  /** Stores what is queued, finishes a running compaction, then frees the document. Frames after this are ignored. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.whenStored();
    await this.#compaction;
    this.destroy();
  }

  #relayPresence(ids: number[], to: Iterable<Connection>) {
    const message = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
    for (const c of to) this.send(c, message);
  }

  /** Runs the renewal timer while any slot has renewals to relay: one slot per tick, RENEWAL_SLOTS ticks a period. */
  #scheduleRenewals() {
    if (this.#renewalTimer || this.#destroyed || this.#renewals.every((slot) => slot.size === 0)) return;
    this.#renewalTimer = setTimeout(() => {
      this.#renewalTimer = undefined;
      const slot = this.#renewalTick++ % RENEWAL_SLOTS;
      const pending = this.#renewals[slot]!;
      const states = this.awareness.getStates();
      const ids = [...pending].filter((id) => states.has(id));
      pending.clear();
      if (ids.length > 0) {
        const to = [...this.connections].filter((c) => c.renewalSlot === slot);
        if (to.length > 0) this.#relayPresence(ids, to);
      }
      this.#scheduleRenewals();
    }, this.#options.limits.presence.renewalRelayMs / RENEWAL_SLOTS);
  }

  #destroyed = false;

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    clearTimeout(this.#renewalTimer);
    for (const slot of this.#renewals) slot.clear();
    for (const conn of this.connections) clearTimeout(conn.presenceTimer);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
