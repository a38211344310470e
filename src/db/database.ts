import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type { Dialect } from '../config.js';
import type { Database } from './schema.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { FifoSqliteDialect } from './sqlite-driver.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** A database handle or an open transaction: store functions accept either. */
export type Executor = Db | Trx;

// int8 (COUNT, BIGINT timestamps) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (value) => Number(value));

const READ_NOW = Symbol('tessera.readNow');
type ReadNow = (sql: string, parameters: readonly unknown[]) => unknown[] | undefined;

/**
 * The SQLite handle's synchronous read (FifoSqliteDialect.readNow), or undefined: on PostgreSQL,
 * and inside a transaction (a Transaction is another object, without it), every query takes
 * Kysely's usual path.
 */
export function readNowOf(db: Executor): ReadNow | undefined {
  return (db as unknown as { [READ_NOW]?: ReadNow })[READ_NOW];
}

export interface Storage {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export function openStorage(dialect: Dialect, url: string): Storage {
  if (dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection that the server drops (restart, failover) must not crash the process:
    // the pool discards it and opens a new one on the next query.
    pool.on('error', (err) => process.emitWarning(`PostgreSQL dropped an idle connection: ${err.message}`));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect, close: () => db.destroy() };
  }
  fs.mkdirSync(path.dirname(url), { recursive: true });
  const file = new SQLite(url);
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.pragma('busy_timeout = 5000');
  file.pragma('foreign_keys = ON');
  file.pragma('wal_autocheckpoint = 20000');
  const totalChanges = file.prepare('SELECT total_changes()').pluck();
  const stopCheckpointer = startCheckpointer(url, () => Number(totalChanges.get()));
  const sqlite = new FifoSqliteDialect(file);
  const db = new Kysely<Database>({ dialect: sqlite });
  Object.defineProperty(db, READ_NOW, { value: ((text, parameters) => sqlite.readNow(text, parameters)) satisfies ReadNow });
  return {
    db,
    dialect,
    async close() {
      await stopCheckpointer();
      await db.destroy();
    },
  };
}

/**
 * Takes a row lock inside a transaction where the dialect has them (PostgreSQL).
 * SQLite needs none: Kysely runs its transactions one at a time on its single connection.
 */
export async function lockRow(trx: Trx, dialect: Dialect, table: string, id: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select 1 from ${sql.table(table)} where id = ${id} for update`.execute(trx);
}

/** SQLite's online backup into a new file (`tessera backup`, src/ops/backup.ts). */
export async function vacuumInto(db: Db, file: string): Promise<void> {
  await sql`vacuum into ${file}`.execute(db);
}
