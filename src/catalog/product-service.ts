import { randomInt } from 'node:crypto';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { lockRow, type Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newExternalId, newId } from '../util/ids.js';
import * as offerCodes from './offer-code-store.js';
import { assertDiscountsKeepMinimum } from './pricing.js';
import { assertSellablePrice, parseProductChanges, type ProductChanges, type ProductParams } from './product-input.js';
import { presentProducts, type Product } from './product-present.js';
import * as products from './product-store.js';
import { parseCover } from './cover.js';
import * as covers from './cover-store.js';
import { parseProductLicensing, saveProductLicensing } from './product-licensing.js';
import type { ProductRow } from './tables.js';

/** The seller's product by external id or unique permalink (deleted ones too); else FAIL not found. */
export async function requireProduct(db: Executor, sellerId: string, ref: string): Promise<ProductRow> {
  const row = await products.findOwned(db, sellerId, ref);
  if (!row) throw new TesseraError('PRODUCT_NOT_FOUND');
  return row;
}

async function presentOne(ctx: AppContext, row: ProductRow, withSales: boolean): Promise<Product> {
  const [product] = await presentProducts(ctx.db, ctx, [row], withSales);
  return product!;
}

export async function listProducts(ctx: AppContext, sellerId: string, withSales: boolean): Promise<Product[]> {
  return presentProducts(ctx.db, ctx, await products.listLive(ctx.db, sellerId), withSales);
}

export async function getProduct(ctx: AppContext, sellerId: string, ref: string, withSales: boolean): Promise<Product> {
  return presentOne(ctx, await requireProduct(ctx.db, sellerId, ref), withSales);
}

/** Six random lowercase letters, like Gumroad's short permalinks. */
async function newUniquePermalink(db: Executor): Promise<string> {
  for (;;) {
    const permalink = Array.from({ length: 6 }, () => String.fromCharCode(97 + randomInt(26))).join('');
    if (!(await products.uniquePermalinkExists(db, permalink))) return permalink;
  }
}

async function checkChanges(db: Executor, sellerId: string, merged: ProductRow, changes: ProductChanges): Promise<void> {
  if (changes.price !== undefined || changes.currency !== undefined) assertSellablePrice(merged.price, merged.currency);
  if (changes.custom_permalink && (await products.customPermalinkTaken(db, sellerId, changes.custom_permalink, merged.id))) {
    throw new TesseraError('CATALOG_INVALID', 'Custom permalink has already been taken.');
  }
}

/** Sets or removes the cover when `thumbnail` was sent (parsed before the transaction: a bad image changes nothing). */
async function applyCover(db: Executor, productId: string, cover: ReturnType<typeof parseCover> | undefined, now: number): Promise<void> {
  if (cover === undefined) return;
  if (cover === null) await covers.deleteCover(db, productId);
  else await covers.saveCover(db, { product_id: productId, content_type: cover.type, size: cover.bytes.length, content: cover.bytes, updated_at: now });
}

/**
 * `withSales`: the caller may see sales figures (token with view_sales). `published`: false
 * creates a draft (the dashboard's "publish later"); the API publishes at once.
 */
export async function createProduct(ctx: AppContext, sellerId: string, params: ProductParams, actor: Actor, withSales = false, published = true): Promise<Product> {
  const changes = parseProductChanges(params);
  const licensing = parseProductLicensing(params as Record<string, unknown>);
  const cover = params.thumbnail === undefined ? undefined : parseCover(params.thumbnail);
  if (changes.name === undefined) throw new TesseraError('CATALOG_INVALID', "Name can't be blank.");
  const now = Date.now();
  const row = await ctx.db.transaction().execute(async (trx) => {
    const row: ProductRow = {
      id: newId(),
      external_id: newExternalId(),
      seller_id: sellerId,
      name: changes.name!,
      description: '',
      unique_permalink: await newUniquePermalink(trx),
      custom_permalink: null,
      price: 0,
      currency: 'usd',
      published: published ? 1 : 0,
      is_licensed: 0,
      subscription_duration: null,
      customizable_price: 0,
      max_purchase_count: null,
      require_shipping: 0,
      tags: '[]',
      suggested_price_cents: null,
      custom_summary: null,
      custom_receipt: null,
      native_type: 'digital',
      taxonomy_id: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      ...changes,
    };
    await checkChanges(trx, sellerId, row, { ...changes, price: row.price });
    await products.insertProduct(trx, row);
    await saveProductLicensing(trx, row.id, licensing);
    await applyCover(trx, row.id, cover, now);
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: 'product.created',
      target: { type: 'product', id: row.external_id },
      metadata: { name: row.name, price: row.price, currency: row.currency, ...(published ? {} : { published: false }) },
    });
    return row;
  });
  return presentOne(ctx, row, withSales);
}

/** Changes the settings present in `params` (decision 7); a bad value changes nothing. */
export async function updateProduct(
  ctx: AppContext,
  sellerId: string,
  ref: string,
  params: ProductParams,
  actor: Actor,
  withSales = false,
): Promise<Product> {
  const changes = parseProductChanges(params);
  const licensing = parseProductLicensing(params as Record<string, unknown>);
  const cover = params.thumbnail === undefined ? undefined : parseCover(params.thumbnail);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const current = await requireProduct(trx, sellerId, ref);
    await lockRow(trx, ctx.dialect, 'products', current.id);
    const merged: ProductRow = { ...current, ...changes, updated_at: Date.now() };
    await checkChanges(trx, sellerId, merged, changes);
    if (changes.price !== undefined && merged.published === 1) {
      assertDiscountsKeepMinimum(merged.price, merged.currency, await offerCodes.liveForProduct(trx, merged));
    }
    await products.updateProduct(trx, current.id, { ...changes, updated_at: merged.updated_at });
    await saveProductLicensing(trx, current.id, licensing);
    await applyCover(trx, current.id, cover, merged.updated_at);
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: 'product.updated',
      target: { type: 'product', id: current.external_id },
      metadata: { fields: [...Object.keys(changes), ...Object.keys(licensing), ...(cover === undefined ? [] : ['thumbnail'])], ...(changes.price !== undefined ? { price: changes.price, previous_price: current.price } : {}) },
    });
    return merged;
  });
  return presentOne(ctx, row, withSales);
}

/** The flows engine's "set the price": same rules as PUT /v2/products/:id with `price`. */
export async function updateProductPrice(ctx: AppContext, sellerId: string, ref: string, priceCents: number, actor: Actor): Promise<Product> {
  return updateProduct(ctx, sellerId, ref, { price: priceCents }, actor);
}

export async function deleteProduct(ctx: AppContext, sellerId: string, ref: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await requireProduct(trx, sellerId, ref);
    if (row.deleted_at !== null) return;
    const now = Date.now();
    await products.updateProduct(trx, row.id, { deleted_at: now, updated_at: now });
    await recordAudit(trx, { actor, userId: sellerId, action: 'product.deleted', target: { type: 'product', id: row.external_id } });
  });
}

/** enable (publish) or disable (unpublish); enabling re-checks the discount minimum. */
export async function setProductPublished(
  ctx: AppContext,
  sellerId: string,
  ref: string,
  published: boolean,
  actor: Actor,
  withSales = false,
): Promise<Product> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const row = await requireProduct(trx, sellerId, ref);
    if (published) {
      if (row.deleted_at !== null) throw new TesseraError('CATALOG_INVALID', 'A deleted product cannot be published.');
      assertDiscountsKeepMinimum(row.price, row.currency, await offerCodes.liveForProduct(trx, row));
    }
    const now = Date.now();
    await products.updateProduct(trx, row.id, { published: published ? 1 : 0, updated_at: now });
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: published ? 'product.published' : 'product.unpublished',
      target: { type: 'product', id: row.external_id },
    });
    return { ...row, published: published ? 1 : 0, updated_at: now };
  });
  return presentOne(ctx, row, withSales);
}

