import { createClient, type Client } from '@libsql/client';
import { Sqlite3Client } from '@libsql/client/sqlite3';
import { Kysely } from 'kysely';
import Libsql from 'libsql';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LibsqlDialect } from './driver.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { registerNative } from './native.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** `file:./data/sopu.db`, a plain path, or `libsql://…` / `https://…` for a libSQL server. */
  url: string;
  authToken?: string | undefined;
  /**
   * A file database's WAL checkpoints run on a worker thread instead of inside whichever commit crosses 1,000 pages
   * (checkpointer.ts). For long-running servers; tests and one-shot commands leave it off.
   */
  backgroundCheckpoints?: boolean;
}

const checkpointers = new WeakMap<object, Checkpointer>();
/** The database's background checkpointer, when it has one. */
export function checkpointerOf(db: Db): Checkpointer | undefined {
  return checkpointers.get(db);
}

/** A plain path becomes a `file:` URL; the folder of a file database is created when missing. */
export function normaliseDatabaseUrl(url: string): string {
  if (/^(file|libsql|https?|wss?):/.test(url)) return url;
  return `file:${url}`;
}

/**
 * The database file holds password and session hashes: readable by its owner only (0600). SQLite creates a new file
 * 0644 and gives its -wal, -shm and -journal files the mode of the database file, so we create the file ourselves
 * with 0600 before SQLite opens it (an empty file is an empty database), and tighten an existing one and its
 * companions left from before. A file we may not chmod (not ours, a read-only mount) is left as it is.
 */
function ownerOnly(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    } catch {
      // Not ours to change: the operator's choice stands.
    }
  }
}

export async function createDb(options: DbOptions): Promise<Db> {
  const url = normaliseDatabaseUrl(options.url);
  if (url === 'file::memory:' || url === ':memory:') {
    throw new Error('In-memory libSQL loses its schema inside transactions; use a temporary file instead.');
  }
  let native: Libsql.Database | undefined;
  let client: Client;
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path) {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      ownerOnly(path);
    }
    // A plain file: we open the connection ourselves and hand it to the client, so that the collab server's hot
    // statements can be prepared once on this same connection (native.ts). Anything fancier goes through the client.
    if (path && !url.includes('?')) native = new Libsql(path);
  }
  // (Sqlite3Client is what createClient returns for a file; its type lacks only the unused reconnect().)
  client = native ? (new Sqlite3Client(url.slice('file:'.length), {}, native, 'number') as unknown as Client) : createClient({ url, authToken: options.authToken });
  if (client.protocol === 'file') {
    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode keeps every commit through a process
    // crash (kill -9), losing at most the last commits on power loss. See docs/decisions/005-persistence.md.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = NORMAL');
    await client.execute('PRAGMA busy_timeout = 5000');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  const dialect = new LibsqlDialect(client, native);
  const db = new Kysely<Database>({ dialect });
  if (native) registerNative(db, dialect, native);
  if (native && options.backgroundCheckpoints) {
    const checkpointer = startCheckpointer(url.slice('file:'.length), native);
    checkpointers.set(db, checkpointer);
    dialect.beforeDestroy(() => checkpointer.stop());
  }
  return db;
}
