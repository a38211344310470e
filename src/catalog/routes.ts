import type { FastifyPluginAsync } from 'fastify';
import { customFieldRoutes } from './custom-field-routes.js';
import { offerCodeRoutes } from './offer-code-routes.js';
import { productRoutes } from './product-routes.js';
import { variantRoutes } from './variant-routes.js';

/** The catalog part of API v2: products, offer codes, variants, custom fields. */
export const catalogRoutes: FastifyPluginAsync = async (app) => {
  await app.register(productRoutes);
  await app.register(offerCodeRoutes);
  await app.register(variantRoutes);
  await app.register(customFieldRoutes);
};
