import type { Actor, AppContext } from '../context.js';
import { normaliseEmail } from '../util/email.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import * as accounts from '../accounts/store.js';
import * as admin from './store.js';

export async function requireAccountByEmail(ctx: AppContext, email: string) {
  const account = await admin.findAccountByEmail(ctx.db, normaliseEmail(email));
  if (!account) throw new TesseraError('ACCOUNT_NOT_FOUND', `No account with the email ${normaliseEmail(email)}.`);
  return account;
}

/** `tessera admin grant <email>`: makes an account an instance owner. */
export async function grantOwnership(ctx: AppContext, email: string, actor: Actor): Promise<{ id: string; email: string; owner: true }> {
  const account = await requireAccountByEmail(ctx, email);
  if (account.disabled_at !== null) throw new TesseraError('OWNER_PROTECTED', 'A disabled account cannot become an owner: enable it first.');
  await ctx.db.transaction().execute(async (trx) => {
    await accounts.setOwner(trx, account.id, true);
    if (account.is_owner !== 1) {
      await recordAudit(trx, { actor, userId: account.id, action: 'admin.owner_granted', target: { type: 'user', id: account.id } });
    }
  });
  return { id: account.id, email: account.email, owner: true };
}

/** `tessera admin revoke <email>`: takes ownership away; the last owner keeps it. */
export async function revokeOwnership(ctx: AppContext, email: string, actor: Actor): Promise<{ id: string; email: string; owner: false }> {
  const account = await requireAccountByEmail(ctx, email);
  await ctx.db.transaction().execute(async (trx) => {
    await accounts.lockOwnership(trx, ctx.dialect);
    const current = await admin.findAccount(trx, account.id);
    if (current?.is_owner !== 1) return;
    if ((await accounts.countOwners(trx)) <= 1) throw new TesseraError('LAST_OWNER');
    await accounts.setOwner(trx, account.id, false);
    await recordAudit(trx, { actor, userId: account.id, action: 'admin.owner_revoked', target: { type: 'user', id: account.id } });
  });
  return { id: account.id, email: account.email, owner: false };
}
