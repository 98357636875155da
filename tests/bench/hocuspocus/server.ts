// Child process: the field's standard baseline, Hocuspocus 4.7 (@hocuspocus/server + @hocuspocus/extension-sqlite,
// docs/decisions/005-collab-persistence.md). Default settings (debounce 2 s, maxDebounce 10 s: it stores 2–10 s
// AFTER broadcasting; unloadImmediately), except two things a benchmark needs: port 0 on 127.0.0.1, and the SQLite
// database in a temp file instead of the extension's default ':memory:', so that it really writes to disk as ours
// does. No authentication hook (no onAuthenticate: every socket is let in).
//
// Hocuspocus speaks its own framing of the y-websocket protocol (every message starts with the document name, and
// a socket must send an Auth message before anything else): the parent's clients are the same y-websocket clients
// as for the other servers, through a thin framing adapter (clients.ts, `hocuspocusSocket`).
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveParent } from '../child-control.ts';
import type { ServerReady } from '../common.ts';

const dir = mkdtempSync(join(tmpdir(), 'sopu-bench-hocuspocus-'));
const timings = { stores: [] as number[], fetches: [] as number[] };
const windows = { store: [] as Array<[number, number]> };
const sqlite = new SQLite({ database: join(dir, 'hocuspocus.db') });
// Time the extension's own store and fetch (they run synchronously inside better-sqlite3).
const { store, fetch } = sqlite.configuration;
sqlite.configuration.store = async (payload) => {
  const t0 = performance.now();
  try {
    return await store(payload);
  } finally {
    const t1 = performance.now();
    timings.stores.push(t1 - t0);
    windows.store.push([performance.timeOrigin + t0, performance.timeOrigin + t1]);
  }
};
sqlite.configuration.fetch = async (payload) => {
  const t0 = performance.now();
  try {
    return await fetch(payload);
  } finally {
    timings.fetches.push(performance.now() - t0);
  }
};

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false, extensions: [sqlite] });
await server.listen();
const port = server.address.port;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length))) - 1]! : 0;
};

serveParent({
  stats: async (reset) => {
    const stats = {
      stores: timings.stores.length,
      storeP50: pct(timings.stores, 50),
      storeMax: pct(timings.stores, 100),
      fetches: timings.fetches.length,
      documents: server.hocuspocus.documents.size,
      connections: server.hocuspocus.getConnectionsCount(),
    };
    const w = { store: [...windows.store] };
    if (reset) {
      timings.stores.length = 0;
      timings.fetches.length = 0;
      windows.store.length = 0;
    }
    return { stats, windows: w };
  },
  // Unloaded documents: Hocuspocus stores and unloads a document as soon as its last connection closes.
  loaded: async (documentId) => server.hocuspocus.documents.has(documentId),
  stop: async () => {
    await server.destroy();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  },
});

const ready: ServerReady = {
  type: 'ready',
  port,
  wsUrl: `ws://127.0.0.1:${port}`,
  documentId: '',
  cookies: [],
  framing: 'hocuspocus',
  description: '@hocuspocus/server 4.7.0 + @hocuspocus/extension-sqlite 4.7.0 (better-sqlite3, temp file), default settings, no auth, its own ws framing',
};
process.send!(ready);
