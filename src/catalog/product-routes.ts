import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../auth/plugin.js';
import { READ_SCOPES, scopesAllow } from '../auth/scopes.js';
import { v2Guard as guard } from './params.js';
import * as service from './product-service.js';
import { IdPath, NoParams, ProductParams, ProductPath, V2Reply, deleted } from './schemas.js';
import { listSkus } from './variant-service.js';

const tags = ['API v2: products'];
const response = { 200: V2Reply };
const withSales = (request: FastifyRequest) => scopesAllow(request.principal!.scopes, ['view_sales']);

/** /v2/products (contract §3.2 and decision 7). */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.get('/products', {
    schema: { tags, summary: "The seller's products (not deleted), newest first", querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({ success: true, products: await service.listProducts(ctx, request.principal!.userId, withSales(request)) }),
  });

  app.post('/products', {
    schema: { tags, summary: 'Create a product', querystring: ProductParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      product: await service.createProduct(ctx, request.principal!.userId, request.query, actorOf(request), withSales(request)),
    }),
  });

  app.get('/products/:id', {
    schema: { tags, summary: 'A product by id or unique permalink', params: IdPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({ success: true, product: await service.getProduct(ctx, request.principal!.userId, request.params.id, withSales(request)) }),
  });

  app.put('/products/:id', {
    schema: { tags, summary: 'Update a product (only the parameters sent change)', params: IdPath, querystring: ProductParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      product: await service.updateProduct(ctx, request.principal!.userId, request.params.id, request.query, actorOf(request), withSales(request)),
    }),
  });

  app.delete('/products/:id', {
    schema: { tags, summary: 'Delete a product (soft)', params: IdPath, querystring: NoParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => {
      await service.deleteProduct(ctx, request.principal!.userId, request.params.id, actorOf(request));
      return deleted('product');
    },
  });

  for (const [verb, published] of [['enable', true], ['disable', false]] as const) {
    app.put(`/products/:id/${verb}`, {
      schema: { tags, summary: published ? 'Publish a product' : 'Unpublish a product', params: IdPath, querystring: NoParams, response },
      preValidation: guard('edit_products'),
      handler: async (request) => ({
        success: true,
        product: await service.setProductPublished(ctx, request.principal!.userId, request.params.id, published, actorOf(request), withSales(request)),
      }),
    });
  }

  app.get('/products/:product_id/skus', {
    schema: { tags, summary: "A physical product's SKUs (its variants)", params: ProductPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({ success: true, skus: await listSkus(ctx, request.principal!.userId, request.params.product_id) }),
  });
};
