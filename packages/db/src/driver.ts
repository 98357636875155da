import type { Client, InArgs, ResultSet, Transaction } from '@libsql/client';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * A Kysely dialect over @libsql/client.
 *
 * Why not kysely-libsql: for a local file, `client.transaction()` hands the open connection to the transaction and
 * lazily opens a fresh one for everything else. That fresh connection has none of our pragmas (no busy timeout, no
 * foreign keys), so two overlapping write transactions fail with SQLITE_BUSY, and `:memory:` loses its schema.
 * An embedded database is one connection used by one process: we serialise access to it with a mutex and run
 * `BEGIN IMMEDIATE` on that same connection. A remote libSQL server (libsql://, https://, ws://) keeps the
 * client's interactive transactions, which are real server-side transactions there.
 */
export class LibsqlDialect implements Dialect {
  #serial: SerialDriver | undefined;
  constructor(private readonly client: Client) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    if (this.client.protocol !== 'file') return new RemoteDriver(this.client);
    this.#serial = new SerialDriver(this.client);
    return this.#serial;
  }
  /** Takes the file connection's lock (the one every query and transaction takes); resolves with its release. */
  lock(): Promise<() => void> {
    if (!this.#serial) throw new Error('no file connection to lock');
    return this.#serial.lock();
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

type Target = Pick<Client | Transaction, 'execute'>;

async function run<R>(target: Target, query: CompiledQuery): Promise<QueryResult<R>> {
  const result: ResultSet = await target.execute({ sql: query.sql, args: query.parameters as InArgs });
  const rows = result.rows.map((row) => {
    const plain: Record<string, unknown> = {};
    for (const key in row) {
      const value = (row as Record<string, unknown>)[key];
      // libSQL hands BLOBs back as ArrayBuffer; everything in Sopu (Yjs above all) wants Uint8Array.
      plain[key] = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
    }
    return plain as R;
  });
  return {
    rows,
    numAffectedRows: BigInt(result.rowsAffected),
    insertId: result.lastInsertRowid,
  };
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

class SerialConnection implements DatabaseConnection {
  constructor(private readonly client: Client) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return run<R>(this.client, query);
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported over libSQL');
  }
}

class SerialDriver implements Driver {
  readonly #mutex = new Mutex();
  readonly #connection: SerialConnection;
  #release: (() => void) | undefined;
  constructor(private readonly client: Client) {
    this.#connection = new SerialConnection(client);
  }
  async init() {}
  lock(): Promise<() => void> {
    return this.#mutex.lock();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    this.#release = await this.#mutex.lock();
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }
  async releaseConnection() {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  async destroy() {
    this.client.close();
  }
}

class RemoteConnection implements DatabaseConnection {
  #transaction: Transaction | undefined;
  constructor(private readonly client: Client) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return run<R>(this.#transaction ?? this.client, query);
  }
  async begin() {
    this.#transaction = await this.client.transaction('write');
  }
  async commit() {
    await this.#transaction?.commit();
    this.#transaction = undefined;
  }
  async rollback() {
    await this.#transaction?.rollback();
    this.#transaction = undefined;
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported over libSQL');
  }
}

class RemoteDriver implements Driver {
  constructor(private readonly client: Client) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RemoteConnection(this.client);
  }
  async beginTransaction(connection: DatabaseConnection) {
    await (connection as RemoteConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection) {
    await (connection as RemoteConnection).commit();
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await (connection as RemoteConnection).rollback();
  }
  async releaseConnection() {}
  async destroy() {
    this.client.close();
  }
}
