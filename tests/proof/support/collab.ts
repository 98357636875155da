import { createLoginThrottle, createSessions } from '@sopu/auth';
import { createAuditLog, createFeedSignal, createStoreDocumentWriter, resolveAuditKey, type CoreDeps } from '@sopu/core';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { createTestDb } from '@sopu/db';

export {
  connect, cookieFor, documentOf, frames, rawClient, startCollabChild, storedDoc, synced, textOf, typeInto, waitFor, type Client, type CollabChild, type RawClient,
} from '../../../services/collab/test/harness.ts';

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
