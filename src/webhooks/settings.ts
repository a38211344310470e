import { positiveIntFromEnv } from '../util/env.js';

/** Webhook delivery settings from the environment (docs/webhooks.md, docs/configuration.md). */
export interface WebhookSettings {
  /** TESSERA_WEBHOOK_SENDER: `0` keeps `npm start` from sending webhooks in this process. */
  inProcessSender: boolean;
  /** TESSERA_WEBHOOK_POLL_MS: how often an idle sender looks for due deliveries (events of other processes, retries). */
  pollMs: number;
  /** TESSERA_WEBHOOK_CONCURRENCY: deliveries one sender POSTs at the same time. */
  concurrency: number;
  /** TESSERA_WEBHOOK_TIMEOUT_MS: a receiver that has not answered after this long counts as a timeout. */
  timeoutMs: number;
  /** TESSERA_WEBHOOK_RETRY_HOURS: failed attempts are retried, with backoff, for this long after the event. */
  retryHours: number;
  /** TESSERA_WEBHOOK_RETENTION_DAYS: successful deliveries (and their attempts) older than this are pruned. */
  retentionDays: number;
  /** TESSERA_WEBHOOK_SECRET_GRACE_HOURS: default time a rotated-out signing secret keeps signing. */
  secretGraceHours: number;
}

export function loadWebhookSettings(env: NodeJS.ProcessEnv): WebhookSettings {
  const retryHours = positiveIntFromEnv(env, 'TESSERA_WEBHOOK_RETRY_HOURS', 24);
  return {
    inProcessSender: env.TESSERA_WEBHOOK_SENDER !== '0' && env.TESSERA_WEBHOOK_SENDER !== 'false',
    pollMs: positiveIntFromEnv(env, 'TESSERA_WEBHOOK_POLL_MS', 1000),
    concurrency: positiveIntFromEnv(env, 'TESSERA_WEBHOOK_CONCURRENCY', 16),
    timeoutMs: positiveIntFromEnv(env, 'TESSERA_WEBHOOK_TIMEOUT_MS', 5000),
    retryHours,
    retentionDays: positiveIntFromEnv(env, 'TESSERA_WEBHOOK_RETENTION_DAYS', 30),
    secretGraceHours: positiveIntFromEnv(env, 'TESSERA_WEBHOOK_SECRET_GRACE_HOURS', 24),
  };
}
