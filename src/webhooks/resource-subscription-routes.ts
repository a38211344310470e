import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/plugin.js';
import { v2Guard as guard } from '../catalog/params.js';
import { IdPath, NoParams, V2Reply, deleted } from '../catalog/schemas.js';
import * as resourceSubscriptions from './resource-subscription-service.js';
import { ResourceSubscriptionParams } from './schemas.js';

const response = { 200: V2Reply };

/** PUT, GET and DELETE /v2/resource_subscriptions (contract §3.8, decision 8): an application's webhooks. */
export const resourceSubscriptionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
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
