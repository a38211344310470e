import type { Command } from '../cli/command.js';
import { backupDatabase } from './backup.js';
import { checkReadiness } from './readiness.js';

export const opsCommands: Command[] = [
  {
    name: 'backup',
    summary: 'SQLite: copy the database online to a new file; PostgreSQL: print the pg_dump command',
    options: { to: { type: 'string', description: 'The backup file (required for SQLite)' } },
    run: (ctx, o) => backupDatabase(ctx, typeof o.to === 'string' && o.to !== '' ? o.to : undefined),
    describe: (r) => (r.dialect === 'sqlite' ? `Backed up to ${r.file} (${r.bytes} bytes)` : `Run: ${r.command}`),
  },
  {
    name: 'ready',
    summary: 'Whether the database is reachable and fully migrated (exit code 0 either way; see "ready")',
    options: {},
    run: (ctx) => checkReadiness(ctx.db),
    describe: (r) => (r.ready ? 'Ready: database reachable, migrations current' : `Not ready: ${r.database}, pending ${r.pending_migrations.join(', ') || 'none'}`),
  },
];
