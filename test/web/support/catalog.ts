import type { TestServer } from '../../support/harness.js';
import { createProduct } from '../../../src/catalog/product-service.js';
import { recordPurchase } from '../../../src/sales/record-purchase.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };

/** A licensed product of this seller, through the catalog service. */
export async function licensedProduct(server: TestServer, sellerId: string, name = 'Pro plugin') {
  return createProduct(server.ctx, sellerId, { name, price: '2500', is_licensed: 'true' }, SYSTEM, true);
}

/** A purchase recorded through the sales service; returns the sale with its license key. */
export async function purchase(server: TestServer, sellerId: string, productId: string, email: string) {
  const sale = await recordPurchase(server.ctx, sellerId, { product: productId, email }, SYSTEM);
  return sale as typeof sale & { license_key: string; license_id: string };
}

/** POST /v2/licenses/verify as a seller's app does it. */
export function verify(server: TestServer, productId: string, licenseKey: string, incrementUses = true) {
  return server.client().post('/v2/licenses/verify', {
    form: { product_id: productId, license_key: licenseKey, increment_uses_count: String(incrementUses) },
  });
}
