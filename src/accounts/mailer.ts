import type { AppContext } from '../context.js';
import { sendMail } from '../util/smtp.js';
import { newId } from '../util/ids.js';
import { insertMail, markMailFailed, markMailSent } from './mail-log-store.js';

/** What account emails are about (the mail log shows it). */
/** `account_invitation`: an owner's sign-up invitation (src/admin/invitations.ts). */
export type MailKind = 'email_verification' | 'password_reset' | 'password_changed' | 'new_sign_in' | 'account_invitation';

export interface AccountMail {
  userId: string | null;
  kind: MailKind;
  to: string;
  subject: string;
  /** The plain-text part (always sent). */
  text: string;
  /** The HTML part. */
  html: string;
  /** Parts of the body that are secrets (the token of a reset link): masked in the log's readable copy. */
  secrets: string[];
}

/** How a secret reads in the mail log. */
export const MASKED = '[sealed]';

/**
 * Account email: verification, password reset, sign-in notices. Every message is written to the
 * mail log first (table `mail_log`): its body sealed (AES-GCM under the server key) and a
 * readable copy with every secret masked, so the instance owner sees what was sent, and when no
 * SMTP server is configured, what could not be: nothing silently disappears. With SMTP_URL set,
 * the message is then sent in the background (the request that caused it never waits for SMTP,
 * so a reset asked for an unknown address answers as fast as one for a known address).
 */
export class Mailer {
  private readonly tasks = new Set<Promise<unknown>>();

  constructor(private readonly ctx: AppContext) {}

  get smtpConfigured(): boolean {
    return this.ctx.config.flows.smtpUrl !== undefined;
  }

  /** Logs the message and, with SMTP, starts its delivery. Returns its log id. */
  async send(mail: AccountMail): Promise<string> {
    const { ctx } = this;
    const id = newId();
    let masked = mail.text;
    for (const secret of mail.secrets) if (secret) masked = masked.split(secret).join(MASKED);
    await insertMail(ctx.db, {
      id,
      user_id: mail.userId,
      kind: mail.kind,
      to_address: mail.to,
      subject: mail.subject,
      body_sealed: ctx.keys.encrypt(JSON.stringify({ text: mail.text, html: mail.html })),
      body_masked: masked,
      status: this.smtpConfigured ? 'sending' : 'logged',
      last_error: null,
      created_at: ctx.clock(),
      sent_at: null,
    });
    if (this.smtpConfigured) this.background(() => this.deliver(id, mail));
    return id;
  }

  private async deliver(id: string, mail: AccountMail): Promise<void> {
    const { ctx } = this;
    const smtp = ctx.config.flows;
    try {
      await sendMail(smtp.smtpUrl!, { from: smtp.smtpFrom, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html }, { caFile: smtp.smtpTlsCa });
      await markMailSent(ctx.db, id, ctx.clock());
    } catch (err) {
      // The server's reply, never the message (which may hold a secret link).
      const reason = (err as Error).message.slice(0, 500);
      await markMailFailed(ctx.db, id, reason);
    }
  }

  /** Runs work after the response (a reset request's lookup and email); `settled` waits for it. */
  background(task: () => Promise<unknown>): void {
    const run = task().catch((err: unknown) => process.emitWarning(`account email: ${(err as Error).message}`));
    this.tasks.add(run);
    void run.finally(() => this.tasks.delete(run));
  }

  /** Resolves once every background task (and any it started) is done: close and tests wait here. */
  async settled(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
