import type { Actor, AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { recordAudit } from '../audit/record.js';

/**
 * Settings the instance owner changes on the admin pages, stored in `instance_settings` (one row
 * each; no row = the default). Nothing here is cached in a process: every read is one primary-key
 * lookup (the session lookup reads it in its own statement, src/accounts/store.ts), so a change
 * on one node holds on every other node from its next request.
 */
export const REQUIRE_SECOND_FACTOR = 'require_second_factor';

/** The stored value of the "require a second factor" setting read as on / off (off without a row). */
export const isOn = (value: string | null | undefined): boolean => value === '1';

/** Whether the owner's "require a second factor for every account" setting is on (off without a row). */
export async function requireSecondFactorSetting(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('instance_settings').select('value').where('name', '=', REQUIRE_SECOND_FACTOR).executeTakeFirst();
  return isOn(row?.value);
}

/** The instance's second-factor policy as the admin page shows it. */
export interface SecondFactorPolicy {
  /** In force: the environment's floor or the owner's setting. */
  required: boolean;
  /** TESSERA_REQUIRE_2FA=1: required whatever the setting says (the page cannot turn it off). */
  byEnvironment: boolean;
  /** The owner's setting on the admin page. */
  bySetting: boolean;
  /** Enabled accounts that have no second factor yet (they set one up first while it is required). */
  accountsWithout: number;
}

export async function secondFactorPolicy(ctx: AppContext): Promise<SecondFactorPolicy> {
  const byEnvironment = ctx.config.accounts.requireSecondFactor;
  const [bySetting, without] = await Promise.all([
    requireSecondFactorSetting(ctx.db),
    ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('second_factor_since', 'is', null)
      .where('disabled_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { required: byEnvironment || bySetting, byEnvironment, bySetting, accountsWithout: Number(without.n) };
}

/**
 * Turns the owner's setting on or off, audited (`admin.setting_changed`) when it changes. With
 * TESSERA_REQUIRE_2FA=1 the setting is still stored, but a second factor stays required.
 */
export async function setSecondFactorRequired(ctx: AppContext, required: boolean, actor: Actor): Promise<SecondFactorPolicy> {
  const value = required ? '1' : '0';
  const now = Date.now();
  const by = actor.type === 'user' ? actor.id : null;
  await ctx.db.transaction().execute(async (trx) => {
    const before = await requireSecondFactorSetting(trx);
    await trx
      .insertInto('instance_settings')
      .values({ name: REQUIRE_SECOND_FACTOR, value, updated_at: now, updated_by: by })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now, updated_by: by }))
      .execute();
    if (before !== required) {
      await recordAudit(trx, {
        actor,
        userId: by,
        action: 'admin.setting_changed',
        target: { type: 'setting', id: REQUIRE_SECOND_FACTOR },
        metadata: { name: REQUIRE_SECOND_FACTOR, value: required, previous: before, environment_requires: ctx.config.accounts.requireSecondFactor },
      });
    }
  });
  return secondFactorPolicy(ctx);
}
