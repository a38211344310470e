import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/plugin.js';
import { v2Guard as guard } from '../catalog/params.js';
import { IdPath, NoParams, V2Reply } from '../catalog/schemas.js';
import { nextPageUrl } from '../sales/page-key.js';
import * as deliveries from './delivery-service.js';
import { resourceSubscriptionRoutes } from './resource-subscription-routes.js';
import { reportSaleEvent, type SaleEvent } from './sale-events-service.js';
import { CancelParams, DeliveriesQuery, DeliveryPath, EndParams, RotateSecretParams, UpdateSubscriptionParams } from './schemas.js';
import * as subscriptions from './subscription-events-service.js';
import { named } from '../http/plugin-name.js';

const response = { 200: V2Reply };

/**
 * Resource subscriptions (src/webhooks/resource-subscription-routes.ts), then Tessera's v2 extensions for webhooks: the delivery log and redelivery, secret rotation, and the
 * events a seller's payment integration reports (disputes, chargebacks, subscription changes).
 */
export const webhookApiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  await app.register(named(resourceSubscriptionRoutes));
  const tags = ['API v2: resource subscriptions'];

  app.get('/resource_subscriptions/:id/deliveries', {
    schema: { tags, summary: "A subscription's deliveries, newest first, 20 a page, with their attempts (Tessera extension)", params: IdPath, querystring: DeliveriesQuery, response },
    preValidation: guard('view_sales'),
    handler: async (request) => {
      const page = await deliveries.listDeliveries(ctx, deliveries.ownerOf(request.principal!), request.params.id, request.query.page_key);
      if (!page.nextPageKey) return { success: true, deliveries: page.deliveries };
      return { success: true, deliveries: page.deliveries, next_page_key: page.nextPageKey, next_page_url: nextPageUrl(request.url, page.nextPageKey) };
    },
  });

  app.post('/resource_subscriptions/:id/deliveries/:delivery_id/redeliver', {
    schema: { tags, summary: 'Send a delivery again, now (Tessera extension)', params: DeliveryPath, querystring: NoParams, response },
    preValidation: guard('view_sales'),
    handler: async (request) => ({
      success: true,
      delivery: await deliveries.redeliver(ctx, deliveries.ownerOf(request.principal!), request.params.id, request.params.delivery_id, actorOf(request)),
    }),
  });

  app.post('/resource_subscriptions/:id/rotate_secret', {
    schema: { tags, summary: 'A new signing secret, shown once; the old one signs too during grace_period seconds (Tessera extension)', params: IdPath, querystring: RotateSecretParams, response },
    preValidation: guard('view_sales'),
    handler: async (request) => ({
      success: true,
      ...(await deliveries.rotateSecret(ctx, deliveries.ownerOf(request.principal!), request.params.id, request.query.grace_period, actorOf(request))),
    }),
  });

  const saleTags = ['API v2: sales'];
  const saleEvent = (path: string, event: SaleEvent, summary: string) =>
    app.put(`/sales/:id/${path}`, {
      schema: { tags: saleTags, summary, params: IdPath, querystring: NoParams, response },
      preValidation: guard('edit_sales'),
      handler: async (request) => ({ success: true, sale: await reportSaleEvent(ctx, request.principal!.userId, request.params.id, event, actorOf(request)) }),
    });
  saleEvent('dispute', 'dispute', 'Record that the buyer disputed the sale; sends `dispute` (Tessera extension)');
  saleEvent('dispute_won', 'dispute_won', 'Record that the seller won the dispute; sends `dispute_won` (Tessera extension)');
  saleEvent('chargeback', 'chargeback', 'Record a chargeback; sends `dispute` unless one is open (Tessera extension)');

  const subTags = ['API v2: subscribers'];
  app.put('/subscribers/:id/cancel', {
    schema: { tags: subTags, summary: 'Cancel a subscription (now or at cancelled_at); sends `cancellation` (Tessera extension)', params: IdPath, querystring: CancelParams, response },
    preValidation: guard('edit_sales'),
    handler: async (request) => ({
      success: true,
      subscriber: await subscriptions.cancelSubscription(ctx, request.principal!.userId, request.params.id, request.query, actorOf(request)),
    }),
  });
  app.put('/subscribers/:id/end', {
    schema: { tags: subTags, summary: 'End a subscription; sends `subscription_ended` (Tessera extension)', params: IdPath, querystring: EndParams, response },
    preValidation: guard('edit_sales'),
    handler: async (request) => ({
      success: true,
      subscriber: await subscriptions.endSubscription(ctx, request.principal!.userId, request.params.id, request.query, actorOf(request)),
    }),
  });
  app.put('/subscribers/:id/restart', {
    schema: { tags: subTags, summary: 'Restart a cancelled or ended subscription; sends `subscription_restarted` (Tessera extension)', params: IdPath, querystring: NoParams, response },
    preValidation: guard('edit_sales'),
    handler: async (request) => ({
      success: true,
      subscriber: await subscriptions.restartSubscription(ctx, request.principal!.userId, request.params.id, actorOf(request)),
    }),
  });
  app.put('/subscribers/:id/update', {
    schema: { tags: subTags, summary: "Change a subscription's plan; sends `subscription_updated` (Tessera extension)", params: IdPath, querystring: UpdateSubscriptionParams, response },
    preValidation: guard('edit_sales'),
    handler: async (request) => ({
      success: true,
      subscriber: await subscriptions.updateSubscription(ctx, request.principal!.userId, request.params.id, request.query, actorOf(request)),
    }),
  });
};
