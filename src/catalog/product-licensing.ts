import { TesseraError } from '../http/errors.js';
import type { Executor } from '../db/database.js';
import { booleanParam } from './params.js';
import { productSettingsMany, saveProductSettings } from './product-licensing-store.js';
import type { ProductLicenseSettingsTable } from './tables.js';

export const MAX_ACTIVATION_LIMIT = 100_000;
/** A license file lives one minute to ten years. */
export const MIN_FILE_TTL = 60;
export const MAX_FILE_TTL = 10 * 366 * 24 * 3600;

type Settings = Partial<Omit<ProductLicenseSettingsTable, 'product_id'>>;

const blank = (value: unknown) => value === null || (typeof value === 'string' && (value.trim() === '' || value.trim().toLowerCase() === 'unlimited'));

/**
 * A seat count: a whole number from 1 to 100000, or blank / `unlimited` for no limit (null).
 * `fail` builds the error of the calling API.
 */
export function activationLimitValue(value: unknown, fail: (message: string) => Error): number | null {
  if (blank(value)) return null;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1 || Number(text) > MAX_ACTIVATION_LIMIT) {
    throw fail(`The 'activation_limit' parameter must be a whole number from 1 to ${MAX_ACTIVATION_LIMIT}, or blank for unlimited.`);
  }
  return Number(text);
}

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

/**
 * POST / PUT /v2/products: `activation_limit` (seats per license, blank = unlimited),
 * `license_file_ttl` (seconds a license file is valid, blank = the server's default) and
 * `license_file_email` (true: files carry the buyer's email). Absent ones stay as they are.
 */
export function parseProductLicensing(params: Record<string, unknown>): Settings {
  const out: Settings = {};
  const has = (name: string) => Object.hasOwn(params, name) && params[name] !== undefined;
  if (has('activation_limit')) out.activation_limit = activationLimitValue(params.activation_limit, invalid);
  if (has('license_file_ttl')) {
    const value = params.license_file_ttl;
    if (blank(value)) out.license_file_ttl = null;
    else {
      const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
      if (!/^\d{1,9}$/.test(text) || Number(text) < MIN_FILE_TTL || Number(text) > MAX_FILE_TTL) {
        throw invalid(`The 'license_file_ttl' parameter must be a whole number of seconds from ${MIN_FILE_TTL} to ${MAX_FILE_TTL}, or blank for the default.`);
      }
      out.license_file_ttl = Number(text);
    }
  }
  if (has('license_file_email')) out.license_file_email = booleanParam(params.license_file_email, 'license_file_email') ? 1 : 0;
  return out;
}

/** Stores the settings parseProductLicensing read (nothing when none was sent). */
export async function saveProductLicensing(db: Executor, productId: string, settings: Settings): Promise<void> {
  if (Object.keys(settings).length > 0) await saveProductSettings(db, productId, settings);
}

/** The fields product objects show, by products.id. */
export async function productLicensingFields(db: Executor, productIds: string[]) {
  const settings = await productSettingsMany(db, productIds);
  return (productId: string) => {
    const s = settings.get(productId);
    return { activation_limit: s?.activation_limit ?? null, license_file_ttl: s?.license_file_ttl ?? null, license_file_email: s?.license_file_email === 1 };
  };
}
