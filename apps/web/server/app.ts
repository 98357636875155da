import { serve, type ServerType } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import { createApi, originGuard, clientIp, securityHeaders } from '@sopu/api';
import { createCollabServer, createCoreAuthorizer, createDbDocumentStore, type CollabServer } from '@sopu/collab';
import { loadDemoAreasIfEmpty, type CoreDeps } from '@sopu/core';
import { Hono } from 'hono';
import { createServer as createHttpServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Env } from '../env.ts';
import { createDeps } from './deps.ts';

const webRoot = fileURLToPath(new URL('..', import.meta.url));

export interface SopuServer {
  deps: CoreDeps;
  collab: CollabServer;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The one production entry: a Hono app serving the Remix UI and /api/v1, and the collab server on /collab/*, in one
 * Node process.
 * Tests start it on port 0.
 */
export async function startSopu(env: Env): Promise<SopuServer> {
  const deps = await createDeps(env);
  if (env.SEED_DEMO) await loadDemoAreasIfEmpty(deps);

  const collab = createCollabServer({
    store: createDbDocumentStore(deps.db, deps.audit),
    authorize: createCoreAuthorizer(deps),
    allowedOrigins: env.allowedOrigins,
    instanceId: env.COLLAB_INSTANCE_ID ?? `web@${hostname()}:${env.PORT}`,
  });

  const app = new Hono();
  app.use('*', securityHeaders());
  app.use('*', originGuard({ allowedOrigins: env.allowedOrigins }));
  app.route('/api/v1', createApi(deps, { trustProxy: env.TRUST_PROXY }));

  let vite: import('vite').ViteDevServer | undefined;
  let build: () => Promise<ServerBuild>;
  if (env.SOPU_DEV) {
    const { createServer } = await import('vite');
    vite = await createServer({ root: webRoot, server: { middlewareMode: true } });
    build = () => vite!.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>;
  } else {
    const serverBuild = (await import(new URL('../build/server/index.js', import.meta.url).href)) as ServerBuild;
    build = async () => serverBuild;
    app.use('/assets/*', serveStatic({ root: `${webRoot}build/client`, onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable') }));
    app.use('*', serveStatic({ root: `${webRoot}build/client` }));
  }
  const remix = createRequestHandler(build, env.SOPU_DEV ? 'development' : 'production');
  app.all('*', (c) => remix(c.req.raw, { deps, env: { publicUrl: env.publicUrl }, clientIp: clientIp(c, env.TRUST_PROXY) }));

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
    // Anything else that asks to upgrade (Vite's HMR socket has its own port) is not ours to keep open.
    if (!collab.handleUpgrade(request, socket, head)) socket.destroy();
  });
  const port = (server.address() as AddressInfo).port;
  return {
    deps,
    collab,
    port,
    url: `http://localhost:${port}`,
    async close() {
      await collab.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await vite?.close();
      await deps.db.destroy();
    },
  };
}
