import { createLoginThrottle, createSessions } from '@sopu/auth';
import { createAuditLog, createFeedSignal, createStoreDocumentWriter, resolveAuditKey, type CoreDeps } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { createTestDb } from '@sopu/db';

import { startCollabChild as startChild, type CollabChild } from '../../../services/collab/test/harness.ts';
import { collabBundle } from './collab-bundle.ts';

import { waitFor, type Client } from '../../../services/collab/test/harness.ts';

export {
  connect, cookieFor, documentOf, frames, rawClient, storedDoc, textOf, typeInto, waitFor, type Client, type CollabChild, type RawClient,
} from '../../../services/collab/test/harness.ts';

/**
 * Resolves when a client has synced. A deadline, not a check: seven clients resyncing with a server that has just
 * started take seconds on a busy shared machine, so the proofs wait a minute before calling it stuck.
 */
export const synced = (client: Client) => waitFor(() => client.provider.synced, 'sync', 60_000);

/** The standalone collab server in a child process, started from its bundle (built once per run: collab-bundle.ts). */
export async function startCollabChild(databaseUrl: string, options: { port?: number; instanceId?: string } = {}): Promise<CollabChild> {
  return startChild(databaseUrl, { ...options, script: await collabBundle() });
}

export { ORIGIN } from '../../../services/collab/test/harness.ts';
import { ORIGIN } from '../../../services/collab/test/harness.ts';

/** A fresh database file with the demo areas, and core's deps over it (sessions for the clients). */
export async function demoDatabase(): Promise<{ deps: CoreDeps; url: string; cleanup: () => Promise<void> }> {
  const { db, url, cleanup } = await createTestDb();
  const audit = createAuditLog(resolveAuditKey({ databaseUrl: url }));
  const sessions = createSessions(db, { idleTimeoutMs: 8 * 3_600_000, absoluteTimeoutMs: 7 * 86_400_000, secureCookies: false });
  const deps: CoreDeps = { db, sessions, throttle: createLoginThrottle(db), audit, feed: createFeedSignal(), documents: createStoreDocumentWriter(db), now: Date.now, publicUrl: ORIGIN, invitationTtlMs: 86_400_000 };
  await loadDemoAreasIfEmpty(deps);
  return { deps, url, cleanup };
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

/**
 * The seeds a suite runs: `PROOF_SEEDS` lists them (`3,4,5`, ranges `1-20`, or both: `1-5,9`), `PROOF_SEED` names
 * one; else `fallback`. A list that is not whole numbers stops the suite with a clear message.
 */
export function seedsFromEnv(fallback: readonly number[]): number[] {
  const text = process.env.PROOF_SEEDS ?? process.env.PROOF_SEED;
  if (text === undefined || text.trim() === '') return [...fallback];
  const seeds: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range) throw new Error(`PROOF_SEEDS: "${part}" is not a seed (whole number) or a range (1-20); e.g. PROOF_SEEDS=3,4,5`);
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    if (to < from || to - from >= 10_000) throw new Error(`PROOF_SEEDS: the range "${part}" is empty or too long`);
    for (let seed = from; seed <= to; seed++) if (!seeds.includes(seed)) seeds.push(seed);
  }
  return seeds;
}
