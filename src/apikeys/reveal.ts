import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import type { User } from '../accounts/service.js';
import { confirmOwnPassword } from '../accounts/own-password.js';
import { TesseraError } from '../http/errors.js';
import { requireManagedKey } from './service.js';

/**
 * Shows a recoverable key again, after the caller re-enters their password (confirmOwnPassword:
 * reserved, and counted per account on every node when wrong). Every reveal is audited, never with the key itself.
 */
export async function revealApiKey(ctx: AppContext, user: User, keyId: string, password: string, actor: Actor): Promise<string> {
  const row = await requireManagedKey(ctx.db, user.id, keyId);
  await confirmOwnPassword(ctx, user, password, actor);
  if (row.key_ciphertext === null) throw new TesseraError('API_KEY_NOT_RECOVERABLE');
  const plaintext = ctx.keys.decrypt(row.key_ciphertext);
  await recordAudit(ctx.db, {
    actor,
    userId: user.id,
    action: 'apikey.revealed',
    target: { type: 'api_key', id: keyId },
    metadata: { kind: row.kind, team_id: row.team_id },
  });
  return plaintext;
}
