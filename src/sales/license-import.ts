import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { isForbiddenName } from '../http/input-guard.js';
import { freshOrderNumbers, newPurchaseRow } from './purchase-row.js';
import * as purchases from './purchase-store.js';
import { CsvSyntaxError, parseCsv } from '../licenses/csv.js';
import { newLicenseRow } from '../licenses/issue.js';
import { importedKeyProblem, licenseKeyHash, normaliseLicenseKey } from '../licenses/key.js';
import * as licenses from '../licenses/store.js';

const COLUMNS = ['email', 'license_key', 'full_name', 'uses', 'created_at'] as const;
type Column = (typeof COLUMNS)[number];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BATCH = 500;

interface ImportRow {
  line: number;
  email: string;
  licenseKey: string;
  fullName: string | null;
  uses: number;
  createdAt: number;
}

export interface ImportResult {
  product_id: string;
  imported: number;
  ignored_columns: string[];
}

function parseTime(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text.replace(' ', 'T'));
  return Number.isNaN(ms) ? null : ms;
}

/** Reads and checks every row; returns them, or every problem with its line number. */
function readRows(csv: string, now: number): { rows: ImportRow[]; problems: string[]; ignored: string[] } {
  let records;
  try {
    records = parseCsv(csv);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return { rows: [], problems: [`line ${err.line}: ${err.message}`], ignored: [] };
    throw err;
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], problems: ['the file is empty: expected a header row with email and license_key'], ignored: [] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const forbidden = names.find((n) => isForbiddenName(n));
  if (forbidden !== undefined) return { rows: [], problems: [`line ${header.line}: the column name "${forbidden}" is not allowed`], ignored: [] };
  const index = new Map<Column, number>();
  names.forEach((name, i) => (COLUMNS as readonly string[]).includes(name) && !index.has(name as Column) && index.set(name as Column, i));
  const missing = (['email', 'license_key'] as const).filter((c) => !index.has(c));
  if (missing.length > 0) return { rows: [], problems: [`line ${header.line}: the header has no ${missing.join(' or ')} column`], ignored: [] };

  const rows: ImportRow[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of body) {
    if (fields.length !== names.length) {
      problems.push(`line ${line}: expected ${names.length} fields, found ${fields.length}`);
      continue;
    }
    const get = (c: Column) => (index.has(c) ? fields[index.get(c)!]! : '');
    const email = get('email').trim();
    const licenseKey = get('license_key');
    const fullName = get('full_name').trim();
    const usesText = get('uses').trim();
    const createdText = get('created_at').trim();
    const rowProblems: string[] = [];
    if (!EMAIL.test(email)) rowProblems.push(email === '' ? 'email is missing' : 'email is not a valid address');
    const keyProblem = importedKeyProblem(licenseKey);
    if (keyProblem) rowProblems.push(keyProblem);
    // Keys match in any case (decision 9): two keys differing only in case are the same key.
    else if (seen.has(normaliseLicenseKey(licenseKey))) rowProblems.push(`license_key repeats line ${seen.get(normaliseLicenseKey(licenseKey))}`);
    else seen.set(normaliseLicenseKey(licenseKey), line);
    if (fullName.length > 255) rowProblems.push('full_name is longer than 255 characters');
    if (usesText !== '' && !/^\d{1,9}$/.test(usesText)) rowProblems.push('uses must be a whole number, 0 or more');
    const createdAt = createdText === '' ? now : parseTime(createdText);
    if (createdAt === null) rowProblems.push('created_at must be a date (YYYY-MM-DD) or an ISO 8601 time');
    if (rowProblems.length > 0) {
      problems.push(`line ${line}: ${rowProblems.join(', ')}`);
      continue;
    }
    rows.push({ line, email, licenseKey, fullName: fullName || null, uses: usesText === '' ? 0 : Number(usesText), createdAt: createdAt! });
  }
  if (rows.length === 0 && problems.length === 0) problems.push('the file has a header but no rows');
  return { rows, problems, ignored: names.filter((n) => !(COLUMNS as readonly string[]).includes(n)) };
}

function refuse(problems: string[]): never {
  const shown = problems.slice(0, 20).join('; ') + (problems.length > 20 ? `; and ${problems.length - 20} more` : '');
  throw new TesseraError('LICENSE_IMPORT_INVALID', `Nothing was imported: ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown}`, { problems });
}

/**
 * `tessera import-licenses`: customers of a seller moving from elsewhere, with the keys they
 * already have. Each row becomes an imported purchase (is_imported = 1) of the licensed product
 * with a license holding that key unchanged. Every row is checked first (line numbers in the
 * report) and all rows go in one transaction: a file imports completely or not at all.
 */
export async function importLicenses(
  ctx: AppContext,
  input: { product: string; csv: string; actor: Actor; onProgress?: (phase: 'checking' | 'importing', done: number, total: number) => void },
): Promise<ImportResult> {
  const product = await licenses.findProductForImport(ctx.db, input.product);
  if (!product) throw new TesseraError('LICENSE_IMPORT_INVALID', `No product "${input.product}" (give its id or permalink).`);
  if (product.is_licensed !== 1) throw new TesseraError('LICENSE_IMPORT_INVALID', `The product "${product.name}" does not issue license keys: set is_licensed first.`);
  const { rows, problems, ignored } = readRows(input.csv, Date.now());
  if (problems.length > 0) refuse(problems);

  await ctx.db.transaction().execute(async (trx) => {
    const byHash = new Map(rows.map((r) => [licenseKeyHash(ctx.keys, r.licenseKey), r]));
    const hashes = [...byHash.keys()];
    const taken: string[] = [];
    for (let i = 0; i < hashes.length; i += BATCH) {
      for (const t of await licenses.keyHashTaken(trx, hashes.slice(i, i + BATCH))) {
        for (const h of [t.key_hash, t.grace_key_hash]) if (h && byHash.has(h)) taken.push(`line ${byHash.get(h)!.line}: license_key is already in use`);
      }
      input.onProgress?.('checking', Math.min(i + BATCH, hashes.length), hashes.length);
    }
    if (taken.length > 0) refuse(taken.sort((a, b) => Number(a.split(/[ :]/)[1]) - Number(b.split(/[ :]/)[1])));

    for (let i = 0; i < rows.length; i += BATCH) {
      const batch = rows.slice(i, i + BATCH);
      const orderNumbers = await freshOrderNumbers(trx, batch.length);
      const purchaseRows = batch.map((r, j) =>
        newPurchaseRow({
          seller_id: product.seller_id,
          product_id: product.id,
          email: r.email,
          full_name: r.fullName,
          price: 0,
          currency: product.currency,
          order_number: orderNumbers[j]!,
          is_imported: 1,
          created_at: r.createdAt,
        }),
      );
      const licenseRows = batch.map((r, j) =>
        newLicenseRow(ctx, { purchaseId: purchaseRows[j]!.id, productId: product.id, sellerId: product.seller_id, key: r.licenseKey, uses: r.uses, createdAt: r.createdAt }),
      );
      await purchases.insertImportedPurchases(trx, purchaseRows);
      await licenses.insertLicenses(trx, licenseRows);
      for (const [j, license] of licenseRows.entries()) {
        await recordAudit(trx, {
          actor: input.actor,
          userId: product.seller_id,
          action: 'license.imported',
          target: { type: 'license', id: license.id },
          metadata: { license_id: license.external_id, sale_id: purchaseRows[j]!.external_id, uses: license.uses },
        });
      }
      input.onProgress?.('importing', i + batch.length, rows.length);
    }
  });
  return { product_id: product.external_id, imported: rows.length, ignored_columns: ignored };

}
