import type { AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { findAccountToken, issueAccountToken } from './account-tokens.js';
import { verificationMail } from './mail-templates.js';
import * as security from './security-store.js';

/**
 * With SMTP configured, a new account is asked to confirm its address: a link (single-use,
 * TESSERA_EMAIL_VERIFICATION_TTL) sent off the request. Without SMTP nothing is asked.
 */
export function sendEmailVerification(ctx: AppContext, user: { id: string; email: string }): void {
  if (!ctx.mail.smtpConfigured) return;
  ctx.mail.background(async () => {
    const hours = Math.max(1, Math.round(ctx.config.accounts.emailVerificationSeconds / 3600));
    const token = await issueAccountToken(ctx, ctx.db, user.id, 'email_verification', ctx.config.accounts.emailVerificationSeconds);
    const link = `${ctx.config.publicUrl}/verify-email?token=${token}`;
    const content = verificationMail({ link, hours, server: new URL(ctx.config.publicUrl).host });
    await ctx.mail.send({ userId: user.id, kind: 'email_verification', to: user.email, ...content, secrets: [token] });
  });
}

/** Follows a verification link: the address is confirmed once; a used or expired link is refused. */
export async function verifyEmail(ctx: AppContext, token: unknown, ip: string | null): Promise<{ email: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findAccountToken(ctx, trx, token, 'email_verification');
    if (!row || !(await security.useAccountToken(trx, row.id, ctx.clock()))) throw new TesseraError('VERIFICATION_LINK_INVALID');
    await security.setEmailVerified(trx, row.user_id, ctx.clock());
    await recordAudit(trx, { actor: { type: 'anonymous', id: null, ip }, userId: row.user_id, action: 'email.verified', target: { type: 'user', id: row.user_id } });
    return { email: row.email };
  });
}
