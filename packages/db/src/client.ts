import { createClient, type Client } from '@libsql/client';
import { Sqlite3Client } from '@libsql/client/sqlite3';
import { Kysely } from 'kysely';
import Libsql from 'libsql';
import { mkdirSync } from 'node:fs';
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

export async function createDb(options: DbOptions): Promise<Db> {
  const url = normaliseDatabaseUrl(options.url);
  if (url === 'file::memory:' || url === ':memory:') {
    throw new Error('In-memory libSQL loses its schema inside transactions; use a temporary file instead.');
  }
  let native: Libsql.Database | undefined;
  let client: Client;
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path) mkdirSync(dirname(path), { recursive: true });
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
