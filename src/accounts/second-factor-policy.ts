import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { requireSecondFactorSetting } from '../admin/instance-settings.js';

/**
 * Whether the instance requires every account to have a second factor: the one place this is
 * decided, so every caller (the dashboard's gate, the JSON API's, removing a last factor) follows
 * both sources. TESSERA_REQUIRE_2FA=1 is a floor the owner cannot lower; otherwise the owner's
 * setting on the admin page (`instance_settings`, src/admin/instance-settings.ts) decides. The
 * setting is read from the database on every call, never cached, so a change on one node holds
 * on every node from its next request. Called only for accounts that have no second factor yet,
 * so it is off the path of every account that has one. Inside a transaction, pass it as `db`
 * (SQLite has one connection: a read through ctx.db would wait for the transaction forever).
 */
export async function secondFactorRequired(ctx: AppContext, _userId: string, db: Executor = ctx.db): Promise<boolean> {
  if (ctx.config.accounts.requireSecondFactor) return true;
  return requireSecondFactorSetting(db);
}

/** A signed-in account that must set up a second factor before anything else (the dashboard's and the API's gate). */
export async function mustSetUpSecondFactor(ctx: AppContext, user: { id: string; secondFactorSince: number | null }): Promise<boolean> {
  return user.secondFactorSince === null && (await secondFactorRequired(ctx, user.id));
}
