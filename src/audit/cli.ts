import type { Command } from '../cli/command.js';
import { intOption } from '../cli/command.js';
import { TesseraError } from '../http/errors.js';
import { normaliseEmail } from '../util/email.js';
import { listAuditEvents, type AuditEvent } from './service.js';
import { userIdByEmail } from './store.js';

export const auditCommands: Command[] = [
  {
    name: 'audit',
    summary: "Print an account's audit log, newest first",
    options: {
      email: { type: 'string', required: true, description: "The account's email" },
      action: { type: 'string', description: 'Exact action, or a prefix ending in "."' },
      limit: { type: 'string', description: 'At most this many events (default 100)' },
    },
    async run(ctx, o) {
      const userId = await userIdByEmail(ctx.db, normaliseEmail(String(o.email)));
      if (!userId) throw new TesseraError('USER_NOT_FOUND');
      const events = await listAuditEvents(ctx, { userId, action: o.action as string | undefined, limit: intOption(o.limit, 'limit') });
      return { events };
    },
    describe: (r) =>
      (r.events as AuditEvent[]).map((e) => `${e.occurred_at}  ${e.action.padEnd(28)} ${e.actor.type}${e.ip ? ' ' + e.ip : ''}  ${e.target ? e.target.type + ' ' + e.target.id : ''}`).join('\n') || 'No events.',
  },
];
