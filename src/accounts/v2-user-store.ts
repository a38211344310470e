import type { Dialect } from '../config.js';
import type { Executor } from '../db/database.js';
import { precompiled, slot } from '../db/precompiled.js';

// No ORDER BY: sorting the few rows here costs less than SQLite's sorter on every call.
const permalinksOf = precompiled<{ unique_permalink: string; deleted_at: number | null; created_at: number }, { sellerId: string }>((db) =>
  db.selectFrom('products').select(['unique_permalink', 'deleted_at', 'created_at']).where('seller_id', '=', slot('sellerId')).compile(),
);

/** Permalinks of the seller's live products, newest first; null when it never had any (GET /v2/user's `links`, read from the catalog's table on every call: compiled once). */
export async function livePermalinks(db: Executor, dialect: Dialect, sellerId: string): Promise<string[] | null> {
  const rows = await permalinksOf(db, dialect, { sellerId });
  if (rows.length === 0) return null;
  return rows
    .filter((r) => r.deleted_at === null)
    .sort((a, b) => b.created_at - a.created_at)
    .map((r) => r.unique_permalink);
}
