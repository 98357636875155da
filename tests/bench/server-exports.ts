// Child process of the exports benchmark (exports.ts): the JSON API over a fresh temp-file libSQL database with the
// demo areas and their drafted agreements, on 127.0.0.1 port 0, drawing files in the worker-thread render pool as the
// server does (apps/web/server/deps.ts), or with BENCH_RENDER=thread in its own thread (the baseline: what the
// server's event loop would suffer without the pool). It measures how late its event loop runs (a 1 ms timer's
// lateness, perf_hooks): in the one server process the collab rooms share that loop, so this is how long an export
// holds back every live edit.
import { createApi } from '@sopu/api';
import { loadDemoAreasIfEmpty } from '@sopu/core/demo';
import { createTestDeps, sessionTokenFor } from '@sopu/core/testing';
import { createRenderPool } from '@sopu/exports';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';

export type ExportsChildCommand = { type: 'measure-start' } | { type: 'measure-stop' } | { type: 'stop' };
export type ExportsChildAnswer =
  | { type: 'ready'; port: number; documentId: string; cookie: string; mode: string }
  | { type: 'measured'; maxMs: number; p99Ms: number; meanMs: number; samples: number; rss: number };

const mode = process.env.BENCH_RENDER === 'thread' ? 'thread' : 'pool';
const t = await createTestDeps({ demo: false, now: Date.now() });
await loadDemoAreasIfEmpty(t.deps, Date.now(), { content: true });
const pool = mode === 'pool' ? createRenderPool() : null;
if (pool) t.deps.renderer = pool;
const api = createApi(t.deps, { trustProxy: false });
const app = new Hono().route('/api/v1', api);
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const { id: documentId } = await t.db
  .selectFrom('documents')
  .innerJoin('areas', 'areas.id', 'documents.area_id')
  .select('documents.id')
  .where('areas.slug', '=', 'kainuu-koillismaa')
  .where('documents.kind', '=', 'cooperation_agreement')
  .executeTakeFirstOrThrow();
const cookie = `sopu_session=${await sessionTokenFor(t.deps, 'viewer.kuhmo@sopu.example')}`;

const delay = monitorEventLoopDelay({ resolution: 1 });
const send = (answer: ExportsChildAnswer) => process.send!(answer);
process.on('message', (message: ExportsChildCommand) => {
  if (message.type === 'measure-start') {
    delay.reset();
    delay.enable();
  } else if (message.type === 'measure-stop') {
    delay.disable();
    send({ type: 'measured', maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6, meanMs: delay.mean / 1e6, samples: delay.count, rss: process.memoryUsage().rss });
  } else if (message.type === 'stop') {
    void (async () => {
      server.close();
      await pool?.close();
      await t.cleanup();
      process.exit(0);
    })();
  }
});
send({ type: 'ready', port: (server.address() as AddressInfo).port, documentId, cookie, mode });
