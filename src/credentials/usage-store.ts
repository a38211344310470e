import type { Executor } from '../db/database.js';

/** The credential tables whose `last_used_at` src/credentials/usage-recorder.ts writes. */
export type UsageTable = 'access_tokens' | 'api_keys';

export async function setLastUsed(db: Executor, table: UsageTable, id: string, at: number): Promise<void> {
  await db.updateTable(table).set({ last_used_at: at }).where('id', '=', id).execute();
}
