import { createClient } from '@libsql/client';
import { Kysely } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LibsqlDialect } from './driver.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** `file:./data/sopu.db`, a plain path, or `libsql://…` / `https://…` for a libSQL server. */
  url: string;
  authToken?: string | undefined;
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
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path) mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({ url, authToken: options.authToken });
  if (client.protocol === 'file') {
    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode keeps every commit through a process
    // crash (kill -9), losing at most the last commits on power loss. See docs/decisions/005-persistence.md.
    await client.execute('PRAGMA journal_mode = WAL');
    await client.execute('PRAGMA synchronous = NORMAL');
    await client.execute('PRAGMA busy_timeout = 5000');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  return new Kysely<Database>({ dialect: new LibsqlDialect(client) });
}
