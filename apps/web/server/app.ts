import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import { API_BASE, authenticatesByBearer, createApi, hostGuard, isServedHost, MISDIRECTED, originGuard, clientIp, noStore, securityHeaders, VERIFY_BODY_MAX_BYTES } from '@sopu/api';
import { createCollabServer, createCoreAuthorizer, createCoreFeed, createDbDocumentStore, type CollabServer } from '@sopu/collab';
import { MAIL_MAX_ATTEMPTS, pruneExpired, pruneNotifications, recheckProviderSessions, runMailWork, type CoreDeps, type MailDelivery } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { createLogger, createMetrics, hasMetricsToken, requestIdOf, withRequestId, type Logger, type Metrics } from '@sopu/telemetry';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { routePath } from 'hono/route';
import { isMigrated } from '@sopu/db';
import { createServer as createHttpServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Env } from '../env.ts';
import { createDeps } from './deps.ts';
import { every } from './jobs.ts';
import { createSmtpSender } from './mail.ts';
import { remixRouteLabels } from './routes.ts';

const webRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The largest request body read, for every route (the API, Remix actions): Sopu's forms and JSON are a few
 * kilobytes; document text travels over the WebSocket, which has its own limit. Larger bodies are refused with 413
 * before anything reads them whole or hashes a password from them.
 */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Where a file is uploaded: an exported file to verify, through the API or the area's verify page (docs/decisions/
 * 022-exports.md), and a consultation attachment through the API (docs/decisions/027-consultation.md: the round page
 * posts it there). These take up to VERIFY_BODY_MAX_BYTES (20 MB and the multipart framing; the attachment routes
 * hold their own 10 MB limit); nothing else does.
 */
export function isUploadPath(path: string): boolean {
  // The page's action is posted to its URL, or by Remix's single fetch to <URL>.data.
  return (
    path === `${API_BASE}/verify` ||
    /^\/areas\/[^/]+\/verify(\.data)?$/.test(path) ||
    new RegExp(`^${API_BASE}/(rounds|statements)/[^/]+/attachments$`).test(path)
  );
}

/** Where Sopu's mail goes, for the start-up banner: the SMTP server (its host only), the development mailbox, or nowhere. */
export function mailNotice(delivery: MailDelivery, env: Pick<Env, 'SMTP_URL' | 'publicUrl' | 'smtpFrom'>): string {
  if (delivery === 'smtp' && env.SMTP_URL) return `Mail goes by SMTP through ${new URL(env.SMTP_URL).host}, from ${env.smtpFrom}.`;
  if (delivery === 'dev_mailbox') return `Mail (invitations, notifications) is not sent: no SMTP_URL. Read it in the development mailbox: ${env.publicUrl}/dev/mailbox`;
  return 'Mail is not delivered: no SMTP_URL is set (each area\'s outbox page says so to its host admins).';
}

export interface SopuServer {
  deps: CoreDeps;
  collab: CollabServer;
  log: Logger;
  metrics: Metrics;
  url: string;
  port: number;
  /**
   * Stops taking work, as on SIGTERM behind a proxy: /health/ready answers 503 at once, so the proxy sends new
   * requests and connections elsewhere (and another process asks for the documents this one holds); after
   * SHUTDOWN_DRAIN_SECONDS the server closes (close()).
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export interface SopuOptions {
  /** How often the mail worker runs: plans notifications, writes the mail that is due, hands mail to SMTP. */
  mailIntervalMs?: number;
  /**
   * Whether the mail worker runs at all (default true). Off only for a test that compares the whole database before
   * and after each request (the route matrix): the worker writes on its own schedule, not the request's.
   */
  mailWorker?: boolean;
  /** How often expired sessions and spent login counters are deleted. */
  pruneIntervalMs?: number;
  /** How often the sessions from identity providers that are due are re-checked (each is due every IDP_RECHECK_MINUTES). */
  idpRecheckIntervalMs?: number;
  /** Where the server logs (default: JSON lines on stdout and stderr at LOG_LEVEL). */
  log?: Logger;
}

/** How long /health/ready waits for the database before it says not ready. */
const READY_TIMEOUT_MS = 2_000;

/** The answers of the health checks: a word, nothing of the process's internals (versions, errors, addresses). */
const HEALTH = {
  live: { status: 'live' },
  ready: { status: 'ready' },
  notReady: { status: 'not ready' },
} as const;

function tooLarge(c: Context, maxBytes: number): Response {
  // The rest of the body is never read: the connection cannot carry another request, so say it ends here.
  c.header('Connection', 'close');
  if (c.req.path.startsWith('/api/')) {
    return c.json({ error: { code: 'payload_too_large', message: `request body over ${maxBytes} bytes` } }, 413);
  }
  // Plain HTML without the app around it: nothing of the request was read, so there is no page state to keep.
  return c.html(
    '<!doctype html><html lang="fi"><meta charset="utf-8"><title>413</title>' +
      '<h1>Pyyntö on liian suuri / Begäran är för stor / Request too large</h1>' +
      '<p><a href="/">Sopu</a></p></html>',
    413,
  );
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A one-click unsubscribe (RFC 8058): the recipient's mail provider POSTs to the List-Unsubscribe address from its
 * own servers, with no Origin (and no cookie: the token in the path is the only authority, and it can only switch off
 * the kinds of mail it names). A browser always sends an Origin with a cross-site POST, so one from a foreign origin is
 * still refused.
 */
export function isOneClickUnsubscribe(c: Context): boolean {
  return c.req.method === 'POST' && /^\/unsubscribe\/[^/]+$/.test(c.req.path) && c.req.header('origin') === undefined;
}

/**
 * The request as Remix gets it. Our guards have decided by then: the Host is one we serve (hostGuard) and a
 * mutation's Origin is allowed (originGuard, by scheme, host and port). Remix checks once more for actions,
 * comparing the Origin's host with X-Forwarded-Host or else Host, and throws (a 500) when they differ: for every
 * further allowed origin, behind a proxy that rewrites Host, and whenever a client adds an X-Forwarded-Host. So an
 * action reaches Remix with the Host its Origin names and no X-Forwarded-Host (nothing of ours reads it). The URL is
 * left as it was: pages build links and the CSP's live-connection host from the host the browser used.
 */
export function forRemix(request: Request): Request {
  const origin = MUTATIONS.has(request.method) ? request.headers.get('origin') : null;
  let host: string | null = null;
  if (origin) {
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
  }
  const forwarded = request.headers.has('x-forwarded-host');
  if (!forwarded && (!host || host === request.headers.get('host'))) return request;
  const headers = new Headers(request.headers);
  headers.delete('x-forwarded-host');
  if (host) headers.set('host', host);
  return new Request(request, { headers });
}

/**
 * The one production entry: a Hono app serving the Remix UI and /api/v1, and the collab server on /collab/*, in one
 * Node process, with its periodic jobs (mail delivery, pruning). Tests start it on port 0.
 */
export async function startSopu(env: Env, options: SopuOptions = {}): Promise<SopuServer> {
  const instanceId = env.COLLAB_INSTANCE_ID ?? `web@${hostname()}:${env.PORT}`;
  const log = options.log ?? createLogger({ name: 'web', level: env.LOG_LEVEL, base: { instance: instanceId } });
  const metrics = createMetrics();
  const deps = await createDeps(env);
  // Migrated (createDeps) and seeded: from here on /health/ready may say ready while the database answers.
  if (env.seedDemo) await loadDemoAreasIfEmpty(deps, deps.now(), { content: env.SEED_DEMO_CONTENT });
  let draining = false;

  const collab = createCollabServer({
    store: createDbDocumentStore(deps.db, deps.audit),
    authorize: createCoreAuthorizer(deps),
    feed: createCoreFeed(deps.db, deps.feed),
    allowedOrigins: env.allowedOrigins,
    instanceId,
    leaseTtlMs: env.COLLAB_LEASE_SECONDS * 1000,
    log,
    metrics: metrics.collab,
  });
  deps.documents = collab.documentWriter;
  metrics.observeCollab(() => collab.stats());
  metrics.observeMail(() => mailQueue(deps));

  const app = new Hono();
  const served = { allowedOrigins: env.allowedOrigins, publicUrl: env.publicUrl };
  let routeLabels: ((pathname: string) => string | null) | null = null;
  // First of all: the request id (the proxy's, behind TRUST_PROXY, or a new one) around the whole handling, so every
  // line logged for the request carries it; then one log line and the metrics, by route pattern, never the raw path
  // (a path can hold an invitation or unlock token).
  app.use('*', async (c, next) => {
    const reqId = requestIdOf(c.req.header('x-request-id'), env.TRUST_PROXY);
    const started = performance.now();
    await withRequestId(reqId, () => next());
    c.res.headers.set('X-Request-Id', reqId);
    const route = routeLabel(c, routeLabels);
    const seconds = (performance.now() - started) / 1000;
    metrics.httpRequest(route, c.req.method, c.res.status, seconds);
    const quiet = route === '/health/live' || route === '/health/ready' || route === '/metrics';
    log[quiet ? 'debug' : 'info']({ reqId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 10_000) / 10 }, 'request');
  });
  app.use('*', securityHeaders({ hsts: env.publicUrl.startsWith('https:') }));
  // Health and metrics answer whatever Host they are asked by (a proxy's or Prometheus's checks by address), and
  // tell nothing of the process: no version, no error, no address.
  app.get('/health/live', noStore(), (c) => c.json(HEALTH.live));
  app.get('/health/ready', noStore(), async (c) => {
    if (draining || !(await databaseAnswers(deps))) return c.json(HEALTH.notReady, 503);
    return c.json(HEALTH.ready);
  });
  app.get('/metrics', noStore(), async (c) => {
    // Without the token (or with none configured) the same 404 as for any page that does not exist.
    if (!env.METRICS_TOKEN || !hasMetricsToken(c.req.header('authorization'), env.METRICS_TOKEN)) return c.text('Not Found', 404);
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
  app.use('*', hostGuard(served));
  app.use('*', originGuard({ allowedOrigins: env.allowedOrigins, exempt: (c) => authenticatesByBearer(c) || isOneClickUnsubscribe(c) }));
  const formLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => tooLarge(c, MAX_BODY_BYTES) });
  const uploadLimit = bodyLimit({ maxSize: VERIFY_BODY_MAX_BYTES, onError: (c) => tooLarge(c, VERIFY_BODY_MAX_BYTES) });
  app.use('*', (c, next) => (isUploadPath(c.req.path) && c.req.method === 'POST' ? uploadLimit : formLimit)(c, next));
  app.route(API_BASE, createApi(deps, { trustProxy: env.TRUST_PROXY, log }));

  let vite: import('vite').ViteDevServer | undefined;
  let build: () => Promise<ServerBuild>;
  if (env.SOPU_DEV) {
    const { createServer } = await import('vite');
    vite = await createServer({ root: webRoot, server: { middlewareMode: true } });
    build = () => vite!.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>;
  } else {
    const serverBuild = (await import(new URL('../build/server/index.js', import.meta.url).href)) as ServerBuild;
    build = async () => serverBuild;
    routeLabels = remixRouteLabels(serverBuild.routes);
    app.use('/assets/*', serveStatic({ root: `${webRoot}build/client`, onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable') }));
    app.use('*', serveStatic({ root: `${webRoot}build/client` }));
  }
  const remix = createRequestHandler(build, env.SOPU_DEV ? 'development' : 'production');
  app.all('*', noStore(), (c) => remix(forRemix(c.req.raw), { deps, env: { publicUrl: env.publicUrl }, clientIp: clientIp(c, env.TRUST_PROXY), log }));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: env.PORT,
        hostname: env.HOST,
        createServer: vite
          ? ((options: object, listener: Parameters<typeof createHttpServer>[1]) =>
              createHttpServer(options, (req, res) => vite!.middlewares(req, res, () => listener!(req, res)))) as unknown as typeof createHttpServer
          : createHttpServer,
      },
      () => resolve(s),
    );
  });
  server.on('upgrade', (request, socket, head) => {
    // The same request id as an HTTP request gets: the collab server's lines about this connection carry it.
    const requestId = requestIdOf(request.headers['x-request-id'] as string | undefined, env.TRUST_PROXY);
    withRequestId(requestId, () => {
      // The same Host rule as for pages and the API (hostGuard), before the collab server sees anything.
      if (!isServedHost(request.headers.host, served)) {
        socket.on('error', () => socket.destroy());
        socket.end(`HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(MISDIRECTED.message)}\r\n\r\n${MISDIRECTED.message}`);
        return;
      }
      // Anything else that asks to upgrade (Vite's HMR socket has its own port) is not ours to keep open.
      if (!collab.handleUpgrade(request, socket, head, { requestId })) socket.destroy();
    });
  });

  const jobs = [
    every(options.pruneIntervalMs ?? 3_600_000, () => Promise.all([pruneExpired(deps), pruneNotifications(deps)]), (error) => log.error({ err: error }, 'pruning failed')),
    // A session whose provider no longer vouches for the person ends here; its open sockets close at the collab
    // server's next re-check (every 3 s). docs/decisions/024.
    every(options.idpRecheckIntervalMs ?? Math.min(60_000, env.IDP_RECHECK_MINUTES * 60_000), () => recheckProviderSessions(deps), (error) => log.error({ err: error }, 're-checking sessions from identity providers failed')),
  ];
  // The mail worker (docs/decisions/023): without SMTP_URL it still plans and writes notification mail, which then
  // waits in the outbox for the development mailbox (on a local address) or says it is undeliverable.
  const smtp = env.SMTP_URL ? createSmtpSender(env.SMTP_URL, env.smtpFrom) : null;
  if (options.mailWorker ?? true) {
    jobs.push(
      every(
        options.mailIntervalMs ?? 5_000,
        async () => metrics.mailFailures((await runMailWork(deps, { send: smtp?.send ?? null, sender: instanceId })).failed),
        (error) => log.error({ err: error }, 'mail work failed'),
      ),
    );
  }

  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      await Promise.all(jobs.map((job) => job.stop()));
      smtp?.close();
      await collab.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.renderer?.close();
      await vite?.close();
      await deps.db.destroy();
    })());
  return {
    deps,
    collab,
    log,
    metrics,
    port,
    url: `http://localhost:${port}`,
    async drain() {
      draining = true;
      log.info({ seconds: env.SHUTDOWN_DRAIN_SECONDS }, 'draining: not ready, closing after the drain time');
      if (env.SHUTDOWN_DRAIN_SECONDS > 0) await new Promise((resolve) => setTimeout(resolve, env.SHUTDOWN_DRAIN_SECONDS * 1000));
      await close();
    },
    close,
  };
}

/** Whether the database answers within READY_TIMEOUT_MS, migrated to the newest migration this code knows. */
async function databaseAnswers(deps: CoreDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      isMigrated(deps.db),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS))),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A request's route for logs and metrics: the API's pattern (`/api/v1/documents/:id/threads`), the Remix route's
 * (`/areas/:slug/documents/:documentId`), `/assets/*`, or `(other)`: never the path itself, which can hold a token.
 */
function routeLabel(c: Context, remixRoutes: ((pathname: string) => string | null) | null): string {
  const pattern = routePath(c);
  if (pattern && pattern !== '*' && pattern !== '/*') return pattern;
  const pathname = c.req.path;
  if (pathname.startsWith('/assets/')) return '/assets/*';
  return remixRoutes?.(pathname) ?? '(other)';
}

/** Mail waiting to be sent, and mail given up, for /metrics. */
async function mailQueue(deps: CoreDeps): Promise<{ queued: number; failed: number }> {
  const row = await deps.db
    .selectFrom('outbox')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('attempts', '<', MAIL_MAX_ATTEMPTS).then(1).else(0).end()).as('queued'),
      eb.fn.sum<number>(eb.case().when('attempts', '>=', MAIL_MAX_ATTEMPTS).then(1).else(0).end()).as('failed'),
    ])
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return { queued: Number(row?.queued ?? 0), failed: Number(row?.failed ?? 0) };
}
