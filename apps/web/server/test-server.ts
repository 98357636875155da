import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv } from '../env.ts';
import { startSopu, type SopuOptions, type SopuServer } from './app.ts';
import { ensureWebBuild as ensureCurrentWebBuild } from '../../../scripts/web-build.mjs';

/**
 * startSopu serves the Remix production build: one made from the sources as they are. `npm test` builds it first
 * (Turborepo: test depends on build); a test run by hand rebuilds a build that is missing or older than its sources
 * (scripts/web-build.mjs) rather than test a stale one.
 */
export function ensureWebBuild(): void {
  ensureCurrentWebBuild();
}

export interface TestSopu {
  sopu: SopuServer;
  /** http://127.0.0.1:<port>: what requests go to; a same-origin request sends this as its Origin. */
  base: string;
  databasePath: string;
  stop(): Promise<void>;
}

/** The assembled server (startSopu) on port 0 over a database file of its own, as `npm start` would run it. */
export async function startTestSopu(env: Record<string, string> = {}, options: SopuOptions = {}): Promise<TestSopu> {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'sopu-server-'));
  const databasePath = join(dir, 'sopu.db');
  const sopu = await startSopu(
    // Warnings and errors only (on stderr, through console.error: a test fails on an unexpected one); no request lines.
    readEnv({ NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', PUBLIC_URL: 'http://localhost', DATABASE_URL: `file:${databasePath}`, LOG_LEVEL: 'warn', ...env }),
    options,
  );
  return {
    sopu,
    base: `http://127.0.0.1:${sopu.port}`,
    databasePath,
    async stop() {
      await sopu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A session cookie for a seeded person, without a password check (argon2 is slow and not what is tested). */
export async function cookieFor(sopu: SopuServer, email: string): Promise<string> {
  const user = await sopu.deps.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const session = await sopu.deps.sessions.create(user.id);
  return `sopu_session=${session.token}`;
}

export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
export const FORM = 'application/x-www-form-urlencoded';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A request to the test server with a Host header of our choosing (fetch always sends the URL's own). */
export function requestWithHost(base: string, path: string, host: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: init.method ?? 'GET', headers: { ...init.headers, host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/**
 * A WebSocket upgrade request with a Host of our choosing: 101 when the server upgraded (the socket is closed
 * again at once), otherwise the status it answered with.
 */
export function upgradeWithHost(base: string, path: string, host: string, headers: Record<string, string> = {}): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      hostname,
      port,
      path,
      headers: { ...headers, host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
