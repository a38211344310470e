import * as foundation from './0001-foundation.js';
import * as catalog from './0002-catalog.js';

/** One migration set for both dialects, applied in key order. Add a line per new migration. */
export const migrations = {
  '0001-foundation': foundation,
  '0002-catalog': catalog,
};
