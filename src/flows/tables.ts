import type { Selectable } from 'kysely';

/** Who owns a flow, a workbook and the runs' limits: one user or one team. */
export type OwnerType = 'user' | 'team';

export interface WorkbookTable {
  id: string;
  owner_type: OwnerType;
  owner_id: string;
  name: string;
  description: string | null;
  /** 1 for the folder every owner gets on its first flow. */
  is_default: number;
  created_at: number;
}

export interface FlowTable {
  /** Public id: the `saved_item_id` of the Gumloop-compatible API. */
  id: string;
  owner_type: OwnerType;
  owner_id: string;
  workbook_id: string;
  name: string;
  description: string | null;
  /** The validated FlowDefinition, JSON. */
  definition: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export type RunState = 'STARTED' | 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED' | 'TERMINATING' | 'TERMINATED';

export interface FlowRunTable {
  id: string;
  flow_id: string;
  owner_type: OwnerType;
  owner_id: string;
  /** The user the run acts for (the Gumloop `user_id`). */
  user_id: string;
  /** The API key that started it; null from the dashboard. */
  api_key_id: string | null;
  state: RunState;
  /** Snapshot of the flow definition at start, so an edit never changes a queued run. JSON. */
  definition: string;
  /** JSON object. */
  inputs: string;
  /** JSON object; `{}` until DONE. */
  outputs: string;
  /** JSON array of plain strings. */
  log: string;
  idempotency_key: string | null;
  /** Id of the worker that claimed it. */
  claimed_by: string | null;
  heartbeat_at: number | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
}

/** Per-owner overrides of the run limits; defaults come from the environment. */
export interface FlowLimitTable {
  owner_type: OwnerType;
  owner_id: string;
  max_concurrent: number | null;
  max_queued: number | null;
  max_run_seconds: number | null;
  max_output_bytes: number | null;
}

/** Emails queued by the send_email step; delivered over SMTP when SMTP_URL is set. */
export interface EmailOutboxTable {
  id: string;
  run_id: string;
  user_id: string;
  to_address: string;
  subject: string;
  body: string;
  created_at: number;
  sent_at: number | null;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

/**
 * A file of the flows API (migration 0015): uploaded by an account or team (`run_id` null) or
 * written by a step of one of its runs. The bytes are in the row, on both dialects.
 */
export interface FlowFileTable {
  id: string;
  owner_type: OwnerType;
  owner_id: string;
  run_id: string | null;
  /** A plain file name: no folder, no control character (files-name.ts). */
  name: string;
  content_type: string;
  size: number;
  content: Buffer;
  /** The user who uploaded it (empty for a team key acting as its team), or the run's user. */
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface FlowTables {
  flow_files: FlowFileTable;
  workbooks: WorkbookTable;
  flows: FlowTable;
  flow_runs: FlowRunTable;
  flow_limits: FlowLimitTable;
  email_outbox: EmailOutboxTable;
}

export type WorkbookRow = Selectable<WorkbookTable>;
export type FlowRow = Selectable<FlowTable>;
export type FlowRunRow = Selectable<FlowRunTable>;
export type FlowFileRow = Selectable<FlowFileTable>;
