import net from 'node:net';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { textParam } from '../catalog/params.js';
import { isPrivateAddress } from '../http/net-guard.js';
import { TesseraError } from '../http/errors.js';
import type { TokenPrincipal } from '../tokens/service.js';
import { newExternalId, newId } from '../util/ids.js';
import { TESSERA_RESOURCE_NAMES } from './resources.js';
import { newSigningSecret } from './sign.js';
import * as store from './resource-subscription-store.js';
import type { ResourceSubscriptionRow } from './tables.js';

export const RESOURCE_NAMES = [
  'sale',
  'refund',
  'dispute',
  'dispute_won',
  'cancellation',
  'subscription_updated',
  'subscription_ended',
  'subscription_restarted',
] as const;

/** Gumroad's names, then Tessera's own events (src/webhooks/resources.ts). */
const ACCEPTED_NAMES: readonly string[] = [...RESOURCE_NAMES, ...TESSERA_RESOURCE_NAMES];

/** The resource subscription object (contract §3.8). */
export interface ResourceSubscription {
  id: string;
  resource_name: string;
  post_url: string;
}

const present = (row: ResourceSubscriptionRow): ResourceSubscription => ({ id: row.external_id, resource_name: row.resource_name, post_url: row.post_url });

/** Loopback and private hosts (`localhost`, `127.0.0.1`, `10.x`…) are refused unless the operator allows private targets (decision 8). */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return net.isIP(host) !== 0 && isPrivateAddress(host);
}

function parsePostUrl(ctx: AppContext, value: unknown): string {
  const text = typeof value === 'string' ? value.trim() : '';
  let url: URL | null = null;
  try {
    url = text.length <= 2000 ? new URL(text) : null;
  } catch {
    url = null;
  }
  const usable = url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  if (!usable || (!ctx.config.allowPrivateTargets && isPrivateHost(url!.hostname))) {
    throw new TesseraError('CATALOG_INVALID', `Invalid post URL '${text.slice(0, 2000)}'`);
  }
  return text;
}

function parseResourceName(value: unknown): string | null {
  return typeof value === 'string' && ACCEPTED_NAMES.includes(value) ? value : null;
}

/**
 * PUT /v2/resource_subscriptions: tied to the token's application, delivered by src/webhooks.
 * Answers the object and its Standard Webhooks signing secret, shown this once (stored encrypted).
 */
export async function subscribeToResource(
  ctx: AppContext,
  principal: TokenPrincipal,
  input: { resource_name?: unknown; post_url?: unknown },
  actor: Actor,
): Promise<{ subscription: ResourceSubscription; signingSecret: string }> {
  const name = parseResourceName(input.resource_name);
  if (!name) {
    const requested = typeof input.resource_name === 'string' ? textParam(input.resource_name, 'resource_name', 100) : '';
    throw new TesseraError('CATALOG_INVALID', `Unable to subscribe to '${requested}'.`);
  }
  const signingSecret = newSigningSecret();
  const row: ResourceSubscriptionRow = {
    id: newId(),
    external_id: newExternalId(),
    user_id: principal.userId,
    application_id: principal.applicationId,
    resource_name: name,
    post_url: parsePostUrl(ctx, input.post_url),
    created_at: Date.now(),
    deleted_at: null,
    secret_encrypted: ctx.keys.encrypt(signingSecret),
    previous_secret_encrypted: null,
    previous_secret_expires_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await store.insertResourceSubscription(trx, row);
    await recordAudit(trx, {
      actor,
      userId: principal.userId,
      action: 'resource_subscription.created',
      target: { type: 'resource_subscription', id: row.external_id },
      // Only the host: a webhook URL's path often carries a secret.
      metadata: { application_id: row.application_id, resource_name: name, post_url_host: new URL(row.post_url).host },
    });
  });
  return { subscription: present(row), signingSecret };
}

/** The calling application's live subscriptions for a resource (deliberately not the user's other apps, §7.5). */
export async function listResourceSubscriptions(ctx: AppContext, principal: TokenPrincipal, resourceName: unknown): Promise<ResourceSubscription[]> {
  const name = parseResourceName(resourceName);
  if (!name) throw new TesseraError('RESOURCE_NAME_REQUIRED');
  return (await store.listLive(ctx.db, principal.userId, principal.applicationId, name)).map(present);
}

export async function deleteResourceSubscription(ctx: AppContext, principal: TokenPrincipal, id: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await store.deleteOwned(trx, principal.userId, id, ctx.clock(), principal.applicationId))) {
      throw new TesseraError('RESOURCE_SUBSCRIPTION_NOT_FOUND');
    }
    await recordAudit(trx, {
      actor,
      userId: principal.userId,
      action: 'resource_subscription.deleted',
      target: { type: 'resource_subscription', id },
      metadata: { application_id: principal.applicationId },
    });
  });
}
