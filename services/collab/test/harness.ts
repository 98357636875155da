import { createLoginThrottle, createSessions } from '@sopu/auth';
import { createAuditLog, loadDemoAreasIfEmpty, resolveAuditKey, type CoreDeps } from '@sopu/core';
import { createTestDb, type Db } from '@sopu/db';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createCoreAuthorizer, createCollabServer, createDbDocumentStore, type CollabOptions, type CollabServer } from '../src/index.ts';

export const ORIGIN = 'http://sopu.test';

export async function createTestDeps(options: { idleTimeoutMs?: number } = {}): Promise<{ deps: CoreDeps; url: string; cleanup: () => Promise<void> }> {
  const { db, url, cleanup } = await createTestDb();
  const sessions = createSessions(db, { idleTimeoutMs: options.idleTimeoutMs ?? 8 * 3_600_000, absoluteTimeoutMs: 7 * 86_400_000, secureCookies: false });
  const audit = createAuditLog(resolveAuditKey({ databaseUrl: url }));
  const deps: CoreDeps = { db, sessions, throttle: createLoginThrottle(db), audit, now: Date.now, publicUrl: ORIGIN, invitationTtlMs: 86_400_000 };
  await loadDemoAreasIfEmpty(deps);
  return { deps, url, cleanup };
}

export async function startCollab(deps: CoreDeps, overrides: Partial<CollabOptions> = {}): Promise<{ collab: CollabServer; server: Server; wsUrl: string; stop: () => Promise<void> }> {
  const collab = createCollabServer({
    store: createDbDocumentStore(deps.db, deps.audit),
    authorize: createCoreAuthorizer(deps),
    allowedOrigins: [ORIGIN],
    recheckMs: 200,
    unloadAfterMs: 50,
    ...overrides,
  });
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

/** The ws class, sending the cookie and Origin a browser would. */
export function socketClass(headers: { cookie?: string; origin?: string }) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(headers.cookie ? { cookie: headers.cookie } : {}), origin: headers.origin ?? ORIGIN } });
    }
  };
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: Array<{ code: number; reason: string }>;
  destroy: () => void;
}

export function connect(wsUrl: string, documentId: string, cookie: string | undefined, options: { origin?: string; connect?: boolean } = {}): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, documentId, doc, {
    WebSocketPolyfill: socketClass({ cookie, origin: options.origin }) as unknown as typeof globalThis.WebSocket,
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
