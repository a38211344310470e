import type { Executor } from '../db/database.js';
import type { AuditEventRow, AuditEventTable } from './tables.js';

export async function insertEvents(db: Executor, rows: AuditEventTable[]): Promise<void> {
  await db.insertInto('audit_events').values(rows).execute();
}

export interface EventFilter {
  userId: string;
  /** Exact action, or a prefix ending in `.` (`license.`). */
  action?: string;
  actorType?: AuditEventTable['actor_type'];
  targetId?: string;
  /** occurred_at >= from (ms). */
  from?: number;
  /** occurred_at < before (ms). */
  before?: number;
  limit: number;
}

/** An account's audit events, newest first, filtered. */
export function listEvents(db: Executor, filter: EventFilter): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_events').selectAll().where('user_id', '=', filter.userId);
  if (filter.action) {
    query = filter.action.endsWith('.')
      ? query.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '')}%`)
      : query.where('action', '=', filter.action);
  }
  if (filter.actorType) query = query.where('actor_type', '=', filter.actorType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.from !== undefined) query = query.where('occurred_at', '>=', filter.from);
  if (filter.before !== undefined) query = query.where('occurred_at', '<', filter.before);
  return query.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/** The account of an email (stored normalised), for `tessera audit --email`. */
export async function userIdByEmail(db: Executor, email: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id;
}
