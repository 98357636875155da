import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readEnv } from '../../../apps/web/env.ts';
import { startSopu, type SopuServer } from '../../../apps/web/server/app.ts';
import { ensureWebBuild } from '../../../scripts/web-build.mjs';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const webRoot = join(repoRoot, 'apps', 'web');
const SERVER_BUILD = join(webRoot, 'build', 'server', 'index.js');

/** Waits a little for a build that another process is writing at this moment, then says how to make one. */
async function waitForBuild(): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!existsSync(SERVER_BUILD) || !existsSync(join(webRoot, 'build', 'client'))) {
    if (Date.now() > deadline) throw new Error(`The web app is not built (${SERVER_BUILD} is missing). Run: cd apps/web && npx remix vite:build`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The part of a Remix server build the matrix reads: its route table, each route with its module's exports. */
export interface RemixBuild {
  routes: Record<string, { id: string; parentId?: string; path?: string; index?: boolean; module: { handle?: unknown; loader?: unknown; action?: unknown } }>;
}

export interface Running {
  sopu: SopuServer;
  /** http://127.0.0.1:<port>: also the Origin the server accepts, as it matches the Host header. */
  origin: string;
  /** The production build the server runs: its route table (with each module's `handle`) is the Remix half of the matrix. */
  build: RemixBuild;
  close(): Promise<void>;
}

/** The assembled production server (Remix build, /api/v1, /collab) in this process, on port 0, over a temp database with the demo areas. */
export async function startServer(): Promise<Running> {
  // The matrix reads the build's route table: a build older than the sources would test routes that are gone.
  ensureWebBuild();
  await waitForBuild();
  const dir = mkdtempSync(join(tmpdir(), 'sopu-matrix-'));
  const env = readEnv({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${join(dir, 'sopu.db')}`, SEED_DEMO: 'true', LOG_LEVEL: 'warn' });
  let sopu: SopuServer;
  try {
    // Without the mail worker: it plans and writes mail on its own schedule, and the matrix holds every request to
    // "refused means nothing changed" by comparing the whole database (a refused request must record no event either).
    sopu = await startSopu(env, { mailWorker: false });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const build = (await import(pathToFileURL(SERVER_BUILD).href)) as RemixBuild;
  return {
    sopu,
    origin: `http://127.0.0.1:${sopu.port}`,
    build,
    async close() {
      await sopu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
