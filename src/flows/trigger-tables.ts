import type { Selectable } from 'kysely';
import type { OwnerType } from './tables.js';

export type TriggerKind = 'schedule' | 'event';

/** What starts a flow besides the API: a schedule or a Tessera event. */
export interface FlowTriggerTable {
  /** Public id. */
  id: string;
  flow_id: string;
  /** The flow's owner, copied so a listing needs no join. */
  owner_type: OwnerType;
  owner_id: string;
  /** The account the runs act for (the one that added the trigger); an event trigger watches its events. */
  user_id: string;
  kind: TriggerKind;
  /** Schedule: five cron fields (or @daily, …), read in `timezone` (IANA). */
  cron: string | null;
  timezone: string | null;
  /** Event: a webhook resource name (sale, refund, license_rotated, license_disabled, …). */
  event: string | null;
  /** Schedule: the next due time not yet claimed, ms. */
  next_due_at: number | null;
  created_by: string;
  created_at: number;
}

/**
 * pending: waiting to start its run (queue full: retried); started: its run exists (`run_id`);
 * failed: the run could not start (inputs refused, flow gone), `error` says why.
 */
export type FireState = 'pending' | 'started' | 'failed';

/** One due time or one event of a trigger, claimed once by a unique (trigger_id, fire_key). */
export interface FlowTriggerFireTable {
  id: string;
  trigger_id: string;
  fire_key: string;
  due_at: number;
  missed: number;
  inputs_encrypted: string | null;
  state: FireState;
  run_id: string | null;
  error: string | null;
  attempts: number;
  next_attempt_at: number;
  created_at: number;
  started_at: number | null;
}

export interface FlowTriggerTables {
  flow_triggers: FlowTriggerTable;
  flow_trigger_fires: FlowTriggerFireTable;
}

export type FlowTriggerRow = Selectable<FlowTriggerTable>;
export type FlowTriggerFireRow = Selectable<FlowTriggerFireTable>;
