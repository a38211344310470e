import { TesseraError } from '../http/errors.js';

export const MAX_ICON_BYTES = 256 * 1024;

/**
 * Accepts an icon as uploaded bytes (multipart) or as a data URL / base64 string (JSON), and
 * returns it only when it really is a PNG or JPEG of at most 256 KiB (checked by magic bytes).
 */
export function parseIcon(input: unknown): { type: string; data: string } {
  let bytes: Buffer;
  if (Buffer.isBuffer(input)) bytes = input;
  else if (typeof input === 'string') {
    const base64 = input.replace(/^data:image\/[a-z+.-]+;base64,/i, '');
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(base64)) throw new TesseraError('INVALID_ICON');
    bytes = Buffer.from(base64, 'base64');
  } else throw new TesseraError('INVALID_ICON');
  if (bytes.length > MAX_ICON_BYTES) throw new TesseraError('INVALID_ICON', 'The icon must be at most 256 KiB.');
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { type: 'image/png', data: bytes.toString('base64') };
  }
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { type: 'image/jpeg', data: bytes.toString('base64') };
  }
  throw new TesseraError('INVALID_ICON');
}
