import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { MailLogRow, MailLogTable } from './tables.js';

/** The mail log's statements (src/accounts/mailer.ts writes it, src/accounts/mail-log.ts reads it). */

export async function insertMail(db: Executor, row: Insertable<MailLogTable>): Promise<void> {
  await db.insertInto('mail_log').values(row).execute();
}

export async function markMailSent(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable('mail_log').set({ status: 'sent', sent_at: now, last_error: null }).where('id', '=', id).execute();
}

/** `reason`: the SMTP server's reply, never the message. */
export async function markMailFailed(db: Executor, id: string, reason: string): Promise<void> {
  await db.updateTable('mail_log').set({ status: 'failed', last_error: reason }).where('id', '=', id).execute();
}

/** The newest messages first. */
export function listMail(db: Executor, limit: number): Promise<MailLogRow[]> {
  return db.selectFrom('mail_log').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
}
