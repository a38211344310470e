import fs from 'node:fs';
import path from 'node:path';
import { vacuumInto } from '../db/database.js';
import type { AppContext } from '../context.js';
import { utcDay } from '../util/dates.js';

export type BackupResult =
  | { dialect: 'sqlite'; file: string; bytes: number }
  | { dialect: 'postgres'; command: string };

/**
 * SQLite: an online, consistent copy (`VACUUM INTO`) while servers keep serving.
 * PostgreSQL: Tessera does not ship a dump tool; it prints the `pg_dump` command for this database
 * (the password stays out of the command: pass it as PGPASSWORD or in ~/.pgpass).
 */
export async function backupDatabase(ctx: AppContext, target: string | undefined): Promise<BackupResult> {
  if (ctx.dialect === 'postgres') {
    const url = new URL(ctx.config.databaseUrl);
    const hadPassword = url.password !== '';
    url.password = '';
    const file = target ?? `tessera-${utcDay(ctx.clock())}.dump`;
    const prefix = hadPassword ? 'PGPASSWORD=… ' : '';
    return { dialect: 'postgres', command: `${prefix}pg_dump --format=custom --file=${shellQuote(file)} ${shellQuote(url.toString())}` };
  }
  if (!target) throw new Error('--to FILE is required for a SQLite backup.');
  const file = path.resolve(target);
  if (fs.existsSync(file)) throw new Error(`${file} already exists: choose a new file.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await vacuumInto(ctx.db, file);
  return { dialect: 'sqlite', file, bytes: fs.statSync(file).size };
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
