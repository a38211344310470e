import type { AppContext } from '../context.js';
import { openMail } from './sealed-outputs.js';
import { sendMail } from '../util/smtp.js';

const MAX_ATTEMPTS = 5;
const RETRY_DELAY_MS = 60_000;

/**
 * Delivers queued emails over SMTP, oldest first; a failure is retried later (up to 5 attempts,
 * a minute apart and more). Each email is claimed by bumping its attempt count, so two workers
 * never send one email twice. Returns how many were sent.
 */
export async function deliverOutbox(ctx: AppContext, smtp: { url: string; from: string; caFile?: string | undefined }, limit = 10): Promise<number> {
  const now = Date.now();
  const due = await ctx.db
    .selectFrom('email_outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('attempts', '<', MAX_ATTEMPTS)
    .where('next_attempt_at', '<=', now)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  let sent = 0;
  for (const email of due) {
    const claimed = await ctx.db
      .updateTable('email_outbox')
      .set({ attempts: email.attempts + 1, next_attempt_at: now + RETRY_DELAY_MS * 2 ** email.attempts })
      .where('id', '=', email.id)
      .where('attempts', '=', email.attempts)
      .where('sent_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    try {
      const { subject, text } = openMail(ctx.keys, email);
      await sendMail(smtp.url, { from: smtp.from, to: email.to_address, subject, text }, { caFile: smtp.caFile });
      await ctx.db.updateTable('email_outbox').set({ sent_at: Date.now(), last_error: null }).where('id', '=', email.id).execute();
      sent++;
    } catch (err) {
      await ctx.db.updateTable('email_outbox').set({ last_error: (err as Error).message.slice(0, 500) }).where('id', '=', email.id).execute();
    }
  }
  return sent;
}
