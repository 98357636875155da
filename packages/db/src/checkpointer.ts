import type Libsql from 'libsql';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints on a thread of their own.
 *
 * SQLite copies the write-ahead log back into the database file (a checkpoint) on the connection whose commit pushes
 * the log past 1,000 pages, and with synchronous=NORMAL that checkpoint ends in an fsync. Our connection is the event
 * loop's: every ~1,000th commit blocked every socket of the process for 4–6 ms on this machine, longer on a large
 * database (the collab benchmark's tails, decision 005). Here the main connection never checkpoints
 * (wal_autocheckpoint=0); a worker thread with its own connection to the same file runs a PASSIVE checkpoint every
 * `everyMs`, which copies what no reader still needs and never blocks the writer (WAL mode lets a checkpoint run
 * beside writers). If the worker cannot start or dies, the main connection checkpoints for itself again.
 */
export interface Checkpointer {
  /** Non-empty checkpoints so far (pages copied back at least once). */
  readonly checkpoints: number;
  /** True while the worker runs them (false: the main connection checkpoints for itself). */
  readonly running: boolean;
  stop(): Promise<void>;
}

const AUTOCHECKPOINT_PAGES = 1000;

// CommonJS, evaluated in the worker: only `libsql` (its path resolved here) and the file's path come in.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.libsql);
(() => {
  let db;
  try {
    db = new Database(workerData.path);
    db.exec('PRAGMA busy_timeout = 1000');
  } catch (error) {
    parentPort.postMessage({ type: 'failed', error: String(error) });
    return;
  }
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const tick = () => {
    try {
      const row = checkpoint.get();
      const copied = row ? Number(row.checkpointed ?? row[2] ?? 0) : 0;
      if (copied > 0) parentPort.postMessage({ type: 'checkpoint', pages: copied });
    } catch (error) {
      parentPort.postMessage({ type: 'error', error: String(error) });
    }
  };
  const timer = setInterval(tick, workerData.everyMs);
  parentPort.on('message', (message) => {
    if (message !== 'stop') return;
    clearInterval(timer);
    tick();
    db.close();
    parentPort.close();
  });
  parentPort.postMessage({ type: 'ready' });
})();
`;

export function startCheckpointer(path: string, main: Libsql.Database, everyMs = 1000): Checkpointer {
  let checkpoints = 0;
  let running = false;
  let stopped = false;
  const fallBack = () => {
    running = false;
    if (!stopped && main.open) main.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { libsql: createRequire(import.meta.url).resolve('libsql'), path, everyMs } });
  } catch {
    return { checkpoints: 0, running: false, stop: async () => {} };
  }
  worker.unref();
  worker.on('message', (message: { type: string }) => {
    if (message.type === 'ready') {
      if (stopped) return;
      running = true;
      main.exec('PRAGMA wal_autocheckpoint = 0');
    } else if (message.type === 'checkpoint') checkpoints++;
    else if (message.type === 'failed') fallBack();
  });
  worker.on('error', fallBack);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => (fallBack(), resolve())));
  return {
    get checkpoints() {
      return checkpoints;
    },
    get running() {
      return running;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      running = false;
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
