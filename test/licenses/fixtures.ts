import { CLI_ACTOR } from '../../src/context.js';
import { createProduct } from '../../src/catalog/product-service.js';
import { settleUses } from '../../src/licenses/verify/use-log-store.js';
import { recordPurchase, type PurchaseInput } from '../../src/sales/record-purchase.js';
import type { Client, Response } from '../support/client.js';
import { sellerWithToken } from '../support/fixtures.js';
import type { TestServer } from '../support/harness.js';

/** The four ways a Gumroad client sends parameters. */
export type Encoding = 'query' | 'form' | 'multipart' | 'json';
export const ENCODINGS: readonly Encoding[] = ['query', 'form', 'multipart', 'json'];

export function send(client: Client, method: string, path: string, params: Record<string, unknown>, encoding: Encoding = 'form'): Promise<Response> {
  if (encoding === 'json') return client.request(method, path, { json: params });
  const text = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  if (encoding === 'query') return client.request(method, path, { query: text });
  if (encoding === 'multipart') return client.request(method, path, { multipart: text });
  return client.request(method, path, { form: text });
}

export type Seller = Awaited<ReturnType<typeof sellerWithToken>>;

/** The unique permalink at the end of a product's short_url. */
export const permalinkOf = (product: { short_url: string }) => product.short_url.split('/').pop()!;

/** A seller with an owner token (all public scopes unless narrowed). */
export const newSeller = (s: TestServer, scopes?: string) => sellerWithToken(s, scopes);

/** A licensed product of the seller, made through catalog's service. */
export async function licensedProduct(s: TestServer, seller: Seller, params: Record<string, unknown> = {}) {
  const product = await createProduct(s.ctx, seller.user.id, { name: 'Pro App', price: '1500', is_licensed: 'true', ...params }, CLI_ACTOR);
  return product as typeof product & { short_url: string; custom_permalink: string | null };
}

/** A purchase of the product with its license, recorded through sales' service. */
export async function purchase(s: TestServer, seller: Seller, productId: string, input: Partial<PurchaseInput> = {}, options = {}) {
  const sale = await recordPurchase(s.ctx, seller.user.id, { product: productId, email: 'buyer@example.com', ...input }, CLI_ACTOR, options);
  return sale as typeof sale & { license_key: string; license_id: string };
}

/** A seller, a licensed product and one sale of it: the usual starting point. */
export async function licensedSale(s: TestServer, productParams: Record<string, unknown> = {}, input: Partial<PurchaseInput> = {}) {
  const seller = await newSeller(s);
  const product = await licensedProduct(s, seller, productParams);
  const sale = await purchase(s, seller, product.id, input);
  return { seller, product, sale, key: sale.license_key };
}

/** The stored license row, with the uses verification logged folded in first (exact `uses`). */
export const licenseRow = async (s: TestServer, licenseId: string) => {
  await settleUses(s.ctx.db);
  return s.ctx.db.selectFrom('licenses').selectAll().where('external_id', '=', licenseId).executeTakeFirstOrThrow();
};

export const licenseAudit = async (s: TestServer, licenseId: string) => {
  const row = await licenseRow(s, licenseId);
  return s.ctx.db.selectFrom('audit_events').selectAll().where('target_type', '=', 'license').where('target_id', '=', row.id).orderBy('occurred_at').execute();
};

/** The stored daily counts (written by each verify batch). */
export const verificationDays = async (s: TestServer, licenseId: string) => {
  const row = await licenseRow(s, licenseId);
  return s.ctx.db.selectFrom('license_verification_days').selectAll().where('license_id', '=', row.id).execute();
};

/** POST /v2/licenses/verify. */
export const verify = (s: TestServer, params: Record<string, unknown>, encoding: Encoding = 'form') =>
  send(s.client(), 'POST', '/v2/licenses/verify', params, encoding);

/** PUT /v2/licenses/<action> with the seller's token. */
export const manage = (s: TestServer, action: string, token: string | undefined, params: Record<string, unknown>, encoding: Encoding = 'form') =>
  send(s.client(), 'PUT', `/v2/licenses/${action}`, token === undefined ? params : { access_token: token, ...params }, encoding);

export const NOT_FOUND_BODY = { success: false, message: 'That license does not exist for the provided product.' };
export const NOT_FOUND_FOR_SELLER_BODY = { ...NOT_FOUND_BODY, error: 'Not found' };
