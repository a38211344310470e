import type { Executor } from '../../db/database.js';

// Reads of license_verification_days (written by the verify batch, store.ts)
// for the dashboard's charts: one row per UTC day, the days without verifications left out.

export interface VerificationDayRow {
  day: string;
  succeeded: number;
  refused: number;
}

const toRows = (rows: Array<{ day: string; succeeded: unknown; refused: unknown }>): VerificationDayRow[] =>
  rows.map((r) => ({ day: r.day, succeeded: Number(r.succeeded), refused: Number(r.refused) }));

/** One license's verifications per day since `fromDay` (YYYY-MM-DD, UTC), oldest first. */
export async function daysOfLicense(db: Executor, licenseId: string, fromDay: string): Promise<VerificationDayRow[]> {
  const rows = await db
    .selectFrom('license_verification_days')
    .select(['day', 'succeeded', 'refused'])
    .where('license_id', '=', licenseId)
    .where('day', '>=', fromDay)
    .orderBy('day')
    .execute();
  return toRows(rows);
}

/** The verifications of every license of a product (products.id), summed per day since `fromDay`. */
export async function daysOfProduct(db: Executor, productId: string, fromDay: string): Promise<VerificationDayRow[]> {
  const rows = await db
    .selectFrom('license_verification_days as d')
    .innerJoin('licenses as l', 'l.id', 'd.license_id')
    .select((eb) => ['d.day', eb.fn.sum<number>('d.succeeded').as('succeeded'), eb.fn.sum<number>('d.refused').as('refused')])
    .where('l.product_id', '=', productId)
    .where('d.day', '>=', fromDay)
    .groupBy('d.day')
    .orderBy('d.day')
    .execute();
  return toRows(rows);
}
