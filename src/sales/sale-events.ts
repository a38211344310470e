import type { Executor } from '../db/database.js';
import type { PurchaseRow } from './tables.js';

/** The events a sale raises (Gumroad's resource names). */
export type SaleEventName = 'sale' | 'refund' | 'dispute' | 'dispute_won';

/**
 * Where sales announce what happened to a sale, in the transaction that made it happen (so an
 * event exists exactly when its change committed). Sales declare it; the webhook outbox
 * implements it (src/webhooks/events.ts) and src/bootstrap.ts wires it into the context, so
 * sales never import webhooks.
 */
export interface SaleEvents {
  announce(trx: Executor, purchase: PurchaseRow, event: SaleEventName): Promise<void>;
}
