import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { actorOf } from '../../auth/plugin.js';
import { getProduct, listProducts } from '../../catalog/product-service.js';
import { TesseraError } from '../../http/errors.js';
import { gracePeriodParam } from '../../licenses/params.js';
import { recordPurchase } from '../../sales/record-purchase.js';
import { getSale } from '../../sales/sales-service.js';
import { formProblem } from '../errors.js';
import { formOf, text } from '../form.js';
import { requirePageSession, safeNext } from '../page-auth.js';
import { isLicenseDone } from '../pages/license-notice.js';
import { LicenseSearchPage } from '../pages/license-search.js';
import { ProductPage, type ProductPageProps } from '../pages/product.js';
import { ProductsPage } from '../pages/products.js';
import { sendPage } from '../render.js';
import { changeLicense, saleLines, saleLinesByLicenseKey, saleLinesOfSale, type LicenseAction, type SaleLine } from '../services/licenses.js';

const ACTIONS: readonly LicenseAction[] = ['enable', 'disable', 'rotate', 'decrement', 'reset'];

/** The page to come back to, without the notices of an earlier action. */
function pageUrl(request: FastifyRequest, drop: string[] = ['done', 'recorded']): string {
  const url = new URL(request.url, 'http://dashboard');
  for (const name of drop) url.searchParams.delete(name);
  return url.pathname + url.search;
}

function withParam(path: string, name: string, value: string): string {
  const url = new URL(path, 'http://dashboard');
  url.searchParams.set(name, value);
  return url.pathname + url.search;
}

/** Products, their sales and licenses, the license search and the support actions. */
export async function productPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const query = (request: FastifyRequest) => request.query as Record<string, string | undefined>;

  app.get('/products', async (request, reply) => {
    const viewer = request.viewer!;
    return sendPage(reply, h(ProductsPage, { viewer, products: await listProducts(ctx, viewer.user.id, true) }));
  });

  async function showProduct(request: FastifyRequest, reply: FastifyReply, id: string, extra: Partial<ProductPageProps> = {}, status = 200) {
    const viewer = request.viewer!;
    const product = await getProduct(ctx, viewer.user.id, id, true);
    const pageKey = query(request).page_key;
    const { lines, nextPageKey } = await saleLines(ctx, viewer.user.id, { productId: product.id, pageKey });
    const base = `/products/${encodeURIComponent(product.id)}`;
    const returnTo = request.method === 'GET' ? pageUrl(request) : base;
    const nextPageHref = nextPageKey ? withParam(base, 'page_key', nextPageKey) : null;
    return sendPage(reply, h(ProductPage, { viewer, product, lines, nextPageHref, returnTo, ...extra }), status);
  }

  app.get('/products/:id', async (request, reply) => {
    const { recorded, done } = query(request);
    const sale = recorded ? await getSale(ctx, request.viewer!.user.id, recorded).catch(() => null) : null;
    return showProduct(request, reply, (request.params as { id: string }).id, { recorded: sale, done: isLicenseDone(done) ? done : null });
  });

  app.post('/products/:id/purchases', async (request, reply) => {
    const { id } = request.params as { id: string };
    const form = formOf(request.body);
    const input = { email: text(form, 'email'), full_name: text(form, 'full_name'), quantity: text(form, 'quantity'), price: text(form, 'price') };
    try {
      const product = await getProduct(ctx, request.viewer!.user.id, id, false);
      const sale = await recordPurchase(ctx, request.viewer!.user.id, { product: product.id, ...input }, actorOf(request));
      return reply.redirect(`/products/${encodeURIComponent(product.id)}?recorded=${encodeURIComponent(sale.id)}`, 303);
    } catch (err) {
      const { message } = formProblem(err);
      return showProduct(request, reply, id, { purchaseForm: { ...input, error: message } }, 400);
    }
  });

  /** After an action: the one sale it was about (by sale id, never by key). */
  app.get('/licenses', async (request, reply) => {
    const viewer = request.viewer!;
    const { sale, done } = query(request);
    const lines = sale ? await saleLinesOfSale(ctx, viewer.user.id, sale) : [];
    return sendPage(reply, h(LicenseSearchPage, { viewer, q: '', lines, done: isLicenseDone(done) ? done : null }));
  });

  app.post('/licenses', async (request, reply) => {
    const viewer = request.viewer!;
    const q = text(formOf(request.body), 'q').slice(0, 255);
    let lines: SaleLine[] = [];
    if (q.includes('@')) lines = (await saleLines(ctx, viewer.user.id, { email: q })).lines;
    else if (q) lines = await saleLinesByLicenseKey(ctx, viewer.user.id, q);
    return sendPage(reply, h(LicenseSearchPage, { viewer, q, lines }));
  });

  app.post('/licenses/:licenseId/:action', async (request, reply) => {
    const { licenseId, action } = request.params as { licenseId: string; action: string };
    if (!ACTIONS.includes(action as LicenseAction)) throw new TesseraError('NOT_FOUND');
    const form = formOf(request.body);
    const grace = action === 'rotate' ? gracePeriodParam({ grace_period: text(form, 'grace_period') }) : 0;
    await changeLicense(ctx, request.viewer!.user.id, licenseId, action as LicenseAction, actorOf(request), grace);
    return reply.redirect(withParam(safeNext(text(form, 'return_to')), 'done', action), 303);
  });
}
