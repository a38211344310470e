import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import { newSigningSecret } from './sign.js';

/**
 * The secrets that sign a subscription's deliveries now: its current one, then the one a rotation
 * replaced while its grace period lasts. A subscription stored before signing existed gets its
 * secret on first use (shown by a rotation).
 */
export async function liveSecrets(ctx: AppContext, subscriptionId: string, now: number): Promise<string[]> {
  const row = await ctx.db
    .selectFrom('resource_subscriptions')
    .select(['secret_encrypted', 'previous_secret_encrypted', 'previous_secret_expires_at'])
    .where('id', '=', subscriptionId)
    .executeTakeFirstOrThrow();
  let current = row.secret_encrypted;
  if (current === null) {
    await ctx.db
      .updateTable('resource_subscriptions')
      .set({ secret_encrypted: ctx.keys.encrypt(newSigningSecret()) })
      .where('id', '=', subscriptionId)
      .where('secret_encrypted', 'is', null)
      .execute();
    current = (await ctx.db.selectFrom('resource_subscriptions').select('secret_encrypted').where('id', '=', subscriptionId).executeTakeFirstOrThrow()).secret_encrypted!;
  }
  const secrets = [ctx.keys.decrypt(current)];
  if (row.previous_secret_encrypted !== null && (row.previous_secret_expires_at ?? 0) > now) secrets.push(ctx.keys.decrypt(row.previous_secret_encrypted));
  return secrets;
}

/** Replaces the signing secret; the old one keeps signing (alongside) for `graceSeconds`. Returns the new secret. */
export async function replaceSecret(ctx: AppContext, db: Executor, subscriptionId: string, graceSeconds: number, now: number): Promise<string> {
  const row = await db.selectFrom('resource_subscriptions').select('secret_encrypted').where('id', '=', subscriptionId).executeTakeFirstOrThrow();
  const secret = newSigningSecret();
  const keepOld = row.secret_encrypted !== null && graceSeconds > 0;
  await db
    .updateTable('resource_subscriptions')
    .set({
      secret_encrypted: ctx.keys.encrypt(secret),
      previous_secret_encrypted: keepOld ? row.secret_encrypted : null,
      previous_secret_expires_at: keepOld ? now + graceSeconds * 1000 : null,
    })
    .where('id', '=', subscriptionId)
    .execute();
  return secret;
}
