import type SQLite from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/**
 * Kysely's SQLite driver, with two changes for hot paths under concurrency:
 * - waiters for the single connection queue first-in first-out (Kysely's mutex wakes every waiter on
 *   each release, which costs O(n²) wake-ups with n concurrent requests);
 * - prepared statements are kept and reused by their SQL text (bounded, least recently used first out).
 */
export class FifoSqliteDialect extends SqliteDialect {
  private readonly driver: FifoSqliteDriver;

  constructor(file: SQLite.Database) {
    super({ database: file });
    this.driver = new FifoSqliteDriver(file);
  }

  override createDriver(): Driver {
    return this.driver;
  }

  /**
   * Runs a read-only statement at once, synchronously, when no query or transaction holds the
   * connection: nothing can interleave with a synchronous call, so it reads exactly what a
   * queued autocommit read would, without Kysely's connection hand-off (several promise hops).
   * Undefined when the connection is busy or the statement writes: then take the usual path.
   */
  readNow(text: string, parameters: readonly unknown[]): unknown[] | undefined {
    return this.driver.readNow(text, parameters);
  }
}

class FifoSqliteDriver implements Driver {
  private readonly connection: StatementCachingConnection;
  private locked = false;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly file: SQLite.Database) {
    this.connection = new StatementCachingConnection(file);
  }

  async init(): Promise<void> {}

  readNow(text: string, parameters: readonly unknown[]): unknown[] | undefined {
    if (this.locked) return undefined;
    return this.connection.readNow(text, parameters);
  }

  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve(this.connection);
    }
    return new Promise((resolve) => this.waiting.push(() => resolve(this.connection)));
  }

  async releaseConnection(): Promise<void> {
    const next = this.waiting.shift();
    if (next) next();
    else this.locked = false;
  }

  /**
   * IMMEDIATE: the write lock is taken at the start. A deferred transaction that reads first and
   * writes later fails at once (SQLITE_BUSY, no waiting) if another process wrote in between.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name.replace(/"/g, '')}"`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name.replace(/"/g, '')}"`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release "${name.replace(/"/g, '')}"`));
  }

  async destroy(): Promise<void> {
    this.file.close();
  }
}

class StatementCachingConnection implements DatabaseConnection {
  private readonly cache = new Map<string, SQLite.Statement>();

  constructor(private readonly file: SQLite.Database, private readonly max = 500) {}

  private prepare(text: string): SQLite.Statement {
    let statement = this.cache.get(text);
    if (statement) this.cache.delete(text);
    else {
      statement = this.file.prepare(text);
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(text, statement);
    return statement;
  }

  readNow(text: string, parameters: readonly unknown[]): unknown[] | undefined {
    const statement = this.prepare(text);
    return statement.reader && statement.readonly ? (statement.all(parameters as unknown[]) as unknown[]) : undefined;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.prepare(compiled.sql);
    const parameters = compiled.parameters as unknown[];
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] });
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not used by Tessera.');
  }
}
