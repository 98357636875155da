import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDb, createTestDb, migrateToLatest, type Db } from './index.ts';

let db: Db;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, cleanup } = await createTestDb()));
afterEach(() => cleanup());

const area = (id: string) => ({ id, slug: id, name_fi: id, name_sv: id, name_en: id, cooperation_model: 'joint_body', legal_basis: null, host_municipality_id: null, exception_grounds: '[]', facts: '[]', created_at: 1 });

it('refuses :memory:, which loses its schema inside transactions', async () => {
  await expect(createDb({ url: ':memory:' })).rejects.toThrow(/temporary file/);
});

it('runs overlapping write transactions one after the other instead of failing with SQLITE_BUSY', async () => {
  const order: string[] = [];
  await Promise.all(
    ['a', 'b', 'c'].map((id) =>
      db.transaction().execute(async (trx) => {
        order.push(`begin ${id}`);
        await trx.insertInto('areas').values(area(id)).execute();
        await new Promise((r) => setTimeout(r, 5));
        order.push(`end ${id}`);
      }),
    ),
  );
  expect(order).toEqual(['begin a', 'end a', 'begin b', 'end b', 'begin c', 'end c']);
  expect(await db.selectFrom('areas').select('id').execute()).toHaveLength(3);
});

it('rolls a failed transaction back completely', async () => {
  await expect(
    db.transaction().execute(async (trx) => {
      await trx.insertInto('areas').values(area('x')).execute();
      await trx.insertInto('areas').values(area('x')).execute();
    }),
  ).rejects.toThrow();
  expect(await db.selectFrom('areas').select('id').execute()).toHaveLength(0);
});

it('enforces foreign keys and returns BLOBs as Uint8Array', async () => {
  await expect(db.insertInto('documents').values({ id: 'd', area_id: 'missing', kind: 'service_plan', title: 't', created_by: null, created_at: 1 }).execute()).rejects.toThrow(/FOREIGN KEY/);
  await db.insertInto('areas').values(area('a')).execute();
  await db.insertInto('documents').values({ id: 'd', area_id: 'a', kind: 'service_plan', title: 't', created_by: null, created_at: 1 }).execute();
  await db.insertInto('doc_updates').values({ document_id: 'd', seq: 1, update: new Uint8Array([1, 2, 3]), user_id: null, created_at: 1 }).execute();
  const row = await db.selectFrom('doc_updates').select('update').executeTakeFirstOrThrow();
  expect(row.update).toBeInstanceOf(Uint8Array);
  expect([...row.update]).toEqual([1, 2, 3]);
});

it('migrates idempotently', async () => {
  await migrateToLatest(db);
  const tables = await db.introspection.getTables();
  expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['areas', 'users', 'sessions', 'memberships', 'audit_events', 'doc_updates', 'doc_snapshots']));
});
