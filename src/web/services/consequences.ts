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

/**
 * What deleting a product stops, and what it keeps: the product leaves the list, its page and
 * recorded purchases stop, but the keys already sold keep verifying (a deleted product's licenses
 * are not revoked; disabling them is a separate action).
 */
export function deleteProductConsequence(name: string, facts: { published: boolean; sales: number; licenses: number }): string {
  const stops = facts.published ? `${name} leaves your products and its page stops selling at once` : `${name} leaves your products`;
  const keys =
    facts.licenses === 0
      ? 'it has no license key'
      : `${plural(facts.licenses, 'license key')} already sold keep${facts.licenses === 1 ? 's' : ''} verifying (disable them under Sales first if they should stop)`;
  return `${stops}; no purchase of it can be recorded any more. Its ${plural(facts.sales, 'sale')} stay${facts.sales === 1 ? 's' : ''} in your sales and ${keys}. This cannot be undone.`;
}

/** What deleting a variant category takes from checkout. */
export function deleteCategoryConsequence(product: string, title: string, options: number): string {
  return `The category “${title}” and its ${plural(options, 'option')} leave ${product}: buyers can no longer choose them. Sales keep the option they bought. This cannot be undone.`;
}

/** What deleting one option takes from checkout. */
export function deleteOptionConsequence(product: string, category: string, name: string): string {
  return `The option “${name}” of “${category}” leaves ${product}: buyers can no longer choose it. Sales keep the option they bought. This cannot be undone.`;
}

/** What deleting an offer code stops. */
export function deleteOfferCodeConsequence(name: string, timesUsed: number, universal: boolean): string {
  const where = universal ? ' on every product of yours' : '';
  return `The code ${name} (used ${plural(timesUsed, 'time')}) stops working at once${where}: buyers who have it pay the full price. Sales made with it keep their price. This cannot be undone.`;
}

/** What removing a custom field from a product's checkout stops. */
export function deleteCustomFieldConsequence(product: string, name: string, otherProducts: number): string {
  const rest = otherProducts > 0 ? ` It stays on your ${plural(otherProducts, 'other product')}.` : ' This cannot be undone.';
  return `The checkout of ${product} stops asking for “${name}”; answers already given stay on their sales.${rest}`;
}

/** What freeing a seat stops. */
export function freeSeatConsequence(instance: string, usage: number, limit: number | null): string {
  const left = limit === null ? `${usage - 1} in use, no limit` : `${usage - 1} of ${limit} in use`;
  return `The application on “${instance}” stops validating at once; the seat is free for another activation (${left} afterwards).`;
}

/** What deleting a webhook (a resource subscription) stops. */
export function deleteWebhookConsequence(resource: string, postUrl: string): string {
  return `Tessera stops POSTing ${resource} events to ${postUrl} at once, and deliveries still waiting or retrying are not sent. This cannot be undone: a new webhook gets a new signing secret.`;
}

/** What rotating a webhook's signing secret changes for the receiver (null: the grace period chosen on the form). */
export function rotateWebhookSecretConsequence(postUrl: string, graceSeconds: number | null): string {
  const old =
    graceSeconds === null
      ? 'The current signing secret stops signing at once, or when the grace period you chose ends'
      : graceSeconds === 0
        ? 'The current signing secret stops signing at once'
        : `The current signing secret also signs for ${graceWords(graceSeconds).replace(/^in /, '')} more`;
  return `${old}; after that the receiver at ${postUrl} rejects every delivery until it verifies with the new secret, shown once after rotating.`;
}

/** What removing a member from a team stops. */
export function removeMemberConsequence(email: string, team: string): string {
  return `${email} leaves ${team} at once: they no longer see or run its flows, and its API keys stop acting for them. Keys and flows stay with the team. They need a new invitation to come back.`;
}

/** What leaving a team stops. */
export function leaveTeamConsequence(team: string): string {
  return `You leave ${team} at once: you no longer see or run its flows, and its API keys stop acting for you. An owner or admin would have to invite you again.`;
}

/** What declining an invitation means. */
export function declineInvitationConsequence(team: string, invitedBy: string): string {
  return `The invitation to ${team} is gone: ${invitedBy} would have to invite you again.`;
}

/** What cancelling a pending invitation stops. */
export function cancelInvitationConsequence(email: string, team: string): string {
  return `The invitation of ${email} to ${team} stops working at once: they can no longer accept it, and need a new invitation to join.`;
}

/** What disabling an account stops (src/admin). */
export function disableAccountConsequence(email: string, stopLicenses: boolean | null): string {
  const licenses =
    stopLicenses === null
      ? 'Its licenses keep verifying for its buyers unless you tick “Also stop its licenses”.'
      : stopLicenses
        ? "Its licenses are refused too: its buyers' license checks fail until you enable it again."
        : 'Its licenses keep verifying for its buyers.';
  return `${email} is signed out at once: its sessions, access tokens and API keys are refused from their next request, on every server. ${licenses} Enabling it again restores everything.`;
}

/** What deleting an account removes, counted (src/admin). */
export function deleteAccountConsequence(
  email: string,
  owned: { applications: number; api_keys: number; products: number; sales: number; licenses: number; flows: number; teams: number; webhooks: number; teams_left?: number },
): string {
  const parts = [
    plural(owned.applications, 'application') + (owned.applications ? ' (every access token on them stops working)' : ''),
    plural(owned.api_keys, 'API key'),
    `${plural(owned.products, 'product')} with ${plural(owned.sales, 'sale')} and ${plural(owned.licenses, 'license')}` +
      (owned.licenses ? " (its buyers' license keys stop verifying)" : ''),
    plural(owned.flows, 'flow'),
    plural(owned.teams, 'team'),
    plural(owned.webhooks, 'webhook'),
  ];
  const left = owned.teams_left ? ` ${plural(owned.teams_left, 'team')} with other members stay${owned.teams_left === 1 ? 's' : ''} and pass${owned.teams_left === 1 ? 'es' : ''} to another member.` : '';
  return `${email} and everything it owns will be deleted: ${parts.join(', ')}.${left} This cannot be undone.`;
}

/** What requiring a second factor of every account does at once (src/admin/instance-settings.ts). */
export function requireSecondFactorConsequence(accountsWithout: number, viewerHasOne: boolean): string {
  const who =
    accountsWithout === 0
      ? 'Every enabled account already has a second factor.'
      : `${plural(accountsWithout, 'enabled account')} without a second factor${viewerHasOne ? '' : ' (yours among them)'} can use only the Security page, and the session JSON API answers 403, until they set one up.`;
  return `${who} On every server, from their next request; access tokens and API keys keep working. Nobody can remove their last factor while it is required.`;
}
