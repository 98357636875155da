// A render worker (pool.ts): loads the TypeScript renderer through tsx, so that it runs the same under the server
// (node --import tsx), Vitest and the benchmark; answers each job with the file's bytes, transferred, not copied.
import { register } from 'tsx/esm/api';
import { parentPort } from 'node:worker_threads';

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
