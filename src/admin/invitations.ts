import { isoTime, readableUtc } from '../util/dates.js';
import type { Actor, AppContext } from '../context.js';
import { normaliseEmail } from '../util/email.js';
import * as accounts from '../accounts/store.js';
import { recordAudit } from '../audit/record.js';
import { generateCredential, isWellFormedCredential } from '../credentials/credential.js';
import { TesseraError } from '../http/errors.js';
import { newId } from '../util/ids.js';
import { invitationMail } from './invitation-mail.js';
import * as admin from './store.js';
import type { AccountInvitationRow } from './tables.js';

export type InvitationStatus = 'pending' | 'used' | 'expired' | 'cancelled';

export interface Invitation {
  id: string;
  email: string;
  invited_by: string;
  status: InvitationStatus;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** A new invitation: its link exists only in this answer (and in the email, when SMTP is set). */
export interface SentInvitation {
  invitation: Invitation;
  link: string;
  /** True when the link is being emailed to the invitee (SMTP set; the mail log shows the outcome). */
  mailed: boolean;
  /** Why it was not emailed (SMTP not configured). */
  mail_problem: string | null;
}


export function statusOf(row: AccountInvitationRow, now: number): InvitationStatus {
  if (row.used_at !== null) return 'used';
  if (row.cancelled_at !== null) return 'cancelled';
  return row.expires_at <= now ? 'expired' : 'pending';
}

function present(row: AccountInvitationRow & { invited_by_email: string }, now: number): Invitation {
  return {
    id: row.id,
    email: row.email,
    invited_by: row.invited_by_email,
    status: statusOf(row, now),
    created_at: isoTime(row.created_at),
    expires_at: isoTime(row.expires_at),
    used_at: isoTime(row.used_at),
  };
}

export function invitationLink(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/signup?invitation=${encodeURIComponent(token)}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * An owner invites an email to sign up: a single-use link that expires (TESSERA_INVITATION_TTL).
 * Mailed when SMTP_URL is set; always returned, so the owner can pass it on. `invitedBy` is the
 * owner (the CLI names the oldest owner).
 */
export async function inviteAccount(ctx: AppContext, input: { email: string; invitedBy: string }, actor: Actor): Promise<SentInvitation> {
  const email = normaliseEmail(input.email);
  if (!EMAIL.test(email) || email.length > 254) throw new TesseraError('VALIDATION_FAILED', 'Enter a valid email address, such as someone@example.com.');
  if (await accounts.findUserByEmail(ctx.db, email)) throw new TesseraError('EMAIL_TAKEN', `${email} already has an account on this server.`);
  const token = generateCredential('iv');
  const now = ctx.clock();
  const row = {
    id: newId(),
    email,
    token_hash: ctx.keys.hash(token),
    invited_by: input.invitedBy,
    created_at: now,
    expires_at: now + ctx.config.admin.invitationTtlSeconds * 1000,
    used_at: null,
    used_by: null,
    cancelled_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await admin.insertInvitation(trx, row);
    await recordAudit(trx, { actor, userId: input.invitedBy, action: 'admin.invitation_sent', target: { type: 'account_invitation', id: row.id }, metadata: { email } });
  });
  const link = invitationLink(ctx, token);
  const inviter = await accounts.findUserById(ctx.db, input.invitedBy);
  const { mailed, problem } = await mailInvitation(ctx, email, link, token, inviter?.email ?? 'the owner', row.expires_at);
  return { invitation: present({ ...row, invited_by_email: inviter?.email ?? '' }, now), link, mailed, mail_problem: problem };
}

/**
 * Through the account mailer (src/accounts/mailer.ts): written to the mail log with the link
 * masked, then sent in the background when SMTP_URL is set (its outcome shows in the mail log).
 */
async function mailInvitation(ctx: AppContext, to: string, link: string, token: string, inviter: string, expiresAt: number): Promise<{ mailed: boolean; problem: string | null }> {
  const content = invitationMail({ inviter, server: ctx.config.publicUrl, link, expires: readableUtc(isoTime(expiresAt)) });
  await ctx.mail.send({ userId: null, kind: 'account_invitation', to, ...content, secrets: [link, token] });
  if (!ctx.mail.smtpConfigured) return { mailed: false, problem: 'SMTP is not configured (SMTP_URL), so no email was sent: pass the link on yourself.' };
  return { mailed: true, problem: null };
}

/** A link's invitation while it can still be used; null for a malformed, unknown, used, cancelled or expired one. */
export async function liveInvitation(ctx: AppContext, token: unknown): Promise<AccountInvitationRow | null> {
  if (!isWellFormedCredential(token, 'iv')) return null;
  const row = await admin.findInvitationByHash(ctx.db, ctx.keys.hash(token));
  return row && statusOf(row, ctx.clock()) === 'pending' ? row : null;
}

export async function listInvitations(ctx: AppContext): Promise<Invitation[]> {
  const now = ctx.clock();
  return (await admin.listInvitations(ctx.db, 50)).map((r) => present(r, now));
}

export async function cancelInvitation(ctx: AppContext, id: string, actor: Actor & { id: string | null }): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await admin.cancelInvitation(trx, id, ctx.clock()))) throw new TesseraError('INVITATION_NOT_FOUND', 'No pending invitation with this id.');
    await recordAudit(trx, { actor, userId: actor.id, action: 'admin.invitation_cancelled', target: { type: 'account_invitation', id } });
  });
}
