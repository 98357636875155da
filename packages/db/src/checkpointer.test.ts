import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointerOf, createDb, type Db } from './client.ts';
import { migrateToLatest } from './migrate.ts';
import { nativeStatements } from './native.ts';
import { sql } from 'kysely';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(backgroundCheckpoints: boolean): Promise<{ db: Db; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sopu-ckpt-'));
  dirs.push(dir);
  const path = join(dir, 'test.db');
  const db = await createDb({ url: `file:${path}`, backgroundCheckpoints });
  await migrateToLatest(db);
  return { db, path };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** Commits `count` rows one at a time, as the collab server's group commits do. */
async function typeRows(db: Db, from: number, count: number) {
  const native = nativeStatements(db)!;
  await native.exclusive((run) => {
    for (let i = from; i < from + count; i++) run('insert into users (id, email, display_name, password_hash, locale, created_at) values (?, ?, ?, null, ?, ?)', `u-${i}`, `u${i}@example.fi`, 'x'.repeat(200), 'fi', i);
  });
}

describe('background checkpoints', () => {
  it('take checkpoints off the main connection: it never checkpoints itself, the worker keeps the log short, and stops with the database', async () => {
    const { db, path } = await open(true);
    const checkpointer = checkpointerOf(db)!;
    await until(() => checkpointer.running);
    const pragma = async () => Number(Object.values((await sql<Record<string, number>>`PRAGMA wal_autocheckpoint`.execute(db)).rows[0]!)[0]);
    expect(await pragma()).toBe(0);
    // Far more than 1,000 pages in all, in rounds the worker can catch up between.
    let firstRound = 0;
    for (let round = 0; round < 8; round++) {
      await typeRows(db, round * 1500, 1500);
      if (round === 0) firstRound = statSync(`${path}-wal`).size;
      const before = checkpointer.checkpoints;
      await until(() => checkpointer.checkpoints > before);
    }
    // The log restarts after each full checkpoint: it stays about one round's size, not eight.
    expect(firstRound / 4096).toBeGreaterThan(1000);
    expect(statSync(`${path}-wal`).size).toBeLessThan(firstRound * 1.5);
    expect(await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'like', 'u-%').executeTakeFirstOrThrow()).toEqual({ n: 12_000 });
    await db.destroy();
    expect(checkpointer.running).toBe(false);
  });

  it('is off unless asked for: the connection checkpoints for itself as SQLite does by default', async () => {
    const { db } = await open(false);
    expect(checkpointerOf(db)).toBeUndefined();
    const row = (await sql<Record<string, number>>`PRAGMA wal_autocheckpoint`.execute(db)).rows[0]!;
    expect(Number(Object.values(row)[0])).toBe(1000);
    await db.destroy();
  });
});
