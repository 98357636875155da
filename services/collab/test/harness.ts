import { createLoginThrottle, createSessions } from '@sopu/auth';
import { createAuditLog, createFeedSignal, createStoreDocumentWriter, resolveAuditKey, type CoreDeps } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { createTestDb, type Db } from '@sopu/db';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect as netConnect } from 'node:net';
import { randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createCoreAuthorizer, createCoreFeed, createCollabServer, createDbDocumentStore, type CollabOptions, type CollabServer } from '../src/index.ts';
import { childEnv } from '../src/env.ts';

export const ORIGIN = 'http://sopu.test';

/**
 * `directEditing`: the collab tests are about the protocol between drafters of several municipalities, so every
 * drafter edits directly unless a test asks for the default of a real area ('host': the other municipalities only
 * suggest; test/negotiation.test.ts).
 */
export async function createTestDeps(options: { idleTimeoutMs?: number; now?: () => number; directEditing?: 'host' | 'everyone' } = {}): Promise<{ deps: CoreDeps; url: string; cleanup: () => Promise<void> }> {
  const { db, url, cleanup } = await createTestDb();
  const sessions = createSessions(db, { idleTimeoutMs: options.idleTimeoutMs ?? 8 * 3_600_000, absoluteTimeoutMs: 7 * 86_400_000, secureCookies: false, ...(options.now ? { now: options.now } : {}) });
  const audit = createAuditLog(resolveAuditKey({ databaseUrl: url }));
  const deps: CoreDeps = { db, sessions, throttle: createLoginThrottle(db), audit, feed: createFeedSignal(), documents: createStoreDocumentWriter(db), now: Date.now, publicUrl: ORIGIN, invitationTtlMs: 86_400_000 };
  await loadDemoAreasIfEmpty(deps);
  await db.updateTable('areas').set({ direct_editing: options.directEditing ?? 'everyone' }).execute();
  return { deps, url, cleanup };
}

export async function startCollab(deps: CoreDeps, overrides: Partial<CollabOptions> = {}): Promise<{ collab: CollabServer; server: Server; wsUrl: string; stop: () => Promise<void> }> {
  const collab = createCollabServer({
    store: createDbDocumentStore(deps.db, deps.audit),
    authorize: createCoreAuthorizer(deps),
    feed: createCoreFeed(deps.db, deps.feed),
    allowedOrigins: [ORIGIN],
    recheckMs: 200,
    unloadAfterMs: 50,
    ...overrides,
  });
  // Use cases' own changes to live documents go through this server, as in production.
  deps.documents = collab.documentWriter;
  const server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    collab,
    server,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    stop: async () => {
      await collab.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A live room for one test: fresh demo data, a collab server on port 0, the area's cooperation agreement, and the
 * clients opened through `open`, all closed again by `close` (call it in afterEach).
 */
export interface LiveRoom {
  deps: CoreDeps;
  collab: Awaited<ReturnType<typeof startCollab>>;
  agreement: string;
  open: (...args: Parameters<typeof connect>) => Client;
  close: () => Promise<void>;
}

export async function openLiveRoom(areaSlug: string): Promise<LiveRoom> {
  const { deps, cleanup } = await createTestDeps();
  const collab = await startCollab(deps);
  const agreement = await documentOf(deps.db, areaSlug, 'cooperation_agreement');
  const clients: Client[] = [];
  return {
    deps,
    collab,
    agreement,
    open: (...args) => {
      const client = connect(...args);
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients.splice(0)) client.destroy();
      await collab.stop();
      await cleanup();
    },
  };
}

export async function cookieFor(deps: CoreDeps, email: string): Promise<string> {
  const user = await deps.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const session = await deps.sessions.create(user.id);
  return `sopu_session=${session.token}`;
}

export async function documentOf(db: Db, areaSlug: string, kind: string): Promise<string> {
  const row = await db
    .selectFrom('documents')
    .innerJoin('areas', 'areas.id', 'documents.area_id')
    .select('documents.id')
    .where('areas.slug', '=', areaSlug)
    .where('documents.kind', '=', kind)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The ws class, sending the cookie and Origin a browser would, and counting the frames it sends. */
export function socketClass(headers: { cookie?: string; origin?: string }, sent: { count: number } = { count: 0 }) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(headers.cookie ? { cookie: headers.cookie } : {}), origin: headers.origin ?? ORIGIN } });
      // Counted per socket, as the server counts per connection.
      sent.count = 0;
    }
    override send(data: Parameters<WebSocket['send']>[0], ...rest: unknown[]): void {
      sent.count += 1;
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  };
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: Array<{ code: number; reason: string }>;
  /** Frames this client has sent over its current socket. */
  sent: { count: number };
  destroy: () => void;
}

/**
 * Resolves once the server has handled every frame `client` has sent so far (the server counts frames per
 * connection): proof that an edit was received, without sleeping. `userId` picks the connection in the room.
 */
export async function serverHasSeen(collab: CollabServer, documentId: string, userId: string, client: Client): Promise<void> {
  const target = client.sent.count;
  await waitFor(() => [...(collab.rooms.get(documentId)?.connections ?? [])].some((c) => c.userId === userId && c.framesHandled >= target), 'the server to handle every frame sent');
}

/**
 * A round trip on `client`'s own socket: it changes its presence, and this resolves when the server's relay of that
 * change comes back to it. The server handles a socket's frames in order and sends on it in order, so then the
 * server has handled everything the client sent before, and the client has received everything the server sent it
 * before it handled the change: a negative check ("nothing arrived") made after this needs no sleep.
 */
export async function roundTrip(client: Client): Promise<void> {
  const { provider, doc } = client;
  const ws = provider.ws;
  if (!ws) throw new Error('the client is not connected');
  const awareness = provider.awareness;
  await new Promise<void>((resolve) => {
    let clock = -1;
    const onMessage = (event: { data: ArrayBuffer }) => {
      const decoder = decoding.createDecoder(new Uint8Array(event.data));
      if (decoding.readVarUint(decoder) !== 1) return;
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      for (let n = decoding.readVarUint(update); n > 0; n--) {
        const id = decoding.readVarUint(update);
        const at = decoding.readVarUint(update);
        decoding.readVarString(update);
        if (id === doc.clientID && at >= clock) {
          ws.removeEventListener('message', onMessage as never);
          resolve();
          return;
        }
      }
    };
    ws.addEventListener('message', onMessage as never);
    awareness.setLocalStateField('roundTrip', (awareness.getLocalState()?.roundTrip ?? 0) + 1);
    clock = awareness.meta.get(doc.clientID)!.clock;
  });
}

export function connect(wsUrl: string, documentId: string, cookie: string | undefined, options: { origin?: string; connect?: boolean } = {}): Client {
  const doc = new Y.Doc();
  const sent = { count: 0 };
  const provider = new WebsocketProvider(wsUrl, documentId, doc, {
    WebSocketPolyfill: socketClass({ cookie, origin: options.origin }, sent) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 200,
  });
  const closes: Client['closes'] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    sent,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const synced = (client: Client) => waitFor(() => client.provider.synced, 'sync');

/** Appends text to the first paragraph of a section, creating it if needed (the shape Tiptap writes). */
export function typeInto(doc: Y.Doc, sectionKey: string, text: string): void {
  const fragment = doc.getXmlFragment(`section:${sectionKey}`);
  doc.transact(() => {
    let paragraph = fragment.get(0) as Y.XmlElement | undefined;
    if (!paragraph) {
      paragraph = new Y.XmlElement('paragraph');
      fragment.insert(0, [paragraph]);
    }
    let textNode = paragraph.get(0) as Y.XmlText | undefined;
    if (!textNode) {
      textNode = new Y.XmlText();
      paragraph.insert(0, [textNode]);
    }
    textNode.insert(textNode.length, text);
  });
}

/** The text of every paragraph of a section, concatenated (concurrent first edits may create two paragraphs). */
export function textOf(doc: Y.Doc, sectionKey: string): string {
  return doc
    .getXmlFragment(`section:${sectionKey}`)
    .toArray()
    .map((paragraph) => ((paragraph as Y.XmlElement).get(0) as Y.XmlText | undefined)?.toString() ?? '')
    .join('');
}

/**
 * A WebSocket client written by hand on a TCP socket: sends any bytes as frames, and keeps sending after the server
 * has closed (which the ws client never would). What a hostile client can do, not what a browser does.
 */
export interface RawClient {
  /** Status line of the handshake response ("HTTP/1.1 101 Switching Protocols", or a refusal). */
  status: Promise<string>;
  /** Binary frames received (payloads), in order. */
  frames: Uint8Array[];
  /** The server's close code, once a close frame arrived. */
  closeCode: () => number | null;
  closed: Promise<void>;
  send(payload: Uint8Array, opcode?: number): void;
  /** Stops reading from the socket (a client that does not keep up). */
  pause(): void;
  end(): void;
}

export function rawClient(wsUrl: string, path: string, headers: Record<string, string>): RawClient {
  const url = new URL(wsUrl);
  const socket = netConnect(Number(url.port), url.hostname);
  const frames: Uint8Array[] = [];
  let closeCode: number | null = null;
  let handshake = '';
  let upgraded = false;
  let buffer = Buffer.alloc(0);
  let resolveStatus!: (line: string) => void;
  const status = new Promise<string>((resolve) => (resolveStatus = resolve));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${url.host}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  socket.on('data', (chunk: Buffer) => {
    if (!upgraded) {
      handshake += chunk.toString('latin1');
      const end = handshake.indexOf('\r\n\r\n');
      if (end < 0) return;
      resolveStatus(handshake.split('\r\n')[0] ?? '');
      upgraded = true;
      chunk = Buffer.from(handshake.slice(end + 4), 'latin1');
    }
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (buffer.length < 2) return;
      const opcode = buffer[0]! & 0x0f;
      let length = buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        length = Number(buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (buffer.length < offset + length) return;
      const payload = buffer.subarray(offset, offset + length);
      if (opcode === 0x2) frames.push(new Uint8Array(payload));
      if (opcode === 0x8) closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      buffer = buffer.subarray(offset + length);
    }
  });
  return {
    status,
    frames,
    closeCode: () => closeCode,
    closed,
    send(payload, opcode = 0x2) {
      const mask = randomBytes(4);
      const header = payload.length < 126 ? Buffer.from([0x80 | opcode, 0x80 | payload.length]) : payload.length < 65536 ? Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]) : (() => {
        const h = Buffer.alloc(10);
        h[0] = 0x80 | opcode;
        h[1] = 0x80 | 127;
        h.writeBigUInt64BE(BigInt(payload.length), 2);
        return h;
      })();
      const masked = Buffer.from(payload);
      for (let i = 0; i < masked.length; i++) masked[i] = masked[i]! ^ mask[i % 4]!;
      if (!socket.destroyed) socket.write(Buffer.concat([header, mask, masked]));
    },
    pause: () => socket.pause(),
    end: () => socket.destroy(),
  };
}

/** y-websocket frames, built as a client builds them. */
export const frames = {
  update: (update: Uint8Array) => frame((e) => { encoding.writeVarUint(e, 0); syncProtocol.writeUpdate(e, update); }),
  syncStep1: (doc: Y.Doc) => frame((e) => { encoding.writeVarUint(e, 0); syncProtocol.writeSyncStep1(e, doc); }),
  syncStep2: (update: Uint8Array) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2); encoding.writeVarUint8Array(e, update); }),
  awareness: (entries: Array<{ clientId: number; clock: number; state: unknown }>) =>
    frame((e) => {
      encoding.writeVarUint(e, 1);
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, entries.length);
      for (const entry of entries) {
        encoding.writeVarUint(inner, entry.clientId);
        encoding.writeVarUint(inner, entry.clock);
        encoding.writeVarString(inner, JSON.stringify(entry.state));
      }
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    }),
  queryAwareness: () => frame((e) => encoding.writeVarUint(e, 3)),
};

function frame(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** The document as stored (snapshot and log), read back into a fresh Y.Doc. */
export async function storedDoc(db: Db, documentId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const snapshot = await db.selectFrom('doc_snapshots').selectAll().where('document_id', '=', documentId).executeTakeFirst();
  if (snapshot) Y.applyUpdate(doc, snapshot.state);
  const rows = await db.selectFrom('doc_updates').select(['seq', 'update']).where('document_id', '=', documentId).orderBy('seq').execute();
  for (const row of rows) if (!snapshot || row.seq > snapshot.seq) Y.applyUpdate(doc, row.update);
  return doc;
}

export const userIdOf = async (db: Db, email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

export interface CollabChild {
  port: number;
  wsUrl: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr: a server that logs an error has a bug the suite reports. */
  stderr(): string;
  /** Everything the process wrote to stdout. */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The standalone collab server (services/collab/src/main.ts, or `script`: the same bundled) in a child process of its
 * own, on the given database file; on `port` (0: any). A fixed instance id lets a restarted process take its documents'
 * leases back at once. `entry` (with `args`) runs another entry point of the same process (test/held-commits-child.ts).
 */
export async function startCollabChild(databaseUrl: string, options: { port?: number; instanceId?: string; entry?: string; args?: string[]; script?: string } = {}): Promise<CollabChild> {
  // `script`: main.ts bundled to JavaScript (tests/proof/support/collab-bundle.ts), which starts without tsx.
  const child = spawn(process.execPath, options.script ? [options.script] : ['--import', 'tsx', options.entry ?? 'src/main.ts', ...(options.args ?? [])], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: childEnv({ DATABASE_URL: databaseUrl, COLLAB_PORT: String(options.port ?? 0), ALLOWED_ORIGINS: ORIGIN, COLLAB_INSTANCE_ID: options.instanceId ?? 'proof-collab' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /collab listening on [^:]+:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(({ code }) => reject(new Error(`collab child exited with ${code}:\n${err}`)));
  });
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

