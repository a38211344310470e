import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/plugin.js';
import { READ_SCOPES } from '../auth/scopes.js';
import * as service from './custom-field-service.js';
import { v2Guard as guard } from './params.js';
import { CustomFieldParams, CustomFieldPath, NoParams, ProductPath, V2Reply, deleted } from './schemas.js';

const tags = ['API v2: custom fields'];
const response = { 200: V2Reply };

/** /v2/products/:product_id/custom_fields (contract §3.5); a field is named by its (URL-encoded) name. */
export const customFieldRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  const base = '/products/:product_id/custom_fields';

  app.get(base, {
    schema: { tags, summary: 'The custom fields attached to a product', params: ProductPath, querystring: NoParams, response },
    preValidation: guard(...READ_SCOPES),
    handler: async (request) => ({ success: true, custom_fields: await service.listCustomFields(ctx, request.principal!.userId, request.params.product_id) }),
  });

  app.post(base, {
    schema: { tags, summary: 'Add a custom field to a product', params: ProductPath, querystring: CustomFieldParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      custom_field: await service.createCustomField(ctx, request.principal!.userId, request.params.product_id, request.query, actorOf(request)),
    }),
  });

  app.put(`${base}/:name`, {
    schema: { tags, summary: 'Make a custom field required or optional', params: CustomFieldPath, querystring: CustomFieldParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => ({
      success: true,
      custom_field: await service.updateCustomField(ctx, request.principal!.userId, request.params.product_id, request.params.name, request.query, actorOf(request)),
    }),
  });

  app.delete(`${base}/:name`, {
    schema: { tags, summary: 'Remove a custom field from a product', params: CustomFieldPath, querystring: NoParams, response },
    preValidation: guard('edit_products'),
    handler: async (request) => {
      await service.deleteCustomField(ctx, request.principal!.userId, request.params.product_id, request.params.name, actorOf(request));
      return deleted('custom_field');
    },
  });
};
