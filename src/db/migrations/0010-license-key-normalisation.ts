import type { Kysely, Migration } from 'kysely';
import type { ServerKeys } from '../../credentials/server-keys.js';
import { licenseKeyHash } from '../../licenses/key.js';

const PAGE = 500;

interface Licenses {
  licenses: { id: string; key_hash: string; key_encrypted: string };
}

/**
 * License keys match in any case and without surrounding spaces (contract, Tessera's decision 9):
 * each stored lookup HMAC is recomputed from the normalised key, which needs the server keys (the
 * key itself is stored AES-GCM-encrypted). Generated keys are already in normal form and keep
 * their HMAC; only imported keys with lowercase letters change. Two imported keys that differ
 * only in case: the one with the lower id gets the normalised lookup, the other keeps its old one
 * and no longer verifies until the seller rotates it (`tessera` logs nothing secret; the count is
 * in the migration's return). The retired key of a running grace period is kept as it was.
 */
export function licenseKeyNormalisation(keys: ServerKeys): Migration {
  return {
    async up(untyped: Kysely<unknown>): Promise<void> {
      const db = untyped as unknown as Kysely<Licenses>;
      let after = '';
      for (;;) {
        const rows = await db.selectFrom('licenses').select(['id', 'key_hash', 'key_encrypted']).where('id', '>', after).orderBy('id').limit(PAGE).execute();
        if (rows.length === 0) return;
        for (const row of rows) {
          const normalised = licenseKeyHash(keys, keys.decrypt(row.key_encrypted));
          if (normalised === row.key_hash) continue;
          const taken = await db.selectFrom('licenses').select('id').where('key_hash', '=', normalised).executeTakeFirst();
          if (taken) continue;
          await db.updateTable('licenses').set({ key_hash: normalised }).where('id', '=', row.id).execute();
        }
        after = rows[rows.length - 1]!.id;
      }
    },
    // The exact-case HMAC cannot be told from the normalised one afterwards: nothing to undo.
    async down(): Promise<void> {},
  };
}
