import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../http/schemas.js';
import { requireSession } from '../auth/plugin.js';
import { listAuditEvents } from './service.js';

const AuditEvent = Type.Object({
  id: Type.String(),
  occurred_at: Type.String(),
  action: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Type.Union([Type.String(), Type.Null()]) }),
  target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Record(Type.String(), Type.Unknown()),
});

/** GET /api/audit: your account's audit log, newest first. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/audit', {
    schema: {
      tags: ['Audit'],
      summary: "Your account's audit log",
      querystring: Type.Object({
        action: Type.Optional(Type.String({ maxLength: 100, description: 'Exact action, or a prefix ending in "." (e.g. "application.").' })),
        target_id: Type.Optional(Type.String({ maxLength: 200 })),
        before: Type.Optional(Type.String({ format: 'date-time', description: 'Only events before this time.' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
      }),
      response: { 200: Type.Object({ success: Type.Literal(true), events: Type.Array(AuditEvent) }), 401: ErrorReply },
    },
    preValidation: requireSession,
    handler: async (request) => {
      const q = request.query;
      const events = await listAuditEvents(app.ctx, {
        userId: request.user!.id,
        action: q.action,
        targetId: q.target_id,
        before: q.before ? Date.parse(q.before) : undefined,
        limit: q.limit,
      });
      return { success: true as const, events };
    },
  });
};
