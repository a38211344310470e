import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/plugin.js';
import { v2Guard as guard } from '../catalog/params.js';
import { IdPath, NoParams, ProductPath, V2Reply, deleted } from '../catalog/schemas.js';
import { nextPageUrl } from './page-key.js';
import * as resourceSubscriptions from './resource-subscription-service.js';
import { ResourceSubscriptionParams, SubscribersQuery } from './schemas.js';
import * as subscribers from './subscriber-service.js';

const response = { 200: V2Reply };

/** Subscribers (contract §3.7) and resource subscriptions (§3.8, decision 8). */
export const subscriberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.get('/products/:product_id/subscribers', {
    schema: { tags: ['API v2: subscribers'], summary: "A product's active subscribers", params: ProductPath, querystring: SubscribersQuery, response },
    preValidation: guard('view_sales'),
    handler: async (request) => {
      const page = await subscribers.listSubscribers(ctx, request.principal!.userId, request.params.product_id, request.query);
      if (!page.nextPageKey) return { success: true, subscribers: page.subscribers };
      return { success: true, subscribers: page.subscribers, next_page_key: page.nextPageKey, next_page_url: nextPageUrl(request.url, page.nextPageKey) };
    },
  });

  app.get('/subscribers/:id', {
    schema: { tags: ['API v2: subscribers'], summary: 'A subscriber', params: IdPath, querystring: NoParams, response },
    preValidation: guard('view_sales'),
    handler: async (request) => ({ success: true, subscriber: await subscribers.getSubscriber(ctx, request.principal!.userId, request.params.id) }),
  });

  const tags = ['API v2: resource subscriptions'];
  app.put('/resource_subscriptions', {
    schema: {
      tags,
      summary: "Subscribe the token's application to a resource; the answer's signing_secret (Standard Webhooks) is shown once",
      querystring: ResourceSubscriptionParams,
      response,
    },
    preValidation: guard('view_sales'),
    handler: async (request) => {
      const created = await resourceSubscriptions.subscribeToResource(ctx, request.principal!, request.query, actorOf(request));
      return { success: true, resource_subscription: created.subscription, signing_secret: created.signingSecret };
    },
  });

  app.get('/resource_subscriptions', {
    schema: { tags, summary: "The calling application's subscriptions to a resource", querystring: ResourceSubscriptionParams, response },
    preValidation: guard('view_sales'),
    handler: async (request) => ({
      success: true,
      resource_subscriptions: await resourceSubscriptions.listResourceSubscriptions(ctx, request.principal!, request.query.resource_name),
    }),
  });

  app.delete('/resource_subscriptions/:id', {
    schema: { tags, summary: 'Unsubscribe (only subscriptions of the calling application)', params: IdPath, querystring: NoParams, response },
    preValidation: guard('view_sales'),
    handler: async (request) => {
      await resourceSubscriptions.deleteResourceSubscription(ctx, request.principal!, request.params.id, actorOf(request));
      return deleted('resource_subscription');
    },
  });
};
