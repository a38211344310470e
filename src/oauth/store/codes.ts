import type { Executor } from '../../db/database.js';
import type { AuthorizationCodeTable } from '../tables.js';

export function insertCode(db: Executor, code: AuthorizationCodeTable) {
  return db.insertInto('oauth_authorization_codes').values(code).execute();
}

export function findByHash(db: Executor, codeHash: string) {
  return db.selectFrom('oauth_authorization_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

export function findById(db: Executor, id: string) {
  return db.selectFrom('oauth_authorization_codes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Uses the code; false when another exchange used it first (a replay). */
export async function markUsed(db: Executor, id: string, now: number): Promise<boolean> {
  const row = await db
    .updateTable('oauth_authorization_codes')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
