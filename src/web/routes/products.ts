import { SalesPerDayChart } from '../dashboard-charts.js';
import { salesChartPoints } from '../services/charts.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { getProduct, listProducts } from '../../catalog/product-service.js';
import { TesseraError } from '../../http/errors.js';
import { gracePeriodParam } from '../../licenses/params.js';
import { recordPurchase } from '../../sales/record-purchase.js';
import { getSale } from '../../sales/sales-service.js';
import { askFirst, queryChoice, sendConfirmation } from '../confirm.js';
import { flashOf, readFlash, redirectWithFlash, withParam } from '../flash.js';
import { formOf, text } from '../form.js';
import { requirePageSession, safeNext } from '../page-auth.js';
import { isLicenseDone } from '../pages/license-notice.js';
import { LicenseSearchPage } from '../pages/license-search.js';
import { isProductNotice } from '../pages/product.js';
import { ProductsPage } from '../pages/products.js';
import { sendPage } from '../render.js';
import { licenseConsequence } from '../services/consequences.js';
import { GRACE_CHOICES } from '../pages/sales-table.js';
import { changeLicense, licenseSummary, saleLines, saleLinesByLicenseKey, saleLinesOfSale, type LicenseAction, type SaleLine } from '../services/licenses.js';
import { productEditPages } from './product-edit.js';
import { showProduct, showProductFormError } from './product-page.js';
import { productPartPages } from './product-parts.js';
import { named } from '../../http/plugin-name.js';

const ACTIONS: readonly LicenseAction[] = ['enable', 'disable', 'rotate', 'decrement', 'reset'];

/** Products, their sales and licenses, the license search and the support actions. */
export async function productPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const query = (request: FastifyRequest) => request.query as Record<string, string | undefined>;
  await app.register(named(productEditPages));
  await app.register(named(productPartPages));

  app.get('/products', async (request, reply) => {
    const viewer = request.viewer!;
    const deleted = query(request).done === 'deleted';
    const charts = h(SalesPerDayChart, { points: await salesChartPoints(ctx, viewer.user.id), title: 'Sales of every product per day, last 30 days' });
    return sendPage(reply, h(ProductsPage, { viewer, products: await listProducts(ctx, viewer.user.id, true), deleted, charts }));
  });

  app.get('/products/:id', async (request, reply) => {
    const { recorded, done, saved } = query(request);
    const sale = recorded ? await getSale(ctx, request.viewer!.user.id, recorded).catch(() => null) : null;
    return showProduct(request, reply, (request.params as { id: string }).id, {
      recorded: sale,
      done: isLicenseDone(done) ? done : null,
      notice: isProductNotice(saved) ? saved : null,
    });
  });

  app.post('/products/:id/purchases', async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = formOf(request.body);
    const input = { email: text(form, 'email'), full_name: text(form, 'full_name'), quantity: text(form, 'quantity'), price: text(form, 'price') };
    const product = await getProduct(ctx, request.viewer!.user.id, id, false);
    const base = `/products/${encodeURIComponent(product.id)}`;
    try {
      const sale = await recordPurchase(ctx, request.viewer!.user.id, { product: product.id, ...input }, actorOf(request));
      return reply.redirect(`${base}?recorded=${encodeURIComponent(sale.id)}`, 303);
    } catch (err) {
      return showProductFormError(request, reply, product.id, err, 'purchase', input);
    }
  });

  /** After an action: the one sale it was about (by sale id, never by key); after a search, its results once. */
  app.get('/licenses', async (request, reply) => {
    const viewer = request.viewer!;
    const { sale, done } = query(request);
    const flash = await readFlash(request);
    const q = flashOf<{ q: string }>(flash, 'search')?.q ?? '';
    let lines: SaleLine[] = [];
    if (q.includes('@')) lines = (await saleLines(ctx, viewer.user.id, { email: q })).lines;
    else if (q) lines = await saleLinesByLicenseKey(ctx, viewer.user.id, q);
    else if (sale) lines = await saleLinesOfSale(ctx, viewer.user.id, sale);
    return sendPage(reply, h(LicenseSearchPage, { viewer, q, lines, done: isLicenseDone(done) ? done : null, alreadyShown: flash.alreadyShown }));
  });

  /** The search is a POST, so that a key never sits in a URL; its query reaches the results in a flash. */
  app.post('/licenses', async (request, reply) => {
    const q = text(formOf(request.body), 'q').slice(0, 255);
    if (!q) return reply.redirect('/licenses', 303);
    return redirectWithFlash(request, reply, '/licenses', 'search', { q });
  });

  const DESTRUCTIVE: readonly LicenseAction[] = ['disable', 'rotate', 'reset'];
  const GRACES = GRACE_CHOICES.map((c) => c.value);

  app.get('/licenses/:licenseId/:action', async (request, reply) => {
    const { licenseId, action } = request.params as { licenseId: string; action: string };
    if (!DESTRUCTIVE.includes(action as LicenseAction)) throw new TesseraError('NOT_FOUND');
    const summary = await licenseSummary(ctx, request.viewer!.user.id, licenseId);
    const grace = queryChoice(request, 'grace_period', GRACES, '0');
    const returnTo = safeNext(query(request).return_to, ctx.config.publicUrl);
    const words = { disable: 'Disable this license', rotate: 'Rotate this license key', reset: 'Reset the uses of this license' } as const;
    const verb = action as 'disable' | 'rotate' | 'reset';
    return sendConfirmation(request, reply, {
      title: `${words[verb]}?`,
      consequence: licenseConsequence(verb, summary, Number(grace)),
      button: words[verb],
      cancelHref: returnTo,
      active: 'licenses',
      fields: { return_to: returnTo, ...(verb === 'rotate' ? { grace_period: grace } : {}) },
    });
  });

  app.post('/licenses/:licenseId/:action', async (request, reply) => {
    const { licenseId, action } = request.params as { licenseId: string; action: string };
    if (!ACTIONS.includes(action as LicenseAction)) throw new TesseraError('NOT_FOUND');
    if (DESTRUCTIVE.includes(action as LicenseAction)) {
      const asked = askFirst(request, reply, ['grace_period', 'return_to']);
      if (asked) return asked;
    }
    const form = formOf(request.body);
    const grace = action === 'rotate' ? gracePeriodParam({ grace_period: text(form, 'grace_period') }) : 0;
    await changeLicense(ctx, request.viewer!.user.id, licenseId, action as LicenseAction, actorOf(request), grace);
    return reply.redirect(withParam(safeNext(text(form, 'return_to'), ctx.config.publicUrl), 'done', action), 303);
  });
}
