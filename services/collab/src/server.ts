import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CLOSE, MAX_FRAME_BYTES } from './close-codes.ts';
import { InvalidFrame, Room, type Connection } from './room.ts';
import type { DocumentStore } from './store.ts';

export interface ConnectionGrant {
  userId: string;
  areaId: string;
  readOnly: boolean;
}
export type Denial = { deny: typeof CLOSE.unauthenticated | typeof CLOSE.notFound; reason: string };

/**
 * Decides who may join a document: called before the upgrade, and again periodically for all of a room's open
 * sockets at once (one answer per request, in order).
 * `activity` says whether the person did something since the last check (connected, or edited): only that keeps
 * their session from going idle, not an open tab.
 */
export type Authorize = (documentId: string, requests: Array<{ cookie: string | undefined; activity: boolean }>) => Promise<Array<ConnectionGrant | Denial>>;

export interface CollabOptions {
  store: DocumentStore;
  authorize: Authorize;
  /** Origins allowed to open a socket besides the one of the Host header. */
  allowedOrigins: readonly string[];
  /** URL path prefix; a socket for document D connects to `${pathPrefix}/D`. */
  pathPrefix?: string;
  /** How often open sockets re-check their session and membership. */
  recheckMs?: number;
  /** How long an empty room stays loaded, in case its last client comes straight back. */
  unloadAfterMs?: number;
  compactAfter?: number;
  maxFrameBytes?: number;
  onError?: (error: unknown) => void;
}

const DOCUMENT_ID = /^[A-Za-z0-9-]{1,64}$/;

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
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
}

const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? new Uint8Array(Buffer.concat(data)) : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/**
 * The y-websocket protocol server: authorisation before the upgrade, one room per document, persistence before
 * broadcast, read-only connections. No module state: everything it needs is injected, so several can run in one
 * process (tests) and it can run alone (main.ts) or inside the web server.
 */
export function createCollabServer(options: CollabOptions) {
  const prefix = (options.pathPrefix ?? '/collab').replace(/\/$/, '');
  const recheckMs = options.recheckMs ?? 3000;
  const unloadAfterMs = options.unloadAfterMs ?? 2000;
  const onError = options.onError ?? ((error: unknown) => console.error('[collab]', error));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxFrameBytes ?? MAX_FRAME_BYTES, perMessageDeflate: false });
  const rooms = new Map<string, Promise<Room>>();
  const unloadTimers = new Map<string, NodeJS.Timeout>();
  /** Rooms being unloaded, by document: a new room for the same document waits until the old one has stored everything. */
  const unloading = new Map<string, Promise<void>>();
  let closed = false;

  async function getRoom(documentId: string, areaId: string): Promise<Room> {
    const timer = unloadTimers.get(documentId);
    if (timer) {
      clearTimeout(timer);
      unloadTimers.delete(documentId);
    }
    let room = rooms.get(documentId);
    if (!room) {
      const previous = unloading.get(documentId) ?? Promise.resolve();
      room = previous.then(() => options.store.load(documentId)).then((loaded) => new Room(documentId, areaId, loaded, options.store, { compactAfter: options.compactAfter ?? 200, onError }));
      rooms.set(documentId, room);
      room.catch(() => rooms.delete(documentId));
    }
    const loaded = await room;
    if (loaded.failed) {
      rooms.delete(documentId);
      loaded.destroy();
      return getRoom(documentId, areaId);
    }
    return loaded;
  }

  function scheduleUnload(room: Room) {
    if (closed || room.connections.size > 0 || unloadTimers.has(room.documentId)) return;
    unloadTimers.set(
      room.documentId,
      setTimeout(() => {
        unloadTimers.delete(room.documentId);
        if (room.connections.size > 0) return;
        rooms.delete(room.documentId);
        const done = room
          .compactNow()
          .catch(onError)
          .finally(() => room.close());
        unloading.set(room.documentId, done);
        void done.finally(() => unloading.get(room.documentId) === done && unloading.delete(room.documentId));
      }, unloadAfterMs),
    );
  }

  async function recheck(room: Room) {
    const conns = [...room.connections];
    if (conns.length === 0) return;
    const requests = conns.map((conn) => {
      const activity = conn.activeSinceCheck;
      conn.activeSinceCheck = false;
      return { cookie: conn.cookie, activity };
    });
    const verdicts = await options.authorize(room.documentId, requests).catch((error: unknown) => {
      onError(error);
      return null;
    });
    verdicts?.forEach((verdict, i) => {
      const conn = conns[i]!;
      if ('deny' in verdict) conn.ws.close(verdict.deny, verdict.reason);
      else conn.readOnly = verdict.readOnly;
    });
  }
  const recheckTimer = setInterval(() => {
    for (const room of rooms.values()) void room.then(recheck, () => undefined);
  }, recheckMs);
  recheckTimer.unref();

  function accept(ws: WebSocket, request: IncomingMessage, documentId: string, grant: ConnectionGrant) {
    const conn: Connection = { ws, userId: grant.userId, readOnly: grant.readOnly, cookie: request.headers.cookie, awarenessIds: new Set(), wrote: false, activeSinceCheck: false };
    // Frames that arrive while the room loads are kept and handled in order once it is ready.
    const early: Uint8Array[] = [];
    let room: Room | undefined;
    let alive = true;
    const handle = (bytes: Uint8Array) => {
      try {
        room!.receive(conn, bytes);
      } catch (error) {
        if (error instanceof InvalidFrame) ws.close(CLOSE.invalidFrame, 'invalid frame');
        else {
          onError(error);
          ws.close(CLOSE.invalidFrame, 'invalid update');
        }
      }
    };
    ws.on('message', (data) => {
      const bytes = toBytes(data);
      if (room) handle(bytes);
      else early.push(bytes);
    });
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 30_000);
    ping.unref();
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearInterval(ping);
      if (room) {
        room.leave(conn);
        scheduleUnload(room);
      }
    });
    getRoom(documentId, grant.areaId).then(
      (r) => {
        if (ws.readyState !== ws.OPEN) return scheduleUnload(r);
        room = r;
        r.join(conn);
        for (const bytes of early.splice(0)) handle(bytes);
      },
      (error) => {
        onError(error);
        ws.close(CLOSE.storageFailed, 'could not load document');
      },
    );
  }

  /** Node's 'upgrade' listener. Returns false for paths that are not ours, so that others can take them. */
  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (!path.startsWith(`${prefix}/`)) return false;
    const documentId = decodeURIComponent(path.slice(prefix.length + 1));
    if (closed) {
      refuse(socket, 503, 'Service Unavailable');
      return true;
    }
    if (!isAllowedOrigin(request.headers.origin, request.headers.host, options.allowedOrigins)) {
      refuse(socket, 403, 'Forbidden');
      return true;
    }
    const verdict: Promise<ConnectionGrant | Denial> = DOCUMENT_ID.test(documentId)
      ? options.authorize(documentId, [{ cookie: request.headers.cookie, activity: true }]).then(([only]) => only ?? { deny: CLOSE.notFound, reason: 'not found' })
      : Promise.resolve({ deny: CLOSE.notFound, reason: 'not found' });
    verdict.then(
      (result) =>
        wss.handleUpgrade(request, socket, head, (ws) => {
          // Refusals complete the upgrade and close with a code, so that browsers (which cannot read an HTTP
          // status of a failed upgrade) can tell "log in again" from "no access"; no document data is sent.
          if ('deny' in result) ws.close(result.deny, result.reason);
          else accept(ws, request, documentId, result);
        }),
      (error) => {
        onError(error);
        refuse(socket, 500, 'Internal Server Error');
      },
    );
    return true;
  }

  return {
    handleUpgrade,
    /** Loaded rooms, for tests and diagnostics. */
    rooms,
    async close() {
      closed = true;
      clearInterval(recheckTimer);
      for (const timer of unloadTimers.values()) clearTimeout(timer);
      unloadTimers.clear();
      for (const client of wss.clients) client.close(CLOSE.goingAway, 'server shutting down');
      const loaded = await Promise.allSettled(rooms.values());
      rooms.clear();
      await Promise.all(loaded.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
      await Promise.all([...unloading.values()]);
      wss.close();
    },
  };
}

export type CollabServer = ReturnType<typeof createCollabServer>;
