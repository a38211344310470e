import type { Executor } from '../db/database.js';

/**
 * Settings the instance owner changes on the admin pages (src/admin/instance-settings.ts), stored
 * in `instance_settings` (one row each; no row = the default). Nothing is cached in a process:
 * every read is one primary-key lookup (the session lookup reads it in its own statement,
 * src/accounts/store.ts), so a change on one node holds on every other node from its next request.
 */
export const REQUIRE_SECOND_FACTOR = 'require_second_factor';

/** The stored value of the "require a second factor" setting read as on / off (off without a row). */
export const isOn = (value: string | null | undefined): boolean => value === '1';

/** Whether the owner's "require a second factor for every account" setting is on (off without a row). */
export async function requireSecondFactorSetting(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('instance_settings').select('value').where('name', '=', REQUIRE_SECOND_FACTOR).executeTakeFirst();
  return isOn(row?.value);
}

/** Stores a setting's value (inserted, or replacing the last one), with who changed it and when. */
export async function putInstanceSetting(db: Executor, name: string, value: string, now: number, by: string | null): Promise<void> {
  await db
    .insertInto('instance_settings')
    .values({ name, value, updated_at: now, updated_by: by })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now, updated_by: by }))
    .execute();
}
