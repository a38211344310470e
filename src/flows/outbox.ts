import type { AppContext } from '../context.js';
import { openMail } from './sealed-outputs.js';
import { sendMail } from '../util/smtp.js';
import * as outbox from './outbox-store.js';

const MAX_ATTEMPTS = 5;
const RETRY_DELAY_MS = 60_000;

/**
 * Delivers queued emails over SMTP, oldest first; a failure is retried later (up to 5 attempts,
 * a minute apart and more). Each email is claimed by bumping its attempt count, so two workers
 * never send one email twice. Returns how many were sent.
 */
export async function deliverOutbox(ctx: AppContext, smtp: { url: string; from: string; caFile?: string | undefined }, limit = 10): Promise<number> {
  const now = Date.now();
  const due = await outbox.dueEmails(ctx.db, now, MAX_ATTEMPTS, limit);
  let sent = 0;
  for (const email of due) {
    if (!(await outbox.claimAttempt(ctx.db, email, now + RETRY_DELAY_MS * 2 ** email.attempts))) continue;
    try {
      const { subject, text } = openMail(ctx.keys, email);
      await sendMail(smtp.url, { from: smtp.from, to: email.to_address, subject, text }, { caFile: smtp.caFile });
      await outbox.markSent(ctx.db, email.id, Date.now());
      sent++;
    } catch (err) {
      await outbox.markFailed(ctx.db, email.id, (err as Error).message.slice(0, 500));
    }
  }
  return sent;
}
