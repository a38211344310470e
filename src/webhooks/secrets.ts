import type { AppContext } from '../context.js';
import type { Executor } from '../db/database.js';
import * as secretStore from './secret-store.js';
import { newSigningSecret } from './sign.js';

/**
 * The secrets that sign a subscription's deliveries now: its current one, then the one a rotation
 * replaced while its grace period lasts. A subscription stored before signing existed gets its
 * secret on first use (shown by a rotation).
 */
export async function liveSecrets(ctx: AppContext, subscriptionId: string, now: number): Promise<string[]> {
  const row = await secretStore.secretsOf(ctx.db, subscriptionId);
  let current = row.secret_encrypted;
  if (current === null) {
    await secretStore.setSecretIfMissing(ctx.db, subscriptionId, ctx.keys.encrypt(newSigningSecret()));
    current = (await secretStore.currentSecretOf(ctx.db, subscriptionId))!;
  }
  const secrets = [ctx.keys.decrypt(current)];
  if (row.previous_secret_encrypted !== null && (row.previous_secret_expires_at ?? 0) > now) secrets.push(ctx.keys.decrypt(row.previous_secret_encrypted));
  return secrets;
}

/** Replaces the signing secret; the old one keeps signing (alongside) for `graceSeconds`. Returns the new secret. */
export async function replaceSecret(ctx: AppContext, db: Executor, subscriptionId: string, graceSeconds: number, now: number): Promise<string> {
  const old = await secretStore.currentSecretOf(db, subscriptionId);
  const secret = newSigningSecret();
  const keepOld = old !== null && graceSeconds > 0;
  await secretStore.setSecrets(db, subscriptionId, {
    secret_encrypted: ctx.keys.encrypt(secret),
    previous_secret_encrypted: keepOld ? old : null,
    previous_secret_expires_at: keepOld ? now + graceSeconds * 1000 : null,
  });
  return secret;
}
