import type { ColumnType, Selectable } from 'kysely';

/** A column added by a later migration: nullable in rows, optional on insert. */
type LaterNullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/**
 * pending: waiting for its next attempt (or being sent, while leased); succeeded: a 2xx answer;
 * failed: a permanent refusal or the retry window ran out; skipped: not sent, because the
 * subscription was deleted or its application no longer holds a live token with view_sales.
 */
export type DeliveryState = 'pending' | 'succeeded' | 'failed' | 'skipped';

/** The outbox: one row per event and matching resource subscription, written in the event's transaction. */
export interface WebhookDeliveryTable {
  id: string;
  /** The delivery id clients see (delivery log, redeliver). */
  external_id: string;
  /** resource_subscriptions.id */
  subscription_id: string;
  seller_id: string;
  resource_name: string;
  /** `webhook-id`: the same on every attempt and redelivery, so receivers can de-duplicate. */
  message_id: string;
  /** The event's payload, JSON; encoded for the wire at send time. */
  payload: string;
  state: DeliveryState;
  attempt_count: number;
  next_attempt_at: number;
  /** When the retry window began (the event, or the last redelivery): retries last TESSERA_WEBHOOK_RETRY_HOURS from here. */
  window_start: number;
  /** The sender holding the row while it sends (host:pid:random) and until when. */
  lease_owner: string | null;
  lease_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

/** One POST of a delivery: what the receiver answered, or why there was no answer. */
export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  attempted_at: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

/** A webhook registration of an OAuth application, delivered by src/webhooks/sender.ts. */
export interface ResourceSubscriptionTable {
  id: string;
  external_id: string;
  user_id: string;
  application_id: string;
  resource_name: string;
  post_url: string;
  created_at: number;
  deleted_at: number | null;
  /** The Standard Webhooks signing secret (`whsec_…`), encrypted with the server key. */
  secret_encrypted: LaterNullable<string>;
  /** The secret replaced by a rotation, still signing until previous_secret_expires_at. */
  previous_secret_encrypted: LaterNullable<string>;
  previous_secret_expires_at: LaterNullable<number>;
}

export interface WebhookTables {
  resource_subscriptions: ResourceSubscriptionTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
}

export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptTable>;
export type ResourceSubscriptionRow = Selectable<ResourceSubscriptionTable>;
