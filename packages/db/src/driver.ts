import { LibsqlError, type Client, type InArgs, type ResultSet, type Transaction } from '@libsql/client';
import Libsql from 'libsql';
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
  /** `native`: the file connection the client runs on, when createDb opened it (statements are then cached). */
  constructor(
    private readonly client: Client,
    private readonly native?: Libsql.Database,
  ) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  readonly #beforeDestroy: Array<() => Promise<void>> = [];
  createDriver(): Driver {
    if (this.client.protocol !== 'file') return new RemoteDriver(this.client);
    this.#serial = new SerialDriver(this.client, this.native, this.#beforeDestroy);
    return this.#serial;
  }
  /** Runs `fn` when the database is destroyed, before the connection closes. */
  beforeDestroy(fn: () => Promise<void>) {
    this.#beforeDestroy.push(fn);
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

const MIN_INT64 = -9223372036854775808n;
const MAX_INT64 = 9223372036854775807n;
const MAX_CACHED_STATEMENTS = 500;

/**
 * The same statements on the same connection as the libSQL client would run, with what the client does on every
 * call done once: each SQL text is prepared once and kept (Kysely compiles the same few texts again and again), and
 * rows are plain objects (the client defines every column as a property one by one). Values are converted exactly as
 * the client does with intMode "number": integers beyond 2^53 throw, booleans are 0/1, dates their milliseconds,
 * BLOBs come back as Uint8Array; errors are the client's LibsqlError.
 */
class CachedStatements {
  readonly #cache = new Map<string, { statement: Libsql.Statement<unknown[]>; columns: string[] | null }>();
  constructor(private readonly db: Libsql.Database) {}

  execute<R>(query: CompiledQuery): QueryResult<R> {
    try {
      let entry = this.#cache.get(query.sql);
      if (!entry) {
        if (this.#cache.size >= MAX_CACHED_STATEMENTS) this.#cache.clear();
        const statement = this.db.prepare(query.sql);
        statement.safeIntegers(true);
        const columns = statement.reader ? statement.raw(true).columns().map((c) => c.name) : null;
        entry = { statement, columns };
        this.#cache.set(query.sql, entry);
      }
      const args = query.parameters.map(toSql);
      const { statement, columns } = entry;
      if (columns) {
        const rows = (statement.all(args) as unknown[][]).map((values) => {
          const row: Record<string, unknown> = {};
          for (let i = 0; i < values.length; i++) {
            const column = columns[i]!;
            if (!Object.hasOwn(row, column)) row[column] = fromSql(values[i]);
          }
          return row as R;
        });
        return { rows, numAffectedRows: 0n, insertId: undefined };
      }
      const info = statement.run(args);
      return { rows: [], numAffectedRows: BigInt(info.changes), insertId: BigInt(info.lastInsertRowid) };
    } catch (error) {
      if (error instanceof Libsql.SqliteError) throw new LibsqlError(error.message, error.code, (error as { rawCode?: number }).rawCode, error);
      throw error;
    }
  }
}

function toSql(value: unknown): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'bigint') {
    if (value < MIN_INT64 || value > MAX_INT64) throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

function fromSql(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    return Number(value);
  }
  if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return value;
}

class SerialConnection implements DatabaseConnection {
  readonly #cached: CachedStatements | undefined;
  constructor(
    private readonly client: Client,
    native?: Libsql.Database,
  ) {
    this.#cached = native ? new CachedStatements(native) : undefined;
  }
  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#cached ? this.#cached.execute<R>(query) : run<R>(this.client, query);
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
  constructor(
    private readonly client: Client,
    native?: Libsql.Database,
    private readonly beforeDestroy: Array<() => Promise<void>> = [],
  ) {
    this.#connection = new SerialConnection(client, native);
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
    for (const fn of this.beforeDestroy.splice(0)) await fn();
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
