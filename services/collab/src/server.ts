import { DomainError, type DocumentWriter } from '@sopu/core';
import type { PresenceIdentity } from '@sopu/doc-model';
import type { DocumentKind } from '@sopu/doc-model';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CLOSE } from './close-codes.ts';
import { DEFAULT_LIMITS, type Limits } from './limits.ts';
import { eventsMessage, InvalidFrame } from './protocol.ts';
import { createConnection, Refused, Room, type Connection } from './room.ts';
import type { DocumentStore } from './store.ts';

export interface ConnectionGrant {
  userId: string;
  areaId: string;
  kind: DocumentKind;
  readOnly: boolean;
  /** May only suggest changes (docs/decisions/025): the room holds its updates to the suggestion rule. */
  suggestOnly?: boolean;
  /** Who the person is, as presence shows them (set by the server, never by the client). */
  identity: PresenceIdentity;
}
export type Denial = { deny: typeof CLOSE.unauthenticated | typeof CLOSE.notFound; reason: string };

/**
 * Decides who may join a document: called before the upgrade, and again periodically for all of a room's open
 * sockets at once (one answer per request, in order).
 * `activity` says whether the person did something since the last check (connected, or edited): only that keeps
 * their session from going idle, not an open tab.
 */
export type Authorize = (documentId: string, requests: Array<{ cookie: string | undefined; activity: boolean }>) => Promise<Array<ConnectionGrant | Denial>>;

/** Where the collab server writes its log lines (pino's Logger has this shape; @sopu/telemetry). */
export interface CollabLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What the collab server counts and times for /metrics (@sopu/telemetry's `metrics.collab` has this shape). */
export interface CollabMetrics {
  /** One group commit: how many updates, how long the write took. */
  stored(updates: number, seconds: number): void;
  /** Update messages sent to other clients after a commit. */
  relayed(messages: number): void;
  /** One access re-check round of a room's sockets. */
  rechecked(sockets: number, seconds: number): void;
  /** A document handed over to another process that asked for it. */
  handedOver(): void;
}

export interface CollabOptions {
  store: DocumentStore;
  authorize: Authorize;
  /** Origins allowed to open a socket besides the one of the Host header. */
  allowedOrigins: readonly string[];
  /**
   * This process's name as a document writer (the lease owner). Stable across restarts of the same deployment
   * slot, so that a restarted process takes its documents back at once; unique among the processes sharing a
   * database. Default: a random id (a restart then waits for its old leases to expire).
   */
  instanceId?: string;
  /** How long a writer's lease lasts without renewal. */
  leaseTtlMs?: number;
  /**
   * How long a connection (or a use case's change) waits for a document another process holds: that process is
   * asked to hand it over, and a lease left by a process that died expires meanwhile. Default: the lease's time
   * and two seconds, so that a dead writer's lease is waited out in one go. After it: 1013 (try again later).
   */
  leaseWaitMs?: number;
  /**
   * A document is handed over only after this process has held it this long (default 3 s): clients that reach two
   * processes for the same document (no proxy routing by document in front) would otherwise pass it back and forth
   * without pause. The asking process asks again every second while it waits.
   */
  minHoldMs?: number;
  /** URL path prefix; a socket for document D connects to `${pathPrefix}/D`. */
  pathPrefix?: string;
  /** How often open sockets re-check their session and membership. */
  recheckMs?: number;
  /** How long an empty room stays loaded, in case its last client comes straight back. */
  unloadAfterMs?: number;
  compactAfter?: number;
  limits?: Partial<Limits>;
  /** The change feed (comment threads, notifications), forwarded to the sockets that subscribed to it. */
  feed?: ChangeFeed;
  onError?: (error: unknown) => void;
  log?: CollabLog;
  metrics?: CollabMetrics;
  now?: () => number;
}

/** Where the collab server reads change events from (core's feed_events), and how it is woken. */
export interface ChangeFeed {
  latest(): Promise<number>;
  readAfter(afterId: number): Promise<Array<{ id: number; documentId: string | null; userId: string | null; kind: string; subjectId: string | null; createdAt?: number }>>;
  /** Resolves when something was written in this process, or after `ms`. */
  wait(ms: number): Promise<void>;
}

const DOCUMENT_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Sockets re-checked in one authorise call (about a millisecond of queries and hashing, docs/decisions/005). */
const RECHECK_SLICE = 50;

/** Another process holds the document's lease. */
class ServedElsewhere extends Error {}

function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]) {
  if (!origin) return false;
  if (allowed.includes(origin)) return true;
  try {
    return Boolean(host) && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, text: string) {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}

const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

interface RoomEntry {
  documentId: string;
  ready: Promise<Room>;
  room?: Room;
  /** When the room was loaded (its lease taken). */
  loadedAt?: number;
  unloadTimer?: NodeJS.Timeout;
}



/**
 * The y-websocket protocol server: authorisation before the upgrade, one room per document (held under a lease:
 * one writer per document), persistence before broadcast, read-only connections, bounded frames and rates. No
 * module state: everything it needs is injected, so several can run in one process (tests) and it can run alone
 * (main.ts) or inside the web server.
 */
export function createCollabServer(options: CollabOptions) {
  const prefix = (options.pathPrefix ?? '/collab').replace(/\/$/, '');
  const recheckMs = options.recheckMs ?? 3000;
  const unloadAfterMs = options.unloadAfterMs ?? 2000;
  const leaseTtlMs = options.leaseTtlMs ?? 30_000;
  const instanceId = options.instanceId ?? randomUUID();
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const leaseWaitMs = options.leaseWaitMs ?? leaseTtlMs + 2000;
  const minHoldMs = options.minHoldMs ?? 3000;
  const now = options.now ?? Date.now;
  const log = options.log;
  const metrics = options.metrics;
  const onError = options.onError ?? (log ? (error: unknown) => log.error({ err: error }, 'collab error') : (error: unknown) => console.error('[collab]', error));
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes, perMessageDeflate: false });
  const rooms = new Map<string, RoomEntry>();
  /** Rooms being unloaded, by document: a new room for the same document waits until the old one has stored everything. */
  const unloading = new Map<string, Promise<void>>();
  let closed = false;
  /** Unload timers scheduled and neither fired nor cancelled yet. */
  const unloadTimers = new Set<NodeJS.Timeout>();

  const cancelUnload = (entry: RoomEntry) => {
    if (!entry.unloadTimer) return;
    clearTimeout(entry.unloadTimer);
    unloadTimers.delete(entry.unloadTimer);
    entry.unloadTimer = undefined;
  };

  const forget = (entry: RoomEntry) => {
    cancelUnload(entry);
    if (rooms.get(entry.documentId) === entry) rooms.delete(entry.documentId);
  };

  /** Lease claims under way, by document: connections arriving for the same document share one. */
  const claims = new Map<string, Promise<boolean>>();

  /**
   * Takes the document's lease, waiting up to leaseWaitMs for it: the process holding it is asked to hand it over
   * (through the change feed, which every process polls while it has rooms), and a lease left by a process that died
   * expires meanwhile. Resolves false when the wait ends without the lease.
   */
  function claimLease(documentId: string, areaId: string): Promise<boolean> {
    const running = claims.get(documentId);
    if (running) return running;
    const claim = (async () => {
      const deadline = now() + leaseWaitMs;
      let askedAt = -Infinity;
      for (;;) {
        if (await options.store.acquireLease(documentId, instanceId, leaseTtlMs)) return true;
        if (closed || now() >= deadline) return false;
        if (now() - askedAt >= 1000) {
          askedAt = now();
          await options.store.requestHandover(documentId, areaId, instanceId).catch(onError);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    claims.set(documentId, claim);
    const forgetClaim = () => void (claims.get(documentId) === claim && claims.delete(documentId));
    claim.then(forgetClaim, forgetClaim);
    return claim;
  }

  function createEntry(documentId: string, grant: ConnectionGrant): RoomEntry {
    const previous = unloading.get(documentId) ?? Promise.resolve();
    const entry: RoomEntry = { documentId, ready: undefined as unknown as Promise<Room> };
    entry.ready = previous.then(async () => {
      if (!(await claimLease(documentId, grant.areaId))) throw new ServedElsewhere(documentId);
      try {
        const loaded = await options.store.load(documentId);
        const room = new Room(loaded, {
          documentId,
          areaId: grant.areaId,
          kind: grant.kind,
          owner: instanceId,
          store: options.store,
          limits,
          compactAfter: options.compactAfter ?? 200,
          onError,
          metrics,
          now,
          onFailed: (failed) => {
            forget(entry);
            failed.destroy();
          },
        });
        entry.room = room;
        entry.loadedAt = now();
        return room;
      } catch (error) {
        await options.store.releaseLease(documentId, instanceId).catch(onError);
        throw error;
      }
    });
    entry.ready.catch(() => forget(entry));
    return entry;
  }

  async function getRoom(documentId: string, grant: ConnectionGrant): Promise<Room> {
    let entry = rooms.get(documentId);
    if (!entry) {
      entry = createEntry(documentId, grant);
      rooms.set(documentId, entry);
    }
    cancelUnload(entry);
    const room = await entry.ready;
    if (room.failed) {
      forget(entry);
      return getRoom(documentId, grant);
    }
    return room;
  }

  function scheduleUnload(entry: RoomEntry) {
    const room = entry.room;
    if (closed || !room || room.connections.size > 0 || entry.unloadTimer || rooms.get(entry.documentId) !== entry) return;
    const timer = setTimeout(() => {
      unloadTimers.delete(timer);
      entry.unloadTimer = undefined;
      unload(entry);
    }, unloadAfterMs);
    entry.unloadTimer = timer;
    unloadTimers.add(timer);
  }

  /** Compacts, stores and frees a room nobody is connected to; resolves when its lease is released. */
  function unload(entry: RoomEntry): Promise<void> {
    const room = entry.room;
    if (!room || room.connections.size > 0 || rooms.get(entry.documentId) !== entry) return Promise.resolve();
    cancelUnload(entry);
    rooms.delete(entry.documentId);
    const done = room
      .compactNow()
      .catch(onError)
      .finally(() => room.close())
      .then(() => options.store.releaseLease(entry.documentId, instanceId))
      .catch(onError);
    unloading.set(entry.documentId, done);
    void done.finally(() => unloading.get(entry.documentId) === done && unloading.delete(entry.documentId));
    return done;
  }

  /**
   * Another process asked for a document this one holds (a proxy now routes it there: this process restarted, or
   * came back after a failover). Nothing more its sockets send is handled; what was applied is stored and relayed;
   * then the sockets close with 1012 (the clients reconnect through the proxy, and resend what the closing room did not
   * take) and the lease is released for the asking process.
   */
  function handOver(entry: RoomEntry, to: string): Promise<void> {
    const room = entry.room;
    if (!room || room.failed || rooms.get(entry.documentId) !== entry) return Promise.resolve();
    forget(entry);
    const connections = [...room.connections];
    for (const conn of connections) conn.closing = true;
    log?.info({ documentId: entry.documentId, to, connections: connections.length }, 'handing the document over');
    const done = room
      .close()
      .catch(onError)
      .then(() => {
        for (const conn of connections) conn.ws.close(CLOSE.handedOver, 'document handed over');
        return options.store.releaseLease(entry.documentId, instanceId);
      })
      .then(() => metrics?.handedOver())
      .catch(onError);
    unloading.set(entry.documentId, done);
    void done.finally(() => unloading.get(entry.documentId) === done && unloading.delete(entry.documentId));
    return done;
  }

  /** Ends a connection's access at once: nothing it sends is handled from now on, and it gets nothing more. */
  function deny(conn: Connection, code: number, reason: string) {
    conn.readOnly = true;
    conn.closing = true;
    conn.ws.close(code, reason);
  }

  /** Re-check rounds still running, by room: the timer does not start another meanwhile. */
  const rechecking = new Map<Room, Promise<void>>();

  /** A re-check round of the room now; `afterRunning`: after the one running, if any (else none is started twice). */
  function recheckRound(room: Room, afterRunning: boolean): Promise<void> {
    const running = rechecking.get(room);
    if (running && !afterRunning) return running;
    const round = (running ?? Promise.resolve()).then(() => recheck(room));
    rechecking.set(room, round);
    const forget = () => void (rechecking.get(room) === round && rechecking.delete(room));
    round.then(forget, forget);
    return round;
  }

  /**
   * Re-checks every open socket of a room. The sockets are checked in slices of RECHECK_SLICE, one authorise call
   * each, with the event loop free between slices: libSQL answers synchronously, so one call for thousands of
   * sockets would hold every edit of the process until it ends (docs/decisions/005). When a check cannot be made,
   * every socket of the room is closed (fail closed), as when it was one call.
   */
  async function recheck(room: Room) {
    const conns = [...room.connections].filter((c) => !c.closing);
    if (conns.length === 0) return;
    const started = performance.now();
    try {
      await recheckSlices(room, conns);
    } finally {
      metrics?.rechecked(conns.length, (performance.now() - started) / 1000);
    }
  }

  async function recheckSlices(room: Room, conns: Connection[]) {
    for (let start = 0; start < conns.length; start += RECHECK_SLICE) {
      if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      const slice = conns.slice(start, start + RECHECK_SLICE).filter((c) => !c.closing);
      if (slice.length === 0) continue;
      const requests = slice.map((conn) => {
        const activity = conn.activeSinceCheck;
        conn.activeSinceCheck = false;
        return { cookie: conn.cookie, activity };
      });
      let verdicts: Array<ConnectionGrant | Denial>;
      try {
        verdicts = await options.authorize(room.documentId, requests);
      } catch (error) {
        // Access cannot be confirmed: fail closed. The clients reconnect, and are checked again, when it can.
        onError(error);
        for (const conn of conns) deny(conn, CLOSE.tryAgainLater, 'access could not be checked');
        return;
      }
      slice.forEach((conn, i) => {
        const verdict = verdicts[i];
        if (!verdict || 'deny' in verdict) deny(conn, verdict?.deny ?? CLOSE.tryAgainLater, verdict?.reason ?? 'access could not be checked');
        else {
          conn.readOnly = verdict.readOnly;
          conn.suggestOnly = verdict.suggestOnly ?? false;
          conn.identity = verdict.identity;
        }
      });
    }
  }

  const recheckTimer = setInterval(() => {
    for (const entry of rooms.values()) if (entry.room) void recheckRound(entry.room, false).catch(onError);
  }, recheckMs);
  recheckTimer.unref();

  const leaseTimer = setInterval(() => {
    const loaded = [...rooms.values()].filter((e) => e.room && !e.room.failed);
    if (loaded.length === 0) return;
    void options.store
      .renewLeases(instanceId, loaded.map((e) => e.documentId), leaseTtlMs)
      .then((lost) => {
        for (const entry of loaded) {
          if (!lost.includes(entry.documentId) || !entry.room) continue;
          forget(entry);
          for (const conn of entry.room.connections) deny(conn, CLOSE.servedElsewhere, 'document served elsewhere');
          entry.room.destroy();
        }
      })
      .catch(onError);
  }, Math.max(1000, Math.floor(leaseTtlMs / 3)));
  leaseTimer.unref();

  /**
   * Forwards the change feed to subscribed sockets: a document's thread events to that room's sockets, a person's
   * notification events to their own sockets. Polls while any room is loaded (woken at once by this process's own
   * writes); other processes' writes arrive within the poll interval.
   */
  async function forwardFeed(feed: ChangeFeed) {
    let after = await feed.latest().catch((error: unknown) => (closed ? 0 : (onError(error), 0)));
    while (!closed) {
      await feed.wait(rooms.size > 0 ? 500 : 2000);
      if (closed) break;
      let events: Awaited<ReturnType<ChangeFeed['readAfter']>>;
      try {
        events = await feed.readAfter(after);
      } catch (error) {
        if (!closed) onError(error);
        continue;
      }
      if (events.length === 0) continue;
      after = events.at(-1)!.id;
      for (const e of events) {
        // Another process asks for a document this one holds: hand it over (if the request is still waited on).
        if (e.kind !== 'lease_wanted' || !e.documentId || e.subjectId === instanceId) continue;
        if (e.createdAt !== undefined && now() - e.createdAt > leaseWaitMs) continue;
        const entry = rooms.get(e.documentId);
        if (entry?.room && now() - (entry.loadedAt ?? 0) >= minHoldMs) void handOver(entry, e.subjectId ?? '?');
      }
      const byConnection = new Map<Connection, { room: Room; events: Array<{ kind: string; threadId?: string }> }>();
      for (const entry of rooms.values()) {
        const room = entry.room;
        if (!room) continue;
        for (const conn of room.connections) {
          if (!conn.subscribed || conn.closing) continue;
          for (const e of events) {
            const forThisRoom = e.kind === 'thread' && e.documentId === room.documentId;
            const forThisPerson = e.kind === 'notification' && e.userId === conn.userId;
            if (!forThisRoom && !forThisPerson) continue;
            const item = byConnection.get(conn) ?? { room, events: [] };
            item.events.push(forThisRoom ? { kind: 'thread', threadId: e.subjectId ?? '' } : { kind: 'notification' });
            byConnection.set(conn, item);
          }
        }
      }
      for (const [conn, { room, events: mine }] of byConnection) room.send(conn, eventsMessage(mine.slice(0, 200)));
    }
  }
  if (options.feed) void forwardFeed(options.feed).catch(onError);

  function accept(ws: WebSocket, request: IncomingMessage, documentId: string, grant: ConnectionGrant, requestId: string | undefined) {
    const conn = createConnection(ws, grant, request.headers.cookie, limits, now);
    const openedAt = now();
    log?.info({ reqId: requestId, documentId, userId: grant.userId, readOnly: grant.readOnly }, 'collab connection opened');
    // Frames that arrive while the room loads are kept (within bounds) and handled in order once it is ready.
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    let room: Room | undefined;
    let alive = true;
    const handle = (bytes: Uint8Array) => {
      conn.framesHandled += 1;
      if (!room || conn.closing) return;
      try {
        room.receive(conn, bytes);
      } catch (error) {
        if (error instanceof Refused) deny(conn, error.code, error.message.slice(0, 120));
        else if (error instanceof InvalidFrame) deny(conn, CLOSE.invalidFrame, 'invalid frame');
        else {
          onError(error);
          deny(conn, CLOSE.invalidFrame, 'invalid update');
        }
      }
    };
    ws.on('message', (data) => {
      const bytes = toBytes(data);
      if (room) return handle(bytes);
      early.push(bytes);
      earlyBytes += bytes.byteLength;
      if (early.length > limits.maxEarlyFrames || earlyBytes > limits.maxEarlyBytes) {
        conn.framesHandled += early.length;
        early.length = 0;
        deny(conn, CLOSE.rateLimited, 'too many frames before the document loaded');
      }
    });
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 30_000);
    ping.unref();
    ws.on('error', () => ws.terminate());
    ws.on('close', (code: number) => {
      clearInterval(ping);
      log?.info({ reqId: requestId, documentId, userId: grant.userId, code, frames: conn.framesHandled, seconds: Math.round((now() - openedAt) / 100) / 10 }, 'collab connection closed');
      if (room) {
        room.leave(conn);
        const entry = rooms.get(documentId);
        if (entry?.room === room) scheduleUnload(entry);
      }
    });
    getRoom(documentId, grant).then(
      (r) => {
        if (ws.readyState !== ws.OPEN || conn.closing) {
          const entry = rooms.get(documentId);
          if (entry?.room === r) scheduleUnload(entry);
          return;
        }
        room = r;
        r.join(conn);
        for (const bytes of early.splice(0)) handle(bytes);
      },
      (error: unknown) => {
        if (error instanceof ServedElsewhere) deny(conn, CLOSE.servedElsewhere, 'document served elsewhere');
        else {
          onError(error);
          deny(conn, CLOSE.storageFailed, 'could not load document');
        }
      },
    );
  }

  /**
   * Node's 'upgrade' listener. Returns false for paths that are not ours, so that others can take them. Whatever
   * the request holds, it gets an answer and nothing throws: every byte of it comes from the client.
   */
  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, context: { requestId?: string } = {}): boolean {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(`${prefix}/`)) return false;
    // A client that drops the connection mid-handshake must not become an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    try {
      // Document ids are plain [A-Za-z0-9-]: the path is compared as it is, never URI-decoded (`/collab/%` would throw).
      const documentId = path.slice(prefix.length + 1);
      if (closed) return refuse(socket, 503, 'Service Unavailable'), true;
      if (!isAllowedOrigin(request.headers.origin, request.headers.host, options.allowedOrigins)) return refuse(socket, 403, 'Forbidden'), true;
      const verdict: Promise<ConnectionGrant | Denial> = DOCUMENT_ID.test(documentId)
        ? options.authorize(documentId, [{ cookie: request.headers.cookie, activity: true }]).then(([only]) => only ?? { deny: CLOSE.notFound, reason: 'not found' })
        : Promise.resolve({ deny: CLOSE.notFound, reason: 'not found' });
      const { requestId } = context;
      verdict
        .then(async (result) => {
          // The handshake waits for the document's lease (another process may be handing it over, or a dead one's
          // lease expiring): a client that is not connected yet sends nothing meanwhile.
          const leased = 'deny' in result || rooms.get(documentId)?.room ? true : await claimLease(documentId, result.areaId);
          if (socket.destroyed) {
            // The client went away while it waited: a lease taken for it alone is given back.
            if (leased && !('deny' in result) && !rooms.has(documentId)) await options.store.releaseLease(documentId, instanceId).catch(onError);
            return;
          }
          wss.handleUpgrade(request, socket, head, (ws) => {
            // Refusals complete the upgrade and close with a code, so that browsers (which cannot read an HTTP
            // status of a failed upgrade) can tell "log in again" from "no access"; no document data is sent.
            if ('deny' in result) {
              log?.info({ reqId: requestId, documentId, code: result.deny }, 'collab connection refused');
              ws.close(result.deny, result.reason);
            } else if (!leased) {
              log?.info({ reqId: requestId, documentId, code: CLOSE.servedElsewhere }, 'collab connection refused: the document is served elsewhere');
              ws.close(CLOSE.servedElsewhere, 'document served elsewhere');
            } else accept(ws, request, documentId, result, requestId);
          });
        },
          (error: unknown) => {
            onError(error);
            refuse(socket, 503, 'Service Unavailable');
          },
        )
        .catch((error: unknown) => {
          onError(error);
          socket.destroy();
        });
    } catch (error) {
      onError(error);
      refuse(socket, 400, 'Bad Request');
    }
    return true;
  }

  /** The DocumentWriter of core: a use case's change goes through the document's room (loaded if need be). */
  const documentWriter: DocumentWriter = {
    async change(document, change, userId) {
      let room: Room;
      try {
        room = await getRoom(document.id, { areaId: document.areaId, kind: document.kind as ConnectionGrant['kind'] } as ConnectionGrant);
      } catch (error) {
        if (error instanceof ServedElsewhere) throw new DomainError('conflict', 'the document is being edited through another server just now; try again');
        throw error;
      }
      const stored = await room.applyServerChange(change, userId);
      const entry = rooms.get(document.id);
      if (entry?.room === room) scheduleUnload(entry);
      if (!stored) throw new Error(`storing a change of document ${document.id} failed`);
    },
  };

  return {
    handleUpgrade,
    instanceId,
    documentWriter,
    /** Re-checks every open socket now (as the timer does every recheckMs); resolves when done. */
    recheckAll: () => Promise.all([...rooms.values()].map((e) => (e.room ? recheckRound(e.room, true).catch(onError) : undefined))).then(() => undefined),
    /** Unloads every loaded room nobody is connected to now, as its unload timer would later; resolves when done. */
    unloadIdle: () => Promise.all([...rooms.values()].map((e) => unload(e))).then(() => undefined),
    /** Open connections and loaded rooms now (for /metrics). */
    stats() {
      let connections = 0;
      let loaded = 0;
      for (const entry of rooms.values()) {
        if (!entry.room) continue;
        loaded += 1;
        connections += entry.room.connections.size;
      }
      return { connections, rooms: loaded };
    },
    /** Loaded rooms by document, for tests and diagnostics. */
    rooms: {
      has: (documentId: string) => Boolean(rooms.get(documentId)?.room),
      get: (documentId: string) => rooms.get(documentId)?.room,
      get size() {
        return [...rooms.values()].filter((e) => e.room).length;
      },
      /** Unload timers scheduled and not yet fired or cancelled: a test waits for none, instead of sleeping. */
      get pendingUnloads() {
        return unloadTimers.size;
      },
    },
    async close() {
      closed = true;
      clearInterval(recheckTimer);
      clearInterval(leaseTimer);
      for (const client of wss.clients) client.close(CLOSE.goingAway, 'server shutting down');
      const entries = [...rooms.values()];
      rooms.clear();
      for (const entry of entries) cancelUnload(entry);
      const loaded = await Promise.allSettled(entries.map((e) => e.ready));
      await Promise.all(
        loaded.map(async (result, i) => {
          if (result.status !== 'fulfilled') return;
          await result.value.close();
          await options.store.releaseLease(entries[i]!.documentId, instanceId).catch(onError);
        }),
      );
      await Promise.all([...unloading.values()]);
      // Everything is stored and every client was told; one that does not answer its close frame is not waited for.
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

export type CollabServer = ReturnType<typeof createCollabServer>;
