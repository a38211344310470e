import type { Actor, AppContext } from '../../context.js';
import { TesseraError } from '../../http/errors.js';
import { disableLicense, decrementUses, enableLicense, resetUses, type ManageInput } from '../../licenses/manage-service.js';
import { rotateLicense } from '../../licenses/rotate-service.js';
import { licenseKeyHash } from '../../licenses/key.js';
import * as licenses from '../../licenses/store.js';
import { getSale, listSales } from '../../sales/sales-service.js';
import type { Sale } from '../../sales/sale-present.js';

/** A sale as the support pages show it: the sale, and its license with uses and state. */
export interface SaleLine {
  sale: Sale;
  license: { id: string; key: string; disabled: boolean; uses: number; graceEndsAt: number | null } | null;
}

const licenseIdOf = (sale: Sale) => (typeof sale.license_id === 'string' ? sale.license_id : null);

/** Adds each sale's license uses (the sale object carries the key, not the uses): one query for the page. */
async function withLicenses(ctx: AppContext, sellerId: string, sales: Sale[]): Promise<SaleLine[]> {
  const ids = [...new Set(sales.map(licenseIdOf).filter((id): id is string => id !== null))];
  const byId = new Map((await licenses.findSellerLicenses(ctx.db, sellerId, ids)).map((row) => [row.external_id, row]));
  const now = Date.now();
  return sales.map((sale) => {
    const licenseId = licenseIdOf(sale);
    const row = licenseId === null ? undefined : byId.get(licenseId);
    if (!row) return { sale, license: null };
    const graceEndsAt = row.grace_ends_at !== null && row.grace_ends_at > now ? row.grace_ends_at : null;
    return { sale, license: { id: row.external_id, key: String(sale.license_key), disabled: row.disabled_at !== null, uses: row.uses, graceEndsAt } };
  });
}

/** One page of a product's sales (or of a buyer's, by email), newest first. */
export async function saleLines(ctx: AppContext, sellerId: string, filter: { productId?: string; email?: string; pageKey?: string }) {
  const { sales, nextPageKey } = await listSales(ctx, sellerId, { product_id: filter.productId, email: filter.email, page_key: filter.pageKey });
  return { lines: await withLicenses(ctx, sellerId, sales), nextPageKey };
}

/** The sale whose current license key this is, when it is the seller's; none otherwise. */
export async function saleLinesByLicenseKey(ctx: AppContext, sellerId: string, key: string): Promise<SaleLine[]> {
  const view = await licenses.viewByCurrentKey(ctx.db, licenseKeyHash(ctx.keys, key));
  if (!view || view.seller_id !== sellerId) return [];
  return withLicenses(ctx, sellerId, [await getSale(ctx, sellerId, view.sale_id)]);
}

/** One sale by its id, for the page shown after a support action. */
export async function saleLinesOfSale(ctx: AppContext, sellerId: string, saleId: string): Promise<SaleLine[]> {
  return withLicenses(ctx, sellerId, [await getSale(ctx, sellerId, saleId)]);
}

export type LicenseAction = 'enable' | 'disable' | 'rotate' | 'decrement' | 'reset';

/**
 * Support actions on a license named by its `license_id` (keys never travel in dashboard URLs):
 * the key is read back for the seller, then the licenses service does the work and the audit.
 */
export async function changeLicense(ctx: AppContext, sellerId: string, licenseId: string, action: LicenseAction, actor: Actor, gracePeriodSeconds = 0) {
  const row = await licenses.findByExternalId(ctx.db, licenseId);
  const view = row && row.seller_id === sellerId ? await licenses.viewById(ctx.db, row.id) : undefined;
  if (!row || !view) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  const input: ManageInput = {
    sellerId,
    ref: { licenseKey: ctx.keys.decrypt(row.key_encrypted), productId: view.product_external_id, productPermalink: null },
    actor,
  };
  if (action === 'enable') return enableLicense(ctx, input);
  if (action === 'disable') return disableLicense(ctx, input);
  if (action === 'decrement') return decrementUses(ctx, input);
  if (action === 'reset') return resetUses(ctx, input);
  return rotateLicense(ctx, { ...input, gracePeriodSeconds });
}

/** What a confirmation page says about a license: its masked key, buyer and uses. */
export interface LicenseSummary {
  maskedKey: string;
  email: string;
  productName: string;
  uses: number;
  disabled: boolean;
}

export async function licenseSummary(ctx: AppContext, sellerId: string, licenseId: string): Promise<LicenseSummary> {
  const row = await licenses.findByExternalId(ctx.db, licenseId);
  const view = row && row.seller_id === sellerId ? await licenses.viewById(ctx.db, row.id) : undefined;
  if (!row || !view) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  const sale = await getSale(ctx, sellerId, view.sale_id);
  const key = ctx.keys.decrypt(row.key_encrypted);
  return {
    maskedKey: `${key.slice(0, Math.min(4, Math.floor(key.length / 4)))}••••••••`,
    email: sale.email,
    productName: String(sale.product_name ?? ''),
    uses: row.uses,
    disabled: row.disabled_at !== null,
  };
}
