import { Type } from 'typebox';
import { listSales } from '../../sales/sales-service.js';
import type { Sale } from '../../sales/sale-present.js';
import { StepError, type StepType } from './step.js';

interface ExportParams {
  after?: string;
  before?: string;
  product_id?: string;
  max_rows?: number;
}

const COLUMNS = ['id', 'order_id', 'created_at', 'product_id', 'product_name', 'email', 'full_name', 'price', 'currency_symbol', 'quantity', 'refunded', 'chargedback'] as const;

/** One CSV cell; text a spreadsheet would run as a formula (buyer names, emails) gets a leading '. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The seller's sales in a date range (the sales service's filters: after, before as YYYY-MM-DD,
 * product_id) as CSV text in the output, newest first. License keys are left out.
 */
export const exportSalesStep: StepType = {
  type: 'export_sales',
  summary: 'Sales in a date range as CSV; output {csv, count}',
  params: Type.Object({
    after: Type.Optional(Type.String({ maxLength: 30, description: 'YYYY-MM-DD, inclusive.' })),
    before: Type.Optional(Type.String({ maxLength: 30, description: 'YYYY-MM-DD, exclusive.' })),
    product_id: Type.Optional(Type.String({ maxLength: 100 })),
    max_rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Default 10 000.' })),
  }),
  async run(p: ExportParams, { ctx, run, signal }) {
    const limit = p.max_rows ?? 10_000;
    const rows: Sale[] = [];
    let pageKey: string | null = null;
    do {
      if (signal.aborted) throw new StepError('stopped');
      const page: Awaited<ReturnType<typeof listSales>> = await listSales(ctx, run.userId, { after: p.after, before: p.before, product_id: p.product_id, ...(pageKey ? { page_key: pageKey } : {}) });
      rows.push(...page.sales);
      pageKey = page.nextPageKey;
    } while (pageKey && rows.length < limit);
    const kept = rows.slice(0, limit);
    const csv = [COLUMNS.join(','), ...kept.map((sale) => COLUMNS.map((c) => cell((sale as Record<string, unknown>)[c])).join(','))].join('\r\n') + '\r\n';
    const range = `${p.after ?? 'the start'} to ${p.before ?? 'now'}`;
    return { output: { csv, count: kept.length, truncated: rows.length > limit || pageKey !== null }, summary: `${kept.length} sales from ${range} exported` };
  },
};
