import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { listAuditEvents } from '../../audit/service.js';
import { requirePageSession } from '../page-auth.js';
import { AuditPage, type AuditFilterForm } from '../pages/audit.js';
import { HomePage, SettingsPage } from '../pages/home.js';
import { sendPage } from '../render.js';

const PAGE_SIZE = 50;

/** `2024-05-01T10:00` (a datetime-local field, read as UTC) → epoch ms; undefined when empty or wrong. */
function parseBefore(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The dashboard home and the audit log. */
export async function homePages(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requirePageSession);

  app.get('/', async (request, reply) => sendPage(reply, h(HomePage, { viewer: request.viewer! })));
  app.get('/settings', async (request, reply) => sendPage(reply, h(SettingsPage, { viewer: request.viewer! })));

  app.get('/audit', async (request, reply) => {
    const viewer = request.viewer!;
    const q = request.query as Record<string, unknown>;
    const str = (name: string) => (typeof q[name] === 'string' ? (q[name] as string).trim().slice(0, 200) : '');
    const filter: AuditFilterForm = { action: str('exact') || str('action'), target_id: str('target_id'), before: str('before') };
    const events = await listAuditEvents(app.ctx, {
      userId: viewer.user.id,
      action: filter.action || undefined,
      targetId: filter.target_id || undefined,
      before: parseBefore(filter.before),
      limit: PAGE_SIZE,
    });
    let olderHref: string | null = null;
    if (events.length === PAGE_SIZE) {
      const params = new URLSearchParams({ ...(filter.action && { action: filter.action }), ...(filter.target_id && { target_id: filter.target_id }) });
      params.set('before', events[events.length - 1]!.occurred_at.replace(/Z$/, ''));
      olderHref = `/audit?${params}`;
    }
    return sendPage(reply, h(AuditPage, { viewer, events, filter, olderHref }));
  });
}
