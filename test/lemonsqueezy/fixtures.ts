import assert from 'node:assert/strict';
import type { Response } from '../support/client.js';
import type { TestServer } from '../support/harness.js';
import { licensedProduct, licenseRow, newSeller, purchase, send, type Encoding, type Seller } from '../licenses/fixtures.js';

export { licenseRow };

/** One seller per test server (signing up costs a password hash): every sale here is theirs. */
const sellers = new WeakMap<TestServer, Promise<Seller>>();
export function sharedSeller(s: TestServer): Promise<Seller> {
  let seller = sellers.get(s);
  if (!seller) sellers.set(s, (seller = newSeller(s)));
  return seller;
}

/** POST /v1/licenses/<verb>, form-encoded unless told otherwise, no token. */
export const lemon = (s: TestServer, verb: 'activate' | 'validate' | 'deactivate', params: Record<string, unknown>, encoding: Encoding = 'form'): Promise<Response> =>
  send(s.client(), 'POST', `/v1/licenses/${verb}`, params, encoding);

/** A sale of a licensed product with `limit` seats (product-level; undefined = unlimited). */
export async function seatedSale(s: TestServer, limit?: number, productParams: Record<string, unknown> = {}) {
  const seller = await sharedSeller(s);
  const product = await licensedProduct(s, seller, { ...(limit === undefined ? {} : { activation_limit: String(limit) }), ...productParams });
  const sale = await purchase(s, seller, product.id);
  return { seller, product, sale, key: sale.license_key };
}

export const activations = async (s: TestServer, licenseId: string) => {
  const row = await licenseRow(s, licenseId);
  return s.ctx.db.selectFrom('license_activations').selectAll().where('license_id', '=', row.id).orderBy('created_at').execute();
};

const MICRO_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

/** Lemon Squeezy's license_key object, field by field. */
export function assertLicenseKey(body: any, expected: { id: string; key: string; status: string; limit: number | null; usage: number }) {
  assert.deepEqual(Object.keys(body.license_key), ['id', 'status', 'key', 'activation_limit', 'activation_usage', 'created_at', 'expires_at']);
  assert.equal(body.license_key.id, expected.id);
  assert.equal(body.license_key.status, expected.status);
  assert.equal(body.license_key.key, expected.key);
  assert.equal(body.license_key.activation_limit, expected.limit);
  assert.equal(body.license_key.activation_usage, expected.usage);
  assert.match(body.license_key.created_at, MICRO_ISO);
  assert.equal(body.license_key.expires_at, null);
}

/** Lemon Squeezy's meta object, field by field. */
export function assertMeta(body: any, expected: { sellerId: string; saleId: string; productId: string; productName: string; email: string; name?: string }) {
  assert.deepEqual(body.meta, {
    store_id: expected.sellerId,
    order_id: expected.saleId,
    order_item_id: expected.saleId,
    product_id: expected.productId,
    product_name: expected.productName,
    variant_id: null,
    variant_name: 'Default',
    customer_id: null,
    customer_name: expected.name ?? '',
    customer_email: expected.email,
  });
}

export function assertInstance(instance: any, expected: { id?: string; name: string }) {
  assert.deepEqual(Object.keys(instance), ['id', 'name', 'created_at']);
  assert.match(instance.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  if (expected.id) assert.equal(instance.id, expected.id);
  assert.equal(instance.name, expected.name);
  assert.match(instance.created_at, MICRO_ISO);
}

/** The ids meta shows for a sale made by licensedSale. */
export async function metaOf(s: TestServer, sale: { seller: { user: { email: string } }; product: { id: string; name: string }; sale: { id: string; email: string } }) {
  const user = await s.ctx.db.selectFrom('users').select('external_id').where('email', '=', sale.seller.user.email).executeTakeFirstOrThrow();
  return { sellerId: user.external_id, saleId: sale.sale.id, productId: sale.product.id, productName: sale.product.name, email: sale.sale.email };
}
