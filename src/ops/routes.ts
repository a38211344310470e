import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkReadiness } from './readiness.js';

const Health = Type.Object({ ok: Type.Boolean() });
const Ready = Type.Object({
  ready: Type.Boolean(),
  database: Type.Union([Type.Literal('reachable'), Type.Literal('unreachable')]),
  pending_migrations: Type.Array(Type.String()),
});

/** Probes for load balancers: /healthz (the process answers), /readyz (database reachable, schema current). */
export async function opsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is up', response: { 200: Health } } }, async () => ({ ok: true }));
  app.get(
    '/readyz',
    { schema: { tags: ['operations'], summary: 'The database is reachable and migrated', response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      const readiness = await checkReadiness(app.ctx.db);
      return reply.code(readiness.ready ? 200 : 503).send(readiness);
    },
  );
}
