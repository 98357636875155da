import type { Kysely } from 'kysely';
import type Libsql from 'libsql';
import type { LibsqlDialect } from './driver.ts';

export type NativeValue = string | number | bigint | null | Buffer;
/** Runs one statement (prepared once per SQL text, then reused) and returns how many rows it changed. */
export type NativeRun = (sql: string, ...args: NativeValue[]) => { changes: number };

/**
 * Prepared statements on a file database's own connection, for the few statements on a hot path (the collab
 * server's group commit): Kysely compiles and libSQL's client prepares every statement on every call, which is most
 * of a small commit's cost. Runs under the same lock as every Kysely query and transaction, so it never interleaves
 * with them (decision 002).
 */
export interface NativeStatements {
  /**
   * Runs `fn` alone on the connection. If `fn` throws while a transaction it began is open, the transaction is rolled
   * back before the error is passed on.
   */
  exclusive<T>(fn: (run: NativeRun) => T): Promise<T>;
}

const MAX_CACHED = 64;
const registry = new WeakMap<object, NativeStatements>();

export function registerNative(db: Kysely<any>, dialect: LibsqlDialect, connection: Libsql.Database) {
  const cache = new Map<string, Libsql.Statement<unknown[]>>();
  const run: NativeRun = (sql, ...args) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= MAX_CACHED) cache.clear();
      statement = connection.prepare(sql);
      cache.set(sql, statement);
    }
    const result = args.length === 0 ? statement.run() : statement.run(...args);
    return { changes: Number(result.changes) };
  };
  registry.set(db, {
    async exclusive(fn) {
      const release = await dialect.lock();
      try {
        return fn(run);
      } catch (error) {
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      } finally {
        release();
      }
    },
  });
}

/** The database's native statements, or null when it is not a local file (a libSQL server, a URL with options). */
export function nativeStatements(db: Kysely<any>): NativeStatements | null {
  return registry.get(db) ?? null;
}
