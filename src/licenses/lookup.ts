import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import * as licenses from './store.js';

export interface SaleLicense {
  license_key: string;
  license_id: string;
  license_disabled: boolean;
  uses: number;
}

/** The licenses of some purchases, by purchase id, with their keys decrypted for the seller's sale objects. */
export async function licensesForPurchases(db: Executor, ctx: AppContext, purchaseIds: string[]): Promise<Map<string, SaleLicense>> {
  const found = new Map<string, SaleLicense>();
  if (purchaseIds.length === 0) return found;
  for (const row of await licenses.forPurchases(db, purchaseIds)) {
    found.set(row.purchase_id, {
      license_key: ctx.keys.decrypt(row.key_encrypted),
      license_id: row.external_id,
      license_disabled: row.disabled_at !== null,
      uses: row.uses,
    });
  }
  return found;
}
