import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/plugin.js';
import { READ_SCOPES } from '../auth/scopes.js';
import * as service from './offer-code-service.js';
import { v2Guard as guard } from './params.js';
import { NoParams, OfferCodeParams, ProductItemPath, ProductPath, V2Reply, deleted } from './schemas.js';

const tags = ['API v2: offer codes'];
const response = { 200: V2Reply };

/** /v2/products/:product_id/offer_codes (contract §3.3). */
export const offerCodeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  const base = '/products/:product_id/offer_codes';

  app.get(base, {
    schema: { tags, summary: "The product's codes and the seller's universal codes", params: ProductPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({ success: true, offer_codes: await service.listOfferCodes(ctx, request.principal!.userId, request.params.product_id) }),
  });

  app.post(base, {
    schema: { tags, summary: 'Create an offer code', params: ProductPath, querystring: OfferCodeParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      offer_code: await service.createOfferCode(ctx, request.principal!.userId, request.params.product_id, request.query, actorOf(request)),
    }),
  });

  app.get(`${base}/:id`, {
    schema: { tags, summary: 'An offer code', params: ProductItemPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({
      success: true,
      offer_code: await service.getOfferCode(ctx, request.principal!.userId, request.params.product_id, request.params.id),
    }),
  });

  app.put(`${base}/:id`, {
    schema: { tags, summary: "Change an offer code's max_purchase_count", params: ProductItemPath, querystring: OfferCodeParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      offer_code: await service.updateOfferCode(ctx, request.principal!.userId, request.params.product_id, request.params.id, request.query, actorOf(request)),
    }),
  });

  app.delete(`${base}/:id`, {
    schema: { tags, summary: 'Delete an offer code', params: ProductItemPath, querystring: NoParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => {
      await service.deleteOfferCode(ctx, request.principal!.userId, request.params.product_id, request.params.id, actorOf(request));
      return deleted('offer_code');
    },
  });
};
