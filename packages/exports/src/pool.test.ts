import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { documentModel } from './builders.ts';
import { createRenderPool, inProcessRenderer, RenderPoolBusyError, type RenderPool } from './pool.ts';
import { demoFacts } from './testing.ts';

const model = documentModel(demoFacts());
let pool: RenderPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('the render pool', () => {
  it('draws in a worker thread the same file as in the calling thread', async () => {
    pool = createRenderPool({ size: 1 });
    const local = inProcessRenderer();
    for (const format of ['pdf', 'docx'] as const) {
      const [ours, theirs] = [await pool.render({ model, format }), await local.render({ model, format })];
      expect(ours.length).toBeGreaterThan(10_000);
      if (format === 'pdf') expect(Buffer.from(ours).equals(Buffer.from(theirs)), 'PDF output is deterministic').toBe(true);
      else expect(Buffer.from(ours.subarray(0, 4)).toString('latin1')).toBe('PK\u0003\u0004');
    }
  }, 60_000);

  // Linux: each thread's nice value from /proc (field 19 of its stat line), by thread id.
  const threadNice = () =>
    new Map(
      readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return [tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] as const;
      }),
    );

  it.runIf(process.platform === 'linux')('draws at a lower priority than the calling thread, which keeps its own', async () => {
    const own = getPriority(0);
    const before = threadNice();
    pool = createRenderPool({ size: 1 });
    await pool.render({ model, format: 'docx' });
    const after = threadNice();
    const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === Math.min(19, own + 10));
    expect(lowered.length, 'the render worker\'s thread').toBeGreaterThanOrEqual(1);
    expect(getPriority(0)).toBe(own);
    expect(after.get(String(process.pid))).toBe(before.get(String(process.pid)));
  }, 60_000);

  it('refuses a job when every worker is busy and the queue is full, and serves the queued ones', async () => {
    pool = createRenderPool({ size: 1, maxQueue: 2 });
    const accepted = [pool.render({ model, format: 'pdf' }), pool.render({ model, format: 'docx' }), pool.render({ model, format: 'docx' })];
    expect(pool.load()).toEqual({ running: 1, queued: 2 });
    await expect(pool.render({ model, format: 'pdf' })).rejects.toBeInstanceOf(RenderPoolBusyError);
    const files = await Promise.all(accepted);
    expect(files.map((f) => f.length > 0)).toEqual([true, true, true]);
    expect(pool.load()).toEqual({ running: 0, queued: 0 });
  }, 60_000);

  it('answers a job that fails in the worker with its error and keeps serving', async () => {
    pool = createRenderPool({ size: 1 });
    const broken = { ...model, sections: [{ number: 1, key: 'x', title: 'x', blocks: [{ kind: 'table', rows: 'not rows' }] }] } as unknown as typeof model;
    await expect(pool.render({ model: broken, format: 'docx' })).rejects.toThrow(/rendering failed/);
    expect((await pool.render({ model, format: 'docx' })).length).toBeGreaterThan(0);
  }, 60_000);

  it('replaces a worker that takes too long, and the next job is served', async () => {
    pool = createRenderPool({ size: 1, timeoutMs: 1 });
    await expect(pool.render({ model, format: 'pdf' })).rejects.toThrow(/exited/);
    await pool.close();
    pool = createRenderPool({ size: 1 });
    expect((await pool.render({ model, format: 'docx' })).length).toBeGreaterThan(0);
  }, 60_000);

  it('keeps the calling thread free while a worker draws (where the in-process renderer blocks it)', async () => {
    pool = createRenderPool({ size: 1 });
    await pool.render({ model, format: 'pdf' }); // warm: the worker has parsed its fonts
    // The longest gap between ticks of a 1 ms timer while the file is drawn, up to the moment it is done.
    const blocked = async (draw: () => Promise<Uint8Array>) => {
      let last = performance.now();
      let max = 0;
      const tick = setInterval(() => {
        const now = performance.now();
        max = Math.max(max, now - last);
        last = now;
      }, 1);
      await draw();
      clearInterval(tick);
      return Math.max(max, performance.now() - last);
    };
    const local = inProcessRenderer();
    await local.render({ model, format: 'pdf' });
    const inProcess = await blocked(() => local.render({ model, format: 'pdf' }));
    const inWorker = await blocked(() => pool!.render({ model, format: 'pdf' }));
    // Under load the numbers stretch; the worker's must stay well below drawing in the thread itself.
    expect(inProcess).toBeGreaterThan(50);
    expect(inWorker).toBeLessThan(inProcess / 2);
  }, 60_000);
});
