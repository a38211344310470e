import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { v2Guard as guard } from '../catalog/params.js';
import { IdPath, NoParams, ProductPath, V2Reply } from '../catalog/schemas.js';
import { nextPageUrl } from './page-key.js';
import { SubscribersQuery } from './schemas.js';
import * as subscribers from './subscriber-service.js';

const response = { 200: V2Reply };

/** Subscribers (contract §3.7); resource subscriptions: src/webhooks/resource-subscription-routes.ts. */
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
};
