import type { Command } from '../cli/command.js';
import { intOption } from '../cli/command.js';
import { requireUserByEmail } from '../accounts/service.js';
import { listAuditEvents, type AuditEvent } from './service.js';

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
      const user = await requireUserByEmail(ctx, String(o.email));
      const events = await listAuditEvents(ctx, { userId: user.id, action: o.action as string | undefined, limit: intOption(o.limit, 'limit') });
      return { events };
    },
    describe: (r) =>
      (r.events as AuditEvent[]).map((e) => `${e.occurred_at}  ${e.action.padEnd(28)} ${e.actor.type}${e.ip ? ' ' + e.ip : ''}  ${e.target ? e.target.type + ' ' + e.target.id : ''}`).join('\n') || 'No events.',
  },
];
