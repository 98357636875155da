import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from './env.ts';

/**
 * Two Sopu processes (apps/web/server.ts) on one machine, sharing one database, behind HAProxy
 * (services/ops/cluster/haproxy.cfg): `/collab/<documentId>` by consistent hashing of the document id, everything
 * else round robin, each process in or out by its /health/ready. `npm run cluster` runs it; the cluster proof
 * (tests/proof/cluster.test.ts) starts the same thing. docs/decisions/028.
 */

export const HAPROXY_CONFIG = fileURLToPath(new URL('../cluster/haproxy.cfg', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface ClusterOptions {
  databaseUrl: string;
  /** Where people connect (the proxy); 0: a free port. */
  proxyPort: number;
  /** The two processes' ports; 0: free ports. */
  ports: [number, number];
  /** The address people use (PUBLIC_URL); default: http://localhost:<proxy port>. */
  publicUrl?: string;
  /** Further environment for both processes (LOG_LEVEL, METRICS_TOKEN, SMTP_URL, …). */
  env?: Record<string, string>;
  /** Start a process again when it exits on its own (as `npm start` does). */
  supervise?: boolean;
  /** Where the processes' and HAProxy's output goes (default: this process's stdout and stderr). */
  output?: (source: string, stream: 'out' | 'err', text: string) => void;
  haproxy?: string;
}

export interface ClusterProcess {
  /** `web-1`, `web-2`: also its COLLAB_INSTANCE_ID (stable across its restarts: it takes its documents back). */
  readonly name: string;
  /** HAProxy's name for it (`web1`, `web2`). */
  readonly server: string;
  readonly port: number;
  pid(): number | undefined;
  running(): boolean;
  /** Starts it and resolves once its /health/ready says ready. */
  start(): Promise<void>;
  /** Sends `signal` and resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface Cluster {
  url: string;
  proxyPort: number;
  processes: [ClusterProcess, ClusterProcess];
  /** HAProxy's view: whether `server` (web1, web2) is UP in both backends. */
  isUp(server: string): Promise<boolean>;
  waitUntil(server: string, up: boolean, timeoutMs?: number): Promise<void>;
  /** One process at a time: SIGTERM (it drains), start again, wait until HAProxy has it back; then the other. */
  rollingRestart(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const defaultOutput = (source: string, stream: 'out' | 'err', text: string) => {
  const target = stream === 'out' ? process.stdout : process.stderr;
  target.write(text.replace(/^(?=.)/gm, source === 'haproxy' ? '[haproxy] ' : ''));
};

async function ready(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const output = options.output ?? defaultOutput;
  const proxyPort = options.proxyPort || (await freePort());
  const ports = await Promise.all(options.ports.map((p) => (p ? Promise.resolve(p) : freePort())));
  const publicUrl = options.publicUrl ?? `http://localhost:${proxyPort}`;
  const socketDir = mkdtempSync(join(tmpdir(), 'sopu-haproxy-'));
  const socketPath = join(socketDir, 'stats.sock');

  function makeProcess(index: number): ClusterProcess {
    const name = `web-${index + 1}`;
    const port = ports[index]!;
    let child: ChildProcess | null = null;
    let exited: Promise<void> = Promise.resolve();
    let stopping = false;
    const crashes: number[] = [];
    const self: ClusterProcess = {
      name,
      server: `web${index + 1}`,
      port,
      pid: () => child?.pid,
      running: () => child !== null,
      async start() {
        stopping = false;
        const spawned = spawn(process.execPath, ['--import', 'tsx', 'apps/web/server.ts'], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: childEnv({
            NODE_ENV: 'production',
            // The lease a crashed process leaves is waited out by the other one: shorter than the 30 s default.
            COLLAB_LEASE_SECONDS: '10',
            // On SIGTERM, serve on while HAProxy's checks (1 s, two failures) take the process out.
            SHUTDOWN_DRAIN_SECONDS: '3',
            ...options.env,
            PORT: String(port),
            HOST: '127.0.0.1',
            DATABASE_URL: options.databaseUrl,
            PUBLIC_URL: publicUrl,
            COLLAB_INSTANCE_ID: name,
            TRUST_PROXY: 'true',
          }),
        });
        child = spawned;
        spawned.stdout!.setEncoding('utf8').on('data', (text: string) => output(name, 'out', text));
        spawned.stderr!.setEncoding('utf8').on('data', (text: string) => output(name, 'err', text));
        exited = new Promise<void>((resolve) =>
          spawned.once('exit', (code, signal) => {
            if (child === spawned) child = null;
            resolve();
            if (stopping || !options.supervise) return;
            const now = Date.now();
            crashes.push(now);
            while (crashes.length > 0 && now - crashes[0]! > 60_000) crashes.shift();
            if (crashes.length >= 5) return output(name, 'err', `✗ ${name} stopped ${crashes.length} times within a minute (last: ${signal ?? `exit ${code}`}); not restarting\n`);
            output(name, 'err', `↻ ${name} stopped (${signal ?? `exit ${code}`}); starting it again\n`);
            void self.start().catch((error: unknown) => output(name, 'err', `✗ ${name} did not start again: ${String(error)}\n`));
          }),
        );
        const deadline = Date.now() + 180_000;
        while (!(await ready(port))) {
          if (child !== spawned) throw new Error(`${name} exited before it was ready`);
          if (Date.now() > deadline) throw new Error(`${name} was not ready within 180 s`);
          await new Promise((r) => setTimeout(r, 100));
        }
      },
      async stop(signal = 'SIGTERM') {
        stopping = true;
        const running = child;
        if (!running) return;
        running.kill(signal);
        await exited;
      },
    };
    return self;
  }

  const processes: [ClusterProcess, ClusterProcess] = [makeProcess(0), makeProcess(1)];
  // One after the other: the first migrates an empty database (and loads the demo areas, where that is on), the
  // second finds it done.
  for (const p of processes) await p.start();

  const haproxy = spawn(options.haproxy ?? 'haproxy', ['-db', '-f', HAPROXY_CONFIG], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({
      SOPU_PROXY_BIND: `127.0.0.1:${proxyPort}`,
      SOPU_WEB_1: `127.0.0.1:${ports[0]}`,
      SOPU_WEB_2: `127.0.0.1:${ports[1]}`,
      SOPU_HAPROXY_SOCKET: socketPath,
    }),
  });
  haproxy.stdout!.setEncoding('utf8').on('data', (text: string) => output('haproxy', 'out', text));
  haproxy.stderr!.setEncoding('utf8').on('data', (text: string) => output('haproxy', 'err', text));
  const haproxyExited = new Promise<number | null>((resolve) => haproxy.once('exit', (code) => resolve(code)));
  let haproxyGone = false;
  void haproxyExited.then(() => (haproxyGone = true));

  /** HAProxy's `show stat` over its runtime socket: each backend server's status. */
  async function stats(): Promise<Array<{ backend: string; server: string; status: string }>> {
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(socketPath);
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (data += chunk));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.write('show stat\n');
    });
    return text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(','))
      .map((f) => ({ backend: f[0] ?? '', server: f[1] ?? '', status: f[17] ?? '' }));
  }

  const isUp = async (server: string) => {
    const rows = (await stats()).filter((r) => r.server === server);
    return rows.length === 2 && rows.every((r) => r.status === 'UP');
  };
  async function waitUntil(server: string, up: boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (haproxyGone) throw new Error('HAProxy exited');
      const state = await isUp(server).catch(() => null);
      if (state === up) return;
      if (Date.now() > deadline) throw new Error(`HAProxy did not see ${server} ${up ? 'up' : 'down'} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  try {
    for (const p of processes) await waitUntil(p.server, true, 60_000);
  } catch (error) {
    haproxy.kill('SIGTERM');
    for (const p of processes) await p.stop('SIGTERM');
    throw error;
  }

  return {
    url: `http://127.0.0.1:${proxyPort}`,
    proxyPort,
    processes,
    isUp,
    waitUntil,
    async rollingRestart() {
      for (const p of processes) {
        await p.stop('SIGTERM');
        await p.start();
        await waitUntil(p.server, true, 60_000);
      }
    },
    async stop() {
      for (const p of processes) await p.stop('SIGTERM');
      if (!haproxyGone) {
        haproxy.kill('SIGTERM');
        await haproxyExited;
      }
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
