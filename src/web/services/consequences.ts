import { plural } from '../confirm.js';

/**
 * What a destructive action will stop, in words: the same sentence in the JavaScript dialog and
 * on the confirmation page.
 */

/** What regenerating a client secret breaks, in words. */
export function secretConsequence(name: string): string {
  return `The current client secret of ${name} stops working at once: tools using it can no longer exchange or refresh tokens until they get the new secret. Access tokens already issued keep working.`;
}

/** What generating a new owner token breaks. */
export function tokenConsequence(hint: string): string {
  return `Your current access token (${hint}) will stop working at once: scripts using it get 401 until you paste in the new one.`;
}

/** What deleting an application revokes. */
export function deleteConsequence(liveTokens: number): string {
  return liveTokens === 0
    ? 'This application holds no live access token. This cannot be undone.'
    : `${plural(liveTokens, 'live access token')} will stop working at once. This cannot be undone.`;
}

const graceWords = (seconds: number) =>
  seconds === 0 ? 'at once' : seconds < 86400 ? `in ${seconds / 3600} hour${seconds === 3600 ? '' : 's'}` : `in ${seconds / 86400} day${seconds === 86400 ? '' : 's'}`;

/** What regenerating an API key breaks. */
export function regenerateKeyConsequence(name: string, hint: string, graceSeconds: number | null): string {
  const when = graceSeconds === null ? 'at once, or when the grace period you chose ends' : graceWords(graceSeconds);
  return `The current secret of ${name} (${hint}) will stop working ${when}: scripts, webhook URLs and snippets holding it get 401 until they get the new secret.`;
}

/** What revoking an API key breaks. */
export function revokeKeyConsequence(name: string, hint: string): string {
  return `${name} (${hint}) will stop working at once: every script, webhook URL and snippet using it gets 401. This cannot be undone.`;
}

/** What turning recoverable keys off forgets. */
export function forgetKeysConsequence(stored: number): string {
  return `${plural(stored, 'stored key')} will be forgotten: they keep working, but can never be revealed again, and the flow webhook panel can no longer fill them in.`;
}

/** What deleting a flow stops. */
export function deleteFlowConsequence(name: string, runs: number): string {
  return `${name} will be deleted with its history of ${plural(runs, 'run')}: its webhook URL and the snippets using it stop starting it at once. This cannot be undone.`;
}

/** What a license support action stops. */
export function licenseConsequence(
  action: 'disable' | 'rotate' | 'reset',
  license: { maskedKey: string; email: string; productName: string; uses: number },
  graceSeconds: number | null,
): string {
  const who = `${license.email}'s key ${license.maskedKey} for ${license.productName}`;
  if (action === 'disable') return `${who} will stop verifying at once: their app refuses it until you enable the license again.`;
  if (action === 'rotate') {
    const when = graceSeconds === null ? 'at once, or when the grace period you chose ends' : graceWords(graceSeconds);
    return `${who} will stop verifying ${when}; the buyer needs the new key, shown after rotating. This cannot be undone.`;
  }
  return `The use count of ${who} goes from ${license.uses} back to 0: every installation counted so far is forgotten. This cannot be undone.`;
}

/** What revoking a third-party application's access stops. */
export function revokeAccessConsequence(name: string): string {
  return `Every access and refresh token ${name} holds for your account will stop working at once; it must ask for your consent again.`;
}
