import type { Executor } from '../db/database.js';
import type { EmailOutboxTable } from './tables.js';

/** Emails the send_email step queued (table `email_outbox`), delivered by ./outbox.ts. */

export function insertEmail(db: Executor, email: EmailOutboxTable) {
  return db.insertInto('email_outbox').values(email).execute();
}

/** Unsent emails whose next attempt is due, oldest first. */
export function dueEmails(db: Executor, now: number, maxAttempts: number, limit: number) {
  return db
    .selectFrom('email_outbox')
    .selectAll()
    .where('sent_at', 'is', null)
    .where('attempts', '<', maxAttempts)
    .where('next_attempt_at', '<=', now)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/** Claims one attempt by bumping the count it was read with: false when another worker did first. */
export async function claimAttempt(db: Executor, email: { id: string; attempts: number }, nextAttemptAt: number): Promise<boolean> {
  const claimed = await db
    .updateTable('email_outbox')
    .set({ attempts: email.attempts + 1, next_attempt_at: nextAttemptAt })
    .where('id', '=', email.id)
    .where('attempts', '=', email.attempts)
    .where('sent_at', 'is', null)
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

export async function markSent(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('email_outbox').set({ sent_at: now, last_error: null }).where('id', '=', id).execute();
}

export async function markFailed(db: Executor, id: string, error: string): Promise<void> {
  await db.updateTable('email_outbox').set({ last_error: error }).where('id', '=', id).execute();
}
