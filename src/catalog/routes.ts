import type { FastifyPluginAsync } from 'fastify';
import { customFieldRoutes } from './custom-field-routes.js';
import { offerCodeRoutes } from './offer-code-routes.js';
import { productRoutes } from './product-routes.js';
import { variantRoutes } from './variant-routes.js';
import { named } from '../http/plugin-name.js';

/** The catalog part of API v2: products, offer codes, variants, custom fields. */
export const catalogRoutes: FastifyPluginAsync = async (app) => {
  await app.register(named(productRoutes));
  await app.register(named(offerCodeRoutes));
  await app.register(named(variantRoutes));
  await app.register(named(customFieldRoutes));
};
