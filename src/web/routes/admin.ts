import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { secondFactorPolicy, setSecondFactorRequired } from '../../admin/instance-settings.js';
import { inviteAccount, listInvitations, cancelInvitation } from '../../admin/invitations.js';
import { deleteAccount, disableAccount, enableAccount, listAccounts, ownedBy, requireAccount, setCapabilities, showAccount } from '../../admin/service.js';
import { CAPABILITY_NAMES, LIMITS, parseSwitch } from '../../admin/settings.js';
import { signUpState } from '../../admin/signup.js';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { askFirst, sendConfirmation } from '../confirm.js';
import { backWithError, flashOf, formErrorOf, readFlash, redirectWithFlash } from '../flash.js';
import { checked, formOf, text } from '../form.js';
import { requirePageSession } from '../page-auth.js';
import { AdminAccountPage } from '../pages/admin-account.js';
import { AdminAccountsPage, type SentInvitationFlash } from '../pages/admin-accounts.js';
import { sendPage } from '../render.js';
import { stepUpFirst } from '../step-up.js';
import { deleteAccountConsequence, disableAccountConsequence, requireSecondFactorConsequence } from '../services/consequences.js';

const NOTICES: Record<string, string> = {
  disabled: 'Account disabled: its sessions, tokens and API keys are refused from now on.',
  enabled: 'Account enabled: its sessions, tokens and API keys work again.',
  deleted: 'Account deleted with everything it owned.',
  capabilities: 'Capabilities saved.',
  cancelled: 'Invitation cancelled: its link no longer works.',
  'second-factor-on': 'A second factor is now required for every account.',
  'second-factor-off': 'A second factor is no longer required by this setting: each account chooses.',
};

const noticeOf = (request: FastifyRequest) => NOTICES[(request.query as Record<string, string>).done ?? ''] ?? null;

/**
 * The instance owner's pages: accounts (search, status, counts), invitations, capabilities,
 * disable / enable and delete. Anyone else gets the same 404 page as for a missing page.
 */
export async function adminPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  app.addHook('preHandler', async (request) => {
    if (request.viewer && !request.viewer.user.isOwner) throw new TesseraError('NOT_FOUND');
  });
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const accountPath = (id: string) => `/admin/accounts/${encodeURIComponent(id)}`;

  app.get('/admin', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const search = typeof query.search === 'string' ? query.search : '';
    const page = typeof query.page === 'string' && /^\d{1,6}$/.test(query.page) ? Number(query.page) : 1;
    const flash = await readFlash(request);
    const error = formErrorOf(flash, 'invite');
    const [list, invitations, state, secondFactor] = await Promise.all([listAccounts(ctx, { search, page }), listInvitations(ctx), signUpState(ctx), secondFactorPolicy(ctx)]);
    return sendPage(
      reply,
      h(AdminAccountsPage, {
        viewer: request.viewer!,
        list,
        invitations,
        policy: state.policy,
        secondFactor,
        sent: flashOf<SentInvitationFlash>(flash, 'invitation'),
        alreadyShown: flash.alreadyShown,
        notice: noticeOf(request),
        error: error?.error ?? null,
        inviteEmail: error?.values.email,
      }),
    );
  });

  app.post('/admin/invitations', async (request, reply) => {
    const email = text(formOf(request.body), 'email');
    try {
      const sent = await inviteAccount(ctx, { email, invitedBy: request.viewer!.user.id }, actorOf(request));
      return await redirectWithFlash(request, reply, '/admin', 'invitation', { email: sent.invitation.email, link: sent.link, mailed: sent.mailed, mail_problem: sent.mail_problem });
    } catch (err) {
      return backWithError(request, reply, '/admin', err, 'invite', { email });
    }
  });

  // --- instance settings: a second factor for every account (TESSERA_REQUIRE_2FA=1 is a floor)
  const SECOND_FACTOR_PATH = '/admin/settings/second-factor';
  /** The form's yes / no; anything else is a 400 (the form only ever sends one of them). */
  const requiredOf = (value: unknown): boolean => {
    const parsed = typeof value === 'string' ? parseSwitch(value) : undefined;
    if (parsed === undefined) throw new TesseraError('VALIDATION_FAILED', 'require_second_factor takes yes or no.');
    return parsed;
  };

  app.get(SECOND_FACTOR_PATH, async (request, reply) => {
    if (!requiredOf((request.query as Record<string, unknown>).require_second_factor)) return reply.redirect('/admin', 303);
    const policy = await secondFactorPolicy(ctx);
    return sendConfirmation(request, reply, {
      title: 'Require a second factor for every account?',
      consequence: requireSecondFactorConsequence(policy.accountsWithout, request.viewer!.user.secondFactorSince !== null),
      button: 'Require a second factor',
      cancelHref: '/admin',
      active: 'admin',
      fields: { require_second_factor: 'yes' },
    });
  });

  app.post(SECOND_FACTOR_PATH, async (request, reply) => {
    const required = requiredOf(formOf(request.body).require_second_factor);
    // Turning it on locks out every account without a factor until it sets one up: asked first.
    if (required) {
      const asked = askFirst(request, reply, ['require_second_factor']);
      if (asked) return asked;
    }
    await setSecondFactorRequired(ctx, required, actorOf(request));
    return reply.redirect(`/admin?done=${required ? 'second-factor-on' : 'second-factor-off'}`, 303);
  });

  app.get('/admin/invitations/:id/cancel', async (request, reply) => {
    const invitation = (await listInvitations(ctx)).find((i) => i.id === idOf(request) && i.status === 'pending');
    if (!invitation) throw new TesseraError('INVITATION_NOT_FOUND');
    return sendConfirmation(request, reply, {
      title: `Cancel the invitation of ${invitation.email}?`,
      consequence: `The invitation link sent to ${invitation.email} stops working at once.`,
      button: 'Cancel invitation',
      cancelHref: '/admin',
      active: 'admin',
    });
  });

  app.post('/admin/invitations/:id/cancel', async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    await cancelInvitation(ctx, idOf(request), actorOf(request));
    return reply.redirect('/admin?done=cancelled', 303);
  });

  async function showAccountPage(request: FastifyRequest, reply: FastifyReply) {
    const account = await showAccount(ctx, idOf(request));
    const flash = await readFlash(request);
    return sendPage(
      reply,
      h(AdminAccountPage, {
        viewer: request.viewer!,
        account,
        disableConsequence: disableAccountConsequence(account.email, null),
        deleteConsequence: deleteAccountConsequence(account.email, account.owned),
        notice: noticeOf(request),
        error: formErrorOf(flash, 'capabilities')?.error ?? null,
      }),
    );
  }

  app.get('/admin/accounts/:id', showAccountPage);

  app.post('/admin/accounts/:id/capabilities', async (request, reply) => {
    const id = idOf(request);
    await requireAccount(ctx, id);
    const form = formOf(request.body);
    const pairs: Record<string, string> = {};
    for (const name of CAPABILITY_NAMES) {
      if (form[name] === undefined) continue;
      const value = text(form, name);
      pairs[name] = value === '' && (LIMITS as readonly string[]).includes(name) ? 'default' : value;
    }
    try {
      await setCapabilities(ctx, id, pairs, actorOf(request));
    } catch (err) {
      return backWithError(request, reply, accountPath(id), err, 'capabilities');
    }
    return reply.redirect(`${accountPath(id)}?done=capabilities`, 303);
  });

  app.get('/admin/accounts/:id/disable', async (request, reply) => {
    const account = await requireAccount(ctx, idOf(request));
    const stop = (request.query as Record<string, unknown>).stop_licenses === 'yes';
    return sendConfirmation(request, reply, {
      title: `Disable ${account.email}?`,
      consequence: disableAccountConsequence(account.email, stop),
      button: 'Disable account',
      cancelHref: accountPath(account.id),
      active: 'admin',
      fields: stop ? { stop_licenses: 'yes' } : {},
    });
  });

  app.post('/admin/accounts/:id/disable', async (request, reply) => {
    const asked = askFirst(request, reply, ['stop_licenses']);
    if (asked) return asked;
    const id = idOf(request);
    await disableAccount(ctx, id, { stopLicenses: checked(formOf(request.body), 'stop_licenses') }, actorOf(request));
    return reply.redirect(`${accountPath(id)}?done=disabled`, 303);
  });

  app.post('/admin/accounts/:id/enable', async (request, reply) => {
    const id = idOf(request);
    await enableAccount(ctx, id, actorOf(request));
    return reply.redirect(`${accountPath(id)}?done=enabled`, 303);
  });

  app.get('/admin/accounts/:id/delete', async (request, reply) => {
    const account = await requireAccount(ctx, idOf(request));
    return sendConfirmation(request, reply, {
      title: `Delete ${account.email}?`,
      consequence: deleteAccountConsequence(account.email, await ownedBy(ctx, account.id)),
      button: 'Delete account and everything it owns',
      cancelHref: accountPath(account.id),
      active: 'admin',
    });
  });

  app.post('/admin/accounts/:id/delete', async (request, reply) => {
    // Confirmed, then (with a second factor) a fresh one: the step-up page comes back to the confirmation.
    const asked = askFirst(request, reply) ?? stepUpFirst(request, reply, `${accountPath(idOf(request))}/delete`);
    if (asked) return asked;
    await deleteAccount(ctx, idOf(request), actorOf(request));
    return reply.redirect('/admin?done=deleted', 303);
  });
}
