import type { FastifyPluginAsync } from 'fastify';
import { salesRoutes } from './sales-routes.js';
import { subscriberRoutes } from './subscriber-routes.js';
import { named } from '../http/plugin-name.js';

/** The sales part of API v2: sales, recorded purchases, subscribers, resource subscriptions. */
export const salesApiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(named(salesRoutes));
  await app.register(named(subscriberRoutes));
};
