import { randomInt } from 'node:crypto';
import type { Executor } from '../db/database.js';
import { newExternalId, newId } from '../util/ids.js';
import * as purchases from './purchase-store.js';
import type { PurchaseRow } from './tables.js';

type Required = 'seller_id' | 'product_id' | 'email' | 'price' | 'currency' | 'order_number' | 'created_at';

/**
 * A purchase row with every flag at its starting value (not refunded, not shipped, no
 * subscription dates): what recordPurchase, the license import and the benchmark seed insert.
 */
export function newPurchaseRow(fields: Pick<PurchaseRow, Required> & Partial<PurchaseRow>): PurchaseRow {
  return {
    id: newId(),
    external_id: newExternalId(),
    full_name: null,
    quantity: 1,
    variants: '{}',
    custom_fields: '{}',
    offer_code_id: null,
    refunded: 0,
    refunded_amount_cents: 0,
    chargebacked: 0,
    disputed: 0,
    dispute_won: 0,
    access_revoked_at: null,
    shipped: 0,
    tracking_url: null,
    subscription_id: null,
    subscription_ended_at: null,
    subscription_cancelled_at: null,
    subscription_failed_at: null,
    is_imported: 0,
    updated_at: fields.created_at,
    ...fields,
  };
}

/** `count` distinct 12-digit order numbers no stored purchase has yet. */
export async function freshOrderNumbers(db: Executor, count: number): Promise<number[]> {
  for (;;) {
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(randomInt(100_000_000_000, 999_999_999_999));
    if ((await purchases.existingOrderNumbers(db, [...chosen])).length === 0) return [...chosen];
  }
}
