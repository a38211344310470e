import type { AppContext } from '../../context.js';
import * as products from '../../catalog/product-store.js';
import { runsByState } from '../../flows/run-stats-store.js';
import type { RunState } from '../../flows/tables.js';
import { TesseraError } from '../../http/errors.js';
import * as licenses from '../../licenses/store.js';
import * as verifications from '../../licenses/verify/days-store.js';
import { salesPerDay } from '../../sales/sales-per-day-store.js';
import { listTeams } from '../../teams/service.js';
import { fillDays, lastDays, type DayPoint, type Series } from '../charts.js';

/** How many days the day charts show. */
export const CHART_DAYS = 30;

export const SALES_SERIES: Series[] = [
  { label: 'Paid', tone: 'a' },
  { label: 'Refunded', tone: 'b' },
];
export const VERIFICATION_SERIES: Series[] = [
  { label: 'Verified', tone: 'c' },
  { label: 'Refused', tone: 'b' },
];

/** A seller's sales per day over the last 30 days (one product's when `productId`, its public id, is given). */
export async function salesChartPoints(ctx: AppContext, sellerId: string, productId?: string, now = Date.now()): Promise<DayPoint[]> {
  const days = lastDays(CHART_DAYS, now);
  let internal: string | undefined;
  if (productId !== undefined) {
    const product = await products.findOwned(ctx.db, sellerId, productId);
    if (!product) throw new TesseraError('NOT_FOUND');
    internal = product.id;
  }
  const rows = await salesPerDay(ctx.db, sellerId, Date.parse(`${days[0]}T00:00:00Z`), internal);
  // Refunded sales are drawn on top of the kept ones: the bar's height is every sale of the day.
  return fillDays(days, new Map(rows.map((r) => [r.day, [r.sales - r.refunded, r.refunded]])), 2);
}

/** Verifications per day of every license of one product (its public id) of this seller. */
export async function productVerificationPoints(ctx: AppContext, sellerId: string, productId: string, now = Date.now()): Promise<DayPoint[]> {
  const product = await products.findOwned(ctx.db, sellerId, productId);
  if (!product) throw new TesseraError('NOT_FOUND');
  const days = lastDays(CHART_DAYS, now);
  const rows = await verifications.daysOfProduct(ctx.db, product.id, days[0]!);
  return fillDays(days, new Map(rows.map((r) => [r.day, [r.succeeded, r.refused]])), 2);
}

/** Verifications per day of one license (its public license_id) of this seller. */
export async function licenseVerificationPoints(ctx: AppContext, sellerId: string, licenseId: string, now = Date.now()): Promise<DayPoint[]> {
  const row = await licenses.findByExternalId(ctx.db, licenseId);
  if (!row || row.seller_id !== sellerId) throw new TesseraError('LICENSE_NOT_FOUND_FOR_SELLER');
  const days = lastDays(CHART_DAYS, now);
  const rows = await verifications.daysOfLicense(ctx.db, row.id, days[0]!);
  return fillDays(days, new Map(rows.map((r) => [r.day, [r.succeeded, r.refused]])), 2);
}

const STATE_ORDER: Array<{ state: RunState; label: string; tone: Series['tone'] }> = [
  { state: 'DONE', label: 'Done', tone: 'c' },
  { state: 'FAILED', label: 'Failed', tone: 'b' },
  { state: 'RUNNING', label: 'Running', tone: 'a' },
  { state: 'QUEUED', label: 'Queued', tone: 'd' },
  { state: 'STARTED', label: 'Started', tone: 'd' },
  { state: 'TERMINATING', label: 'Stopping', tone: 'e' },
  { state: 'TERMINATED', label: 'Stopped', tone: 'e' },
];

/** Runs by state of the flows a user sees: their own and their teams'. */
export async function runStateItems(ctx: AppContext, userId: string): Promise<Array<{ label: string; count: number; tone: Series['tone'] }>> {
  const teams = await listTeams(ctx, userId);
  const counts = await runsByState(ctx.db, [{ type: 'user', id: userId }, ...teams.map((t) => ({ type: 'team' as const, id: t.id }))]);
  return STATE_ORDER.map((s) => ({ label: s.label, count: counts.get(s.state) ?? 0, tone: s.tone }));
}

