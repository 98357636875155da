// What one SQLite commit costs by how long the database was left alone before it (not part of run.ts):
//   node --import tsx tests/bench/commit-spacing.ts
// The store-before-relay path's own floor: a temp file in WAL mode with synchronous=NORMAL (as the server opens it,
// packages/db/src/client.ts), one 60-byte insert per transaction through a statement prepared once (as the group
// commit of typing runs, collab/src/store.ts), timed back to back and with 1–20 ms between commits; the same gaps
// once more with the CPU kept busy between them (a spin, not a sleep), which separates a cold CPU from the commit's
// own system calls (the -shm locks, the WAL write) after a pause; and a bare 4 KiB pwrite at the same gaps.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ms, sleep, summarise, table } from './common.ts';

type Statement = { run: (...args: unknown[]) => unknown };
type Database = { exec: (sql: string) => void; prepare: (sql: string) => Statement; transaction: (fn: () => void) => () => void; close: () => void };
// The libsql package the server uses (packages/db's dependency), found from this file, not from where it is run.
const Libsql = createRequire(new URL('../../packages/db/package.json', import.meta.url))('libsql') as new (path: string) => Database;

const dir = mkdtempSync(join(tmpdir(), 'sopu-commit-spacing-'));
const db = new Libsql(join(dir, 'spacing.db'));
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('create table u (doc text not null, seq integer not null, data blob not null, primary key (doc, seq))');
const insert = db.prepare('insert into u values (?, ?, ?)');
const blob = Buffer.alloc(60, 1);
let seq = 0;
const fd = openSync(join(dir, 'plain.bin'), 'w');
const page = Buffer.alloc(4096, 1);
let offset = 0;

async function wait(gapMs: number, spin: boolean) {
  if (gapMs === 0) return;
  if (!spin) return sleep(gapMs);
  const end = performance.now() + gapMs;
  while (performance.now() < end);
}

async function timed(what: () => void, gapMs: number, spin: boolean, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    what();
    times.push(performance.now() - started);
    await wait(gapMs, spin);
  }
  return summarise(times);
}

const commit = () => db.transaction(() => void insert.run('d', ++seq, blob))();
const pwrite = () => {
  writeSync(fd, page, 0, page.length, offset);
  offset += page.length;
};
await timed(commit, 0, false, 500); // warm-up
const rows: string[][] = [];
for (const gap of [0, 1, 5, 20]) {
  const n = gap === 0 ? 2000 : 250;
  const slept = await timed(commit, gap, false, n);
  const spun = gap === 0 ? slept : await timed(commit, gap, true, n);
  const bare = await timed(pwrite, gap, false, n);
  rows.push([gap === 0 ? 'back to back' : `${gap} ms apart`, `${ms(slept.p50)} / ${ms(slept.p99)}`, gap === 0 ? '–' : `${ms(spun.p50)} / ${ms(spun.p99)}`, `${ms(bare.p50)} / ${ms(bare.p99)}`]);
}
console.log(table(['commits', 'SQLite commit p50 / p99 (ms), idle between', 'the same, CPU busy between', '4 KiB pwrite p50 / p99'], rows));
db.close();
closeSync(fd);
rmSync(dir, { recursive: true, force: true });
