import type { FastifyInstance } from 'fastify';
import { h } from 'preact';
import { SalesPerDayChart } from '../dashboard-charts.js';
import { withParam } from '../flash.js';
import { requirePageSession } from '../page-auth.js';
import { isLicenseDone } from '../pages/license-notice.js';
import { SalesPage } from '../pages/sales.js';
import { sendPage } from '../render.js';
import { salesChartPoints } from '../services/charts.js';
import { saleLines } from '../services/licenses.js';

/** Sales: every product's sales, newest first, with the sales-per-day chart. */
export async function salesPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);

  app.get('/sales', async (request, reply) => {
    const viewer = request.viewer!;
    const q = request.query as Record<string, string | undefined>;
    const pageKey = typeof q.page_key === 'string' ? q.page_key : undefined;
    const [{ lines, nextPageKey }, points] = await Promise.all([saleLines(ctx, viewer.user.id, { pageKey }), salesChartPoints(ctx, viewer.user.id)]);
    return sendPage(
      reply,
      h(SalesPage, {
        viewer,
        lines,
        nextPageHref: nextPageKey ? withParam('/sales', 'page_key', nextPageKey) : null,
        returnTo: pageKey ? withParam('/sales', 'page_key', pageKey) : '/sales',
        done: isLicenseDone(q.done) ? q.done : null,
        chart: pageKey ? null : h(SalesPerDayChart, { points }),
      }),
    );
  });
}
