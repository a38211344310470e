import type { AppContext } from '../context.js';
import type { AuditEventRow } from './tables.js';

export interface AuditEvent {
  id: string;
  occurred_at: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string } | null;
  ip: string | null;
  metadata: Record<string, unknown>;
}

export interface AuditFilter {
  userId: string;
  action?: string;
  targetId?: string;
  /** Only events before this time (ms), for paging backwards. */
  before?: number;
  limit?: number;
}

function toEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    occurred_at: new Date(row.occurred_at).toISOString(),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id },
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    ip: row.ip,
    metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : {},
  };
}

/** An account's audit log, newest first. `action` matches exactly or by prefix ending in `.`. */
export async function listAuditEvents(ctx: AppContext, filter: AuditFilter): Promise<AuditEvent[]> {
  let query = ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', filter.userId);
  if (filter.action) {
    query = filter.action.endsWith('.')
      ? query.where('action', 'like', `${filter.action.replace(/[%_]/g, '')}%`)
      : query.where('action', '=', filter.action);
  }
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.before !== undefined) query = query.where('occurred_at', '<', filter.before);
  const rows = await query
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(filter.limit ?? 100, 500))
    .execute();
  return rows.map(toEvent);
}
