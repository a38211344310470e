import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newExternalId, newId } from '../util/ids.js';
import { optionalWholeNumberParam, textParam } from './params.js';
import { requireProduct } from './product-service.js';
import type { ProductRow, VariantCategoryRow, VariantRow } from './tables.js';
import * as variants from './variant-store.js';

/** Variant category (§3.4): {id, title}. */
export interface VariantCategory {
  id: string;
  title: string;
}

/** Variant (§3.4): an option of a category. */
export interface Variant {
  id: string;
  name: string;
  description: string;
  max_purchase_count: number | null;
  price_difference_cents: number;
}

export interface VariantParams {
  name?: unknown;
  description?: unknown;
  price_difference_cents?: unknown;
  max_purchase_count?: unknown;
}

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);
const presentCategory = (row: VariantCategoryRow): VariantCategory => ({ id: row.external_id, title: row.title });
const presentVariant = (row: VariantRow): Variant => ({
  id: row.external_id,
  name: row.name,
  description: row.description,
  max_purchase_count: row.max_purchase_count,
  price_difference_cents: row.price_difference_cents,
});

/** A price difference may be negative (a cheaper option): a signed whole number of cents. */
function priceDifference(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^-?\d{1,12}$/.test(text)) throw invalid("The 'price_difference_cents' parameter must be a whole number of cents.");
  return Number(text);
}

function parseTitle(value: unknown): string {
  const title = textParam(value ?? '', 'title', 255).trim();
  if (!title) throw invalid("Title can't be blank.");
  return title;
}

async function requireCategory(db: Executor, product: ProductRow, id: string): Promise<VariantCategoryRow> {
  const row = await variants.findLiveCategory(db, product.id, id);
  if (!row) throw new TesseraError('VARIANT_CATEGORY_NOT_FOUND');
  return row;
}

/** The product and category of a variants route: unknown category → FAIL, never a crash (§7.3). */
async function requireCategoryOf(ctx: AppContext, sellerId: string, productRef: string, categoryId: string) {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  return { product, category: await requireCategory(ctx.db, product, categoryId) };
}

async function requireVariant(db: Executor, category: VariantCategoryRow, id: string): Promise<VariantRow> {
  const row = await variants.findLiveVariant(db, category.id, id);
  if (!row) throw new TesseraError('VARIANT_NOT_FOUND');
  return row;
}

export async function listVariantCategories(ctx: AppContext, sellerId: string, productRef: string): Promise<VariantCategory[]> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  return (await variants.liveCategories(ctx.db, [product.id])).map(presentCategory);
}

export async function getVariantCategory(ctx: AppContext, sellerId: string, productRef: string, id: string): Promise<VariantCategory> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  return presentCategory(await requireCategory(ctx.db, product, id));
}

export async function createVariantCategory(ctx: AppContext, sellerId: string, productRef: string, title: unknown, actor: Actor): Promise<VariantCategory> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  const row: VariantCategoryRow = { id: newId(), external_id: newExternalId(), product_id: product.id, title: parseTitle(title), created_at: Date.now(), deleted_at: null };
  await ctx.db.transaction().execute(async (trx) => {
    await variants.insertCategory(trx, row);
    await recordAudit(trx, { actor, userId: sellerId, action: 'variant_category.created', target: { type: 'variant_category', id: row.external_id }, metadata: { product_id: product.external_id, title: row.title } });
  });
  return presentCategory(row);
}

export async function updateVariantCategory(ctx: AppContext, sellerId: string, productRef: string, id: string, title: unknown, actor: Actor): Promise<VariantCategory> {
  const { category } = await requireCategoryOf(ctx, sellerId, productRef, id);
  if (title === undefined) return presentCategory(category);
  const next = parseTitle(title);
  await ctx.db.transaction().execute(async (trx) => {
    await variants.updateCategory(trx, category.id, { title: next });
    await recordAudit(trx, { actor, userId: sellerId, action: 'variant_category.updated', target: { type: 'variant_category', id }, metadata: { title: next } });
  });
  return presentCategory({ ...category, title: next });
}

export async function deleteVariantCategory(ctx: AppContext, sellerId: string, productRef: string, id: string, actor: Actor): Promise<void> {
  const { category } = await requireCategoryOf(ctx, sellerId, productRef, id);
  await ctx.db.transaction().execute(async (trx) => {
    await variants.updateCategory(trx, category.id, { deleted_at: Date.now() });
    await recordAudit(trx, { actor, userId: sellerId, action: 'variant_category.deleted', target: { type: 'variant_category', id } });
  });
}

export async function listVariants(ctx: AppContext, sellerId: string, productRef: string, categoryId: string): Promise<Variant[]> {
  const { category } = await requireCategoryOf(ctx, sellerId, productRef, categoryId);
  return (await variants.liveVariants(ctx.db, [category.id])).map(presentVariant);
}

export async function getVariant(ctx: AppContext, sellerId: string, productRef: string, categoryId: string, id: string): Promise<Variant> {
  const { category } = await requireCategoryOf(ctx, sellerId, productRef, categoryId);
  return presentVariant(await requireVariant(ctx.db, category, id));
}

function parseVariantChanges(params: VariantParams): Partial<VariantRow> {
  const changes: Partial<VariantRow> = {};
  if (params.name !== undefined) {
    changes.name = textParam(params.name, 'name', 255).trim();
    if (!changes.name) throw invalid("Name can't be blank.");
  }
  if (params.description !== undefined) changes.description = textParam(params.description, 'description', 10_000);
  if (params.price_difference_cents !== undefined && params.price_difference_cents !== '') changes.price_difference_cents = priceDifference(params.price_difference_cents);
  if (params.max_purchase_count !== undefined) changes.max_purchase_count = optionalWholeNumberParam(params.max_purchase_count, 'max_purchase_count');
  return changes;
}

export async function createVariant(ctx: AppContext, sellerId: string, productRef: string, categoryId: string, params: VariantParams, actor: Actor): Promise<Variant> {
  const { category } = await requireCategoryOf(ctx, sellerId, productRef, categoryId);
  const changes = parseVariantChanges(params);
  if (!changes.name) throw invalid("Name can't be blank.");
  const row: VariantRow = {
    id: newId(),
    external_id: newExternalId(),
    variant_category_id: category.id,
    name: changes.name,
    description: changes.description ?? '',
    price_difference_cents: changes.price_difference_cents ?? 0,
    max_purchase_count: changes.max_purchase_count ?? null,
    created_at: Date.now(),
    deleted_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await variants.insertVariant(trx, row);
    await recordAudit(trx, { actor, userId: sellerId, action: 'variant.created', target: { type: 'variant', id: row.external_id }, metadata: { variant_category_id: categoryId, name: row.name } });
  });
  return presentVariant(row);
}

export async function updateVariant(ctx: AppContext, sellerId: string, productRef: string, categoryId: string, id: string, params: VariantParams, actor: Actor): Promise<Variant> {
  const { category } = await requireCategoryOf(ctx, sellerId, productRef, categoryId);
  const row = await requireVariant(ctx.db, category, id);
  const changes = parseVariantChanges(params);
  if (Object.keys(changes).length > 0) {
    await ctx.db.transaction().execute(async (trx) => {
      await variants.updateVariant(trx, row.id, changes);
      await recordAudit(trx, { actor, userId: sellerId, action: 'variant.updated', target: { type: 'variant', id }, metadata: { fields: Object.keys(changes) } });
    });
  }
  return presentVariant({ ...row, ...changes });
}

export async function deleteVariant(ctx: AppContext, sellerId: string, productRef: string, categoryId: string, id: string, actor: Actor): Promise<void> {
  const { category } = await requireCategoryOf(ctx, sellerId, productRef, categoryId);
  const row = await requireVariant(ctx.db, category, id);
  await ctx.db.transaction().execute(async (trx) => {
    await variants.updateVariant(trx, row.id, { deleted_at: Date.now() });
    await recordAudit(trx, { actor, userId: sellerId, action: 'variant.deleted', target: { type: 'variant', id } });
  });
}

/** GET skus: a physical product's live variants; other products have none (no SKU support). */
export async function listSkus(ctx: AppContext, sellerId: string, productRef: string): Promise<Variant[]> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  if (product.require_shipping !== 1) return [];
  const categories = await variants.liveCategories(ctx.db, [product.id]);
  return (await variants.liveVariants(ctx.db, categories.map((c) => c.id))).map(presentVariant);
}
