import type { ServerKeys } from '../credentials/server-keys.js';

/**
 * A run's outputs as stored (flow_runs.outputs). When they hold a secret a step produced (a
 * rotated license key: StepResult.secrets), the whole JSON document is stored AES-256-GCM
 * encrypted with the server's key for recoverable secrets, as `{"$sealed": "v1.…"}`, so the
 * database never holds the plain text; everything else is stored as JSON. Whoever may read the
 * run (its owner, through the API or the dashboard) sees the outputs opened (openOutputs).
 */
const SEALED = '$sealed';

/** The JSON text to store for a run's outputs. */
export function sealOutputs(keys: ServerKeys, outputs: Record<string, unknown>, secrets: Iterable<string>): string {
  const json = JSON.stringify(outputs);
  for (const secret of secrets) {
    // As the secret appears inside a JSON string (quotes and escapes as JSON.stringify writes them).
    if (secret !== '' && json.includes(JSON.stringify(secret).slice(1, -1))) return JSON.stringify({ [SEALED]: keys.encrypt(json) });
  }
  return json;
}

/** The outputs as the run's reader sees them: sealed ones decrypted. */
export function openOutputs(keys: ServerKeys, stored: string): Record<string, unknown> {
  const value = JSON.parse(stored) as Record<string, unknown>;
  const sealed = value[SEALED];
  if (typeof sealed !== 'string' || Object.keys(value).length !== 1) return value;
  try {
    return JSON.parse(keys.decrypt(sealed)) as Record<string, unknown>;
  } catch {
    return value; // not ours (a flow's own output named "$sealed"): shown as it is
  }
}
