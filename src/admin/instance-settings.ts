import type { Actor, AppContext } from '../context.js';
import { putInstanceSetting, REQUIRE_SECOND_FACTOR, requireSecondFactorSetting } from '../accounts/instance-settings-store.js';
import { recordAudit } from '../audit/record.js';
import { countAccountsWithoutSecondFactor } from './store.js';

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
  const [bySetting, accountsWithout] = await Promise.all([requireSecondFactorSetting(ctx.db), countAccountsWithoutSecondFactor(ctx.db)]);
  return { required: byEnvironment || bySetting, byEnvironment, bySetting, accountsWithout };
}

/**
 * Turns the owner's setting on or off, audited (`admin.setting_changed`) when it changes. With
 * TESSERA_REQUIRE_2FA=1 the setting is still stored, but a second factor stays required.
 */
export async function setSecondFactorRequired(ctx: AppContext, required: boolean, actor: Actor): Promise<SecondFactorPolicy> {
  const value = required ? '1' : '0';
  const now = ctx.clock();
  const by = actor.type === 'user' ? actor.id : null;
  await ctx.db.transaction().execute(async (trx) => {
    const before = await requireSecondFactorSetting(trx);
    await putInstanceSetting(trx, REQUIRE_SECOND_FACTOR, value, now, by);
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
