import type { AppContext } from '../context.js';
import type { Trx } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { issueRecoveryCodes } from './recovery-codes.js';
import { secondFactorRequired } from './second-factor-policy.js';
import * as security from './security-store.js';

/**
 * `users.second_factor_since` says in one column whether an account has a second factor, so the
 * session lookup reads it without another query. These keep it true, in the transaction that
 * adds or removes a factor.
 */

/** After a TOTP app or a passkey was added: the account's first factor also gets ten recovery codes (returned to show once). */
export async function afterFactorAdded(ctx: AppContext, trx: Trx, userId: string): Promise<string[] | null> {
  if ((await security.secondFactorSince(trx, userId)) !== null) return null;
  await security.setSecondFactorSince(trx, userId, ctx.clock());
  return issueRecoveryCodes(ctx, trx, userId);
}

/**
 * After a factor was removed: with none left the account is back to a password alone and its
 * recovery codes go, unless the instance requires a second factor (then the removal is undone).
 */
export async function afterFactorRemoved(ctx: AppContext, trx: Trx, userId: string): Promise<void> {
  if (await security.hasSecondFactor(trx, userId)) return;
  if (await secondFactorRequired(ctx, userId, trx)) throw new TesseraError('LAST_SECOND_FACTOR');
  await security.setSecondFactorSince(trx, userId, null);
  await security.deleteRecoveryCodes(trx, userId);
}
