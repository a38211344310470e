import type { ServerKeys } from '../credentials/server-keys.js';

/**
 * Secrets at rest in a flow's rows. A run's outputs as stored (flow_runs.outputs). When they hold a secret a step produced (a
 * rotated license key: StepResult.secrets), the whole JSON document is stored AES-256-GCM
 * encrypted with the server's key for recoverable secrets, as `{"$sealed": "v1.…"}`, so the
 * database never holds the plain text; everything else is stored as JSON. Whoever may read the
 * run (its owner, through the API or the dashboard) sees the outputs opened (openOutputs).
 */
const SEALED = '$sealed';

/** The JSON text to store for a run's outputs. */
export function sealOutputs(keys: ServerKeys, outputs: Record<string, unknown>, secrets: Iterable<string>): string {
  const json = JSON.stringify(outputs);
  // As a secret appears inside a JSON string (quotes and escapes as JSON.stringify writes them).
  const holds = [...secrets].some((secret) => secret !== '' && json.includes(JSON.stringify(secret).slice(1, -1)));
  return holds ? sealed(keys, json) : json;
}

const sealed = (keys: ServerKeys, json: string) => JSON.stringify({ [SEALED]: keys.encrypt(json) });

/** The plain text of a sealed document, or null when `stored` is not one of ours. */
function unseal(keys: ServerKeys, stored: string): string | null {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(stored) as Record<string, unknown>;
  } catch {
    return null;
  }
  const text = value?.[SEALED];
  if (typeof text !== 'string' || Object.keys(value).length !== 1) return null;
  try {
    return keys.decrypt(text);
  } catch {
    return null; // not ours (a flow's own output named "$sealed"): shown as it is
  }
}

/** What email_outbox.subject holds for an email sealed whole into its body. */
export const SEALED_SUBJECT = '(sealed: this email holds a secret)';

/**
 * An email as stored in email_outbox: when its subject or text holds a secret the run produced
 * (a rotated license key mailed to the buyer), both are sealed together into `body` and the
 * subject column says so; the outbox opens it only to send it (openMail).
 */
export function sealMail(keys: ServerKeys, mail: { subject: string; text: string }, secrets: Iterable<string>): { subject: string; body: string } {
  const holds = [...secrets].some((secret) => secret !== '' && (mail.subject.includes(secret) || mail.text.includes(secret)));
  return holds ? { subject: SEALED_SUBJECT, body: sealed(keys, JSON.stringify(mail)) } : { subject: mail.subject, body: mail.text };
}

/** The email to send for a stored outbox row (sealed ones decrypted). */
export function openMail(keys: ServerKeys, row: { subject: string; body: string }): { subject: string; text: string } {
  const opened = row.subject === SEALED_SUBJECT ? unseal(keys, row.body) : null;
  return opened === null ? { subject: row.subject, text: row.body } : (JSON.parse(opened) as { subject: string; text: string });
}

/** The outputs as the run's reader sees them: sealed ones decrypted. */
export function openOutputs(keys: ServerKeys, stored: string): Record<string, unknown> {
  const opened = unseal(keys, stored);
  return JSON.parse(opened ?? stored) as Record<string, unknown>;
}
