import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { lockRow } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import * as apiKeys from './store.js';
import { isRecoverable, newSecret, requireManagedKey, toApiKey } from './service.js';

export const MAX_GRACE_SECONDS = 24 * 3600;

/**
 * Replaces a key's secret, keeping its id, name, scopes and expiry. The old secret dies at once,
 * or after `grace_seconds` (at most 24 h) so that deployed scripts can be updated; a secret still
 * in an earlier grace period dies at once.
 */
export async function regenerateApiKey(ctx: AppContext, userId: string, keyId: string, input: { grace_seconds?: number }, actor: Actor) {
  const grace = input.grace_seconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    throw new TesseraError('VALIDATION_FAILED', `'grace_seconds' must be a whole number between 0 and ${MAX_GRACE_SECONDS}.`);
  }
  return ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'api_keys', keyId);
    const row = await requireManagedKey(trx, userId, keyId);
    const owner = row.kind === 'team' ? { teamId: row.team_id! } : { userId: row.user_id! };
    const secret = newSecret(ctx, row.kind, await isRecoverable(trx, owner));
    const now = Date.now();
    const changes = {
      ...secret.stored,
      previous_key_hash: grace > 0 ? row.key_hash : null,
      previous_valid_until: grace > 0 ? now + grace * 1000 : null,
    };
    await apiKeys.updateKey(trx, keyId, changes);
    await recordAudit(trx, {
      actor,
      userId,
      action: 'apikey.regenerated',
      target: { type: 'api_key', id: keyId },
      metadata: { kind: row.kind, team_id: row.team_id, grace_seconds: grace },
    });
    return { key: toApiKey({ ...row, ...changes }, now), apiKey: secret.plaintext };
  });
}
