import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { DAY_MS, utcDay } from '../util/dates.js';


export interface SalesDayRow {
  /** YYYY-MM-DD, UTC. */
  day: string;
  sales: number;
  refunded: number;
}

/**
 * A seller's sales per UTC day since `fromMs` (one product's, or all), counted by the database:
 * the day is the integer division of created_at (ms) by a day, the same on both dialects.
 */
export async function salesPerDay(db: Executor, sellerId: string, fromMs: number, productId?: string): Promise<SalesDayRow[]> {
  let query = db
    .selectFrom('purchases')
    .select([
      sql<number>`created_at / ${sql.lit(DAY_MS)}`.as('day_number'),
      sql<number>`count(*)`.as('sales'),
      sql<number>`sum(case when refunded = 1 then 1 else 0 end)`.as('refunded'),
    ])
    .where('seller_id', '=', sellerId)
    .where('created_at', '>=', fromMs);
  if (productId !== undefined) query = query.where('product_id', '=', productId);
  const rows = await query.groupBy(sql`created_at / ${sql.lit(DAY_MS)}`).execute();
  return rows
    .map((r) => ({ day: utcDay(Math.floor(Number(r.day_number)) * DAY_MS), sales: Number(r.sales), refunded: Number(r.refunded) }))
    .sort((a, b) => (a.day < b.day ? -1 : 1));
}
