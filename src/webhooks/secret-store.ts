import type { Executor } from '../db/database.js';

export interface StoredSecrets {
  secret_encrypted: string | null;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: number | null;
}

/** A resource subscription's signing secrets, encrypted: the current one, and the one a rotation replaced with its expiry. */
export async function secretsOf(db: Executor, subscriptionId: string): Promise<StoredSecrets> {
  return db
    .selectFrom('resource_subscriptions')
    .select(['secret_encrypted', 'previous_secret_encrypted', 'previous_secret_expires_at'])
    .where('id', '=', subscriptionId)
    .executeTakeFirstOrThrow();
}

/** A resource subscription's current signing secret, encrypted (null if it never got one). */
export async function currentSecretOf(db: Executor, subscriptionId: string): Promise<string | null> {
  return (await db.selectFrom('resource_subscriptions').select('secret_encrypted').where('id', '=', subscriptionId).executeTakeFirstOrThrow()).secret_encrypted;
}

/** Gives a subscription without a secret this one; a concurrent first use that got there first wins (the update is conditional). */
export async function setSecretIfMissing(db: Executor, subscriptionId: string, secretEncrypted: string): Promise<void> {
  await db
    .updateTable('resource_subscriptions')
    .set({ secret_encrypted: secretEncrypted })
    .where('id', '=', subscriptionId)
    .where('secret_encrypted', 'is', null)
    .execute();
}

/** Stores a subscription's secrets (a rotation). */
export async function setSecrets(db: Executor, subscriptionId: string, secrets: StoredSecrets): Promise<void> {
  await db.updateTable('resource_subscriptions').set(secrets).where('id', '=', subscriptionId).execute();
}
