import type { FastifyPluginAsync } from 'fastify';
import { salesRoutes } from './sales-routes.js';
import { subscriberRoutes } from './subscriber-routes.js';

/** The sales part of API v2: sales, recorded purchases, subscribers, resource subscriptions. */
export const salesApiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(salesRoutes);
  await app.register(subscriberRoutes);
};
