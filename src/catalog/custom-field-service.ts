import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { newExternalId, newId } from '../util/ids.js';
import * as customFields from './custom-field-store.js';
import { isTrue } from './params.js';
import { requireProduct } from './product-service.js';
import type { CustomFieldRow, CustomFieldType } from './tables.js';

/** The custom field object (contract §3.5). */
export interface CustomField {
  id: string;
  type: CustomFieldType;
  name: string;
  required: boolean;
  global: boolean;
  collect_per_product: boolean;
  products: string[];
}

export interface CustomFieldParams {
  name?: unknown;
  url?: unknown;
  label?: unknown;
  required?: unknown;
  type?: unknown;
}

const TYPES: readonly CustomFieldType[] = ['text', 'checkbox', 'terms', 'long_text', 'file'];

async function presentAll(ctx: AppContext, rows: CustomFieldRow[]): Promise<CustomField[]> {
  const attached = await customFields.productsOfFields(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.external_id,
    type: r.type,
    name: r.name,
    required: r.required === 1,
    global: r.global === 1,
    collect_per_product: r.collect_per_product === 1,
    products: attached.get(r.id) ?? [],
  }));
}

async function requireAttached(ctx: AppContext, productId: string, name: string): Promise<CustomFieldRow> {
  const row = await customFields.findAttachedByName(ctx.db, productId, name);
  if (!row) throw new TesseraError('CUSTOM_FIELD_NOT_FOUND');
  return row;
}

export async function listCustomFields(ctx: AppContext, sellerId: string, productRef: string): Promise<CustomField[]> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  return presentAll(ctx, await customFields.fieldsOfProducts(ctx.db, [product.id]));
}

/** The field's name: `name`, or the legacy `url` / `label`; a terms field's name is its http(s) URL. */
function parseField(params: CustomFieldParams): { name: string; type: CustomFieldType } {
  const raw = [params.name, params.url, params.label].find((v) => typeof v === 'string' && v.trim() !== '');
  const type = (params.type === undefined || params.type === '' ? 'text' : String(params.type)) as CustomFieldType;
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (!name || name.length > 255 || !TYPES.includes(type)) throw new TesseraError('CUSTOM_FIELD_NOT_CREATED');
  if (type === 'terms' && !/^https?:\/\/\S+$/i.test(name)) throw new TesseraError('CUSTOM_FIELD_NOT_CREATED');
  return { name, type };
}

export async function createCustomField(ctx: AppContext, sellerId: string, productRef: string, params: CustomFieldParams, actor: Actor): Promise<CustomField> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  const { name, type } = parseField(params);
  const row: CustomFieldRow = {
    id: newId(),
    external_id: newExternalId(),
    seller_id: sellerId,
    name,
    type,
    required: isTrue(params.required) ? 1 : 0,
    global: 0,
    collect_per_product: 0,
    created_at: Date.now(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    if (await customFields.findAttachedByName(trx, product.id, name)) throw new TesseraError('CUSTOM_FIELD_NOT_CREATED');
    await customFields.insertField(trx, row);
    await customFields.attach(trx, product.id, row.id);
    await recordAudit(trx, { actor, userId: sellerId, action: 'custom_field.created', target: { type: 'custom_field', id: row.external_id }, metadata: { product_id: product.external_id, name, type } });
  });
  return (await presentAll(ctx, [row]))[0]!;
}

/** PUT custom_fields/:name: `required` when given, else unchanged. */
export async function updateCustomField(ctx: AppContext, sellerId: string, productRef: string, name: string, params: CustomFieldParams, actor: Actor): Promise<CustomField> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  const row = await requireAttached(ctx, product.id, name);
  if (params.required !== undefined) {
    row.required = isTrue(params.required) ? 1 : 0;
    await ctx.db.transaction().execute(async (trx) => {
      await customFields.updateField(trx, row.id, { required: row.required });
      await recordAudit(trx, { actor, userId: sellerId, action: 'custom_field.updated', target: { type: 'custom_field', id: row.external_id }, metadata: { required: row.required === 1 } });
    });
  }
  return (await presentAll(ctx, [row]))[0]!;
}

/** Detaches a field shared by several products; deletes it when this product was its only one. */
export async function deleteCustomField(ctx: AppContext, sellerId: string, productRef: string, name: string, actor: Actor): Promise<void> {
  const product = await requireProduct(ctx.db, sellerId, productRef);
  const row = await requireAttached(ctx, product.id, name);
  await ctx.db.transaction().execute(async (trx) => {
    const shared = (await customFields.attachmentCount(trx, row.id)) > 1;
    if (shared) await customFields.detach(trx, product.id, row.id);
    else await customFields.deleteField(trx, row.id);
    await recordAudit(trx, {
      actor,
      userId: sellerId,
      action: shared ? 'custom_field.detached' : 'custom_field.deleted',
      target: { type: 'custom_field', id: row.external_id },
      metadata: { product_id: product.external_id },
    });
  });
}
