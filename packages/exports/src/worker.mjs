// A render worker (pool.ts): loads the TypeScript renderer through tsx, so that it runs the same under the server
// (node --import tsx), Vitest and the benchmark; answers each job with the file's bytes, transferred, not copied.
import { register } from 'tsx/esm/api';
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';

// Drawing is background work: this thread runs 10 nice levels below the thread that made it, so that on a machine
// whose cores are all busy the server's event loop is scheduled first (decision 022). On Linux the nice value is per
// thread and 0 is the calling thread: the server's own threads keep theirs. Where that is refused, it draws as before.
try {
  setPriority(0, Math.min(19, getPriority(0) + 10));
} catch {
  // Not permitted here (a sandbox): no lower priority, nothing else changes.
}

register();
const { render } = await import('./render.ts');

parentPort.on('message', async ({ id, job }) => {
  try {
    const bytes = new Uint8Array(await render(job));
    parentPort.postMessage({ id, bytes }, [bytes.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
parentPort.postMessage({ ready: true });
