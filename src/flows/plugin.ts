import type { FastifyPluginAsync } from 'fastify';
import { apiKeyRoutes } from '../apikeys/routes.js';
import { teamRoutes } from '../teams/routes.js';
import { fileRoutes } from './files-routes.js';
import { gumloopRoutes } from './gumloop-routes.js';
import { flowSettings } from './limits.js';
import { flowRoutes } from './routes.js';
import { triggerRoutes } from './trigger-routes.js';
import { FlowWorker } from './worker.js';
import { named } from '../http/plugin-name.js';

/** Teams, API keys, flows and their triggers: the session JSON API (cookies). */
export const flowsSessionPlugin: FastifyPluginAsync = async (app) => {
  await app.register(named(teamRoutes));
  await app.register(named(apiKeyRoutes));
  await app.register(named(flowRoutes));
  await app.register(named(triggerRoutes));
};

/**
 * The Gumloop-compatible API under /api/v1 (API keys, no cookies) and, unless TESSERA_WORKER=0,
 * one flow worker running in this process from ready to close; unless TESSERA_TRIGGERS=0, the
 * context's trigger scheduler (schedules and events) over the same span.
 */
export const flowsApiPlugin: FastifyPluginAsync = async (app) => {
  app.decorateRequest('flowCaller', null);
  await app.register(named(gumloopRoutes), { prefix: '/api/v1' });
  await app.register(named(fileRoutes), { prefix: '/api/v1' });

  if (flowSettings(app.ctx).inProcessWorker) {
    const worker = new FlowWorker(app.ctx, app.log);
    app.addHook('onReady', async () => worker.start());
    app.addHook('onClose', async () => worker.stop());
  }
  if (flowSettings(app.ctx).inProcessTriggers) {
    app.addHook('onReady', async () => app.ctx.triggers.start(app.log));
    app.addHook('onClose', async () => app.ctx.triggers.stop());
  }
};
