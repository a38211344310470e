import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { verifyPassword, type User } from '../accounts/service.js';
import { TesseraError } from '../http/errors.js';
import { requireManagedKey } from './service.js';

/**
 * Shows a recoverable key again, after the caller re-enters their password (argon2 check through
 * the accounts service). Every reveal is audited, never with the key itself.
 */
export async function revealApiKey(ctx: AppContext, user: User, keyId: string, password: string, actor: Actor): Promise<string> {
  const row = await requireManagedKey(ctx.db, user.id, keyId);
  // Reserved before the argon2 check (issue 11.3): 100 parallel reveals against 5 let 5 through.
  const failures = ctx.limiters.reveal;
  const wait = failures.take(user.id);
  if (wait > 0) throw TesseraError.rateLimited(wait, `Too many wrong passwords. Try again in ${wait} seconds.`);
  try {
    await verifyPassword(ctx, { email: user.email, password }, actor);
  } catch (err) {
    if (!(err instanceof TesseraError && err.code === 'INVALID_LOGIN')) {
      failures.release(user.id);
      throw err;
    }
    throw new TesseraError('PASSWORD_INCORRECT');
  }
  failures.release(user.id);
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
