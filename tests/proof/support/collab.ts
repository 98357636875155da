import { createLoginThrottle, createSessions } from '@sopu/auth';
import { createAuditLog, loadDemoAreasIfEmpty, resolveAuditKey, type CoreDeps } from '@sopu/core';
import { createTestDb } from '@sopu/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export { connect, cookieFor, documentOf, frames, rawClient, storedDoc, synced, textOf, typeInto, waitFor, type Client, type RawClient } from '../../../services/collab/test/harness.ts';

export const ORIGIN = 'http://sopu.test';
const collabRoot = fileURLToPath(new URL('../../../services/collab/', import.meta.url));

/** A fresh database file with the demo areas, and core's deps over it (sessions for the clients). */
export async function demoDatabase(): Promise<{ deps: CoreDeps; url: string; cleanup: () => Promise<void> }> {
  const { db, url, cleanup } = await createTestDb();
  const audit = createAuditLog(resolveAuditKey({ databaseUrl: url }));
  const sessions = createSessions(db, { idleTimeoutMs: 8 * 3_600_000, absoluteTimeoutMs: 7 * 86_400_000, secureCookies: false });
  const deps: CoreDeps = { db, sessions, throttle: createLoginThrottle(db), audit, now: Date.now, publicUrl: ORIGIN, invitationTtlMs: 86_400_000 };
  await loadDemoAreasIfEmpty(deps);
  return { deps, url, cleanup };
}

export interface CollabChild {
  port: number;
  wsUrl: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr: a server that logs an error has a bug the suite reports. */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The standalone collab server (services/collab/src/main.ts) in a child process of its own, on the given database
 * file; on `port` (0: any). A fixed instance id lets a restarted process take its documents' leases back at once.
 */
export async function startCollabChild(databaseUrl: string, options: { port?: number; instanceId?: string } = {}): Promise<CollabChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: collabRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, COLLAB_PORT: String(options.port ?? 0), ALLOWED_ORIGINS: ORIGIN, COLLAB_INSTANCE_ID: options.instanceId ?? 'proof-collab' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
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
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same run, printed when a suite fails. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}

export const LONG = process.env.PROOF_LONG === '1';
export const seedFromEnv = (fallback: number) => (process.env.PROOF_SEED ? Number(process.env.PROOF_SEED) : fallback);
