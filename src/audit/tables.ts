import type { Selectable } from 'kysely';

export interface AuditEventTable {
  id: string;
  occurred_at: number;
  /** The account the event belongs to (whose audit log lists it). */
  user_id: string | null;
  actor_type: 'user' | 'token' | 'api_key' | 'system' | 'anonymous' | 'cli';
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  /** JSON object with non-secret details. */
  metadata: string | null;
}

export interface AuditTables {
  audit_events: AuditEventTable;
}

export type AuditEventRow = Selectable<AuditEventTable>;
