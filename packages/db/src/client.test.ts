import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { migrations } from '@sopu/migrations';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, normaliseDatabaseUrl, type Db } from './client.ts';
import { migrateToLatest } from './migrate.ts';
import { createTestDb } from './testing.ts';

let db: Db;
let url: string;
let path: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ db, url, path, cleanup } = await createTestDb());
});
afterEach(async () => {
  await cleanup();
});

const user = (id: string) => ({ id, email: `${id}@example.fi`, display_name: id, password_hash: null, locale: 'fi', created_at: 1 });

describe('normaliseDatabaseUrl / createDb', () => {
  it('turns a plain path into a file: URL and leaves URLs alone', () => {
    expect(normaliseDatabaseUrl('./data/sopu.db')).toBe('file:./data/sopu.db');
    expect(normaliseDatabaseUrl('file:/tmp/x.db')).toBe('file:/tmp/x.db');
    expect(normaliseDatabaseUrl('libsql://db.example.fi')).toBe('libsql://db.example.fi');
    expect(normaliseDatabaseUrl('https://db.example.fi')).toBe('https://db.example.fi');
  });

  it('refuses an in-memory database', async () => {
    await expect(createDb({ url: ':memory:' })).rejects.toThrow(/memory/i);
    await expect(createDb({ url: 'file::memory:' })).rejects.toThrow(/memory/i);
  });
});

describe('file modes', () => {
  const mode = (file: string) => statSync(file).mode & 0o777;

  it('a new file database, its WAL and shared-memory files are readable by the owner only (0600)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopu-modes-'));
    const file = join(dir, 'nested', 'sopu.db');
    const fresh = await createDb({ url: `file:${file}` });
    try {
      await migrateToLatest(fresh);
      await fresh.insertInto('users').values(user('written')).execute();
      // The write is in the WAL (not yet checkpointed): the file exists, and so does the shared-memory index.
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      expect({ db: mode(file), wal: mode(`${file}-wal`), shm: mode(`${file}-shm`), dir: mode(join(dir, 'nested')) }).toEqual({ db: 0o600, wal: 0o600, shm: 0o600, dir: 0o700 });
    } finally {
      await fresh.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an existing database left readable by others is tightened when opened, and its new WAL follows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopu-modes-'));
    const file = join(dir, 'old.db');
    const old = await createDb({ url: `file:${file}` });
    await migrateToLatest(old);
    await old.destroy();
    chmodSync(file, 0o644);
    const reopened = await createDb({ url: `file:${file}` });
    try {
      await reopened.insertInto('users').values(user('again')).execute();
      expect({ db: mode(file), wal: mode(`${file}-wal`), shm: mode(`${file}-shm`) }).toEqual({ db: 0o600, wal: 0o600, shm: 0o600 });
    } finally {
      await reopened.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createTestDb', () => {
  it('is a migrated file database with foreign keys on', async () => {
    expect(url).toBe(`file:${path}`);
    expect(existsSync(path)).toBe(true);
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    for (const name of ['areas', 'users', 'sessions', 'memberships', 'invitations', 'audit_events', 'doc_updates']) expect(tables).toContain(name);
    await expect(db.insertInto('sessions').values({ id: 'x', user_id: 'nobody', expires_at: 1, created_at: 1, absolute_expires_at: 1, ip: null, user_agent: null }).execute()).rejects.toThrow(/FOREIGN KEY/i);
  });

  it('cleanup removes the file', async () => {
    const other = await createTestDb();
    await other.cleanup();
    expect(existsSync(other.path)).toBe(false);
  });

  it('each call is a database of its own', async () => {
    const other = await createTestDb();
    try {
      await db.insertInto('users').values(user('only-here')).execute();
      expect(await other.db.selectFrom('users').selectAll().execute()).toEqual([]);
    } finally {
      await other.cleanup();
    }
  });
});

describe('the libSQL driver', () => {
  it('commits what it wrote, and a reopened database still has it', async () => {
    await db.insertInto('users').values(user('kept')).execute();
    const reopened = await createDb({ url });
    try {
      expect((await reopened.selectFrom('users').select('id').execute()).map((r) => r.id)).toEqual(['kept']);
    } finally {
      await reopened.destroy();
    }
  });

  it('rolls a transaction back when its callback throws', async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(user('rolled-back')).execute();
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await db.selectFrom('users').selectAll().execute()).toEqual([]);
    // The connection is usable afterwards.
    await db.insertInto('users').values(user('after')).execute();
    expect(await db.selectFrom('users').select('id').execute()).toEqual([{ id: 'after' }]);
  });

  it('runs overlapping write transactions one after the other (no SQLITE_BUSY, no lost update)', async () => {
    await db.insertInto('login_attempts').values({ key: 'k', failures: 0, window_started_at: 0, locked_until: null }).execute();
    const bump = () =>
      db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('login_attempts').select('failures').where('key', '=', 'k').executeTakeFirstOrThrow();
        await new Promise((resolve) => setImmediate(resolve));
        await trx.updateTable('login_attempts').set({ failures: row.failures + 1 }).where('key', '=', 'k').execute();
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect((await db.selectFrom('login_attempts').select('failures').executeTakeFirstOrThrow()).failures).toBe(20);
  });

  it('a query outside a running transaction waits for it and sees its result', async () => {
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let started!: () => void;
    const inside = new Promise<void>((resolve) => (started = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(user('in-trx')).execute();
      started();
      await held;
    });
    await inside;
    let read: Array<{ id: string }> | undefined;
    const reader = db.selectFrom('users').select('id').execute().then((rows) => (read = rows));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(read).toBeUndefined();
    finish();
    await transaction;
    await reader;
    expect(read).toEqual([{ id: 'in-trx' }]);
  });

  it('returns BLOBs as Uint8Array', async () => {
    const now = 1;
    await db.insertInto('areas').values({ id: 'a', slug: 'a', name_fi: 'a', name_sv: 'a', name_en: 'a', cooperation_model: 'joint_body', legal_basis: null, host_municipality_id: null, exception_grounds: '[]', facts: '[]', created_at: now }).execute();
    await db.insertInto('documents').values({ id: 'd', area_id: 'a', kind: 'service_plan', title: 't', created_by: null, created_at: now }).execute();
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    await db.insertInto('doc_updates').values({ document_id: 'd', seq: 1, update: bytes, user_id: null, created_at: now }).execute();
    const row = await db.selectFrom('doc_updates').select('update').executeTakeFirstOrThrow();
    expect(row.update).toBeInstanceOf(Uint8Array);
    expect(Array.from(row.update)).toEqual([0, 1, 2, 254, 255]);
  });
});

describe('migrations', () => {
  it('are idempotent: running them again on a migrated database changes nothing', async () => {
    const { db, cleanup } = await createTestDb();
    try {
      const before = (await db.introspection.getTables()).map((t) => t.name).sort();
      await migrateToLatest(db);
      expect((await db.introspection.getTables()).map((t) => t.name).sort()).toEqual(before);
      expect(before).toEqual(expect.arrayContaining(['areas', 'users', 'sessions', 'memberships', 'audit_events', 'doc_updates', 'doc_snapshots']));
    } finally {
      await cleanup();
    }
  });

  it('2026-12-03T0900 keeps every invitation while making invited_by optional, and marks existing areas active', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopu-migration-'));
    const old = await createDb({ url: `file:${join(dir, 'old.db')}` });
    try {
      const migrator = new Migrator({ db: old, provider: { getMigrations: async () => migrations } });
      const result = await migrator.migrateTo('2026-12-02T1200_consultation');
      expect(result.error).toBeUndefined();
      await sql`INSERT INTO areas (id, slug, name_fi, name_sv, name_en, cooperation_model, created_at) VALUES ('a', 'alue', 'Alue', 'Område', 'Area', 'joint_body', 1)`.execute(old);
      await sql`INSERT INTO municipalities (id, area_id, code, name_fi, name_sv, language, created_at) VALUES ('m', 'a', '205', 'Kajaani', 'Kajana', 'fi', 1)`.execute(old);
      await sql`INSERT INTO users (id, email, display_name, created_at) VALUES ('u', 'u@example.fi', 'U', 1)`.execute(old);
      await sql`INSERT INTO invitations (id, area_id, municipality_id, email, display_name, role, token_hash, invited_by, created_at, expires_at) VALUES ('i', 'a', 'm', 'x@example.fi', 'X', 'viewer', 'h', 'u', 1, 2)`.execute(old);

      await migrateToLatest(old);
      const invitation = await old.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
      expect(invitation).toMatchObject({ id: 'i', invited_by: 'u', token_hash: 'h', accepted_at: null });
      await old.insertInto('invitations').values({ ...invitation, id: 'j', token_hash: 'h2', invited_by: null }).execute();
      // Still one token hash per invitation, still the area's index, still tied to the area.
      await expect(old.insertInto('invitations').values({ ...invitation, id: 'k', invited_by: null }).execute()).rejects.toThrow(/UNIQUE/);
      const indexes = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invitations'`.execute(old);
      expect(indexes.rows.map((r) => r.name)).toContain('invitations_area');
      await old.deleteFrom('areas').execute();
      expect(await old.selectFrom('invitations').selectAll().execute()).toEqual([]);
      await sql`INSERT INTO areas (id, slug, name_fi, name_sv, name_en, cooperation_model, created_at) VALUES ('b', 'toinen', 'T', 'T', 'T', 'joint_body', 1)`.execute(old);
      expect(await old.selectFrom('areas').select(['status', 'key_facts']).executeTakeFirstOrThrow()).toEqual({ status: 'active', key_facts: '[]' });
    } finally {
      await old.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('2026-12-07T0900 keeps every mail while making outbox.area_id optional, with its indexes and its tie to the area', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sopu-migration-'));
    const old = await createDb({ url: `file:${join(dir, 'old.db')}` });
    try {
      const migrator = new Migrator({ db: old, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('2026-12-03T0900_tenants_and_checks')).error).toBeUndefined();
      await sql`INSERT INTO areas (id, slug, name_fi, name_sv, name_en, cooperation_model, created_at) VALUES ('a', 'alue', 'Alue', 'Område', 'Area', 'joint_body', 1)`.execute(old);
      await sql`INSERT INTO outbox (id, area_id, to_email, subject, body_text, created_at, sent_at, attempts, next_attempt_at, last_error) VALUES ('m', 'a', 'x@example.fi', 'S', 'B', 1, NULL, 2, 5, 'refused')`.execute(old);

      // Up to this migration: the later ones (mail notifications) add columns of their own.
      expect((await migrator.migrateTo('2026-12-07T0900_login_security')).error).toBeUndefined();
      expect(await old.selectFrom('outbox').selectAll().execute()).toEqual([{ id: 'm', area_id: 'a', to_email: 'x@example.fi', subject: 'S', body_text: 'B', created_at: 1, sent_at: null, attempts: 2, next_attempt_at: 5, last_error: 'refused' }]);
      await old.insertInto('outbox').values({ id: 'n', area_id: null, to_email: 'y@example.fi', subject: 'S', body_text: 'B', created_at: 2, sent_at: null }).execute();
      expect((await old.selectFrom('outbox').select('attempts').where('id', '=', 'n').executeTakeFirstOrThrow()).attempts).toBe(0);
      const indexes = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND name NOT LIKE 'sqlite_%'`.execute(old);
      expect(indexes.rows.map((r) => r.name).sort()).toEqual(['outbox_area', 'outbox_unsent']);
      await expect(old.insertInto('outbox').values({ id: 'o', area_id: 'nowhere', to_email: 'z@example.fi', subject: 'S', body_text: 'B', created_at: 3, sent_at: null }).execute()).rejects.toThrow(/FOREIGN KEY/i);
      await old.deleteFrom('areas').execute();
      expect((await old.selectFrom('outbox').select('id').execute()).map((r) => r.id)).toEqual(['n']);
    } finally {
      await old.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
