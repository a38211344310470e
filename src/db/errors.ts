/**
 * Driver errors recognised by their codes, never by their text: better-sqlite3 sets an extended
 * result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_CONSTRAINT_PRIMARYKEY`), pg the SQLSTATE
 * (`23505` unique_violation). A foreign-key (`SQLITE_CONSTRAINT_FOREIGNKEY`, `23503`) or NOT NULL
 * (`SQLITE_CONSTRAINT_NOTNULL`, `23502`) failure is not a duplicate.
 */
const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);

/** Whether `err` is a unique or primary-key violation reported by either driver. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && UNIQUE_CODES.has(code);
}
