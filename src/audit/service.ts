import type { AppContext } from '../context.js';
import * as events from './store.js';
import type { AuditEventRow, AuditEventTable } from './tables.js';
import { isoTime } from '../util/dates.js';

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
  /** Only events of this kind of actor (user, token, api_key, system, cli, anonymous). */
  actorType?: AuditEventTable['actor_type'];
  /** Only events at or after this time (ms). */
  from?: number;
  /** Only events before this time (ms), for paging backwards. */
  before?: number;
  limit?: number;
}

function toEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    occurred_at: isoTime(row.occurred_at),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id },
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    ip: row.ip,
    metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, unknown>) : {},
  };
}

/** An account's audit log, newest first. `action` matches exactly or by prefix ending in `.`. */
export async function listAuditEvents(ctx: AppContext, filter: AuditFilter): Promise<AuditEvent[]> {
  const rows = await events.listEvents(ctx.db, { ...filter, limit: Math.min(filter.limit ?? 100, 500) });
  return rows.map(toEvent);
}
