import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from './client.ts';
import { nativeStatements } from './native.ts';
import { createTestDb } from './testing.ts';

let db: Db;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, cleanup } = await createTestDb());
});
afterEach(async () => {
  await cleanup();
});

const INSERT = 'insert into users (id, email, display_name, password_hash, locale, created_at) values (?, ?, ?, null, ?, ?)';
const names = async () => (await db.selectFrom('users').select('id').where('id', 'like', 'n-%').orderBy('id').execute()).map((r) => r.id);

describe('nativeStatements', () => {
  it('runs statements on the same connection Kysely uses, and counts changed rows', async () => {
    const native = nativeStatements(db)!;
    expect(native).not.toBeNull();
    const changes = await native.exclusive((run) => run(INSERT, 'n-1', 'n1@example.fi', 'N', 'fi', 1).changes);
    expect(changes).toBe(1);
    expect(await names()).toEqual(['n-1']);
  });

  it('rolls back a transaction it began when the function throws, and passes the error on', async () => {
    const native = nativeStatements(db)!;
    await expect(
      native.exclusive((run) => {
        run('BEGIN IMMEDIATE');
        run(INSERT, 'n-2', 'n2@example.fi', 'N', 'fi', 1);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await names()).toEqual([]);
    // The connection is usable afterwards, by both paths.
    await native.exclusive((run) => run(INSERT, 'n-3', 'n3@example.fi', 'N', 'fi', 1));
    expect(await names()).toEqual(['n-3']);
  });

  it('never runs inside a Kysely transaction: it waits for the transaction to end', async () => {
    const native = nativeStatements(db)!;
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const trx = db.transaction().execute(async (t) => {
      await t.insertInto('users').values({ id: 'n-4', email: 'n4@example.fi', display_name: 'N', password_hash: null, locale: 'fi', created_at: 1 }).execute();
      order.push('transaction wrote');
      await held;
      order.push('transaction ends');
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const nativeDone = native.exclusive((run) => {
      order.push('native runs');
      return run(INSERT, 'n-5', 'n5@example.fi', 'N', 'fi', 1);
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    release();
    await Promise.all([trx, nativeDone]);
    expect(order).toEqual(['transaction wrote', 'transaction ends', 'native runs']);
    expect(await names()).toEqual(['n-4', 'n-5']);
  });
});
