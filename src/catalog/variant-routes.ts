import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/plugin.js';
import { READ_SCOPES } from '../auth/scopes.js';
import { v2Guard as guard } from './params.js';
import { CategoryPath, NoParams, ProductItemPath, ProductPath, V2Reply, VariantCategoryParams, VariantParams, VariantPath, deleted } from './schemas.js';
import * as service from './variant-service.js';

const tags = ['API v2: variants'];
const response = { 200: V2Reply };

/** Variant categories and their variants (contract §3.4). */
export const variantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  const categories = '/products/:product_id/variant_categories';
  const variants = `${categories}/:variant_category_id/variants`;

  app.get(categories, {
    schema: { tags, summary: "The product's variant categories", params: ProductPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({
      success: true,
      variant_categories: await service.listVariantCategories(ctx, request.principal!.userId, request.params.product_id),
    }),
  });

  app.post(categories, {
    schema: { tags, summary: 'Create a variant category', params: ProductPath, querystring: VariantCategoryParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      variant_category: await service.createVariantCategory(ctx, request.principal!.userId, request.params.product_id, request.query.title, actorOf(request)),
    }),
  });

  app.get(`${categories}/:id`, {
    schema: { tags, summary: 'A variant category', params: ProductItemPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({
      success: true,
      variant_category: await service.getVariantCategory(ctx, request.principal!.userId, request.params.product_id, request.params.id),
    }),
  });

  app.put(`${categories}/:id`, {
    schema: { tags, summary: "Rename a variant category", params: ProductItemPath, querystring: VariantCategoryParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      variant_category: await service.updateVariantCategory(
        ctx,
        request.principal!.userId,
        request.params.product_id,
        request.params.id,
        request.query.title,
        actorOf(request),
      ),
    }),
  });

  app.delete(`${categories}/:id`, {
    schema: { tags, summary: 'Delete a variant category', params: ProductItemPath, querystring: NoParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => {
      await service.deleteVariantCategory(ctx, request.principal!.userId, request.params.product_id, request.params.id, actorOf(request));
      return deleted('variant_category');
    },
  });

  app.get(variants, {
    schema: { tags, summary: "A category's variants", params: CategoryPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({
      success: true,
      variants: await service.listVariants(ctx, request.principal!.userId, request.params.product_id, request.params.variant_category_id),
    }),
  });

  app.post(variants, {
    schema: { tags, summary: 'Create a variant', params: CategoryPath, querystring: VariantParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => {
      const { product_id, variant_category_id } = request.params;
      return { success: true, variant: await service.createVariant(ctx, request.principal!.userId, product_id, variant_category_id, request.query, actorOf(request)) };
    },
  });

  app.get(`${variants}/:id`, {
    schema: { tags, summary: 'A variant', params: VariantPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => {
      const { product_id, variant_category_id, id } = request.params;
      return { success: true, variant: await service.getVariant(ctx, request.principal!.userId, product_id, variant_category_id, id) };
    },
  });

  app.put(`${variants}/:id`, {
    schema: { tags, summary: 'Update a variant', params: VariantPath, querystring: VariantParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => {
      const { product_id, variant_category_id, id } = request.params;
      return { success: true, variant: await service.updateVariant(ctx, request.principal!.userId, product_id, variant_category_id, id, request.query, actorOf(request)) };
    },
  });

  app.delete(`${variants}/:id`, {
    schema: { tags, summary: 'Delete a variant', params: VariantPath, querystring: NoParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => {
      const { product_id, variant_category_id, id } = request.params;
      await service.deleteVariant(ctx, request.principal!.userId, product_id, variant_category_id, id, actorOf(request));
      return deleted('variant');
    },
  });
};
