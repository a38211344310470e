import { FORBIDDEN_NAMES } from '../http/input-guard.js';

/**
 * The checks every file name and file content of the flows API passes, whether it comes from
 * upload_file, a flow input or a step: each returns a value or a sentence saying what is wrong,
 * and the caller turns the sentence into its own error (a 400, a failed step).
 */

const MAX_NAME_BYTES = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A file name is one plain name, as Gumloop's are: no folder (`/` or `\`), not `.` or `..`, no
 * control character, no surrounding spaces, 1 to 255 bytes, and not a name JavaScript objects
 * treat specially. Nothing is rewritten: a refused name is refused, never "cleaned" into another.
 */
export function fileNameProblem(value: unknown, what = 'file name'): string | null {
  if (typeof value !== 'string') return `The ${what} must be a string.`;
  if (value === '') return `The ${what} must not be empty.`;
  if (Buffer.byteLength(value) > MAX_NAME_BYTES) return `The ${what} is longer than ${MAX_NAME_BYTES} bytes.`;
  if (CONTROL.test(value)) return `The ${what} holds a control character.`;
  if (value.includes('/') || value.includes('\\')) return `The ${what} '${value.slice(0, 100)}' names a folder: give a plain file name, without / or \\.`;
  if (value === '.' || value === '..') return `The ${what} '${value}' is not a file name.`;
  if (value.trim() !== value) return `The ${what} '${value.slice(0, 100)}' starts or ends with a space.`;
  if (FORBIDDEN_NAMES.has(value)) return `The ${what} '${value}' is not allowed.`;
  return null;
}

/**
 * The Content-Type a download carries, by extension. Types a browser would run or render as a
 * page of this origin (HTML, SVG, XML, JavaScript) are served as octet-stream.
 */
const TYPES: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  zip: 'application/zip',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  wav: 'audio/wav',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

export function contentTypeFor(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return Object.prototype.hasOwnProperty.call(TYPES, extension) ? TYPES[extension]! : 'application/octet-stream';
}

/** Content-Disposition for a download: an ASCII fallback and the exact name (RFC 6266, RFC 8187). */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
