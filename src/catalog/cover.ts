import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { decodeBase64 } from '../util/base64.js';
import type { ProductRow } from './tables.js';

/**
 * A product's cover image: Gumroad's `thumbnail`, sent as an uploaded file (multipart) or as
 * base64 / a data: URL (form or JSON). Only PNG, JPEG, GIF and WebP, recognised by their first
 * bytes (the name and the declared type are not trusted), up to MAX_COVER_BYTES. Kept in the
 * database, served by Tessera itself (GET /l/:permalink/cover): the public page never loads an
 * image from elsewhere.
 */
export const MAX_COVER_BYTES = 512 * 1024;

const invalid = (message: string) => new TesseraError('CATALOG_INVALID', message);

function imageType(bytes: Buffer): string | null {
  const starts = (...b: number[]) => bytes.length > b.length && b.every((v, i) => bytes[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (bytes.length > 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** The `thumbnail` parameter: an image to set, `null` to remove the cover (an empty value), or a FAIL. */
export function parseCover(value: unknown): { type: string; bytes: Buffer } | null {
  if (value === '' || value === null) return null;
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) bytes = value;
  else {
    const decoded = decodeBase64(value, MAX_COVER_BYTES, 'thumbnail');
    if ('problem' in decoded) throw invalid(decoded.tooLarge ? `The 'thumbnail' image must be at most ${MAX_COVER_BYTES / 1024} KiB.` : `The 'thumbnail' parameter must be an image file, or its base64.`);
    bytes = decoded.bytes;
  }
  if (bytes.length > MAX_COVER_BYTES) throw invalid(`The 'thumbnail' image must be at most ${MAX_COVER_BYTES / 1024} KiB.`);
  const type = imageType(bytes);
  if (!type) throw invalid("The 'thumbnail' image must be a PNG, JPEG, GIF or WebP file.");
  return { type, bytes };
}

/** The cover's path on this server; `version` (when it last changed) makes a new cover a new URL. */
export function coverPath(row: Pick<ProductRow, 'unique_permalink'>, version: number): string {
  return `/l/${encodeURIComponent(row.unique_permalink)}/cover?v=${version}`;
}

export function coverUrl(ctx: AppContext, row: Pick<ProductRow, 'unique_permalink'>, version: number): string {
  return `${ctx.config.publicUrl}${coverPath(row, version)}`;
}
