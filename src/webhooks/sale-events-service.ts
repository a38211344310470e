import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { lockRow } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import * as purchases from '../sales/purchase-store.js';
import { presentSales, type Sale } from '../sales/sale-present.js';
import type { PurchaseRow } from '../sales/tables.js';
import { enqueueSaleEvent } from './events.js';

/**
 * What the seller's payment integration reports about a sale (Tessera is not a payment
 * processor): a dispute opened, a dispute won, a chargeback. Each changes the sale as GET
 * /v2/sales and license verification show it, is audited, and queues its webhook in the same
 * transaction.
 */
export type SaleEvent = 'dispute' | 'dispute_won' | 'chargeback';

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

function change(row: PurchaseRow, event: SaleEvent): { changes: Partial<PurchaseRow>; webhook: 'dispute' | 'dispute_won' | null } {
  switch (event) {
    case 'dispute':
      if (row.disputed === 1 && row.dispute_won === 0) throw invalid('The sale is already disputed.');
      return { changes: { disputed: 1, dispute_won: 0 }, webhook: 'dispute' };
    case 'dispute_won':
      if (row.disputed === 0) throw invalid('The sale is not disputed.');
      if (row.dispute_won === 1) throw invalid('The dispute is already won.');
      // A won dispute reverses the chargeback (Gumroad: chargeback_reversed).
      return { changes: { dispute_won: 1, chargebacked: 0 }, webhook: 'dispute_won' };
    case 'chargeback':
      if (row.chargebacked === 1) throw invalid('The sale is already chargebacked.');
      // A chargeback without an open dispute announces one; inside an open dispute it does not repeat it.
      return { changes: { chargebacked: 1, disputed: 1, dispute_won: 0 }, webhook: row.disputed === 1 && row.dispute_won === 0 ? null : 'dispute' };
  }
}

const ACTIONS: Record<SaleEvent, string> = { dispute: 'sale.disputed', dispute_won: 'sale.dispute_won', chargeback: 'sale.chargebacked' };

export async function reportSaleEvent(ctx: AppContext, sellerId: string, saleId: string, event: SaleEvent, actor: Actor): Promise<Sale> {
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const found = await purchases.findOwned(trx, sellerId, saleId);
    if (!found) throw new TesseraError('SALE_NOT_FOUND');
    await lockRow(trx, ctx.dialect, 'purchases', found.id);
    const row = (await purchases.findOwned(trx, sellerId, saleId))!;
    const { changes, webhook } = change(row, event);
    const next = { ...row, ...changes, updated_at: Date.now() };
    await purchases.updatePurchase(trx, row.id, { ...changes, updated_at: next.updated_at });
    await recordAudit(trx, { actor, userId: sellerId, action: ACTIONS[event], target: { type: 'sale', id: saleId }, metadata: { webhook } });
    if (webhook) await enqueueSaleEvent(trx, ctx, next, webhook);
    return next;
  });
  return (await presentSales(ctx.db, ctx, [updated]))[0]!;
}
