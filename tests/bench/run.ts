// Sopu collab benchmark: `node --import tsx tests/bench/run.ts` (from the repository root or anywhere).
//
//  1. Starts OUR collab server (server-ours.ts) and the plain @y/websocket-server 0.1.1 (server-plain.ts), each in
//     its own child process on 127.0.0.1 port 0. This process is the load generator: all y-websocket clients live
//     here, so on 2 cores the server under test has one core and the clients the other.
//  2. Edit → remote-peer latency on one document for 1, 50 and 200 clients against both servers, interleaved in
//     blocks (plain, ours, ours, plain, …) so that drift and noise from other processes hit both alike.
//  3. Cold load of a document with 10,000 stored keystroke updates (cold-load.ts, its own child process).
//  4. Prints a markdown report and writes it to tests/bench/results/latest.md (+ latest.json with raw numbers).
//
// Environment knobs: BENCH_EDITS (measured edits per size and server, default 200), BENCH_GAP_MS (default 20),
// BENCH_SIZES (default "1,50,200"), BENCH_PROFILE=1 (CPU profiles of both servers' measured phases into results/profiles/),
// BENCH_SKIP_COLD=1, BENCH_COLD_RUNS (default 30), BENCH_QUIET_WAIT_S (default 20).
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ms, ORIGIN, percentile, ratio, sleep, summarise, table, type ServerAnswer, type ServerCommand, type ServerReady } from './common.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const EDITS = Number(process.env.BENCH_EDITS ?? 200);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 20);
const SIZES = (process.env.BENCH_SIZES ?? '1,50,200').split(',').map(Number);
const BLOCKS = 4;
const PROFILE = process.env.BENCH_PROFILE === '1';
const EDIT_TIMEOUT_MS = 5000;
const TIME_LIMIT_MS = 6 * 60_000;
const startedAt = performance.now();

const problems: string[] = [];
const children: ChildProcess[] = [];
const watchdog = setTimeout(() => {
  console.error(`benchmark exceeded ${TIME_LIMIT_MS / 1000} s; giving up`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(2);
}, TIME_LIMIT_MS);
watchdog.unref();

// ---------------------------------------------------------------------------------------------------------------
// Child processes

class ServerProcess {
  #next = 1;
  #waiting = new Map<number, (answer: ServerAnswer) => void>();
  exited = false;
  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly ready: ServerReady,
  ) {
    child.on('message', (message: ServerAnswer) => {
      if ('id' in message) this.#waiting.get(message.id)?.(message);
    });
  }

  static start(name: string, script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    const execArgv = ['--import', 'tsx'];
    const child = fork(join(HERE, script), [], { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s`)), 60_000);
      child.once('message', (message: ServerReady) => {
        clearTimeout(timer);
        const server = new ServerProcess(name, child, message);
        child.on('exit', (code, signal) => {
          server.exited = true;
          if (!stopping.has(server)) problems.push(`${name} server exited unexpectedly (code ${code}, signal ${signal})`);
        });
        resolve(server);
      });
      child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    });
  }

  request<T extends ServerAnswer['type']>(type: T, extra: Record<string, unknown> = {}): Promise<Extract<ServerAnswer, { type: T }>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no answer to ${type}`)), 10_000);
      this.#waiting.set(id, (answer) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(answer as Extract<ServerAnswer, { type: T }>);
      });
      this.child.send({ ...extra, type, id } as ServerCommand);
    });
  }

  async cpuMs(): Promise<number> {
    const usage = await this.request('cpu');
    return (usage.userMicros + usage.systemMicros) / 1000;
  }

  async stop(): Promise<void> {
    stopping.add(this);
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ServerCommand);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
const stopping = new Set<ServerProcess>();

// ---------------------------------------------------------------------------------------------------------------
// Whole-machine CPU, to tell how much of the 2 cores other processes took while we measured.

function machineBusyMs(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) * 10; // USER_HZ = 100
}
const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

// ---------------------------------------------------------------------------------------------------------------
// Clients

function socketClass(cookie: string | undefined) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(cookie ? { cookie } : {}), origin: ORIGIN } });
    }
  };
}

interface Probe {
  seq: number;
  editor: number;
  clientId: number;
  clock: number;
  t0: number;
  first: number;
  remaining: number;
  done: () => void;
}

class ClientSet {
  readonly docs: Y.Doc[] = [];
  readonly providers: WebsocketProvider[] = [];
  /** Seq of the last probe each client has applied. */
  seen: Int32Array;
  probe: Probe | null = null;
  closes = 0;
  #seq = 0;

  constructor(
    readonly server: ServerProcess,
    readonly documentId: string,
    readonly size: number,
  ) {
    this.seen = new Int32Array(size).fill(-1);
  }

  async connect(seed?: Uint8Array) {
    const batch = 20;
    for (let start = 0; start < this.size; start += batch) {
      const added: WebsocketProvider[] = [];
      for (let index = start; index < Math.min(this.size, start + batch); index++) {
        const doc = new Y.Doc();
        if (seed && index === 0) Y.applyUpdate(doc, seed);
        const cookies = this.server.ready.cookies;
        const cookie = cookies.length > 0 ? cookies[index % cookies.length] : undefined;
        const provider = new WebsocketProvider(this.server.ready.wsUrl, this.documentId, doc, {
          WebSocketPolyfill: socketClass(cookie) as unknown as typeof globalThis.WebSocket,
          disableBc: true,
          maxBackoffTime: 500,
        });
        provider.on('connection-close', () => this.closes++);
        doc.on('update', () => this.#observe(index));
        this.docs.push(doc);
        this.providers.push(provider);
        added.push(provider);
      }
      await waitFor(() => added.every((p) => p.synced), `${this.server.name}: ${this.size} clients synced`, 60_000);
    }
    // Everyone sees the template (20 sections) before we start.
    await waitFor(() => this.docs.every((d) => d.getMap('sections').size > 0), `${this.server.name}: template everywhere`, 30_000);
    this.closes = 0;
  }

  #observe(index: number) {
    const probe = this.probe;
    if (!probe || probe.editor === index || this.seen[index] === probe.seq) return;
    if (Y.getState(this.docs[index]!.store, probe.clientId) < probe.clock) return;
    this.seen[index] = probe.seq;
    const now = performance.now();
    if (probe.first === 0) probe.first = now;
    if (--probe.remaining === 0) {
      probe.first -= probe.t0;
      probe.t0 = now - probe.t0;
      probe.done();
    }
  }

  /** One edit by client `editor`; resolves with [last peer ms, first peer ms, start epochMs], or null when it timed out. */
  async edit(editor: number): Promise<[number, number, number] | null> {
    const doc = this.docs[editor]!;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const probe: Probe = { seq: this.#seq++, editor, clientId: doc.clientID, clock: Number.MAX_SAFE_INTEGER, t0: 0, first: 0, remaining: this.size - 1, done };
    this.probe = probe;
    probe.t0 = performance.now();
    const started = performance.timeOrigin + probe.t0;
    typeIntoParties(doc, ` #${probe.seq}@${Math.round(probe.t0 * 1000)}`);
    probe.clock = Y.getState(doc.store, doc.clientID);
    let timer: NodeJS.Timeout | undefined;
    const ok = await Promise.race([finished.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), EDIT_TIMEOUT_MS)))]);
    clearTimeout(timer);
    this.probe = null;
    return ok ? [probe.t0, probe.first, started] : null;
  }

  destroy() {
    for (const provider of this.providers) provider.destroy();
    for (const doc of this.docs) doc.destroy();
  }
}

/** Appends text to the first paragraph of `section:parties` (the shape Tiptap writes), creating it if needed. */
function typeIntoParties(doc: Y.Doc, text: string) {
  const fragment = doc.getXmlFragment('section:parties');
  doc.transact(() => {
    let paragraph = fragment.get(0) as Y.XmlElement | undefined;
    if (!paragraph) {
      paragraph = new Y.XmlElement('paragraph');
      fragment.insert(0, [paragraph]);
    }
    let textNode = paragraph.get(0) as Y.XmlText | undefined;
    if (!textNode) {
      textNode = new Y.XmlText();
      paragraph.insert(0, [textNode]);
    }
    textNode.insert(textNode.length, text);
  });
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface Run {
  last: number[];
  first: number[];
  /** epochMs at which each arrived edit started (same order as last/first). */
  starts: number[];
  lost: number;
  serverCpuMs: number;
  clientCpuMs: number;
  wallMs: number;
  machineBusyMs: number;
}
const emptyRun = (): Run => ({ last: [], first: [], starts: [], lost: 0, serverCpuMs: 0, clientCpuMs: 0, wallMs: 0, machineBusyMs: 0 });

/** `count` edits spaced GAP_MS apart (start to start; never overlapping: each waits for the previous to arrive). */
async function edits(set: ClientSet, count: number, offset: number, rotating: boolean, into: Run | null) {
  const before = into ? { server: await set.server.cpuMs(), client: ownCpuMs(), machine: machineBusyMs(), wall: performance.now() } : null;
  for (let k = 0; k < count; k++) {
    const started = performance.now();
    const editor = rotating ? (offset + k) % set.size : 0;
    const result = await set.edit(editor);
    if (into) {
      if (result) {
        into.last.push(result[0]);
        into.first.push(result[1]);
        into.starts.push(result[2]);
      } else into.lost++;
    }
    const wait = started + GAP_MS - performance.now();
    await sleep(Math.max(wait, 2));
  }
  if (into && before) {
    into.serverCpuMs += (await set.server.cpuMs()) - before.server;
    into.clientCpuMs += ownCpuMs() - before.client;
    into.machineBusyMs += machineBusyMs() - before.machine;
    into.wallMs += performance.now() - before.wall;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main

process.setMaxListeners(0); // y-websocket adds an 'exit' listener per provider
mkdirSync(RESULTS, { recursive: true });
const load0 = loadavg();
// How busy the machine is before we start (other processes on these 2 cores): wait up to BENCH_QUIET_WAIT_S
// (default 20) for three seconds in a row in which other processes use less than 30% of a core, then start
// anyway and say so.
const QUIET_WAIT_S = Number(process.env.BENCH_QUIET_WAIT_S ?? 20);
let busyBefore = 0;
for (let waited = 0, quiet = 0; ; waited++) {
  const probe = { machine: machineBusyMs(), own: ownCpuMs() };
  await sleep(1000);
  busyBefore = (machineBusyMs() - probe.machine - (ownCpuMs() - probe.own)) / 1000;
  quiet = busyBefore < 0.3 ? quiet + 1 : 0;
  if (quiet >= 3 || waited >= QUIET_WAIT_S) break;
  if (waited === 2) console.error(`[bench] other processes use ${(busyBefore * 100).toFixed(0)}% of a core; waiting up to ${QUIET_WAIT_S} s for quiet …`);
}
console.error(`[bench] starting servers${PROFILE ? ' (CPU profiles of the measured phases)' : ''} …`);
const maxClients = Math.max(...SIZES.map((n) => (n === 1 ? 2 : n)));
const [ours, plain] = await Promise.all([
  ServerProcess.start('ours', 'server-ours.ts', { BENCH_SESSIONS: String(maxClients + 10) }),
  ServerProcess.start('plain', 'server-plain.ts'),
]);
const documentId = ours.ready.documentId;

// The plain server starts with an empty document; give it the same template state ours has.
const probeSet = new ClientSet(ours, documentId, 1);
await probeSet.connect();
const template = Y.encodeStateAsUpdate(probeSet.docs[0]!);
probeSet.destroy();
const seedSet = new ClientSet(plain, documentId, 1);
await seedSet.connect(template);

interface SizeResult {
  size: number;
  clients: number;
  label: string;
  plain: Run;
  ours: Run;
  closes: { plain: number; ours: number };
  /** Ours' store and authoriser, timed inside its process over the measured phase. */
  oursInside: Record<string, number>;
  plainInside: Record<string, number>;
  oursWindows: Record<string, Array<[number, number]>>;
}
const sizeResults: SizeResult[] = [];

for (const size of SIZES) {
  const clients = size === 1 ? 2 : size;
  const rotating = size !== 1;
  const label = size === 1 ? '1 editor → 1 peer (2 sockets)' : `${size} clients, rotating editor → last of ${size - 1} peers`;
  console.error(`[bench] ${label}: connecting ${clients} + ${clients} clients …`);
  const sets = { plain: new ClientSet(plain, documentId, clients), ours: new ClientSet(ours, documentId, clients) };
  await sets.plain.connect();
  await sets.ours.connect();
  if (size === SIZES[0]) seedSet.destroy();
  await sleep(300);
  // Warm-up: every client of a rotating set writes once (ours audits a connection's first write), at least 30.
  const warmup = Math.max(30, rotating ? clients : 0);
  await edits(sets.plain, warmup, 0, rotating, null);
  await edits(sets.ours, warmup, 0, rotating, null);
  const result: SizeResult = { size, clients, label, plain: emptyRun(), ours: emptyRun(), closes: { plain: 0, ours: 0 }, oursInside: {}, plainInside: {}, oursWindows: {} };
  sets.plain.closes = sets.ours.closes = 0;
  await Promise.all([ours.request('stats', { reset: true }), plain.request('stats', { reset: true })]);
  if (PROFILE) await Promise.all([plain.request('profile-start'), ours.request('profile-start')]);
  const perBlock = Math.ceil(EDITS / BLOCKS);
  for (let block = 0; block < BLOCKS; block++) {
    const order = block % 2 === 0 ? (['plain', 'ours'] as const) : (['ours', 'plain'] as const);
    for (const name of order) await edits(sets[name], perBlock, warmup + block * perBlock, rotating, result[name]);
  }
  if (PROFILE) for (const server of [plain, ours]) await server.request('profile-stop', { file: join(RESULTS, 'profiles', `${server.name}-${size}.cpuprofile`) });
  const inside = await ours.request('stats', { reset: true });
  result.oursInside = inside.stats;
  result.oursWindows = inside.windows;
  result.plainInside = (await plain.request('stats', { reset: true })).stats;
  result.closes = { plain: sets.plain.closes, ours: sets.ours.closes };
  sets.plain.destroy();
  sets.ours.destroy();
  sizeResults.push(result);
  for (const name of ['plain', 'ours'] as const) {
    const s = summarise(result[name].last);
    console.error(`[bench]   ${name.padEnd(5)} p50 ${ms(s.p50)} ms  p99 ${ms(s.p99)} ms  max ${ms(s.max)} ms  (${s.n} edits, ${result[name].lost} lost)`);
    if (result[name].lost > 0) problems.push(`${name}, ${label}: ${result[name].lost} edits never reached every peer within ${EDIT_TIMEOUT_MS} ms`);
    if (result.closes[name] > 0) problems.push(`${name}, ${label}: ${result.closes[name]} connections closed during the measurement`);
  }
  await sleep(300);
}

const oursStats = (await ours.request('stats')).stats;
await Promise.all([ours.stop(), plain.stop()]);
const load1 = loadavg();

// ---------------------------------------------------------------------------------------------------------------
// Cold load

interface ColdSample {
  total: number;
  query: number;
  build: number;
}
interface ColdResult {
  updates: number;
  naiveRows: number;
  updateBytes: number;
  textChars: number;
  snapshotSeq: number;
  snapshotBytes: number;
  compactFullMs: number;
  compactTailMs: number;
  naive: ColdSample[];
  ours: ColdSample[];
  oursTail: ColdSample[];
  gcBetweenRuns: boolean;
  cpuMs: number;
  /** Other processes' CPU while the child ran, in cores. */
  foreign?: number;
}
let cold: ColdResult | null = null;
if (process.env.BENCH_SKIP_COLD !== '1') {
  console.error('[bench] cold load: typing 10,000 updates, storing, loading …');
  const before = { machine: machineBusyMs(), own: ownCpuMs(), wall: performance.now() };
  const child = fork(join(HERE, 'cold-load.ts'), [], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  cold = await new Promise<ColdResult | null>((resolve) => {
    let got: ColdResult | null = null;
    child.on('message', (m: ColdResult) => (got = m));
    child.on('exit', (code) => {
      if (code !== 0 || !got) problems.push(`cold-load child exited with ${code}`);
      const result = got as ColdResult | null;
      if (result) result.foreign = (machineBusyMs() - before.machine - (ownCpuMs() - before.own) - result.cpuMs) / (performance.now() - before.wall);
      resolve(result);
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const totalS = (performance.now() - startedAt) / 1000;
/** Which code was measured (read-only git queries; "unknown" outside a checkout). */
function measuredRevision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', '../../services/collab', '../../packages', '../../db').length > 0;
    return `commit ${head}${dirty ? ' plus uncommitted changes in services/collab, packages or db' : ''}`;
  } catch {
    return 'unknown revision';
  }
}
const out: string[] = [];
const cpu = cpus();
// Most of the latency comes after the first peer has the edit: the server's fan-out, and above all the clients of
// this one process applying the update one after another.
const fanOutBound = (run: Run) => summarise(run.last).p50 - summarise(run.first).p50 >= 0.5 * summarise(run.last).p50;
const foreignPct = (run: Run) => (Math.max(0, run.machineBusyMs - run.serverCpuMs - run.clientCpuMs) / Math.max(1, run.wallMs)) * 100;
out.push(`## Collab benchmark — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
out.push('');
out.push(
  `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, loopback only. Other processes used ${(busyBefore * 100).toFixed(0)}% of a core in the second before the start; ` +
    `load average before/after ${load0[0]!.toFixed(2)} / ${load1[0]!.toFixed(2)}. Whole run ${totalS.toFixed(0)} s. Command: \`node --import tsx tests/bench/run.ts\`. ` +
    `Code measured: ${measuredRevision()}.`,
);
out.push('');
out.push('**How it was measured.**');
out.push('- Each server runs alone in its own child process (`tests/bench/server-ours.ts`, `tests/bench/server-plain.ts`). This process is the load generator');
out.push('  and holds every client: on 2 cores the server under test gets one core and the clients the other; more client processes would only');
out.push('  compete with the server for the same two cores. Clients are real `y-websocket` 3.1.0 `WebsocketProvider`s on a `ws` 8.23 polyfill that sends');
out.push('  the session cookie and Origin; ours authorises every socket through the real session + membership checks, one session per client.');
out.push(`- ours: ${ours.ready.description}; production defaults as in \`services/collab/src/main.ts\` (re-check every 3 s, compaction every 200 updates, commit before broadcast).`);
out.push(`- plain: ${plain.ready.description}. Given the same template state first, so both documents are alike.`);
out.push(
  `- An edit appends \` #<seq>@<µs>\` to the Y.XmlText of the first paragraph of \`section:parties\`. Latency = from just before the editor's transaction ` +
    `until the LAST of the other clients has applied it (its Y.Doc state vector covers the edit). ${EDITS} measured edits per size and server, ${GAP_MS} ms apart ` +
    `(start to start) and never overlapping, after a warm-up (≥ 30 edits; with a rotating editor every client writes once first, so ours' once-per-connection ` +
    `audit row is out of the measurement). Both client sets stay connected and the servers take turns in ${BLOCKS} blocks (plain, ours, ours, plain), so that drift and ` +
    'other processes hit both alike; each idle set still renews its awareness every ~15 s, as real clients do.',
);
out.push(
  '- All peers apply each update in this one event loop, one after another, so "last peer" includes client processing that is the same for both servers ' +
    'and dilutes the ratio; in rows marked *fan-out-bound* at least half the p50 comes after the first peer already has the edit (server fan-out, and ' +
    'mostly the clients of this process applying it one after another), so they say more about the load generator than about the server. "first peer" ' +
    'and "server CPU/edit" (the server process\'s own CPU over the measured turns, divided by edits; includes awareness traffic and, for ours, re-checks ' +
    'and compactions) are the closest to the servers themselves. CPU times on this VM are inflated when other processes are busy (a bare 20 ms ' +
    'timer has been seen to cost 0.4 ms of CPU here): compare them between the two servers, not with other machines.',
);
out.push('');
out.push('### Edit → remote peer latency (ms)');
out.push('');
const rows: string[][] = [];
for (const r of sizeResults) {
  for (const name of ['plain', 'ours'] as const) {
    const run = r[name];
    const s = summarise(run.last);
    const f = summarise(run.first);
    const n = Math.max(1, run.last.length + run.lost);
    rows.push([
      r.label + (fanOutBound(run) ? ' *(fan-out-bound)*' : ''),
      name,
      ms(s.p50),
      ms(s.p99),
      ms(s.max),
      ms(f.p50),
      ms(f.p99),
      ms(run.serverCpuMs / n, 3),
      ms(run.clientCpuMs / n, 3),
      `${foreignPct(run).toFixed(0)}%`,
      `${run.last.length}/${n}`,
    ]);
  }
  const p = summarise(r.plain.last);
  const o = summarise(r.ours.last);
  const pf = summarise(r.plain.first);
  const of = summarise(r.ours.first);
  rows.push([r.label, '**ours / plain**', `**${ratio(o.p50, p.p50)}**`, `**${ratio(o.p99, p.p99)}**`, ratio(o.max, p.max), ratio(of.p50, pf.p50), ratio(of.p99, pf.p99), ratio(r.ours.serverCpuMs, r.plain.serverCpuMs), '', '', '']);
}
out.push(
  table(
    ['clients on the document', 'server', 'last peer p50', 'last peer p99', 'max', 'first peer p50', 'first peer p99', 'server CPU/edit', 'client CPU/edit', 'other processes (100% = 1 core)', 'edits arrived'],
    rows,
  ),
);
out.push('');
out.push(
  'Inside ours during the measured turns (timed around `DocumentStore` and the authoriser in its process; a group commit, including its wait for ' +
    'the database lock, is on the path of every broadcast; "event loop blocked" is the worst lateness of a 10 ms timer in each server process):',
);
out.push('');
out.push(
  table(
    ['clients', 'group commits', 'updates/commit', 'commit p50', 'commit p99', 'commit max', 'compactions (max ms)', 'authorisations', 'event loop blocked, max: ours / plain'],
    sizeResults.map((r) => {
      const t = r.oursInside;
      return [
        String(r.clients),
        String(t.appends ?? 0),
        ((t.appendRows ?? 0) / Math.max(1, t.appends ?? 0)).toFixed(2),
        ms(t.appendP50 ?? NaN),
        ms(t.appendP99 ?? NaN),
        ms(t.appendMax ?? NaN),
        `${t.compactions ?? 0} (${ms(t.compactMax ?? NaN)})`,
        `${t.authorizations ?? 0} calls for ${t.authorizeRequests ?? 0} sockets (${ms(t.authorizeMs ?? NaN, 0)} ms)`,
        `${ms(t.loopDelayMax ?? NaN, 0)} / ${ms(r.plainInside.loopDelayMax ?? NaN, 0)} ms`,
      ];
    }),
  ),
);
out.push('');
out.push(
  `Ours minus plain at the first peer, p50: ${sizeResults.map((r) => `${(summarise(r.ours.first).p50 - summarise(r.plain.first).p50).toFixed(2)} ms (${r.clients} clients)`).join(', ')}; ` +
    `ours' group commit p50 in the same turns: ${sizeResults.map((r) => `${ms(r.oursInside.appendP50 ?? NaN)} ms`).join(', ')}.`,
);
out.push('');
out.push(
  'The slowest edits (last peer ≥ p95) against what ours was doing meanwhile: an edit "hit" a window when its flight overlapped a burst of ' +
    're-check authorisations or a compaction. Plain\'s edits against ours\' windows are the control (ours ' +
    're-checks also while plain has its turn, on the same 2 cores).',
);
out.push('');
const hitRows: string[][] = [];
for (const r of sizeResults) {
  const recheck = r.oursWindows.recheck ?? [];
  const compact = r.oursWindows.compact ?? [];
  for (const name of ['ours', 'plain'] as const) {
    const run = r[name];
    if (run.last.length === 0) continue;
    const p95 = percentile([...run.last].sort((a, b) => a - b), 95);
    const slow = run.last.map((l, i) => ({ l, s: run.starts[i]! })).filter((e) => e.l >= p95);
    const hits = (windows: Array<[number, number]>) => slow.filter((e) => windows.some(([a, b]) => a < e.s + e.l && b > e.s)).length;
    hitRows.push([
      String(r.clients),
      name,
      `${slow.length} (≥ ${ms(p95)} ms)`,
      `${hits(recheck)}`,
      `${hits(compact)}`,
      name === 'ours' ? `${recheck.length} bursts, longest ${ms(Math.max(0, ...recheck.map(([a, b]) => b - a)), 1)} ms` : '',
    ]);
  }
}
out.push(table(['clients', 'edits of', 'slowest edits', 'hit a re-check burst', 'hit a compaction', "ours' re-check bursts in the measured phase"], hitRows));
out.push('');

out.push('### Cold load of a document with 10,000 stored keystroke updates (ms)');
out.push('');
if (cold) {
  const n = summarise(cold.naive.map((s) => s.total));
  const o = summarise(cold.ours.map((s) => s.total));
  const t = summarise(cold.oursTail.map((s) => s.total));
  const q = (xs: ColdSample[], k: 'query' | 'build') => ms(summarise(xs.map((x) => x[k])).p50);
  out.push(
    `${cold.updates.toLocaleString('en')} updates typed by 3 simulated drafters (1 keystroke = 1 update: characters, backspaces, Enter, marks; ${cold.updateBytes.toLocaleString('en')} bytes, ` +
      `${cold.textChars.toLocaleString('en')} characters of text in the end), stored through \`DocumentStore.append\` in batches of 100 on a fresh temp-file libSQL db. ` +
      `${cold.naive.length} timed runs each after 3 warm-up runs${cold.gcBetweenRuns ? ', `gc()` before each run' : ''}; the database file is in the OS page cache ` +
      `("cold" = not loaded in any room). Each loaded document is checked against the typed one. Own child process; other processes meanwhile used ` +
      `${Math.max(0, (cold.foreign ?? 0) * 100).toFixed(0)}% of a core.`,
  );
  out.push('');
  out.push(
    table(
      ['load', 'p50', 'p99', 'max', 'min (least disturbed)', 'query p50', 'build p50'],
      [
        [`naive: SELECT all ${cold.naiveRows.toLocaleString('en')} rows + apply in one transaction`, ms(n.p50), ms(n.p99), ms(n.max), ms(n.min), q(cold.naive, 'query'), q(cold.naive, 'build')],
        [`ours after \`store.compact\`: \`store.load\` + \`new Room\` (snapshot of ${(cold.snapshotBytes / 1024).toFixed(1)} KiB, no tail)`, ms(o.p50), ms(o.p99), ms(o.max), ms(o.min), q(cold.ours, 'query'), q(cold.ours, 'build')],
        ['ours, worst case between compactions (snapshot + 199-update tail)', ms(t.p50), ms(t.p99), ms(t.max), ms(t.min), q(cold.oursTail, 'query'), q(cold.oursTail, 'build')],
        ['**ours / naive**', `**${ratio(o.p50, n.p50)}**`, ratio(o.p99, n.p99), '', ratio(o.min, n.min), '', ''],
      ],
    ),
  );
  out.push('');
  out.push(`\`store.compact\` itself: ${ms(cold.compactFullMs)} ms over all 10,000 updates (once); ${ms(cold.compactTailMs)} ms for snapshot + 199 tail (the steady-state case, holding the db lock meanwhile).`);
} else out.push('(skipped)');
out.push('');

out.push('### Goals');
out.push('');
const goalRows: string[][] = [];
const at50 = sizeResults.find((r) => r.size === 50);
if (at50) {
  const p = summarise(at50.plain.last);
  const o = summarise(at50.ours.last);
  goalRows.push(['p50 latency with 50 editors ≤ 1.3× plain', `${ms(o.p50)} vs ${ms(p.p50)} ms = ${ratio(o.p50, p.p50)}`, o.p50 / p.p50 <= 1.3 ? 'met' : '**missed**']);
  goalRows.push(['p99 latency with 50 editors ≤ 1.5× plain', `${ms(o.p99)} vs ${ms(p.p99)} ms = ${ratio(o.p99, p.p99)}`, o.p99 / p.p99 <= 1.5 ? 'met' : '**missed**']);
  const pf = summarise(at50.plain.first);
  const of = summarise(at50.ours.first);
  goalRows.push([
    '(for reading the two above) the same at the first peer, less diluted by client work',
    `p50 ${ratio(of.p50, pf.p50)}, p99 ${ratio(of.p99, pf.p99)}; ${(at50.ours.clientCpuMs / Math.max(1, at50.ours.last.length)).toFixed(2)} ms of each edit's last-peer time is client CPU`,
    of.p50 / pf.p50 <= 1.3 && of.p99 / pf.p99 <= 1.5 ? 'within the same bounds' : 'outside the same bounds',
  ]);
}
if (cold) {
  const o = summarise(cold.ours.map((s) => s.total));
  goalRows.push([
    'cold load p50 ≤ 10 ms (10,000 updates, compacted)',
    `${ms(o.p50)} ms (fastest run ${ms(o.min)} ms; other processes took ${Math.max(0, (cold.foreign ?? 0) * 100).toFixed(0)}% of a core meanwhile)`,
    o.p50 <= 10 ? 'met' : '**missed**',
  ]);
}
out.push(table(['goal', 'measured', 'verdict'], goalRows));
out.push('');
out.push(
  'Single runs on a shared 2-core machine: p99 over 200 edits is the 2nd-worst edit, and "other processes" above shows how much the machine was ' +
    'disturbed; compare several runs before deciding on a p99.',
);
out.push('');
out.push(`Stored by ours during the run: ${oursStats.storedUpdates} update rows, snapshot at seq ${oursStats.snapshotSeq}, ${oursStats.auditEvents} audit events, ${oursStats.errors} server errors.`);
if (oursStats.errors && oursStats.errors > 0) problems.push(`ours reported ${oursStats.errors} errors`);
if (problems.length > 0) {
  out.push('');
  out.push('**Problems:**');
  for (const p of problems) out.push(`- ${p}`);
}
if (PROFILE) out.push(`\nCPU profiles of the measured phases (both servers, each covering the other's turns as idle time): ${relative(process.cwd(), join(RESULTS, 'profiles'))}/<server>-<size>.cpuprofile; summarise with \`node --import tsx tests/bench/profile-summary.ts <file>\`.`);

const report = out.join('\n') + '\n';
process.stdout.write(report);
writeFileSync(join(RESULTS, 'latest.md'), report);
writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify({ sizes: sizeResults, cold, oursStats, problems, load: [load0, load1], edits: EDITS, gapMs: GAP_MS }, null, 1));
console.error(`[bench] wrote ${relative(process.cwd(), join(RESULTS, 'latest.md'))} in ${totalS.toFixed(0)} s`);
process.exit(problems.length > 0 ? 1 : 0);
