import type { AppContext } from '../context.js';

/**
 * Whether the instance requires every account to have a second factor: the one place this is
 * decided. Today it reads TESSERA_REQUIRE_2FA; an owner's setting on the admin pages (src/admin)
 * joins it here, so every caller (the dashboard's gate, the JSON API's, removing a last factor)
 * follows both. Called only for accounts that have no second factor yet, so it is off the path
 * of every account that has one.
 */
export async function secondFactorRequired(ctx: AppContext, _userId: string): Promise<boolean> {
  return ctx.config.accounts.requireSecondFactor;
}

/** A signed-in account that must set up a second factor before anything else (the dashboard's and the API's gate). */
export async function mustSetUpSecondFactor(ctx: AppContext, user: { id: string; secondFactorSince: number | null }): Promise<boolean> {
  return user.secondFactorSince === null && (await secondFactorRequired(ctx, user.id));
}
