import type { Actor } from '../context.js';
import type { Executor } from '../db/database.js';
import { newId } from '../util/ids.js';
import { insertEvents } from './store.js';

export interface AuditEntry {
  actor: Actor;
  /** The account whose log shows the event. */
  userId: string | null;
  /** Past-tense dotted name: `application.created`, `token.generated`, `license.rotated`. */
  action: string;
  target?: { type: string; id: string };
  /** Non-secret details only: never a token, key, password or license key. */
  metadata?: Record<string, unknown>;
}

function auditRow(entry: AuditEntry, now: number) {
  return {
    id: newId(),
    occurred_at: now,
    user_id: entry.userId,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    action: entry.action,
    target_type: entry.target?.type ?? null,
    target_id: entry.target?.id ?? null,
    ip: entry.actor.ip,
    metadata: entry.metadata ? JSON.stringify(entry.metadata) : null,
  };
}

/** Writes one audit event, in the caller's transaction so it commits with the change it records. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await insertEvents(db, [auditRow(entry, Date.now())]);
}

/** Writes several audit events in one statement (a group commit's batch), in the caller's transaction. */
export async function recordAudits(db: Executor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const now = Date.now();
  await insertEvents(db, entries.map((e) => auditRow(e, now)));
}
