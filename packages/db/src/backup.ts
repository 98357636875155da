import Libsql from 'libsql';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { migrations } from '@sopu/migrations';
import { latestMigrationName } from './migrate.ts';

/**
 * Sopu's backup file: one file, readable by its owner only, that says what it is and checks itself.
 *
 *     SOPU-BACKUP 1\n
 *     {"format":1,"createdAt":"…","bytes":N,"sha256":"…","migration":"…"}\n
 *     <N bytes: the SQLite database, as VACUUM INTO wrote it>
 *
 * VACUUM INTO copies the database as one read transaction sees it: a consistent copy while the server runs and
 * commits (WAL lets it read beside the writer), never a file copy of a database and its log caught half way.
 * A restore refuses a file that is not this (foreign), whose length or checksum does not match (damaged), whose
 * database fails SQLite's integrity check, or that is not a Sopu database of a migration this code knows.
 * What a backup does not hold: the audit key (kept apart on purpose, docs/decisions/028).
 */
export const BACKUP_MAGIC = 'SOPU-BACKUP 1\n';
const MAX_HEADER_BYTES = 4096;

export interface BackupHeader {
  format: 1;
  createdAt: string;
  bytes: number;
  sha256: string;
  /** The newest migration the database had. */
  migration: string;
}

/** A backup refused (`foreign`: not a Sopu backup; `damaged`: a Sopu backup that does not check out) or a bad target. */
export class BackupRefused extends Error {
  override readonly name = 'BackupRefused';
  constructor(
    readonly reason: 'foreign' | 'damaged' | 'newer' | 'target' | 'source',
    message: string,
  ) {
    super(message);
  }
}

/** The file of a `file:` database URL (or plain path); null for a libSQL server. */
export function databaseFile(url: string): string | null {
  if (/^file:/.test(url)) return url.slice('file:'.length).split('?')[0] || null;
  return /^[a-z]+:/i.test(url) ? null : url;
}

async function sha256Of(path: string, start = 0): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { start }), hash);
  return hash.digest('hex');
}

/** Reads the newest migration of a database file, and checks it with SQLite's integrity check. */
function inspect(path: string): { migration: string; integrity: string; tables: Set<string> } {
  const db = new Libsql(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(Object.values((db.prepare('PRAGMA integrity_check').get() as Record<string, unknown>) ?? {})[0] ?? '');
    const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    const migration = tables.has('kysely_migration') ? String((db.prepare('select name from kysely_migration order by name desc limit 1').get() as { name?: string } | undefined)?.name ?? '') : '';
    return { migration, integrity, tables };
  } finally {
    db.close();
  }
}

/**
 * Writes a backup of the database file `databasePath` to `outFile` (which must not exist): a consistent copy taken
 * online (VACUUM INTO), its checksum, written whole or not at all.
 */
export async function writeBackup(databasePath: string, outFile: string, now: Date = new Date()): Promise<BackupHeader> {
  if (!existsSync(databasePath) || statSync(databasePath).size === 0) throw new BackupRefused('source', `there is no database at ${databasePath}`);
  if (existsSync(outFile)) throw new BackupRefused('target', `${outFile} exists already; choose a new file`);
  if (!existsSync(dirname(outFile))) throw new BackupRefused('target', `no folder ${dirname(outFile)}`);
  const copy = `${outFile}.copy-${process.pid}`;
  const partial = `${outFile}.partial-${process.pid}`;
  try {
    const source = new Libsql(databasePath, { fileMustExist: true });
    try {
      source.exec('PRAGMA busy_timeout = 5000');
      // One statement, one read transaction: the copy is the database as of one commit.
      source.prepare('VACUUM INTO ?').run(copy);
    } finally {
      source.close();
    }
    const { migration } = inspect(copy);
    const header: BackupHeader = { format: 1, createdAt: now.toISOString(), bytes: statSync(copy).size, sha256: await sha256Of(copy), migration };
    const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    out.write(`${BACKUP_MAGIC}${JSON.stringify(header)}\n`);
    await pipeline(createReadStream(copy), out);
    const fd = openSync(partial, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, outFile);
    return header;
  } finally {
    rmSync(copy, { force: true });
    rmSync(partial, { force: true });
  }
}

/** Reads and checks a backup file's header, length and checksum; throws BackupRefused when it does not hold. */
export async function verifyBackup(file: string): Promise<BackupHeader & { offset: number }> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupRefused('target', `there is no file ${file}`);
  const size = statSync(file).size;
  const head = Buffer.alloc(Math.min(size, BACKUP_MAGIC.length + MAX_HEADER_BYTES));
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.subarray(0, BACKUP_MAGIC.length).toString('latin1') !== BACKUP_MAGIC) throw new BackupRefused('foreign', `${file} is not a Sopu backup (it does not begin as one)`);
  const end = head.indexOf(0x0a, BACKUP_MAGIC.length);
  if (end < 0) throw new BackupRefused('damaged', `${file} is a damaged Sopu backup: its header is cut off`);
  let header: BackupHeader;
  try {
    header = JSON.parse(head.subarray(BACKUP_MAGIC.length, end).toString('utf8')) as BackupHeader;
  } catch {
    throw new BackupRefused('damaged', `${file} is a damaged Sopu backup: its header does not read`);
  }
  const valid = header && header.format === 1 && Number.isSafeInteger(header.bytes) && header.bytes > 0 && typeof header.sha256 === 'string' && /^[0-9a-f]{64}$/.test(header.sha256) && typeof header.migration === 'string' && typeof header.createdAt === 'string';
  if (!valid) throw new BackupRefused('damaged', `${file} is a damaged Sopu backup: its header does not read`);
  const offset = end + 1;
  if (size - offset !== header.bytes) throw new BackupRefused('damaged', `${file} is a damaged Sopu backup: ${size - offset} bytes of database where its header says ${header.bytes} (cut off, or added to)`);
  if ((await sha256Of(file, offset)) !== header.sha256) throw new BackupRefused('damaged', `${file} is a damaged Sopu backup: its checksum does not match its content`);
  return { ...header, offset };
}

/** Tables every Sopu database has since its first migration: a database without them is not Sopu's. */
const CORE_TABLES = ['areas', 'users', 'documents', 'doc_updates', 'audit_events', 'kysely_migration'];

/**
 * Restores a backup into `databasePath`, which must not exist yet (an empty data directory: no database, no log).
 * Checks the file (verifyBackup), then the database in it (SQLite's integrity check, Sopu's tables, a migration this
 * code knows), and only then moves it into place.
 */
export async function restoreBackup(file: string, databasePath: string): Promise<BackupHeader> {
  const header = await verifyBackup(file);
  const present = [databasePath, `${databasePath}-wal`, `${databasePath}-shm`, `${databasePath}-journal`].filter((f) => existsSync(f));
  if (present.length > 0) throw new BackupRefused('target', `the data directory is not empty: ${present.join(', ')} exist${present.length === 1 ? 's' : ''}; restore into an empty one (move these away first)`);
  mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
  const staged = `${databasePath}.restoring-${process.pid}`;
  try {
    await pipeline(createReadStream(file, { start: header.offset }), createWriteStream(staged, { flags: 'wx', mode: 0o600 }));
    let found: ReturnType<typeof inspect>;
    try {
      found = inspect(staged);
    } catch {
      throw new BackupRefused('damaged', `${file} holds no database SQLite can open`);
    }
    if (found.integrity !== 'ok') throw new BackupRefused('damaged', `the database in ${file} fails SQLite's integrity check (${found.integrity.slice(0, 200)})`);
    const missing = CORE_TABLES.filter((t) => !found.tables.has(t));
    if (missing.length > 0) throw new BackupRefused('foreign', `the database in ${file} is not a Sopu database (no ${missing.join(', ')})`);
    if (!(found.migration in migrations)) throw new BackupRefused('newer', `the database in ${file} was migrated by another version of Sopu (${found.migration || 'no migration'}; the newest known here is ${latestMigrationName()}): restore it with that version`);
    renameSync(staged, databasePath);
    return header;
  } finally {
    rmSync(staged, { force: true });
  }
}
