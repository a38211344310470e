import { Fragment } from 'preact';
import { SalesPerDayChart, VerificationsPerDayChart } from '../dashboard-charts.js';
import { productVerificationPoints, salesChartPoints } from '../services/charts.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { getProduct } from '../../catalog/product-service.js';
import type { Product } from '../../catalog/product-present.js';
import { TesseraError } from '../../http/errors.js';
import { formProblem } from '../errors.js';
import { withParam } from '../flash.js';
import { ProductPage, type ProductPageProps } from '../pages/product.js';
import { sendPage } from '../render.js';
import { saleLines } from '../services/licenses.js';
import { productLicenseCount, productParts } from '../services/products.js';

export const productPath = (id: string) => `/products/${encodeURIComponent(id)}`;

/** The page to come back to, without the notices of an earlier action. */
export function pageUrl(request: FastifyRequest, drop: string[] = ['done', 'recorded', 'saved']): string {
  const url = new URL(request.url, 'http://dashboard');
  for (const name of drop) url.searchParams.delete(name);
  return url.pathname + url.search;
}

/** The viewer's product, for the forms that change it: a deleted one reads as missing (404). */
export async function liveProduct(request: FastifyRequest, id: string): Promise<Product> {
  const product = await getProduct(request.server.ctx, request.viewer!.user.id, id, true);
  if (product.deleted) throw new TesseraError('PRODUCT_NOT_FOUND');
  return product;
}

/** Renders a product's page (after a failed form: with that form's message and input, and its 4xx). */
export async function showProduct(request: FastifyRequest, reply: FastifyReply, id: string, extra: Partial<ProductPageProps> = {}, status = 200): Promise<FastifyReply> {
  const ctx = request.server.ctx;
  const viewer = request.viewer!;
  const product = await getProduct(ctx, viewer.user.id, id, true);
  const pageKey = request.method === 'GET' ? (request.query as Record<string, string | undefined>).page_key : undefined;
  const [{ lines, nextPageKey }, parts, licenses, sales, verifications] = await Promise.all([
    saleLines(ctx, viewer.user.id, { productId: product.id, pageKey }),
    productParts(ctx, viewer.user.id, product.id),
    productLicenseCount(ctx, viewer.user.id, product.id),
    salesChartPoints(ctx, viewer.user.id, product.id),
    productVerificationPoints(ctx, viewer.user.id, product.id),
  ]);
  const base = productPath(product.id);
  const returnTo = request.method === 'GET' ? pageUrl(request) : base;
  const nextPageHref = nextPageKey ? withParam(base, 'page_key', nextPageKey) : null;
  const charts = h(Fragment, null, h(SalesPerDayChart, { points: sales }), h(VerificationsPerDayChart, { points: verifications }));
  const props: ProductPageProps = { viewer, product, parts, licenses, defaultFileTtl: ctx.config.licenseFileTtl, lines, nextPageHref, returnTo, charts, ...extra };
  return sendPage(reply, h(ProductPage, props), status);
}

/**
 * After a product form failed: a mistake the seller can fix re-renders the product page with
 * the message beside that form, what was typed and the 4xx; not-found and bugs go up.
 */
export function showProductFormError(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  err: unknown,
  form: string,
  values: Record<string, string>,
): Promise<FastifyReply> {
  const { status, message } = formProblem(err);
  return showProduct(request, reply, id, { forms: { [form]: { error: message, values } } }, status);
}
