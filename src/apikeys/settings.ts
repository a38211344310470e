import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import * as apiKeys from './store.js';

export async function getKeySettings(ctx: AppContext, userId: string) {
  return { recoverable_keys: await apiKeys.recoverableKeysOf(ctx.db, userId) };
}

/**
 * "Recoverable keys" for a user's personal keys. On: keys created or regenerated from now on are
 * also stored encrypted. Off: every stored key is forgotten at once.
 */
export async function setRecoverableKeys(ctx: AppContext, userId: string, on: boolean, actor: Actor) {
  await ctx.db.transaction().execute(async (trx) => {
    await apiKeys.setRecoverableKeys(trx, userId, on, Date.now());
    const forgotten = on ? 0 : await apiKeys.forgetCiphertexts(trx, userId);
    await recordAudit(trx, { actor, userId, action: 'apikey.settings_changed', metadata: { recoverable_keys: on, forgotten_keys: forgotten } });
  });
  return { recoverable_keys: on };
}
