import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { requireSecondFactorSetting } from './instance-settings-store.js';

/**
 * Whether the instance requires every account to have a second factor: the one place this is
 * decided, so every caller (the dashboard's gate, the JSON API's, removing a last factor) follows
 * both sources. TESSERA_REQUIRE_2FA=1 is a floor the owner cannot lower; otherwise the owner's
 * setting on the admin page (`instance_settings`, src/admin/instance-settings.ts) decides. The
 * setting is read from the database on every check, never cached, so a change on one node holds
 * on every node from its next request: the session lookup reads it in its own statement (no extra
 * round trip), other callers with one primary-key read. Only accounts without a second factor
 * ever need the answer. Inside a transaction, pass it as `db` (SQLite has one connection: a read
 * through ctx.db would wait for the transaction forever).
 */
export async function secondFactorRequired(ctx: AppContext, _userId: string, db: Executor = ctx.db): Promise<boolean> {
  if (ctx.config.accounts.requireSecondFactor) return true;
  return requireSecondFactorSetting(db);
}

/** The same decision from a setting already read (the session lookup's statement reads it). */
export function secondFactorRequiredWith(ctx: AppContext, setting: boolean): boolean {
  return ctx.config.accounts.requireSecondFactor || setting;
}

/** A signed-in account that must set up a second factor before anything else (the dashboard's and the API's gate). */
export async function mustSetUpSecondFactor(
  ctx: AppContext,
  user: { id: string; secondFactorSince: number | null; instanceRequiresSecondFactor?: boolean },
): Promise<boolean> {
  if (user.secondFactorSince !== null) return false;
  return user.instanceRequiresSecondFactor ?? (await secondFactorRequired(ctx, user.id));
}
