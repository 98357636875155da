/**
 * Smoke test of the collab benchmark's own parts (tests/bench), so that a change elsewhere cannot break the benchmark
 * unnoticed: the negotiation once made ours' bench clients member drafters whose typing the room refuses, and every
 * edit of ours was lost until someone ran `npm run bench`. This starts ours' bench server (server-ours.ts, as run.ts
 * forks it, with small sizes), connects the bench's raw-socket clients with its sessions, has editors type into every
 * section the benchmark types into (phases B and C), and checks that an observer gets every edit, that the server
 * closed no socket, stored the edits and reported no errors. It measures nothing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ArrivalTracker, LightClient } from '../bench/clients.ts';
import type { ServerAnswer, ServerCommand, ServerReady } from '../bench/common.ts';

const SCRIPT = fileURLToPath(new URL('../bench/server-ours.ts', import.meta.url));
let child: ChildProcess | undefined;
let ready: ServerReady;
const clients: LightClient[] = [];
let nextId = 1;

function request<T extends ServerAnswer['type']>(type: T): Promise<Extract<ServerAnswer, { type: T }>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${type}`)), 30_000);
    const listener = (answer: ServerAnswer) => {
      if (!('id' in answer) || answer.id !== id) return;
      clearTimeout(timer);
      child!.off('message', listener);
      resolve(answer as Extract<ServerAnswer, { type: T }>);
    };
    child!.on('message', listener);
    child!.send({ type, id } as ServerCommand);
  });
}

beforeAll(async () => {
  child = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_SESSIONS: '24', BENCH_OPEN_KEYSTROKES: '50' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  ready = await new Promise<ServerReady>((resolve, reject) => {
    child!.once('message', (message: ServerReady) => resolve(message));
    child!.once('exit', (code) => reject(new Error(`the bench server exited with ${code} before it was ready`)));
  });
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.send({ type: 'stop' } satisfies ServerCommand);
    await exited;
  }
});

it("ours' bench server takes the bench clients' typing in every section and relays all of it", async () => {
  expect(ready.cookies.length).toBeGreaterThanOrEqual(21);
  const observer = new LightClient(ready.wsUrl, ready.documentId, { cookie: ready.cookies[0], framing: 'y-websocket', observer: { tracker: new ArrivalTracker(1), index: 0 } });
  clients.push(observer);
  await observer.synced;
  // The sections the benchmark's editors type into (run.ts: the template's sections as ours has them, sorted).
  const sections = [...observer.doc.getMap('sections').keys()].sort();
  expect(sections.length).toBe(20);
  const tracker = observer.options.observer!.tracker;
  // One editor per section: a bench client types into the paragraph it made on its first keystroke.
  const editors = Array.from({ length: sections.length }, (_, i) => new LightClient(ready.wsUrl, ready.documentId, { cookie: ready.cookies[1 + i], framing: 'y-websocket' }));
  clients.push(...editors);
  await Promise.all(editors.map((e) => e.synced));
  const before = (await request('stats')).stats;
  const rounds = 4;
  for (let round = 0; round < rounds; round++) {
    // Every section gets typing, as phases B and C do (editor i types into section i % 20).
    for (let i = 0; i < sections.length; i++) editors[i]!.type(sections[i]!, tracker);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const deadline = Date.now() + 30_000;
  while (tracker.missing() > 0 && Date.now() < deadline && !clients.some((c) => c.closed)) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(clients.filter((c) => c.closed).map((c) => c.closeCode)).toEqual([]);
  expect(tracker.missing()).toBe(0);
  // A fresh client's sync answer (the observer only times what it reads) has every editor's letters in its section.
  const check = new LightClient(ready.wsUrl, ready.documentId, { cookie: ready.cookies[sections.length + 1], framing: 'y-websocket' });
  clients.push(check);
  await check.synced;
  const typed = sections.map((key) => check.doc.getXmlFragment(`section:${key}`).toString());
  expect(typed.filter((text) => /abcd/.test(text)).length).toBe(sections.length);
  const after = (await request('stats')).stats;
  expect(after.errors).toBe(0);
  expect(after.storedUpdates! - before.storedUpdates!).toBeGreaterThanOrEqual(rounds * sections.length);
}, 120_000);
