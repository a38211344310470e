import type { CompiledQuery } from 'kysely';
import type { Dialect } from '../config.js';
import { readNowOf, type Executor } from './database.js';

/** Stands for a named parameter while a query is compiled once. */
export function slot<T = string>(name: string): T {
  return `\u0000slot:${name}` as unknown as T;
}

/**
 * A query compiled once per dialect and run with fresh parameters: hot paths (token
 * authentication, license verification batches) skip building and compiling SQL on every call
 * (and the SQLite driver reuses its prepared statement, found by SQL text). `build` uses
 * `slot('name')` where values go. Stores only: it is SQL.
 */
export function precompiled<Row, P extends Record<string, unknown>>(build: (db: Executor, dialect: Dialect) => CompiledQuery<Row>) {
  const byDialect = new Map<Dialect, CompiledQuery<Row>>();
  return async (db: Executor, dialect: Dialect, params: P): Promise<Row[]> => {
    let compiled = byDialect.get(dialect);
    if (!compiled) byDialect.set(dialect, (compiled = build(db, dialect)));
    const parameters = compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith('\u0000slot:') ? params[p.slice(6)] : p));
    // SQLite, outside a transaction, connection free: a read runs at once (see readNowOf).
    const rows = readNowOf(db)?.(compiled.sql, parameters);
    if (rows) return rows as Row[];
    const result = await db.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
