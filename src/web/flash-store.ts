import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { DashboardFlashTable } from './tables.js';

/** `dashboard_flash`'s statements: one-time flashes and standing grants of a session (src/web/flash.ts). */

export async function insertFlash(db: Executor, row: Insertable<DashboardFlashTable>): Promise<void> {
  await db.insertInto('dashboard_flash').values(row).execute();
}

export async function deleteExpiredFlashes(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('dashboard_flash').where('expires_at', '<', now).execute();
}

/** A live flash of this session that still holds its payload. */
export function findUnreadFlash(db: Executor, sessionId: string, id: string, now: number) {
  return db
    .selectFrom('dashboard_flash')
    .select(['kind', 'payload'])
    .where('id', '=', id)
    .where('session_id', '=', sessionId)
    .where('payload', 'is not', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Empties the flash only while it still holds `payload`: of two concurrent reads, one wins (true). */
export async function emptyFlash(db: Executor, id: string, payload: string, now: number): Promise<boolean> {
  const taken = await db.updateTable('dashboard_flash').set({ payload: null, consumed_at: now }).where('id', '=', id).where('payload', '=', payload).executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

export async function hasLiveFlashOfKind(db: Executor, sessionId: string, kind: string, now: number): Promise<boolean> {
  const row = await db.selectFrom('dashboard_flash').select('id').where('session_id', '=', sessionId).where('kind', '=', kind).where('expires_at', '>', now).executeTakeFirst();
  return row !== undefined;
}
