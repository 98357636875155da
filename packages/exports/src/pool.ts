import { Worker } from 'node:worker_threads';
import { render, type RenderJob } from './render.ts';

/**
 * Where files are drawn. Drawing a 30-page PDF takes a few hundred milliseconds of CPU, which would stop the
 * collaboration server's event loop for as long (decision 022: no export may block it for more than 20 ms), so the
 * server draws in worker threads: a small pool, a bounded queue, and a clear refusal when both are full.
 */
export interface Renderer {
  render(job: RenderJob): Promise<Uint8Array>;
  close(): Promise<void>;
}

export type RenderPool = Renderer & {
  /** Jobs running and waiting now (for tests and the benchmark). */
  load(): { running: number; queued: number };
};

/** Refused: every worker is busy and the queue is full. Transports answer 503 with Retry-After. */
export class RenderPoolBusyError extends Error {
  constructor() {
    super('the file renderer is busy: try again in a moment');
    this.name = 'RenderPoolBusyError';
  }
}

/** Draws in the calling thread: for tests of the files themselves and for scripts, never for the server. */
export function inProcessRenderer(): Renderer {
  return { render, close: async () => {} };
}

export interface RenderPoolOptions {
  /** Worker threads (default 1: the machine has two cores, and the other serves the requests). */
  size?: number;
  /** Jobs that may wait for a worker; one more is refused (RenderPoolBusyError). */
  maxQueue?: number;
  /** A job running longer is abandoned and its worker replaced. */
  timeoutMs?: number;
}

interface Pending {
  job: RenderJob;
  resolve: (bytes: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  current: (Pending & { id: number; timer: NodeJS.Timeout }) | null;
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

export function createRenderPool(options: RenderPoolOptions = {}): RenderPool {
  const size = Math.max(1, options.size ?? 1);
  const maxQueue = Math.max(0, options.maxQueue ?? 8);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_URL);
    worker.unref();
    let markReady!: () => void;
    const slot: Slot = { worker, ready: new Promise<void>((r) => (markReady = r)), current: null };
    worker.on('message', (message: { ready?: true; id?: number; bytes?: Uint8Array; error?: string }) => {
      if (message.ready) {
        markReady();
        return;
      }
      const current = slot.current;
      if (!current || current.id !== message.id) return;
      clearTimeout(current.timer);
      slot.current = null;
      worker.unref();
      if (message.error !== undefined) current.reject(new Error(`rendering failed: ${message.error}`));
      else current.resolve(message.bytes!);
      dispatch();
    });
    const fail = (error: Error) => {
      const current = slot.current;
      slot.current = null;
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      if (current) {
        clearTimeout(current.timer);
        current.reject(error);
      }
      markReady();
      if (!closed) dispatch();
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`render worker exited (${code})`)));
    slots.push(slot);
    return slot;
  };

  const dispatch = () => {
    while (queue.length > 0 && !closed) {
      let slot = slots.find((s) => s.current === null);
      if (!slot && slots.length < size) slot = spawn();
      if (!slot) return;
      const pending = queue.shift()!;
      const id = nextId++;
      const target = slot;
      const timer = setTimeout(() => {
        void target.worker.terminate();
      }, timeoutMs);
      target.current = { ...pending, id, timer };
      target.worker.ref();
      void target.ready.then(() => {
        if (target.current?.id === id) target.worker.postMessage({ id, job: pending.job });
      });
    }
  };

  return {
    render(job) {
      if (closed) return Promise.reject(new Error('the render pool is closed'));
      const idle = slots.some((s) => s.current === null) || slots.length < size;
      if (!idle && queue.length >= maxQueue) return Promise.reject(new RenderPoolBusyError());
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ job, resolve, reject });
        dispatch();
      });
    },
    load: () => ({ running: slots.filter((s) => s.current !== null).length, queued: queue.length }),
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('the render pool is closed'));
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
