import type { Actor, AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { verifyPassword } from './service.js';

/**
 * Checks a signed-in account's own password before a sensitive action (an API-key reveal, a
 * password change). Each attempt is reserved before the argon2 check (issue 11.3: 100 parallel
 * attempts against 5 let 5 through) and a wrong password is counted per account in the database,
 * for every node (ctx.limiters.reveal, issue 16.2), so a stolen session cannot guess it.
 * A wrong password throws PASSWORD_INCORRECT (with `message`, when given).
 */
export async function confirmOwnPassword(ctx: AppContext, user: { id: string; email: string }, password: string, actor: Actor, message?: string): Promise<void> {
  const attempt = await ctx.limiters.reveal.reserve(user.id);
  if (attempt.wait > 0) throw TesseraError.rateLimited(attempt.wait, `Too many wrong passwords. Try again in ${attempt.wait} seconds.`);
  try {
    await verifyPassword(ctx, { email: user.email, password }, actor);
  } catch (err) {
    if (!(err instanceof TesseraError && err.code === 'INVALID_LOGIN')) {
      attempt.release();
      throw err;
    }
    await attempt.fail();
    throw new TesseraError('PASSWORD_INCORRECT', message);
  }
  attempt.release();
}
