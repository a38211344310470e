import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { createWebhooks, DASHBOARD_RESOURCES, deleteWebhook, webhookApps, webhookOverview } from '../../webhooks/dashboard-service.js';
import { listDeliveries, redeliver, rotateSecret } from '../../webhooks/delivery-service.js';
import { findSubscription } from '../../webhooks/store.js';
import { formProblem } from '../errors.js';
import { formOf, list, text } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { SECRET_GRACE_CHOICES, WebhookConfirmPage, WebhookPage, WebhooksPage, type ShownSecrets } from '../pages/webhooks.js';
import { sendPage } from '../render.js';

/**
 * A signing secret crosses the POST's redirect in a cookie of its own: encrypted with the server
 * key, for one page only, for two minutes, cleared by the page that shows it. So the secret never
 * sits in a URL and the page that shows it is a plain GET (Post/Redirect/Get).
 */
const FLASH_COOKIE = 'tessera_webhook_secret';
const FLASH_SECONDS = 120;

const NOTICES: Record<string, string> = {
  created: 'Webhook added.',
  deleted: 'Webhook deleted: nothing more is sent to its URL.',
  redelivered: 'Delivery queued again: it goes out in a moment.',
  rotated: 'Signing secret rotated.',
};

export async function webhookPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);

  function flash(reply: FastifyReply, page: string, shown: ShownSecrets): void {
    const value = ctx.keys.encrypt(JSON.stringify({ page, shown, until: Date.now() + FLASH_SECONDS * 1000 }));
    reply.setCookie(FLASH_COOKIE, value, { path: '/webhooks', httpOnly: true, sameSite: 'strict', secure: ctx.config.secureCookies, maxAge: FLASH_SECONDS });
  }

  /** The secrets meant for this page, once: the cookie is cleared whatever it held. */
  function takeFlash(request: FastifyRequest, reply: FastifyReply, page: string): ShownSecrets | null {
    const raw = request.cookies[FLASH_COOKIE];
    if (!raw) return null;
    reply.clearCookie(FLASH_COOKIE, { path: '/webhooks' });
    try {
      const value = JSON.parse(ctx.keys.decrypt(raw)) as { page: string; shown: ShownSecrets; until: number };
      return value.page === page && value.until > Date.now() ? value.shown : null;
    } catch {
      return null;
    }
  }

  async function requireWebhook(request: FastifyRequest) {
    const { id } = request.params as { id: string };
    const row = await findSubscription(ctx.db, request.viewer!.user.id, id);
    if (!row) throw new TesseraError('NOT_FOUND', 'This webhook does not exist.');
    return { id: row.external_id, resource_name: row.resource_name, post_url: row.post_url };
  }

  const pagePath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;
  const notice = (request: FastifyRequest) => NOTICES[(request.query as Record<string, string>).done ?? ''] ?? null;

  async function showList(request: FastifyRequest, reply: FastifyReply, extra: { error?: string; form?: { application_id: string; post_url: string; resources: string[] } } = {}, status = 200) {
    const userId = request.viewer!.user.id;
    const [webhooks, apps] = await Promise.all([webhookOverview(ctx, userId), webhookApps(ctx, userId)]);
    const shown = status === 200 ? takeFlash(request, reply, '/webhooks') : null;
    return sendPage(reply, h(WebhooksPage, { viewer: request.viewer!, webhooks, apps, resources: DASHBOARD_RESOURCES, shown, notice: notice(request), ...extra }), status);
  }

  app.get('/webhooks', async (request, reply) => showList(request, reply));

  app.post('/webhooks', async (request, reply) => {
    const form = formOf(request.body);
    const input = { application_id: text(form, 'application_id'), post_url: text(form, 'post_url'), resources: list(form, 'resources') };
    try {
      const created = await createWebhooks(ctx, request.viewer!.user.id, input, actorOf(request));
      flash(reply, '/webhooks', created);
      return reply.redirect('/webhooks?done=created', 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      return showList(request, reply, { error: message, form: input }, status);
    }
  });

  app.get('/webhooks/:id', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const pageKey = (request.query as Record<string, string>).page_key;
    const page = await listDeliveries(ctx, { userId: request.viewer!.user.id }, webhook.id, pageKey);
    const shown = takeFlash(request, reply, pagePath(webhook.id));
    return sendPage(reply, h(WebhookPage, { viewer: request.viewer!, webhook, deliveries: page.deliveries, nextPage: page.nextPageKey, shown, notice: notice(request) }));
  });

  app.post('/webhooks/:id/deliveries/:delivery_id/redeliver', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const { delivery_id } = request.params as { delivery_id: string };
    await redeliver(ctx, { userId: request.viewer!.user.id }, webhook.id, delivery_id, actorOf(request));
    return reply.redirect(`${pagePath(webhook.id)}?done=redelivered`, 303);
  });

  app.get('/webhooks/:id/rotate', async (request, reply) =>
    sendPage(reply, h(WebhookConfirmPage, { viewer: request.viewer!, webhook: await requireWebhook(request), action: 'rotate' })),
  );

  app.post('/webhooks/:id/rotate', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const grace = text(formOf(request.body), 'grace_period');
    if (!SECRET_GRACE_CHOICES.some((c) => c.value === grace)) throw new TesseraError('VALIDATION_FAILED', 'Choose how long the old secret keeps signing.');
    const rotated = await rotateSecret(ctx, { userId: request.viewer!.user.id }, webhook.id, grace, actorOf(request));
    flash(reply, pagePath(webhook.id), [{ id: webhook.id, resource_name: webhook.resource_name, secret: rotated.signing_secret }]);
    return reply.redirect(`${pagePath(webhook.id)}?done=rotated`, 303);
  });

  app.get('/webhooks/:id/delete', async (request, reply) =>
    sendPage(reply, h(WebhookConfirmPage, { viewer: request.viewer!, webhook: await requireWebhook(request), action: 'delete' })),
  );

  app.post('/webhooks/:id/delete', async (request, reply) => {
    const webhook = await requireWebhook(request);
    await deleteWebhook(ctx, request.viewer!.user.id, webhook.id, actorOf(request));
    return reply.redirect('/webhooks?done=deleted', 303);
  });
}
