import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import type { AuditFilter } from '../../audit/service.js';
import { requirePageSession } from '../page-auth.js';
import { ACTOR_CHOICES, AuditPage, type AuditFilterForm } from '../pages/audit.js';
import { HomePage, SettingsPage } from '../pages/home.js';
import { sendPage } from '../render.js';
import { auditLines } from '../services/audit-words.js';
import { DAY_MS } from '../../util/dates.js';

const PAGE_SIZE = 50;

/** `2024-05-01T10:00` (read as UTC) → epoch ms; undefined when empty or wrong. */
function parseBefore(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const ms = Date.parse(`${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2024-05-01` (a date field, a UTC day) → the ms of its start; undefined when empty or wrong. */
function parseDay(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}


/** The dashboard home, Settings, and the audit log. */
export async function homePages(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', requirePageSession);

  app.get('/', async (request, reply) => sendPage(reply, h(HomePage, { viewer: request.viewer! })));
  app.get('/settings', async (request, reply) => sendPage(reply, h(SettingsPage, { viewer: request.viewer! })));

  app.get('/audit', async (request, reply) => {
    const viewer = request.viewer!;
    const q = request.query as Record<string, unknown>;
    const str = (name: string) => (typeof q[name] === 'string' ? (q[name] as string).trim().slice(0, 200) : '');
    const actor = ACTOR_CHOICES.some((c) => c.value === str('actor')) ? str('actor') : '';
    const filter: AuditFilterForm = { actor, action: str('exact') || str('action'), target_id: str('target_id'), from: str('from'), to: str('to') };
    const to = parseDay(filter.to);
    const pageBefore = parseBefore(str('before'));
    const before = to === undefined ? pageBefore : Math.min(to + DAY_MS, pageBefore ?? Infinity);
    const lines = await auditLines(app.ctx, viewer.user.id, {
      action: filter.action || undefined,
      actorType: (actor || undefined) as AuditFilter['actorType'],
      targetId: filter.target_id || undefined,
      from: parseDay(filter.from),
      before,
      limit: PAGE_SIZE,
    });
    let olderHref: string | null = null;
    if (lines.length === PAGE_SIZE) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries({ actor, action: filter.action, target_id: filter.target_id, from: filter.from, to: filter.to })) if (value) params.set(name, value);
      params.set('before', lines[lines.length - 1]!.occurredAt.replace(/Z$/, ''));
      olderHref = `/audit?${params}`;
    }
    return sendPage(reply, h(AuditPage, { viewer, lines, filter, olderHref }));
  });
}
