import { describe, expect, it } from 'vitest';
import { CommitQueue } from '../src/commit-queue.ts';
import type { AppendBatch, PendingUpdate } from '../src/store.ts';

const update = (n: number): PendingUpdate => ({ update: new Uint8Array([n]), userId: 'u' });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A queue on a clock the test moves (`clock.ms`), busy for 10 ms after each write. */
function queue() {
  const written: number[][] = [];
  const relayed: number[][] = [];
  const clock = { ms: 1000 };
  const q = new CommitQueue<PendingUpdate>(
    0,
    async (batch: AppendBatch) => void written.push(batch.updates.map((u) => u.update[0]!)),
    (updates) => relayed.push(updates.map((u) => u.update[0]!)),
    (error) => {
      throw error;
    },
    10,
    () => clock.ms,
  );
  return { q, written, relayed, clock };
}
const microtasks = () => Promise.resolve().then(() => undefined).then(() => undefined).then(() => undefined);

describe('group commit', () => {
  it("writes and relays a turn's first update at once, before the loop handles anything else", async () => {
    const { q, relayed } = queue();
    let otherFrame = false;
    // Another socket's frame already waiting for the loop (an I/O callback comes no sooner than this).
    setImmediate(() => (otherFrame = true));
    q.push(update(1));
    await Promise.resolve().then(() => undefined).then(() => undefined).then(() => undefined);
    expect(relayed).toEqual([[1]]);
    expect(otherFrame).toBe(false);
  });

  it('groups what comes later in the same turn into one commit, written after the turn', async () => {
    const { q, written, relayed } = queue();
    q.push(update(1));
    await Promise.resolve().then(() => undefined).then(() => undefined).then(() => undefined);
    q.push(update(2));
    q.push(update(3));
    q.push(update(4));
    expect(written).toEqual([[1]]);
    await nextTurn();
    await nextTurn();
    expect(written).toEqual([[1], [2, 3, 4]]);
    expect(relayed).toEqual([[1], [2, 3, 4]]);
  });

  it("groups even a turn's first update while the room is busy (a write within the window), and goes at once again when it is quiet", async () => {
    const { q, written, relayed, clock } = queue();
    q.push(update(1));
    await microtasks();
    expect(relayed).toEqual([[1]]);
    await nextTurn();
    // A new turn, 4 ms after the last write: busy. Its first update waits for the check phase with the rest.
    clock.ms += 4;
    q.push(update(2));
    await microtasks();
    expect(written).toEqual([[1]]);
    q.push(update(3));
    await nextTurn();
    await nextTurn();
    expect(relayed).toEqual([[1], [2, 3]]);
    // Quiet again (10 ms after the last write): a new turn's first update goes at once.
    clock.ms += 10;
    q.push(update(4));
    await microtasks();
    expect(relayed.at(-1)).toEqual([4]);
    expect(q.lastSeq).toBe(4);
  });
});
