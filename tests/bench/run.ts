// Sopu collab benchmark: `node --import tsx tests/bench/run.ts` (`npm run bench -- collab`).
//
// Three servers, each in its own child process on 127.0.0.1 port 0, started in the same run and taking turns with
// the same clients (this process is the load generator of phases B–F; phase A's clients live in one process per server,
// single-clients.ts):
//   ours        server-ours.ts        services/collab over libSQL: every update committed BEFORE it is relayed
//   plain       server-plain.ts       @y/websocket-server 0.1.1, in memory, no persistence
//   hocuspocus  hocuspocus/server.ts  Hocuspocus 4.7 + its SQLite extension: stores 2–10 s AFTER relaying
// Phases (each server keeps its document across them: a holder socket stays connected):
//   A. single edits: 1, 50 and 200 real y-websocket clients, one edit at a time (first and last peer)
//   B. typing together: 50 editors type a keystroke at the same moment, 10 times a second; 5 sockets time every update
//   C. 200 editors each typing 2 updates/s (400 updates/s) into the document; 5 sockets time every update
//   D. open → synced of a 10,000-keystroke document: warm (loaded) and cold (not loaded anywhere)
//   E. idle authorised connections: memory per socket, the periodic re-check's cost, edits while they are held
//   F. cold load of 10,000 stored keystrokes (cold-load.ts, own process)
// Goals are judged on first-peer times (the server's own share); last-peer times are printed beside them.
// Writes tests/bench/results/latest.md (+ latest.json). Knobs: see tests/bench/README.md.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { ArrivalTracker, LightClient, type Framing } from './clients.ts';
import type { SingleAnswer, SingleCommand, SingleRun } from './single-clients.ts';
import { ms, percentile, processCpuMs, ratio, sleep, summarise, table, type ServerAnswer, type ServerCommand, type ServerReady } from './common.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const EDITS = env('BENCH_EDITS', 200);
const GAP_MS = env('BENCH_GAP_MS', 20);
const SIZES = (process.env.BENCH_SIZES ?? '1,50,200').split(',').filter(Boolean).map(Number);
const BLOCKS = 4;
const TOGETHER = { editors: env('BENCH_TOGETHER_EDITORS', 50), rounds: env('BENCH_TOGETHER_ROUNDS', 60), everyMs: 100 };
const LOAD = { editors: env('BENCH_LOAD_EDITORS', 200), perSecond: 2, seconds: env('BENCH_LOAD_SECONDS', 8), warmSeconds: 2, blocks: 2 };
const OBSERVERS = 5;
const OPEN = { warm: env('BENCH_OPEN_WARM', 20), cold: env('BENCH_OPEN_COLD', 10) };
const IDLE = { sockets: env('BENCH_IDLE', 15_000), holdSeconds: env('BENCH_IDLE_HOLD_S', 7) };
const PHASES = new Set((process.env.BENCH_PHASES ?? 'single,together,load,open,idle,cold').split(','));
const PROFILE = process.env.BENCH_PROFILE === '1';
/** Phase A: only the measured server's clients are connected in its turn; the others' wait disconnected. */
const QUIET_TURNS = process.env.BENCH_QUIET_TURNS !== '0';
/** After a server's clients connect again for its turn, how long their joins may settle before the edits (ms). */
const SETTLE_MS = env('BENCH_SETTLE_MS', 500);
const EDIT_TIMEOUT_MS = 5000;
const TIME_LIMIT_MS = 12 * 60_000;
const startedAt = performance.now();
const NAMES = ['ours', 'plain', 'hocuspocus'] as const;
type Name = (typeof NAMES)[number];
const BASELINES = ['plain', 'hocuspocus'] as const;

const problems: string[] = [];
const children: ChildProcess[] = [];
const watchdog = setTimeout(() => {
  console.error(`benchmark exceeded ${TIME_LIMIT_MS / 1000} s; giving up`);
  for (const child of children) child.kill('SIGKILL');
  process.exit(2);
}, TIME_LIMIT_MS);
watchdog.unref();
const log = (text: string) => console.error(`[bench] ${text}`);

// ---------------------------------------------------------------------------------------------------------------
// Child processes

class ServerProcess {
  #next = 1;
  #waiting = new Map<number, (answer: ServerAnswer) => void>();
  exited = false;
  private constructor(
    readonly name: Name,
    readonly child: ChildProcess,
    readonly ready: ServerReady,
  ) {
    child.on('message', (message: ServerAnswer) => {
      if ('id' in message) this.#waiting.get(message.id)?.(message);
    });
  }

  get framing(): Framing {
    return this.ready.framing ?? 'y-websocket';
  }

  static start(name: Name, script: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
    const child = fork(join(HERE, script), [], { execArgv: ['--import', 'tsx', '--expose-gc'], env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start within 120 s`)), 120_000);
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

  request<T extends ServerAnswer['type']>(type: T, extra: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<Extract<ServerAnswer, { type: T }>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no answer to ${type}`)), timeoutMs);
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
const ownCpuMs = processCpuMs;

/** Turn orders for blocks: every server goes first once, and the order reverses, so drift hits all alike. */
function order(block: number): Name[] {
  const rotated = [...NAMES.slice(block % 3), ...NAMES.slice(0, block % 3)];
  return Math.floor(block / 3) % 2 === 0 ? rotated : rotated.reverse();
}

// Accounting of one server's measured turns: its CPU, this process's CPU, the whole machine's.
interface Usage {
  serverCpuMs: number;
  clientCpuMs: number;
  wallMs: number;
  machineBusyMs: number;
}
const emptyUsage = (): Usage => ({ serverCpuMs: 0, clientCpuMs: 0, wallMs: 0, machineBusyMs: 0 });
async function metered<T>(server: ServerProcess, into: Usage, fn: () => Promise<T>): Promise<T> {
  const before = { server: await server.cpuMs(), client: ownCpuMs(), machine: machineBusyMs(), wall: performance.now() };
  const result = await fn();
  into.serverCpuMs += (await server.cpuMs()) - before.server;
  into.clientCpuMs += ownCpuMs() - before.client;
  into.machineBusyMs += machineBusyMs() - before.machine;
  into.wallMs += performance.now() - before.wall;
  return result;
}
const foreignPct = (u: Usage) => (Math.max(0, u.machineBusyMs - u.serverCpuMs - u.clientCpuMs) / Math.max(1, u.wallMs)) * 100;

// ---------------------------------------------------------------------------------------------------------------
// Phase A clients: real y-websocket providers, one load-generator process per server (single-clients.ts)

interface Run {
  last: number[];
  first: number[];
  starts: number[];
  lost: number;
  usage: Usage;
}
const emptyRun = (): Run => ({ last: [], first: [], starts: [], lost: 0, usage: emptyUsage() });

class ClientSet {
  #next = 1;
  #waiting = new Map<number, (answer: SingleAnswer) => void>();
  #child: ChildProcess | null = null;

  constructor(
    readonly server: ServerProcess,
    readonly documentId: string,
    readonly size: number,
  ) {}

  async connect() {
    const child = fork(join(HERE, 'single-clients.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`${this.server.name}: phase A clients exited with ${code} before they were ready`)));
    });
    child.on('message', (message: SingleAnswer) => {
      if ('id' in message) this.#waiting.get(message.id)?.(message);
    });
    this.#child = child;
    const { wsUrl, cookies } = this.server.ready;
    await this.#request({ type: 'connect', wsUrl, documentId: this.documentId, cookies, framing: this.server.framing, size: this.size }, 120_000);
  }

  #request(command: DistributiveOmit<SingleCommand, 'id'>, timeoutMs: number): Promise<Extract<SingleAnswer, { type: 'done' }>> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.server.name}: phase A clients did not answer ${command.type}`)), timeoutMs);
      this.#waiting.set(id, (answer) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        if (answer.type === 'failed') reject(new Error(`${this.server.name}: phase A clients: ${answer.error}`));
        else resolve(answer as Extract<SingleAnswer, { type: 'done' }>);
      });
      this.#child!.send({ ...command, id } as SingleCommand);
    });
  }

  async edits(count: number, offset: number, rotating: boolean): Promise<SingleRun> {
    const answer = await this.#request({ type: 'edits', count, offset, rotating, gapMs: GAP_MS, timeoutMs: EDIT_TIMEOUT_MS }, count * (EDIT_TIMEOUT_MS + GAP_MS) + 30_000);
    return answer.run!;
  }

  /** Disconnects this server's clients (another server's turn), or connects them again and waits for their sync. */
  async pause() {
    await this.#request({ type: 'pause' }, 60_000);
  }

  /** True when the clients were disconnected and have connected again. */
  async resume(): Promise<boolean> {
    return (await this.#request({ type: 'resume' }, 120_000)).resumed ?? false;
  }

  async closes(reset: boolean): Promise<number> {
    return (await this.#request({ type: 'closes', reset }, 10_000)).closes ?? 0;
  }

  async destroy() {
    await this.#request({ type: 'destroy' }, 30_000);
    const child = this.#child!;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.disconnect();
    await exited;
  }
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * `count` edits spaced GAP_MS apart (start to start; never overlapping: each waits for the previous to arrive), made
 * and timed in the server's own load-generator process; CPU counted for the server, that process and this one.
 */
async function edits(set: ClientSet, count: number, offset: number, rotating: boolean, into: Run | null) {
  if (!into) {
    await set.edits(count, offset, rotating);
    return;
  }
  const before = { server: await set.server.cpuMs(), own: ownCpuMs(), machine: machineBusyMs(), wall: performance.now() };
  const run = await set.edits(count, offset, rotating);
  into.usage.serverCpuMs += (await set.server.cpuMs()) - before.server;
  into.usage.clientCpuMs += run.cpuMs + ownCpuMs() - before.own;
  into.usage.machineBusyMs += machineBusyMs() - before.machine;
  into.usage.wallMs += performance.now() - before.wall;
  into.last.push(...run.last);
  into.first.push(...run.first);
  into.starts.push(...run.starts);
  into.lost += run.lost;
}

// ---------------------------------------------------------------------------------------------------------------
// Light clients (phases B–E)

function cookieOf(server: ServerProcess, index: number): string | undefined {
  const cookies = server.ready.cookies;
  return cookies.length > 0 ? cookies[index % cookies.length] : undefined;
}

async function lightClients(server: ServerProcess, documentId: string, count: number, options: { offset?: number; tracker?: ArrivalTracker; observers?: number } = {}) {
  const editors: LightClient[] = [];
  const observers: LightClient[] = [];
  const offset = options.offset ?? 0;
  for (let start = 0; start < count; start += 50) {
    const batch: LightClient[] = [];
    for (let i = start; i < Math.min(count, start + 50); i++) batch.push(new LightClient(server.ready.wsUrl, documentId, { cookie: cookieOf(server, offset + i), framing: server.framing }));
    await Promise.all(batch.map((c) => c.synced));
    editors.push(...batch);
  }
  for (let i = 0; i < (options.observers ?? 0); i++) {
    observers.push(new LightClient(server.ready.wsUrl, documentId, { cookie: cookieOf(server, offset + count + i), framing: server.framing, observer: { tracker: options.tracker!, index: i } }));
  }
  await Promise.all(observers.map((c) => c.synced));
  return { editors, observers, close: () => [...editors, ...observers].forEach((c) => c.close()) };
}

interface LoadRun {
  first: number[];
  all: number[];
  starts: number[];
  edits: number;
  missing: number;
  usage: Usage;
}
const emptyLoadRun = (): LoadRun => ({ first: [], all: [], starts: [], edits: 0, missing: 0, usage: emptyUsage() });

// ---------------------------------------------------------------------------------------------------------------
// Main

process.setMaxListeners(0); // y-websocket adds an 'exit' listener per provider
mkdirSync(RESULTS, { recursive: true });
const load0 = loadavg();
const QUIET_WAIT_S = env('BENCH_QUIET_WAIT_S', 20);
let busyBefore = 0;
for (let waited = 0, quiet = 0; ; waited++) {
  const probe = { machine: machineBusyMs(), own: ownCpuMs() };
  await sleep(1000);
  busyBefore = (machineBusyMs() - probe.machine - (ownCpuMs() - probe.own)) / 1000;
  quiet = busyBefore < 0.3 ? quiet + 1 : 0;
  if (quiet >= 3 || waited >= QUIET_WAIT_S) break;
  if (waited === 2) log(`other processes use ${(busyBefore * 100).toFixed(0)}% of a core; waiting up to ${QUIET_WAIT_S} s for quiet …`);
}
log(`starting servers${PROFILE ? ' (CPU profiles of the measured phases)' : ''} …`);
const maxClients = Math.max(...SIZES.map((n) => (n === 1 ? 2 : n)), LOAD.editors + OBSERVERS + 2, TOGETHER.editors + OBSERVERS + 2);
const servers = {} as Record<Name, ServerProcess>;
[servers.ours, servers.plain, servers.hocuspocus] = await Promise.all([
  ServerProcess.start('ours', 'server-ours.ts', { BENCH_SESSIONS: String(maxClients + 10) }),
  ServerProcess.start('plain', 'server-plain.ts'),
  ServerProcess.start('hocuspocus', 'hocuspocus/server.ts'),
]);
const ours = servers.ours;
const documentId = ours.ready.documentId;
const openDocumentId = ours.ready.openDocumentId!;
const idleDocumentId = ours.ready.idleDocumentId!;

// The baselines start empty: give them the same template state ours has. A holder socket per server keeps the
// document loaded across every phase (plain would forget it, Hocuspocus would store and unload it).
const probe = new LightClient(ours.ready.wsUrl, documentId, { cookie: cookieOf(ours, 0), framing: 'y-websocket' });
await probe.synced;
const template = Y.encodeStateAsUpdate(probe.doc);
probe.close();
/** A socket that brings `state` to a server (answering the server's SyncStep1 with everything it has). */
async function seed(server: ServerProcess, name: string, state: Uint8Array): Promise<LightClient> {
  const client = new LightClient(server.ready.wsUrl, name, { cookie: cookieOf(server, 0), framing: server.framing });
  Y.applyUpdate(client.doc, state);
  await client.synced;
  const want = Y.encodeStateVector(client.doc);
  // Until a fresh socket sees all of it.
  for (let tries = 0; ; tries++) {
    const check = new LightClient(server.ready.wsUrl, name, { cookie: cookieOf(server, 1), framing: server.framing });
    await check.synced;
    const got = Y.encodeStateVector(check.doc);
    check.close();
    if (Buffer.compare(Buffer.from(got), Buffer.from(want)) === 0) break;
    if (tries > 100) throw new Error(`${server.name} did not take the seed of ${name}`);
    await sleep(50);
  }
  return client;
}
const holders = {} as Record<Name, LightClient>;
for (const name of NAMES) {
  holders[name] = name === 'ours' ? new LightClient(ours.ready.wsUrl, documentId, { cookie: cookieOf(ours, 0), framing: 'y-websocket' }) : await seed(servers[name], documentId, template);
  await holders[name].synced;
}

async function stats(server: ServerProcess, reset = true) {
  return server.request('stats', { reset });
}
const resetAll = () => Promise.all(NAMES.map((n) => stats(servers[n])));

// --- A. single edits ---------------------------------------------------------------------------------------------
interface SizeResult {
  size: number;
  clients: number;
  label: string;
  runs: Record<Name, Run>;
  closes: Record<Name, number>;
  inside: Record<Name, Record<string, number>>;
  oursWindows: Record<string, Array<[number, number]>>;
}
const sizeResults: SizeResult[] = [];
if (PHASES.has('single')) {
  for (const size of SIZES) {
    const clients = size === 1 ? 2 : size;
    const rotating = size !== 1;
    const label = size === 1 ? '1 editor → 1 peer' : `${size} clients, rotating editor → ${size - 1} peers`;
    log(`A. ${label}: connecting ${clients} clients to each server …`);
    const sets = {} as Record<Name, ClientSet>;
    for (const name of NAMES) {
      sets[name] = new ClientSet(servers[name], documentId, clients);
      await sets[name].connect();
    }
    await sleep(300);
    // Warm-up: every client of a rotating set writes once (ours audits a connection's first write), at least 30.
    const warmup = Math.max(30, rotating ? clients : 0);
    for (const name of NAMES) await edits(sets[name], warmup, 0, rotating, null);
    const result: SizeResult = { size, clients, label, runs: { ours: emptyRun(), plain: emptyRun(), hocuspocus: emptyRun() }, closes: { ours: 0, plain: 0, hocuspocus: 0 }, inside: {} as SizeResult['inside'], oursWindows: {} };
    for (const name of NAMES) await sets[name].closes(true);
    await resetAll();
    if (PROFILE) await Promise.all(NAMES.map((n) => servers[n].request('profile-start')));
    const perBlock = Math.ceil(EDITS / BLOCKS);
    for (let block = 0; block < BLOCKS; block++) {
      for (const name of order(block)) {
        // A server's turn with only its own clients connected (BENCH_QUIET_TURNS=0: all three servers' clients stay
        // connected throughout): see tests/bench/README.md.
        if (QUIET_TURNS && rotating) {
          await Promise.all(NAMES.filter((other) => other !== name).map((other) => sets[other].pause()));
          // Connected again, every client is a new connection: it writes once unmeasured, as in the warm-up (ours
          // audits a connection's first write), before its joins settle.
          if (await sets[name].resume()) await edits(sets[name], warmup, 0, rotating, null);
          await sleep(SETTLE_MS);
        }
        await edits(sets[name], perBlock, warmup + block * perBlock, rotating, result.runs[name]);
      }
    }
    if (PROFILE) for (const name of NAMES) await servers[name].request('profile-stop', { file: join(RESULTS, 'profiles', `${name}-single-${size}.cpuprofile`) });
    if (QUIET_TURNS && rotating) await Promise.all(NAMES.map((name) => sets[name].resume()));
    for (const name of NAMES) {
      const inside = await stats(servers[name]);
      result.inside[name] = inside.stats;
      if (name === 'ours') result.oursWindows = inside.windows;
      result.closes[name] = await sets[name].closes(false);
      await sets[name].destroy();
    }
    sizeResults.push(result);
    for (const name of NAMES) {
      const f = summarise(result.runs[name].first);
      const s = summarise(result.runs[name].last);
      log(`  ${name.padEnd(10)} first peer p50 ${ms(f.p50)} p99 ${ms(f.p99)} · last peer p50 ${ms(s.p50)} p99 ${ms(s.p99)} ms (${s.n} edits, ${result.runs[name].lost} lost)`);
      if (result.runs[name].lost > 0) problems.push(`${name}, ${label}: ${result.runs[name].lost} edits never reached every peer within ${EDIT_TIMEOUT_MS} ms`);
      if (result.closes[name] > 0) problems.push(`${name}, ${label}: ${result.closes[name]} connections closed during the measurement`);
    }
    await sleep(300);
  }
}

// --- B. typing together, C. 200 × 2/s -----------------------------------------------------------------------------
interface LoadResult {
  label: string;
  editors: number;
  runs: Record<Name, LoadRun>;
  inside: Record<Name, Record<string, number>>;
  oursWindows: Record<string, Array<[number, number]>>;
  /** Updates per group commit in ours. */
}
const loadResults: LoadResult[] = [];

async function loadPhase(label: string, editorsCount: number, blocks: number, drive: (editors: LightClient[], tracker: ArrivalTracker, recording: boolean) => Promise<void>, warm: (editors: LightClient[], tracker: ArrivalTracker) => Promise<void>, profileName: string) {
  log(`${label}: connecting ${editorsCount} editors + ${OBSERVERS} observers to each server …`);
  const trackers = {} as Record<Name, ArrivalTracker>;
  const sets = {} as Record<Name, Awaited<ReturnType<typeof lightClients>>>;
  for (const name of NAMES) {
    trackers[name] = new ArrivalTracker(OBSERVERS);
    sets[name] = await lightClients(servers[name], documentId, editorsCount, { offset: 2, tracker: trackers[name], observers: OBSERVERS });
  }
  const result: LoadResult = { label, editors: editorsCount, runs: { ours: emptyLoadRun(), plain: emptyLoadRun(), hocuspocus: emptyLoadRun() }, inside: {} as LoadResult['inside'], oursWindows: {} };
  for (const name of NAMES) {
    trackers[name].recording = false;
    await warm(sets[name].editors, trackers[name]);
    await sleep(300);
  }
  await resetAll();
  if (PROFILE) await Promise.all(NAMES.map((n) => servers[n].request('profile-start')));
  for (let block = 0; block < blocks; block++) {
    for (const name of order(block)) {
      const tracker = trackers[name];
      tracker.recording = true;
      const sent = { before: 0 };
      await metered(servers[name], result.runs[name].usage, () => drive(sets[name].editors, tracker, true));
      // Let the last updates arrive (they count), then stop recording.
      await sleep(1000);
      tracker.recording = false;
      void sent;
    }
  }
  if (PROFILE) for (const name of NAMES) await servers[name].request('profile-stop', { file: join(RESULTS, 'profiles', `${name}-${profileName}.cpuprofile`) });
  for (const name of NAMES) {
    const t = trackers[name];
    const run = result.runs[name];
    run.first = [...t.first];
    run.all = [...t.all];
    run.starts = [...t.starts];
    run.edits = t.first.length;
    run.missing = t.missing();
    const inside = await stats(servers[name]);
    result.inside[name] = inside.stats;
    if (name === 'ours') result.oursWindows = inside.windows;
    const closed = [...sets[name].editors, ...sets[name].observers].filter((c) => c.closed);
    if (closed.length > 0) problems.push(`${name}, ${label}: ${closed.length} sockets were closed by the server (codes ${[...new Set(closed.map((c) => c.closeCode))].join(', ')})`);
    sets[name].close();
    const f = summarise(run.first);
    const a = summarise(run.all);
    log(`  ${name.padEnd(10)} first of ${OBSERVERS} p50 ${ms(f.p50)} p99 ${ms(f.p99)} · all ${OBSERVERS} p50 ${ms(a.p50)} p99 ${ms(a.p99)} ms (${run.edits} updates, ${run.missing} not seen by every observer)`);
    if (run.missing > 0) problems.push(`${name}, ${label}: ${run.missing} updates did not reach every observer`);
  }
  loadResults.push(result);
  await sleep(500);
}

// The template's sections, as ours has them: every editor types into one of them (its own paragraph).
const sections: string[] = [];
{
  const doc = new Y.Doc();
  Y.applyUpdate(doc, template);
  sections.push(...[...doc.getMap('sections').keys()].sort());
  doc.destroy();
}
if (PHASES.has('together')) {
  const typeAll = (editors: LightClient[], tracker: ArrivalTracker) => {
    for (let i = 0; i < editors.length; i++) editors[i]!.type(sections[i % sections.length]!, tracker);
  };
  await loadPhase(
    `B. ${TOGETHER.editors} editors typing at once`,
    TOGETHER.editors,
    2,
    async (editors, tracker) => {
      for (let round = 0; round < TOGETHER.rounds / 2; round++) {
        const t = performance.now();
        typeAll(editors, tracker);
        await sleep(Math.max(1, t + TOGETHER.everyMs - performance.now()));
      }
    },
    async (editors, tracker) => {
      for (let round = 0; round < 3; round++) {
        typeAll(editors, tracker);
        await sleep(TOGETHER.everyMs);
      }
    },
    'together',
  );
}

if (PHASES.has('load')) {
  const interval = 1000 / LOAD.perSecond;
  /** Every editor types LOAD.perSecond keystrokes a second, the editors' phases spread evenly, for `seconds`. */
  const typeFor = async (editors: LightClient[], tracker: ArrivalTracker, seconds: number) => {
    const start = performance.now();
    const next = editors.map((_, i) => start + (i * interval) / editors.length);
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      const now = performance.now();
      for (let i = 0; i < editors.length; i++) {
        if (next[i]! > now) continue;
        editors[i]!.type(sections[i % sections.length]!, tracker);
        next[i]! += interval;
      }
      await sleep(2);
    }
  };
  await loadPhase(
    `C. ${LOAD.editors} editors × ${LOAD.perSecond} updates/s`,
    LOAD.editors,
    LOAD.blocks,
    (editors, tracker) => typeFor(editors, tracker, LOAD.seconds / LOAD.blocks),
    (editors, tracker) => typeFor(editors, tracker, LOAD.warmSeconds),
    'load',
  );
}

// --- D. open → synced ------------------------------------------------------------------------------------------------
interface OpenSample {
  open: number;
  answer: number;
  synced: number;
}
interface OpenResult {
  warm: Record<Name, OpenSample[]>;
  cold: Record<Name, OpenSample[]>;
  bytes: number;
  keystrokes: number;
}
let openResult: OpenResult | null = null;
if (PHASES.has('open')) {
  log('D. open → synced of a 10,000-keystroke document …');
  // Ours stored the keystrokes as updates (server-ours.ts); the first load reads every row and, on unload, compacts.
  const first = new LightClient(ours.ready.wsUrl, openDocumentId, { cookie: cookieOf(ours, 0), framing: 'y-websocket' });
  await first.synced;
  const state = Y.encodeStateAsUpdate(first.doc);
  first.close();
  await sleep(100);
  await ours.request('unload');
  const openHolders = {} as Record<Name, LightClient>;
  for (const name of NAMES) {
    openHolders[name] = name === 'ours' ? new LightClient(ours.ready.wsUrl, openDocumentId, { cookie: cookieOf(ours, 0), framing: 'y-websocket' }) : await seed(servers[name], openDocumentId, state);
    await openHolders[name].synced;
  }
  const result: OpenResult = { warm: { ours: [], plain: [], hocuspocus: [] }, cold: { ours: [], plain: [], hocuspocus: [] }, bytes: state.byteLength, keystrokes: env('BENCH_OPEN_KEYSTROKES', 10_000) };
  const once = async (server: ServerProcess, index: number): Promise<OpenSample> => {
    const client = new LightClient(server.ready.wsUrl, openDocumentId, { cookie: cookieOf(server, index), framing: server.framing });
    await client.synced;
    const sample = { open: client.tOpen - client.t0, answer: client.tAnswer - client.t0, synced: client.tApplied - client.t0 };
    if (client.doc.getMap('sections').size === 0) problems.push(`${server.name}: opened an empty document`);
    client.close();
    return sample;
  };
  // Warm-up opens (not counted), then the measured ones, servers taking turns.
  for (let i = 0; i < 3; i++) for (const name of NAMES) await once(servers[name], 2 + i);
  for (let i = 0; i < OPEN.warm; i++) {
    for (const name of order(i)) {
      result.warm[name].push(await once(servers[name], 5 + i));
      await sleep(20);
    }
  }
  // Cold: nobody has the document open; ours unloads it (what its unload timer does 2 s after the last socket
  // leaves), Hocuspocus stores and unloads it by itself. Plain keeps nothing once the last socket leaves.
  for (const name of ['ours', 'hocuspocus'] as const) {
    openHolders[name].close();
  }
  const unloaded = async (server: ServerProcess) => {
    if (server.name === 'ours') await server.request('unload');
    for (let i = 0; (await server.request('loaded', { documentId: openDocumentId })).loaded; i++) {
      if (i > 400) throw new Error(`${server.name} did not unload ${openDocumentId}`);
      await sleep(10);
    }
  };
  for (const name of ['ours', 'hocuspocus'] as const) {
    await unloaded(servers[name]);
    await once(servers[name], 2); // warm-up
  }
  for (let i = 0; i < OPEN.cold; i++) {
    for (const name of i % 2 === 0 ? (['ours', 'hocuspocus'] as const) : (['hocuspocus', 'ours'] as const)) {
      await sleep(50);
      await unloaded(servers[name]);
      await sleep(100);
      result.cold[name].push(await once(servers[name], 5 + i));
    }
  }
  openHolders.plain.close();
  openResult = result;
  for (const name of NAMES) {
    const w = summarise(result.warm[name].map((s) => s.synced));
    const c = summarise(result.cold[name].map((s) => s.synced));
    log(`  ${name.padEnd(10)} warm p50 ${ms(w.p50)} ms · cold p50 ${ms(c.p50)} ms`);
  }
}

// --- E. idle authorised connections ------------------------------------------------------------------------------
interface IdleResult {
  sockets: number;
  opened: number;
  openSeconds: number;
  perSocketHeap: number;
  perSocketRss: number;
  edits: { without: number[]; with: number[] };
  inside: Record<string, number>;
  recheckRounds: Array<{ ms: number; sockets: number; longestCall: number; calls: number }>;
}
const idleResults = {} as Partial<Record<Name, IdleResult>>;
if (PHASES.has('idle') && IDLE.sockets > 0) {
  const name0 = 'bench-idle';
  /** An editor and an observer on the main document; edits one at a time, GAP_MS apart: time to the observer. */
  const editLoop = async (server: ServerProcess, seconds: number): Promise<number[]> => {
    const tracker = new ArrivalTracker(1);
    const pair = await lightClients(server, documentId, 1, { offset: 3, tracker, observers: 1 });
    const editor = pair.editors[0]!;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) {
      const t = performance.now();
      const before = tracker.first.length;
      editor.type('parties', tracker);
      const deadline = t + EDIT_TIMEOUT_MS;
      while (tracker.first.length === before && performance.now() < deadline) await sleep(1);
      await sleep(Math.max(2, t + GAP_MS - performance.now()));
    }
    pair.close();
    return [...tracker.first];
  };
  for (const name of NAMES) {
    const server = servers[name];
    const idleDoc = name === 'ours' ? idleDocumentId : name0;
    log(`E. ${name}: ${IDLE.sockets} idle authorised sockets …`);
    const cookies = name === 'ours' ? (await server.request('sessions', { count: IDLE.sockets }, 300_000)).cookies : [];
    const without = await editLoop(server, 3);
    const mem0 = await server.request('memory');
    const t0 = performance.now();
    const sockets: LightClient[] = [];
    for (let start = 0; start < IDLE.sockets; start += 250) {
      const batch: LightClient[] = [];
      for (let i = start; i < Math.min(IDLE.sockets, start + 250); i++) {
        batch.push(new LightClient(server.ready.wsUrl, idleDoc, { cookie: cookies[i], framing: server.framing, sync: false }));
      }
      await Promise.all(batch.map((c) => c.opened.catch(() => undefined)));
      sockets.push(...batch);
    }
    const openSeconds = (performance.now() - t0) / 1000;
    await sleep(1500);
    // The forced GC of the memory reading blocks the server's event loop: before the measured hold, not in it.
    const mem1 = await server.request('memory');
    await sleep(200);
    await stats(server);
    const opened = sockets.filter((s) => !s.closed).length;
    const withIdle = await editLoop(server, IDLE.holdSeconds);
    const inside = await stats(server);
    const mem2 = await server.request('memory');
    const stillOpen = sockets.filter((s) => !s.closed).length;
    if (stillOpen < opened) problems.push(`${name}: ${opened - stillOpen} idle sockets were closed while held`);
    // Re-check rounds: authorisation calls grouped into bursts of the same round.
    const calls = inside.windows.authorize ?? [];
    const rounds: IdleResult['recheckRounds'] = [];
    for (const [a, b, n] of calls as unknown as Array<[number, number, number]>) {
      const last = rounds.at(-1) as (IdleResult['recheckRounds'][number] & { end: number }) | undefined;
      if (last && a - last.end < 500) {
        last.ms += b - a;
        last.sockets += n ?? 0;
        last.calls++;
        last.longestCall = Math.max(last.longestCall, b - a);
        last.end = b;
      } else rounds.push({ ms: b - a, sockets: n ?? 0, calls: 1, longestCall: b - a, end: b } as IdleResult['recheckRounds'][number] & { end: number });
    }
    idleResults[name] = {
      sockets: IDLE.sockets,
      opened,
      openSeconds,
      perSocketHeap: (mem1.heapUsed + mem1.external - mem0.heapUsed - mem0.external) / Math.max(1, opened),
      perSocketRss: (Math.max(mem1.rss, mem2.rss) - mem0.rss) / Math.max(1, opened),
      edits: { without, with: withIdle },
      inside: inside.stats,
      recheckRounds: rounds.filter((r) => r.sockets >= IDLE.sockets / 2),
    };
    for (const s of sockets) s.close();
    await sleep(2000);
    const r = idleResults[name]!;
    log(`  ${name.padEnd(10)} ${opened} open in ${openSeconds.toFixed(1)} s, ${(r.perSocketHeap / 1024).toFixed(1)} KiB heap / ${(r.perSocketRss / 1024).toFixed(1)} KiB RSS per socket; edit p99 ${ms(summarise(without).p99)} → ${ms(summarise(withIdle).p99)} ms`);
  }
}

const finalStats = {} as Record<Name, Record<string, number>>;
for (const name of NAMES) finalStats[name] = (await stats(servers[name], false)).stats;
for (const name of NAMES) holders[name].close();
await Promise.all(NAMES.map((n) => servers[n].stop()));
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
if (PHASES.has('cold') && process.env.BENCH_SKIP_COLD !== '1') {
  log('F. cold load: typing 10,000 updates, storing, loading …');
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
function measuredRevision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: HERE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', '../../services/collab', '../../packages', '../../db', '.').length > 0;
    return `commit ${head}${dirty ? ' plus uncommitted changes' : ''}`;
  } catch {
    return 'unknown revision';
  }
}
const out: string[] = [];
const cpu = cpus();
const vs = (o: number, b: number) => ratio(o, b);
out.push(`## Collab benchmark — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
out.push('');
out.push(
  `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, loopback only. Other processes used ${(busyBefore * 100).toFixed(0)}% of a core in the second before the start; ` +
    `load average before/after ${load0[0]!.toFixed(2)} / ${load1[0]!.toFixed(2)}. Whole run ${totalS.toFixed(0)} s. Command: \`npm run bench -- collab\`. Code measured: ${measuredRevision()}.`,
);
out.push('');
out.push('**Servers** (each in its own child process; phase A\'s clients of each server in a load-generator process of their own, single-clients.ts; this process holds the clients of phases B–F):');
for (const name of NAMES) out.push(`- ${name}: ${servers[name].ready.description}.`);
out.push(
  '- Clients: real `y-websocket` 3.1.0 providers in phase A (for Hocuspocus through a framing adapter: it prefixes every message with the document name and ' +
    'wants an Auth message first); in phases B–E the same y-websocket protocol on raw sockets (tests/bench/clients.ts): an editor syncs once and then types into its ' +
    'own paragraph without applying its peers\' updates (a browser tab would apply them on its own CPU), an observer reads every update off its socket and times it. ' +
    '"first peer" = the first other client that has the edit: the closest to the server\'s own share. "last peer" adds the clients of one load-generator process applying ' +
    'the update one after another.',
);
out.push('');

// A
if (sizeResults.length > 0) {
  out.push('### A. One edit at a time → remote peers (ms)');
  out.push('');
  out.push(`${EDITS} measured edits per size and server, ${GAP_MS} ms apart, never overlapping, after a warm-up; servers take turns in ${BLOCKS} blocks.${QUIET_TURNS ? ` With 50 and 200 clients only the measured server's clients are connected in its turn (the others' wait disconnected; its own connect again, sync, each write once unmeasured, and settle ${SETTLE_MS} ms before the edits).` : ' Every server\'s clients stay connected in every turn.'}`);
  out.push('');
  const rows: string[][] = [];
  for (const r of sizeResults) {
    for (const name of NAMES) {
      const run = r.runs[name];
      const f = summarise(run.first);
      const s = summarise(run.last);
      const n = Math.max(1, run.last.length + run.lost);
      rows.push([r.label, name, ms(f.p50), ms(f.p99), ms(s.p50), ms(s.p99), ms(s.max), ms(run.usage.serverCpuMs / n, 3), `${foreignPct(run.usage).toFixed(0)}%`, `${run.last.length}/${n}`]);
    }
    for (const b of BASELINES) {
      const o = r.runs.ours;
      const p = r.runs[b];
      rows.push([r.label, `**ours / ${b}**`, `**${vs(summarise(o.first).p50, summarise(p.first).p50)}**`, `**${vs(summarise(o.first).p99, summarise(p.first).p99)}**`, vs(summarise(o.last).p50, summarise(p.last).p50), vs(summarise(o.last).p99, summarise(p.last).p99), '', vs(o.usage.serverCpuMs, p.usage.serverCpuMs), '', '']);
    }
  }
  out.push(table(['clients on the document', 'server', 'first peer p50', 'first peer p99', 'last peer p50', 'last peer p99', 'max', 'server CPU/edit', 'other processes', 'edits arrived'], rows));
  out.push('');
  out.push(
    table(
      ['clients', 'ours: group commits', 'updates/commit', 'commit p50', 'commit p99', 'compactions (max ms)', 're-check calls (sockets, ms)', 'event loop blocked max: ours / plain / hocuspocus'],
      sizeResults.map((r) => {
        const t = r.inside.ours;
        return [
          String(r.clients),
          String(t.appends ?? 0),
          ((t.appendRows ?? 0) / Math.max(1, t.appends ?? 0)).toFixed(2),
          ms(t.appendP50 ?? NaN),
          ms(t.appendP99 ?? NaN),
          `${t.compactions ?? 0} (${ms(t.compactMax ?? NaN)})`,
          `${t.authorizations ?? 0} (${t.authorizeRequests ?? 0}, ${ms(t.authorizeMs ?? NaN, 0)})`,
          `${ms(t.loopDelayMax ?? NaN, 0)} / ${ms(r.inside.plain.loopDelayMax ?? NaN, 0)} / ${ms(r.inside.hocuspocus.loopDelayMax ?? NaN, 0)} ms`,
        ];
      }),
    ),
  );
  out.push('');
  if (process.env.BENCH_TRACE === '1') {
    out.push(
      `Inside the server process (BENCH_TRACE=1: from an update frame's 'message' event to the first update sent): ` +
        sizeResults.map((r) => `${r.clients} clients: ours p50 ${ms(r.inside.ours.traceP50 ?? NaN, 3)} / p90 ${ms(r.inside.ours.traceP90 ?? NaN, 3)} / p99 ${ms(r.inside.ours.traceP99 ?? NaN, 3)} / max ${ms(r.inside.ours.traceMax ?? NaN, 3)} ms ` +
            `(${r.inside.ours.traceSlow ?? 0} edits ≥ 2 ms: ${r.inside.ours.traceSlowGc ?? 0} beside a GC, ${r.inside.ours.traceSlowRecheck ?? 0} a re-check call, ${r.inside.ours.traceSlowCompact ?? 0} a compaction, ${r.inside.ours.traceSlowCommit ?? 0} a commit, ${r.inside.ours.traceSlowNone ?? 0} none of GC/re-check/compaction; their median: ${ms(r.inside.ours.traceSlowBefore ?? NaN, 2)} ms before the commit (${ms(r.inside.ours.traceSlowHandled ?? NaN, 2)} in the frame's handler), ${ms(r.inside.ours.traceSlowCommitMs ?? NaN, 2)} in it, ${ms(r.inside.ours.traceSlowAfter ?? NaN, 2)} after), plain ${ms(r.inside.plain.traceP50 ?? NaN, 3)} / ${ms(r.inside.plain.traceP90 ?? NaN, 3)} / ${ms(r.inside.plain.traceP99 ?? NaN, 3)} / ${ms(r.inside.plain.traceMax ?? NaN, 3)} ms`).join('; ') + '.',
    );
    out.push('');
  }
}

// B, C
for (const r of loadResults) {
  out.push(`### ${r.label}: every update → ${OBSERVERS} observer sockets (ms)`);
  out.push('');
  const rows: string[][] = [];
  for (const name of NAMES) {
    const run = r.runs[name];
    const f = summarise(run.first);
    const a = summarise(run.all);
    rows.push([name, ms(f.p50), ms(f.p90), ms(f.p99), ms(a.p50), ms(a.p99), ms(a.max), String(run.edits), ms(run.usage.serverCpuMs / Math.max(1, run.edits), 3), `${((run.usage.serverCpuMs / Math.max(1, run.usage.wallMs)) * 100).toFixed(0)}%`, `${foreignPct(run.usage).toFixed(0)}%`]);
  }
  for (const b of BASELINES) {
    const o = r.runs.ours;
    const p = r.runs[b];
    rows.push([`**ours / ${b}**`, `**${vs(summarise(o.first).p50, summarise(p.first).p50)}**`, vs(summarise(o.first).p90, summarise(p.first).p90), `**${vs(summarise(o.first).p99, summarise(p.first).p99)}**`, vs(summarise(o.all).p50, summarise(p.all).p50), vs(summarise(o.all).p99, summarise(p.all).p99), '', '', vs(o.usage.serverCpuMs, p.usage.serverCpuMs), '', '']);
  }
  out.push(table(['server', 'first observer p50', 'p90', 'p99', `all ${OBSERVERS} observers p50`, 'p99', 'max', 'updates', 'server CPU/update', 'server busy', 'other processes'], rows));
  out.push('');
  const t = r.inside.ours;
  out.push(
    `Inside ours: ${t.appends ?? 0} group commits of ${((t.appendRows ?? 0) / Math.max(1, t.appends ?? 0)).toFixed(1)} updates on average (commit p50 ${ms(t.appendP50 ?? NaN)}, p99 ${ms(t.appendP99 ?? NaN)}, max ${ms(t.appendMax ?? NaN)} ms), ` +
      `${t.compactions ?? 0} compactions (max ${ms(t.compactMax ?? NaN)} ms), ${t.authorizations ?? 0} re-check calls for ${t.authorizeRequests ?? 0} sockets (${ms(t.authorizeMs ?? NaN, 0)} ms, longest ${ms(t.authorizeMax ?? NaN)} ms); ` +
      `event loop blocked at most ${ms(t.loopDelayMax ?? NaN, 0)} ms (plain ${ms(r.inside.plain.loopDelayMax ?? NaN, 0)}, hocuspocus ${ms(r.inside.hocuspocus.loopDelayMax ?? NaN, 0)}; hocuspocus stored ${r.inside.hocuspocus.stores ?? 0} times, max ${ms(r.inside.hocuspocus.storeMax ?? NaN)} ms).`,
  );
  out.push('');
}

// D
if (openResult) {
  out.push(`### D. Open → synced: a document of ${openResult.keystrokes.toLocaleString('en')} keystrokes (${(openResult.bytes / 1024).toFixed(1)} KiB as one update) (ms)`);
  out.push('');
  out.push(
    'From creating the socket to: the upgrade done (authorised, for ours), the sync answer (SyncStep2) received, and applied into an empty Y.Doc ("synced"). ' +
      `Warm: another socket holds the document open (${OPEN.warm} opens per server). Cold: nobody has it open and it is not in memory (${OPEN.cold} opens; ours and ` +
      'Hocuspocus load it from their databases; plain keeps nothing in memory once the last socket leaves, so it has no cold open).',
  );
  out.push('');
  const rows: string[][] = [];
  for (const kind of ['warm', 'cold'] as const) {
    for (const name of NAMES) {
      const samples = openResult[kind][name];
      if (samples.length === 0) continue;
      const o = summarise(samples.map((s) => s.open));
      const a = summarise(samples.map((s) => s.answer));
      const y = summarise(samples.map((s) => s.synced));
      rows.push([kind, name, ms(o.p50), ms(a.p50), ms(y.p50), ms(y.p99), ms(y.min)]);
    }
    for (const b of BASELINES) {
      const o = openResult[kind].ours;
      const p = openResult[kind][b];
      if (o.length === 0 || p.length === 0) continue;
      const f = (xs: OpenSample[], k: keyof OpenSample) => summarise(xs.map((s) => s[k]));
      rows.push([kind, `**ours / ${b}**`, vs(f(o, 'open').p50, f(p, 'open').p50), vs(f(o, 'answer').p50, f(p, 'answer').p50), `**${vs(f(o, 'synced').p50, f(p, 'synced').p50)}**`, vs(f(o, 'synced').p99, f(p, 'synced').p99), '']);
    }
  }
  out.push(table(['', 'server', 'upgrade p50', 'answer p50', 'synced p50', 'synced p99', 'min'], rows));
  out.push('');
}

// E
if (Object.keys(idleResults).length > 0) {
  out.push(`### E. ${IDLE.sockets.toLocaleString('en')} idle authorised sockets in one process`);
  out.push('');
  out.push(
    'Each socket completes the upgrade (ours: its own session, checked like any other, on a third document; Hocuspocus: its Auth message) and then stays silent. ' +
      'Memory is the server process\'s heap + external (and RSS) after a full GC, before and after, per socket. While they are held, an editor and an observer on the ' +
      `main document make edits ${GAP_MS} ms apart for ${IDLE.holdSeconds} s ("with"), against 3 s of the same just before the idle sockets opened ("without"); ours re-checks ` +
      'every socket every 3 s meanwhile.',
  );
  out.push('');
  const rows: string[][] = [];
  for (const name of NAMES) {
    const r = idleResults[name];
    if (!r) continue;
    const w = summarise(r.edits.without);
    const h = summarise(r.edits.with);
    rows.push([name, `${r.opened.toLocaleString('en')} in ${r.openSeconds.toFixed(1)} s`, (r.perSocketHeap / 1024).toFixed(1), (r.perSocketRss / 1024).toFixed(1), `${ms(w.p50)} / ${ms(w.p99)}`, `${ms(h.p50)} / ${ms(h.p99)} (max ${ms(h.max)})`, `${ms(r.inside.loopDelayMax ?? NaN, 0)} ms`]);
  }
  out.push(table(['server', 'sockets held', 'KiB/socket (heap + external)', 'KiB/socket (RSS)', 'edit → peer without p50 / p99', 'with the idle sockets p50 / p99', 'event loop blocked max'], rows));
  out.push('');
  const r = idleResults.ours;
  if (r) {
    const rounds = r.recheckRounds;
    const per5k = rounds.map((x) => (x.ms / Math.max(1, x.sockets)) * 5000);
    out.push(
      `Ours' periodic re-check while they were held: ${rounds.length} rounds of ${rounds.map((x) => x.sockets).join(', ')} sockets; ` +
        `${per5k.map((x) => ms(x, 1)).join(', ')} ms of authorisation per 5,000 sockets per round (every 3 s), in ${rounds.map((x) => x.calls).join(', ')} calls, the longest ${ms(Math.max(0, ...rounds.map((x) => x.longestCall)), 1)} ms; ` +
        `${ms(((rounds.reduce((a, x) => a + x.ms, 0) / Math.max(1, rounds.length)) / 3000) * 100, 1)}% of a core on average.`,
    );
    out.push('');
  }
}

// F
if (cold) {
  out.push('### F. Cold load of a document with 10,000 stored keystroke updates (ms)');
  out.push('');
  const n = summarise(cold.naive.map((s) => s.total));
  const o = summarise(cold.ours.map((s) => s.total));
  const t = summarise(cold.oursTail.map((s) => s.total));
  const q = (xs: ColdSample[], k: 'query' | 'build') => ms(summarise(xs.map((x) => x[k])).p50);
  out.push(
    `${cold.updates.toLocaleString('en')} updates typed by 3 simulated drafters (${cold.updateBytes.toLocaleString('en')} bytes, ${cold.textChars.toLocaleString('en')} characters), stored through ` +
      `\`DocumentStore.append\` in batches of 100; ${cold.naive.length} timed runs each after 3 warm-up runs; own child process (other processes meanwhile: ${Math.max(0, (cold.foreign ?? 0) * 100).toFixed(0)}% of a core).`,
  );
  out.push('');
  out.push(
    table(
      ['load', 'p50', 'p99', 'max', 'min', 'query p50', 'build p50'],
      [
        [`naive: SELECT all ${cold.naiveRows.toLocaleString('en')} rows + apply`, ms(n.p50), ms(n.p99), ms(n.max), ms(n.min), q(cold.naive, 'query'), q(cold.naive, 'build')],
        [`ours after compaction: \`store.load\` + \`new Room\` (snapshot ${(cold.snapshotBytes / 1024).toFixed(1)} KiB)`, ms(o.p50), ms(o.p99), ms(o.max), ms(o.min), q(cold.ours, 'query'), q(cold.ours, 'build')],
        ['ours, worst case between compactions (snapshot + tail)', ms(t.p50), ms(t.p99), ms(t.max), ms(t.min), q(cold.oursTail, 'query'), q(cold.oursTail, 'build')],
      ],
    ),
  );
  out.push('');
  out.push(`\`store.compact\`: ${ms(cold.compactFullMs)} ms over all 10,000 updates; ${ms(cold.compactTailMs)} ms for snapshot + tail.`);
  out.push('');
}

// Goals
out.push('### Goals (first-peer times: the server\'s own share)');
out.push('');
const goals: string[][] = [];
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const at50 = sizeResults.find((r) => r.size === 50);
if (at50) {
  const o = summarise(at50.runs.ours.first);
  const p = summarise(at50.runs.plain.first);
  const h = summarise(at50.runs.hocuspocus.first);
  goals.push(['50 editors, edit → first peer, p50 ≤ 1.3× plain', `${ms(o.p50)} vs ${ms(p.p50)} ms = ${ratio(o.p50, p.p50)}`, verdict(o.p50 / p.p50 <= 1.3)]);
  goals.push(['50 editors, edit → first peer, p99 ≤ 1.5× plain', `${ms(o.p99)} vs ${ms(p.p99)} ms = ${ratio(o.p99, p.p99)}`, verdict(o.p99 / p.p99 <= 1.5)]);
  goals.push(['50 editors, edit → first peer, p50 ≤ 1.0× Hocuspocus (which stores after relaying)', `${ms(o.p50)} vs ${ms(h.p50)} ms = ${ratio(o.p50, h.p50)} (p99 ${ratio(o.p99, h.p99)})`, verdict(o.p50 / h.p50 <= 1.0)]);
}
const loadR = loadResults.find((r) => r.editors === LOAD.editors && r.label.startsWith('C.'));
if (loadR) {
  const o = summarise(loadR.runs.ours.first);
  const p = summarise(loadR.runs.plain.first);
  const oa = summarise(loadR.runs.ours.all);
  const pa = summarise(loadR.runs.plain.all);
  goals.push([`${LOAD.editors} editors × ${LOAD.perSecond}/s, p99 ≤ 1.5× plain`, `first observer ${ms(o.p99)} vs ${ms(p.p99)} ms = ${ratio(o.p99, p.p99)} (all ${OBSERVERS}: ${ratio(oa.p99, pa.p99)}; p50 ${ms(o.p50)} vs ${ms(p.p50)})`, verdict(o.p99 / p.p99 <= 1.5)]);
}
const togetherR = loadResults.find((r) => r.label.startsWith('B.'));
if (togetherR) {
  const o = summarise(togetherR.runs.ours.first);
  const p = summarise(togetherR.runs.plain.first);
  goals.push([`(no goal set) ${TOGETHER.editors} editors typing at once vs plain`, `p50 ${ratio(o.p50, p.p50)}, p99 ${ratio(o.p99, p.p99)}`, '']);
}
if (openResult) {
  const w = summarise(openResult.warm.ours.map((s) => s.synced));
  const c = summarise(openResult.cold.ours.map((s) => s.synced));
  goals.push(['open 10,000 keystrokes, upgrade → synced, warm p50 ≤ 5 ms', `${ms(w.p50)} ms (p99 ${ms(w.p99)}; plain ${ms(summarise(openResult.warm.plain.map((s) => s.synced)).p50)}, hocuspocus ${ms(summarise(openResult.warm.hocuspocus.map((s) => s.synced)).p50)})`, verdict(w.p50 <= 5)]);
  goals.push(['… cold p50 ≤ 20 ms', `${ms(c.p50)} ms (p99 ${ms(c.p99)}; hocuspocus ${ms(summarise(openResult.cold.hocuspocus.map((s) => s.synced)).p50)})`, verdict(c.p50 <= 20)]);
}
if (idleResults.ours) {
  const r = idleResults.ours;
  goals.push([`idle authorised sockets: ${IDLE.sockets.toLocaleString('en')} held at ≤ 7.7 KiB each (keep)`, `${r.opened.toLocaleString('en')} held, ${(r.perSocketHeap / 1024).toFixed(1)} KiB heap+external (${(r.perSocketRss / 1024).toFixed(1)} KiB RSS)`, verdict(r.opened >= IDLE.sockets && r.perSocketHeap <= 7.7 * 1024)]);
}
out.push(table(['goal', 'measured', 'verdict'], goals));
out.push('');
out.push('Single runs on a shared 2-core machine: compare several before deciding on a p99.');
out.push('');
out.push(`Stored by ours during the run: ${finalStats.ours.storedUpdates} update rows, snapshot at seq ${finalStats.ours.snapshotSeq}, ${finalStats.ours.auditEvents} audit events, ${finalStats.ours.errors} server errors.`);
if (finalStats.ours.errors && finalStats.ours.errors > 0) problems.push(`ours reported ${finalStats.ours.errors} errors`);
if (problems.length > 0) {
  out.push('');
  out.push('**Problems:**');
  for (const p of problems) out.push(`- ${p}`);
}
if (PROFILE) out.push(`\nCPU profiles of the measured phases: ${relative(process.cwd(), join(RESULTS, 'profiles'))}/<server>-<phase>.cpuprofile; summarise with \`node --import tsx tests/bench/profile-summary.ts <file>\`.`);

const report = out.join('\n') + '\n';
process.stdout.write(report);
writeFileSync(join(RESULTS, 'latest.md'), report);
writeFileSync(join(RESULTS, 'latest.json'), JSON.stringify({ sizes: sizeResults, load: loadResults, open: openResult, idle: idleResults, cold, finalStats, problems, loadavg: [load0, load1] }, null, 1));
log(`wrote ${relative(process.cwd(), join(RESULTS, 'latest.md'))} in ${totalS.toFixed(0)} s`);
process.exit(problems.length > 0 ? 1 : 0);
