import { parseScopes } from '../auth/scopes.js';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { RESOURCE_NAMES, subscribeToResource } from './resource-subscription-service.js';
import type { TokenPrincipal } from '../tokens/service.js';
import { liveTokensOf, ownApplications } from './application-store.js';
import { latestDeliveries } from './delivery-store.js';
import { TESSERA_RESOURCE_NAMES } from './resources.js';
import { deleteOwned } from './resource-subscription-store.js';
import { liveSubscriptionsWithApplications } from './store.js';

/** Every resource a subscription can name, Gumroad's first. */
export const DASHBOARD_RESOURCES: readonly string[] = [...RESOURCE_NAMES, ...TESSERA_RESOURCE_NAMES];

export interface WebhookApp {
  id: string;
  name: string;
  /** Deliveries go out only while the application holds a live token with view_sales. */
  deliverable: boolean;
}

export interface WebhookOverview {
  id: string;
  resource_name: string;
  post_url: string;
  application: { id: string; name: string; deliverable: boolean };
  created_at: number;
  last_state: string | null;
  last_at: number | null;
}

/** The seller's own applications, and whether each holds a live token with view_sales (or account). */
export async function webhookApps(ctx: AppContext, userId: string): Promise<WebhookApp[]> {
  const apps = await ownApplications(ctx.db, userId);
  if (apps.length === 0) return [];
  const now = Date.now();
  const tokens = await liveTokensOf(ctx.db, userId, apps.map((a) => a.id), now);
  const live = new Set(tokens.filter((t) => parseScopes(t.scopes).some((s) => s === 'view_sales' || s === 'account')).map((t) => t.application_id));
  return apps.map((a) => ({ id: a.id, name: a.name, deliverable: live.has(a.id) }));
}

/** The seller's live resource subscriptions (all applications), newest first, with their latest delivery. */
export async function webhookOverview(ctx: AppContext, userId: string): Promise<WebhookOverview[]> {
  const apps = new Map((await webhookApps(ctx, userId)).map((a) => [a.id, a]));
  const rows = await liveSubscriptionsWithApplications(ctx.db, userId, 500);
  const latest = new Map<string, { state: string; created_at: number }>();
  if (rows.length > 0) {
    const recent = await latestDeliveries(ctx.db, rows.map((r) => r.id));
    for (const r of recent) latest.set(r.subscription_id, r);
  }
  return rows.map((r) => ({
    id: r.external_id,
    resource_name: r.resource_name,
    post_url: r.post_url,
    application: { id: r.application_id, name: r.application_name, deliverable: apps.get(r.application_id)?.deliverable ?? false },
    created_at: r.created_at,
    last_state: latest.get(r.id)?.state ?? null,
    last_at: latest.get(r.id)?.created_at ?? null,
  }));
}

/** Dashboard "Add webhook": one subscription per chosen resource, each with its signing secret (shown once). */
export async function createWebhooks(ctx: AppContext, userId: string, input: { application_id: string; post_url: string; resources: string[] }, actor: Actor) {
  const app = (await webhookApps(ctx, userId)).find((a) => a.id === input.application_id);
  if (!app) throw new TesseraError('VALIDATION_FAILED', 'Choose one of your applications.');
  const resources = [...new Set(input.resources)];
  if (resources.length === 0) throw new TesseraError('VALIDATION_FAILED', 'Choose at least one resource.');
  const unknown = resources.find((r) => !DASHBOARD_RESOURCES.includes(r));
  if (unknown) throw new TesseraError('VALIDATION_FAILED', `Unknown resource '${unknown.slice(0, 50)}'.`);
  // The API's own checks (post URL, private targets) apply: the application acts as the token's would.
  const principal = { userId, applicationId: app.id } as TokenPrincipal;
  const created: { id: string; resource_name: string; secret: string }[] = [];
  for (const resource of resources) {
    try {
      const { subscription, signingSecret } = await subscribeToResource(ctx, principal, { resource_name: resource, post_url: input.post_url }, actor);
      created.push({ id: subscription.id, resource_name: resource, secret: signingSecret });
    } catch (err) {
      if (err instanceof TesseraError && err.code === 'CATALOG_INVALID') throw new TesseraError('VALIDATION_FAILED', err.message);
      throw err;
    }
  }
  return created;
}

/** Dashboard delete: the owner may delete any of their subscriptions, whichever application made it. */
export async function deleteWebhook(ctx: AppContext, userId: string, id: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await deleteOwned(trx, userId, id, ctx.clock()))) throw new TesseraError('RESOURCE_SUBSCRIPTION_NOT_FOUND');
    await recordAudit(trx, { actor, userId, action: 'resource_subscription.deleted', target: { type: 'resource_subscription', id }, metadata: { from: 'dashboard' } });
  });
}
