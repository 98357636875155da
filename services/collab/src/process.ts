import { createLoginThrottle, createSessions } from '@sopu/auth';
import { createAuditLog, createFeedSignal, createStoreDocumentWriter, resolveAuditKey } from '@sopu/core';
import { createDb, migrateToLatest } from '@sopu/db';
import { createLogger, requestIdOf, withRequestId } from '@sopu/telemetry';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { createCoreAuthorizer } from './authorize.ts';
import { createCoreFeed } from './feed.ts';
import { readCollabEnv, type CollabEnv } from './env.ts';
import { exitOnFatalError } from './fatal.ts';
import { createCollabServer } from './server.ts';
import { createDbDocumentStore, type DocumentStore } from './store.ts';

/**
 * The collab server alone, as a process: same database, same sessions, its own port (main.ts runs it). A test that
 * must stop the process at a chosen point of the commit path wraps the store (test/held-commits-child.ts).
 */
export async function runCollabProcess(options: { env?: CollabEnv; wrapStore?: (store: DocumentStore) => DocumentStore } = {}): Promise<void> {
  const env = options.env ?? readCollabEnv();
  const instanceId = env.COLLAB_INSTANCE_ID ?? `collab@${hostname()}:${env.COLLAB_PORT}`;
  const log = createLogger({ name: 'collab', level: env.LOG_LEVEL, base: { instance: instanceId } });
  exitOnFatalError('collab', log);
  const db = await createDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN, backgroundCheckpoints: true });
  await migrateToLatest(db);
  const sessions = createSessions(db, { idleTimeoutMs: env.SESSION_IDLE_MINUTES * 60_000, absoluteTimeoutMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000, secureCookies: false });
  const audit = createAuditLog(resolveAuditKey({ auditKey: env.AUDIT_KEY, databaseUrl: env.DATABASE_URL }));
  const deps = { db, sessions, throttle: createLoginThrottle(db), audit, feed: createFeedSignal(), documents: createStoreDocumentWriter(db), now: Date.now, publicUrl: '', invitationTtlMs: 0 };
  const store = createDbDocumentStore(db, audit);
  const collab = createCollabServer({
    store: options.wrapStore ? options.wrapStore(store) : store,
    authorize: createCoreAuthorizer(deps),
    feed: createCoreFeed(db, deps.feed),
    allowedOrigins: env.allowedOrigins,
    compactAfter: env.COLLAB_COMPACT_AFTER,
    instanceId,
    leaseTtlMs: env.COLLAB_LEASE_SECONDS * 1000,
    log,
  });

  const server = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket only: connect to /collab/<documentId>');
  });
  server.on('upgrade', (req, socket, head) => {
    // Behind our own proxy, its request id (X-Request-Id) follows the connection into this process's log lines.
    const requestId = requestIdOf(req.headers['x-request-id'] as string | undefined, env.TRUST_PROXY);
    withRequestId(requestId, () => {
      if (!collab.handleUpgrade(req, socket, head, { requestId })) socket.destroy();
    });
  });
  server.listen(env.COLLAB_PORT, env.COLLAB_HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.COLLAB_PORT;
    // The parent of a test reads this line to learn the port.
    log.info({ port }, `collab listening on ${env.COLLAB_HOST}:${port}`);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.close();
      void collab.close().then(() => db.destroy()).then(() => process.exit(0));
    });
  }
}
