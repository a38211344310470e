import type { Actor } from '../context.js';
import type { Executor } from '../db/database.js';
import { newId } from '../util/ids.js';

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

/** Writes one audit event, in the caller's transaction so it commits with the change it records. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      id: newId(),
      occurred_at: Date.now(),
      user_id: entry.userId,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      ip: entry.actor.ip,
      metadata: entry.metadata ? JSON.stringify(entry.metadata) : null,
    })
    .execute();
}
