// Phase A's load generator for one server (run.ts forks one per server): real y-websocket providers in their own
// process, so that what one server's clients do (the awareness renewals and echoes of 200 providers, applying
// every edit) does not queue in front of another server's edit. A browser's event loop is its own; the
// benchmark's clients of one server share one, the three servers' clients do not. The edit loop runs here too, so
// its timing (edit → first and last peer) never crosses a process boundary.
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { socketClass, type Framing } from './clients.ts';
import { processCpuMs as cpuMs, sleep } from './common.ts';

/** Parent → child. */
export type SingleCommand =
  | { type: 'connect'; id: number; wsUrl: string; documentId: string; cookies: string[]; framing: Framing; size: number }
  | { type: 'edits'; id: number; count: number; offset: number; rotating: boolean; gapMs: number; timeoutMs: number }
  | { type: 'closes'; id: number; reset: boolean }
  | { type: 'pause'; id: number }
  | { type: 'resume'; id: number }
  | { type: 'destroy'; id: number };

/** What one `edits` command measured. */
export interface SingleRun {
  last: number[];
  first: number[];
  starts: number[];
  lost: number;
  /** This process's CPU during the edits (ms). */
  cpuMs: number;
}

/** Child → parent. */
export type SingleAnswer = { type: 'ready' } | { type: 'done'; id: number; run?: SingleRun; closes?: number; resumed?: boolean } | { type: 'failed'; id: number; error: string };

async function waitFor(predicate: () => boolean, what: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
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
  seen: Int32Array;
  probe: Probe | null = null;
  closes = 0;
  /** Disconnected on purpose while another server takes its turn (pause): those closes are not counted. */
  paused = false;
  #seq = 0;

  constructor(
    readonly wsUrl: string,
    readonly documentId: string,
    readonly cookies: string[],
    readonly framing: Framing,
    readonly size: number,
  ) {
    this.seen = new Int32Array(size).fill(-1);
  }

  async connect() {
    const batch = 20;
    for (let start = 0; start < this.size; start += batch) {
      const added: WebsocketProvider[] = [];
      for (let index = start; index < Math.min(this.size, start + batch); index++) {
        const doc = new Y.Doc();
        const cookie = this.cookies.length > 0 ? this.cookies[index % this.cookies.length] : undefined;
        const provider = new WebsocketProvider(this.wsUrl, this.documentId, doc, {
          WebSocketPolyfill: socketClass(cookie, this.framing) as unknown as typeof globalThis.WebSocket,
          disableBc: true,
          maxBackoffTime: 500,
        });
        provider.on('connection-close', () => {
          if (!this.paused) this.closes++;
        });
        doc.on('update', () => this.#observe(index));
        this.docs.push(doc);
        this.providers.push(provider);
        added.push(provider);
      }
      await waitFor(() => added.every((p) => p.synced), `${this.size} clients synced`, 60_000);
    }
    await waitFor(() => this.docs.every((d) => d.getMap('sections').size > 0), 'template everywhere', 30_000);
    this.closes = 0;
  }

  /**
   * While another server takes its turn, this server's clients are disconnected: their presence renewals (and the
   * echoes of them) would otherwise run in this process and this server while another server's edits are timed.
   */
  async pause() {
    if (this.paused) return;
    this.paused = true;
    for (const provider of this.providers) provider.disconnect();
    await waitFor(() => this.providers.every((p) => !p.wsconnected && p.ws === null), `${this.size} clients disconnected`, 30_000);
  }

  /** Connects the clients again (in batches, as at first) and waits until each has synced. */
  async resume(): Promise<boolean> {
    if (!this.paused) return false;
    const batch = 20;
    for (let start = 0; start < this.size; start += batch) {
      const added = this.providers.slice(start, start + batch);
      for (const provider of added) provider.connect();
      await waitFor(() => added.every((p) => p.synced), `${this.size} clients synced again`, 60_000);
    }
    this.paused = false;
    return true;
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

  /** One edit by client `editor`; resolves with [last peer ms, first peer ms, start epochMs], or null on timeout. */
  async edit(editor: number, timeoutMs: number): Promise<[number, number, number] | null> {
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
    const ok = await Promise.race([finished.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
    clearTimeout(timer);
    this.probe = null;
    return ok ? [probe.t0, probe.first, started] : null;
  }

  /** `count` edits spaced `gapMs` apart (start to start; never overlapping: each waits for the previous to arrive). */
  async edits(count: number, offset: number, rotating: boolean, gapMs: number, timeoutMs: number): Promise<SingleRun> {
    const run: SingleRun = { last: [], first: [], starts: [], lost: 0, cpuMs: 0 };
    const cpuBefore = cpuMs();
    for (let k = 0; k < count; k++) {
      const started = performance.now();
      const editor = rotating ? (offset + k) % this.size : 0;
      const result = await this.edit(editor, timeoutMs);
      if (result) {
        run.last.push(result[0]);
        run.first.push(result[1]);
        run.starts.push(result[2]);
      } else run.lost++;
      await sleep(Math.max(started + gapMs - performance.now(), 2));
    }
    run.cpuMs = cpuMs() - cpuBefore;
    return run;
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

let set: ClientSet | null = null;
const answer = (message: SingleAnswer) => process.send!(message);

process.on('message', (command: SingleCommand) => {
  void (async () => {
    try {
      switch (command.type) {
        case 'connect':
          set = new ClientSet(command.wsUrl, command.documentId, command.cookies, command.framing, command.size);
          await set.connect();
          answer({ type: 'done', id: command.id });
          return;
        case 'edits':
          answer({ type: 'done', id: command.id, run: await set!.edits(command.count, command.offset, command.rotating, command.gapMs, command.timeoutMs) });
          return;
        case 'closes': {
          const closes = set!.closes;
          if (command.reset) set!.closes = 0;
          answer({ type: 'done', id: command.id, closes });
          return;
        }
        case 'pause':
          await set!.pause();
          answer({ type: 'done', id: command.id });
          return;
        case 'resume':
          answer({ type: 'done', id: command.id, resumed: await set!.resume() });
          return;
        case 'destroy':
          set?.destroy();
          set = null;
          answer({ type: 'done', id: command.id });
          return;
      }
    } catch (error) {
      answer({ type: 'failed', id: command.id, error: String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
answer({ type: 'ready' });
