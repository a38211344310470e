import type { Actor, AppContext } from '../context.js';
import { createUser, type User } from '../accounts/service.js';
import { normaliseEmail } from '../util/email.js';
import { recordAudit } from '../audit/record.js';
import { TesseraError } from '../http/errors.js';
import { liveInvitation } from './invitations.js';
import type { SignUpPolicy } from './settings.js';
import * as accounts from '../accounts/store.js';
import * as admin from './store.js';
import type { AccountInvitationRow } from './tables.js';

/** Who may sign up now, and what the sign-up page says. */
export interface SignUpState {
  policy: SignUpPolicy;
  /** No account exists yet: this sign-up makes the instance owner (allowed unless `closed`). */
  firstAccount: boolean;
  /** The invitation the link names, while usable. */
  invitation: { email: string; expiresAt: number } | null;
  /** The link named an invitation that cannot be used (used, cancelled, expired, unknown). */
  invitationInvalid: boolean;
}

/** TESSERA_SIGNUP, or its default: `open` for the first account, then `invite`. */
export async function signUpState(ctx: AppContext, token?: unknown): Promise<SignUpState> {
  const firstAccount = (await accounts.countOwners(ctx.db)) === 0;
  const policy = ctx.config.admin.signup ?? (firstAccount ? 'open' : 'invite');
  const given = token !== undefined && token !== '';
  const row = given ? await liveInvitation(ctx, token) : null;
  return {
    policy,
    firstAccount,
    invitation: row ? { email: row.email, expiresAt: row.expires_at } : null,
    invitationInvalid: given && !row,
  };
}

/** The refusal, when this sign-up may not happen (before any password is hashed). */
function refusal(state: SignUpState, email: string, invitation: AccountInvitationRow | null): TesseraError | null {
  if (state.policy === 'closed') return new TesseraError('SIGNUP_CLOSED');
  if (state.invitationInvalid) return new TesseraError('INVITATION_INVALID');
  if (invitation && invitation.email !== email) {
    return new TesseraError('INVITATION_EMAIL_MISMATCH', `This invitation is for ${invitation.email}. Sign up with the address it was sent to.`);
  }
  if (!invitation && state.policy === 'invite' && !state.firstAccount) return new TesseraError('SIGNUP_INVITATION_REQUIRED');
  return null;
}

/**
 * Sign-up through the policy (POST /api/users, POST /signup): `closed` refuses, `invite` needs a
 * live invitation for this email (the first account excepted), `open` takes anyone. The
 * invitation is used in the account's own transaction, once: of two sign-ups through one link,
 * one gets the account and the other a refusal, and an account that fails (email taken) leaves
 * the invitation usable. The CLI's `tessera user create` is the operator's and skips the policy.
 */
export async function signUpWithPolicy(ctx: AppContext, input: { email: string; password: string; invitation?: string | undefined }, actor: Actor): Promise<User> {
  const email = normaliseEmail(input.email);
  const state = await signUpState(ctx, input.invitation);
  const invitation = state.invitation ? await liveInvitation(ctx, input.invitation) : null;
  const refused = refusal(state, email, invitation);
  if (refused) throw refused;
  return createUser(ctx, { email, password: input.password }, actor, async (trx, user) => {
    if (invitation) {
      if (!(await admin.useInvitation(trx, invitation.id, user.id, ctx.clock()))) throw new TesseraError('INVITATION_INVALID');
      await recordAudit(trx, { actor: { ...actor, id: actor.id ?? user.id }, userId: user.id, action: 'admin.invitation_used', target: { type: 'account_invitation', id: invitation.id } });
      return;
    }
    // Admitted as the first account: another sign-up may have become the owner meanwhile.
    if (state.policy === 'invite' && !user.isOwner) throw new TesseraError('SIGNUP_INVITATION_REQUIRED');
  });
}
