import { createSessions } from '@sopu/auth';
import { BACKUP_MAGIC, createDb, migrateToLatest, sql } from '@sopu/db';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, cookieFor, createTestDeps, documentOf, startCollab, startCollabChild, synced, typeInto, waitFor, type Client, type CollabChild } from '../../collab/test/harness.ts';
import { childEnv } from '../src/env.ts';
import { run } from '../src/cli.ts';

// `npm run sopu -- backup <file>` and `restore <file>` (docs/decisions/028): an online copy taken while people type,
// restored and started; and files that must be refused.

const OPS = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sopu-backup-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The operator's command in a process of its own, as `npm run sopu` runs it. */
function sopuProcess(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: OPS, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

async function sopu(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const TOKEN = /w(\d+)-(\d+);/g;
const tokensOf = (doc: Y.Doc) => new Set([...['parties', 'purpose', 'governance'].map((k) => doc.getXmlFragment(`section:${k}`).toString()).join('').matchAll(TOKEN)].map((m) => m[0]));

describe('restore drill', () => {
  it('backs up while people type, restores into an empty data directory, starts, and has every update acknowledged before the backup began', async () => {
    const { deps, url, cleanup } = await createTestDeps();
    const clients: Client[] = [];
    let restored: CollabChild | undefined;
    // As in production (the background checkpointer, packages/db): commits stay in the write-ahead log for a while,
    // so a copy of the database file alone would miss them; the backup must take them from the log too.
    await sql`PRAGMA wal_autocheckpoint = 0`.execute(deps.db);
    const server = await startCollab(deps);
    try {
      const agreement = await documentOf(deps.db, 'kainuu-koillismaa', 'cooperation_agreement');
      const writers = await Promise.all(['drafter.kajaani', 'drafter.sotkamo', 'drafter.kuusamo'].map(async (p) => connect(server.wsUrl, agreement, await cookieFor(deps, `${p}@sopu.example`))));
      const observer = connect(server.wsUrl, agreement, await cookieFor(deps, 'viewer.kuhmo@sopu.example'));
      clients.push(...writers, observer);
      await Promise.all(clients.map((c) => synced(c)));
      const sections = ['parties', 'purpose', 'governance'];
      let n = 0;
      const typing = setInterval(() => writers.forEach((w, i) => typeInto(w.doc, sections[i]!, `w${i}-${n++};`)), 10);
      try {
        await waitFor(() => tokensOf(observer.doc).size >= 60, 'typing under way', 30_000);
        // Acknowledged: relayed to another client, which the server does only once it is stored.
        const acknowledged = tokensOf(observer.doc);
        const backup = join(dir, 'sopu.backup');
        const taken = await sopuProcess(['backup', backup], { DATABASE_URL: url });
        expect(taken.err).toBe('');
        expect(taken.code).toBe(0);
        expect(taken.out).toMatch(/✓ Backed up .* sha256 [0-9a-f]{64}/);
        // People typed on while the copy was taken.
        const typedDuring = tokensOf(observer.doc).size - acknowledged.size;

        const target = join(dir, 'restored', 'sopu.db');
        // The operator brings back the audit key kept apart from the backup.
        // Without the audit key, the restore says what is missing.
        const keyless = await sopu({ DATABASE_URL: `file:${join(dir, 'keyless', 'sopu.db')}` }, 'restore', backup);
        expect(keyless.code).toBe(0);
        expect(keyless.err).toContain('No audit key here');
        mkdirSync(join(dir, 'restored'));
        copyFileSync(`${url.slice('file:'.length)}.audit-key`, `${target}.audit-key`);
        const back = await sopuProcess(['restore', backup], { DATABASE_URL: `file:${target}` });
        expect(back.err).toBe('');
        expect(back.code).toBe(0);
        expect(back.out).toContain('checksum verified');
        expect(back.out).toMatch(/✓ kainuu-koillismaa: \d+ events, every link holds/);

        restored = await startCollabChild(`file:${target}`, { instanceId: 'restored' });
        const db = await createDb({ url: `file:${target}` });
        try {
          const user = await db.selectFrom('users').select('id').where('email', '=', 'viewer.kuhmo@sopu.example').executeTakeFirstOrThrow();
          const session = await createSessions(db, { idleTimeoutMs: 3_600_000, absoluteTimeoutMs: 3_600_000, secureCookies: false }).create(user.id);
          const reader = connect(restored.wsUrl, agreement, `sopu_session=${session.token}`);
          clients.push(reader);
          await waitFor(() => reader.provider.synced, 'the restored server syncs', 60_000);
          const found = tokensOf(reader.doc);
          const lost = [...acknowledged].filter((t) => !found.has(t));
          console.log(`restore drill: ${acknowledged.size} updates acknowledged before the backup, ${typedDuring} more during it; after restoring, ${lost.length} lost`);
          expect(lost).toEqual([]);
          expect(restored.stderr()).toBe('');
        } finally {
          await db.destroy();
        }
      } finally {
        clearInterval(typing);
      }
    } finally {
      for (const c of clients) c.destroy();
      await restored?.kill('SIGTERM');
      await server.stop();
      await cleanup();
    }
  }, 180_000);
});

describe('refusals', () => {
  let source: string;
  let backup: string;
  let target: string;
  beforeEach(async () => {
    source = join(dir, 'live.db');
    const db = await createDb({ url: `file:${source}` });
    await migrateToLatest(db);
    await db.destroy();
    backup = join(dir, 'live.backup');
    expect((await sopu({ DATABASE_URL: `file:${source}` }, 'backup', backup)).code).toBe(0);
    target = join(dir, 'empty', 'sopu.db');
  });
  const restore = (file: string) => sopu({ DATABASE_URL: `file:${target}` }, 'restore', file);

  /** A backup file around `database` with a correct checksum: what someone who knows the format could make. */
  function wrap(database: Buffer, migration = 'x'): string {
    const file = join(dir, `crafted-${Math.random()}.backup`);
    const header = { format: 1, createdAt: new Date().toISOString(), bytes: database.length, sha256: createHash('sha256').update(database).digest('hex'), migration };
    writeFileSync(file, Buffer.concat([Buffer.from(`${BACKUP_MAGIC}${JSON.stringify(header)}\n`), database]));
    return file;
  }

  it('refuses a damaged backup: a changed byte, cut off, added to, a header that does not read; nothing is written', async () => {
    const bytes = readFileSync(backup);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length * 0.7)]! ^= 0x01;
    const cases: Array<[Buffer, RegExp]> = [
      [flipped, /checksum does not match/],
      [bytes.subarray(0, bytes.length - 100), /cut off, or added to/],
      [Buffer.concat([bytes, Buffer.from('x')]), /cut off, or added to/],
      [Buffer.from(`${BACKUP_MAGIC}{"format":1,`), /header is cut off|header does not read/],
      [Buffer.from(`${BACKUP_MAGIC}{not json}\n${'x'.repeat(100)}`), /header does not read/],
    ];
    for (const [content, message] of cases) {
      const file = join(dir, 'damaged.backup');
      writeFileSync(file, content);
      const r = await restore(file);
      expect(r.code, String(message)).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).toContain('Nothing was changed.');
      expect(existsSync(target)).toBe(false);
    }
  });

  it('refuses a foreign file: a plain database, any other file, a well-made backup of something that is not Sopu or of another version', async () => {
    const other = join(dir, 'other.db');
    const db = await createDb({ url: `file:${other}` });
    await sql`create table notes (id integer primary key, text text)`.execute(db);
    await db.destroy();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello');
    const newer = join(dir, 'newer.db');
    const ndb = await createDb({ url: `file:${newer}` });
    await migrateToLatest(ndb);
    await sql`insert into kysely_migration (name, timestamp) values ('2099-01-01T0000_future', '2099-01-01')`.execute(ndb);
    await ndb.destroy();
    const newerBackup = join(dir, 'newer.backup');
    expect((await sopu({ DATABASE_URL: `file:${newer}` }, 'backup', newerBackup)).code).toBe(0);
    const cases: Array<[string, RegExp]> = [
      [source, /is not a Sopu backup/],
      [text, /is not a Sopu backup/],
      [wrap(readFileSync(other)), /is not a Sopu database \(no areas, users, documents, doc_updates, audit_events, kysely_migration\)/],
      [wrap(Buffer.from('SQLite format 3\0'.padEnd(4096, '\0'))), /no database SQLite can open|integrity check|not a Sopu database/],
      [newerBackup, /migrated by another version of Sopu \(2099-01-01T0000_future/],
    ];
    for (const [file, message] of cases) {
      const r = await restore(file);
      expect(r.code, String(message)).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(target)).toBe(false);
    }
  });

  it('restores only into an empty data directory, backs up only to a new file, and only a database file', async () => {
    mkdirSync(join(dir, 'empty'));
    writeFileSync(`${target}-wal`, '');
    const r = await restore(backup);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining('the data directory is not empty') });
    rmSync(`${target}-wal`);
    expect((await restore(backup)).code).toBe(0);
    expect((await sopu({ DATABASE_URL: `file:${source}` }, 'backup', backup)).err).toContain('exists already');
    expect((await sopu({ DATABASE_URL: 'libsql://sopu.example.turso.io', AUDIT_KEY: 'ab'.repeat(32) }, 'backup', join(dir, 'x.backup')))).toMatchObject({ code: 2, err: expect.stringContaining('point-in-time recovery') });
    expect((await sopu({ DATABASE_URL: `file:${join(dir, 'nothing.db')}` }, 'backup', join(dir, 'y.backup')))).toMatchObject({ code: 2, err: expect.stringContaining('there is no database') });
    expect((await sopu({}, 'backup'))).toMatchObject({ code: 2, err: expect.stringContaining('backup needs a file') });
  });
});
