import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { createWebhooks, DASHBOARD_RESOURCES, deleteWebhook, webhookApps, webhookOverview } from '../../webhooks/dashboard-service.js';
import { listDeliveries, redeliver, rotateSecret } from '../../webhooks/delivery-service.js';
import { findSubscription } from '../../webhooks/store.js';
import { askFirst, queryChoice, sendConfirmation } from '../confirm.js';
import { backWithError, flashOf, formErrorOf, readFlash, redirectWithFlash } from '../flash.js';
import { formOf, list, text } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { SECRET_GRACE_CHOICES, WebhookPage, WebhooksPage, type ShownSecrets } from '../pages/webhooks.js';
import { sendPage } from '../render.js';
import { deleteWebhookConsequence, rotateWebhookSecretConsequence } from '../services/consequences.js';

const NOTICES: Record<string, string> = {
  deleted: 'Webhook deleted: nothing more is sent to its URL.',
  redelivered: 'Delivery queued again: it goes out in a moment.',
};

/**
 * Webhooks (resource subscriptions) and their deliveries. Every POST redirects (303); a signing
 * secret reaches the next page once, in the server-side flash, and a reload says "already shown".
 * Delete and rotate ask first: a dialog with script, a confirmation page without.
 */
export async function webhookPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);

  async function requireWebhook(request: FastifyRequest) {
    const { id } = request.params as { id: string };
    const row = await findSubscription(ctx.db, request.viewer!.user.id, id);
    if (!row) throw new TesseraError('NOT_FOUND', 'This webhook does not exist.');
    return { id: row.external_id, resource_name: row.resource_name, post_url: row.post_url };
  }

  const pagePath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;
  const notice = (request: FastifyRequest) => NOTICES[(request.query as Record<string, string>).done ?? ''] ?? null;

  app.get('/webhooks', async (request, reply) => {
    const viewer = request.viewer!;
    const flash = await readFlash(request);
    const [webhooks, apps] = await Promise.all([webhookOverview(ctx, viewer.user.id), webhookApps(ctx, viewer.user.id)]);
    const failed = formErrorOf(flash, 'add');
    return sendPage(
      reply,
      h(WebhooksPage, {
        viewer,
        webhooks,
        apps,
        resources: DASHBOARD_RESOURCES,
        shown: flashOf<{ secrets: ShownSecrets }>(flash, 'webhook-secrets')?.secrets ?? null,
        alreadyShown: flash.alreadyShown,
        notice: notice(request),
        error: failed?.error ?? null,
        form: failed
          ? { application_id: failed.values.application_id ?? '', post_url: failed.values.post_url ?? '', resources: (failed.values.resources ?? '').split(',').filter(Boolean) }
          : undefined,
      }),
    );
  });

  app.post('/webhooks', async (request, reply) => {
    const form = formOf(request.body);
    const input = { application_id: text(form, 'application_id'), post_url: text(form, 'post_url'), resources: list(form, 'resources') };
    try {
      const created = await createWebhooks(ctx, request.viewer!.user.id, input, actorOf(request));
      return redirectWithFlash(request, reply, '/webhooks', 'webhook-secrets', { secrets: created, how: 'created' });
    } catch (err) {
      return backWithError(request, reply, '/webhooks', err, 'add', { ...input, resources: input.resources.join(',') });
    }
  });

  app.get('/webhooks/:id', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const flash = await readFlash(request);
    const pageKey = (request.query as Record<string, string>).page_key;
    const page = await listDeliveries(ctx, { userId: request.viewer!.user.id }, webhook.id, pageKey);
    return sendPage(
      reply,
      h(WebhookPage, {
        viewer: request.viewer!,
        webhook,
        deliveries: page.deliveries,
        nextPage: page.nextPageKey,
        shown: flashOf<{ secrets: ShownSecrets }>(flash, 'webhook-secrets')?.secrets ?? null,
        alreadyShown: flash.alreadyShown,
        notice: notice(request),
        error: formErrorOf(flash, 'webhook')?.error ?? null,
      }),
    );
  });

  app.post('/webhooks/:id/deliveries/:delivery_id/redeliver', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const { delivery_id } = request.params as { delivery_id: string };
    await redeliver(ctx, { userId: request.viewer!.user.id }, webhook.id, delivery_id, actorOf(request));
    return reply.redirect(`${pagePath(webhook.id)}?done=redelivered`, 303);
  });

  const GRACES = SECRET_GRACE_CHOICES.map((c) => c.value);

  app.get('/webhooks/:id/rotate', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const grace = queryChoice(request, 'grace_period', GRACES, GRACES[0]!);
    return sendConfirmation(request, reply, {
      title: `Rotate the signing secret of the ${webhook.resource_name} webhook?`,
      consequence: rotateWebhookSecretConsequence(webhook.post_url, Number(grace)),
      button: 'Rotate signing secret',
      cancelHref: pagePath(webhook.id),
      active: 'webhooks',
      fields: { grace_period: grace },
    });
  });

  app.post('/webhooks/:id/rotate', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const asked = askFirst(request, reply, ['grace_period']);
    if (asked) return asked;
    try {
      const grace = text(formOf(request.body), 'grace_period');
      if (!GRACES.includes(grace)) throw new TesseraError('VALIDATION_FAILED', 'Choose how long the old secret keeps signing.');
      const rotated = await rotateSecret(ctx, { userId: request.viewer!.user.id }, webhook.id, grace, actorOf(request));
      const secrets: ShownSecrets = [{ id: webhook.id, resource_name: webhook.resource_name, secret: rotated.signing_secret }];
      return redirectWithFlash(request, reply, pagePath(webhook.id), 'webhook-secrets', { secrets, how: 'rotated' });
    } catch (err) {
      return backWithError(request, reply, pagePath(webhook.id), err, 'webhook');
    }
  });

  app.get('/webhooks/:id/delete', async (request, reply) => {
    const webhook = await requireWebhook(request);
    return sendConfirmation(request, reply, {
      title: `Delete the ${webhook.resource_name} webhook?`,
      consequence: deleteWebhookConsequence(webhook.resource_name, webhook.post_url),
      button: 'Delete webhook',
      cancelHref: pagePath(webhook.id),
      active: 'webhooks',
    });
  });

  app.post('/webhooks/:id/delete', async (request, reply) => {
    const webhook = await requireWebhook(request);
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await deleteWebhook(ctx, request.viewer!.user.id, webhook.id, actorOf(request));
    return reply.redirect('/webhooks?done=deleted', 303);
  });
}
