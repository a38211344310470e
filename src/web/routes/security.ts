import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { sendEmailVerification } from '../../accounts/email-verification.js';
import { canReadMailLog, listMailLog } from '../../accounts/mail-log.js';
import { listPasskeys, passkeyAuthenticationOptions, passkeyRegistrationOptions, registerPasskey, removePasskey } from '../../accounts/passkeys.js';
import { changePassword } from '../../accounts/passwords-service.js';
import { regenerateRecoveryCodes } from '../../accounts/recovery-codes.js';
import { confirmSecondFactor } from '../../accounts/second-factor.js';
import { mustSetUpSecondFactor } from '../../accounts/second-factor-policy.js';
import * as security from '../../accounts/security-store.js';
import { listSessions, signOutOtherSessions, signOutSession } from '../../accounts/sessions.js';
import * as accounts from '../../accounts/store.js';
import { confirmTotpSetup, hasTotp, pendingTotpSetup, removeTotp, startTotpSetup } from '../../accounts/totp.js';
import { actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { askFirst, plural, sendConfirmation } from '../confirm.js';
import { backWithError, flashOf, formErrorOf, readFlash, redirectWithFlash } from '../flash.js';
import { formOf, text } from '../form.js';
import { SECURITY_PATH, requirePageSession, safeNext } from '../page-auth.js';
import { MailLogPage } from '../pages/mail-log.js';
import { RecoveryCodesPage } from '../pages/recovery-codes.js';
import { SecurityPage } from '../pages/security.js';
import { SessionsPage } from '../pages/sessions.js';
import { StepUpPage } from '../pages/step-up.js';
import { TotpSetupPage } from '../pages/totp-setup.js';
import { sendPage } from '../render.js';
import { secondFactorProofOf, stepUpFirst } from '../step-up.js';

const SESSIONS_PATH = '/settings/sessions';
const CODES_PATH = `${SECURITY_PATH}/recovery-codes`;

/**
 * The account's own security: password change, authenticator app (TOTP), passkeys, recovery
 * codes, the step-up page sensitive actions send to, the signed-in sessions and (for the
 * instance owner) the mail log. Every form redirects; recovery codes reach their page once, in
 * a flash. Removing a factor or making new codes asks first and needs a fresh second factor.
 */
export async function securityPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  app.addHook('preHandler', requirePageSession);
  const viewerOf = (request: FastifyRequest) => request.viewer!;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const notice = (request: FastifyRequest, reply: FastifyReply, path: string, message: string) => redirectWithFlash(request, reply, path, 'notice', { message });

  /** After a factor was added: the codes page when this was the first factor, else Security with a word. */
  async function afterAdded(request: FastifyRequest, reply: FastifyReply, recoveryCodes: string[] | null, what: string) {
    // The factor was just proved on this session.
    await security.markSessionSecondFactor(ctx.db, viewerOf(request).user.sessionId, ctx.clock());
    if (recoveryCodes) return redirectWithFlash(request, reply, CODES_PATH, 'recovery-codes', { codes: recoveryCodes, message: `${what} Save your recovery codes now.` });
    return notice(request, reply, SECURITY_PATH, what);
  }

  app.get(SECURITY_PATH, async (request, reply) => {
    const viewer = viewerOf(request);
    const flash = await readFlash(request);
    const user = await accounts.findUserById(ctx.db, viewer.user.id);
    const totpRow = await security.findTotp(ctx.db, viewer.user.id);
    const error = flash.kind === 'error' && flash.data ? { form: String(flash.data.form), error: String(flash.data.error) } : null;
    return sendPage(
      reply,
      h(SecurityPage, {
        viewer,
        setupRequired: await mustSetUpSecondFactor(ctx, viewer.user),
        notice: flashOf<{ message: string }>(flash, 'notice')?.message ?? null,
        error,
        totp: { enabled: totpRow?.confirmed_at != null, pending: totpRow !== undefined && totpRow.confirmed_at === null },
        passkeys: await listPasskeys(ctx, viewer.user.id),
        recoveryCodesLeft: await security.countUnusedRecoveryCodes(ctx.db, viewer.user.id),
        email: { address: viewer.user.email, verified: user?.email_verified_at != null, canVerify: ctx.mail.smtpConfigured },
        showMailLog: canReadMailLog(viewer.user),
      }),
    );
  });

  // --- password
  app.post(`${SECURITY_PATH}/password`, async (request, reply) => {
    const form = formOf(request.body);
    const current = typeof form.current_password === 'string' ? form.current_password : '';
    const next = typeof form.new_password === 'string' ? form.new_password : '';
    try {
      const { otherSessionsEnded } = await changePassword(ctx, viewerOf(request).user, { current, next }, actorOf(request));
      return notice(request, reply, SECURITY_PATH, `Password changed. ${otherSessionsEnded === 0 ? 'No other session was signed in.' : `${plural(otherSessionsEnded, 'other session')} signed out.`}`);
    } catch (err) {
      return backWithError(request, reply, SECURITY_PATH, err, 'password');
    }
  });

  // --- authenticator app
  app.post(`${SECURITY_PATH}/totp`, async (request, reply) => {
    try {
      await startTotpSetup(ctx, viewerOf(request).user);
    } catch (err) {
      return backWithError(request, reply, SECURITY_PATH, err, 'totp');
    }
    return reply.redirect(`${SECURITY_PATH}/totp`, 303);
  });

  app.get(`${SECURITY_PATH}/totp`, async (request, reply) => {
    const viewer = viewerOf(request);
    const flash = await readFlash(request);
    const setup = await pendingTotpSetup(ctx, viewer.user);
    if (!setup) return reply.redirect(SECURITY_PATH, 303);
    return sendPage(reply, h(TotpSetupPage, { viewer, setup, error: formErrorOf(flash, 'totp')?.error ?? null }));
  });

  app.post(`${SECURITY_PATH}/totp/confirm`, async (request, reply) => {
    try {
      const { recoveryCodes } = await confirmTotpSetup(ctx, viewerOf(request).user, text(formOf(request.body), 'code'), actorOf(request));
      return afterAdded(request, reply, recoveryCodes, 'Authenticator app on: signing in now asks for its code.');
    } catch (err) {
      return backWithError(request, reply, `${SECURITY_PATH}/totp`, err, 'totp');
    }
  });

  app.get(`${SECURITY_PATH}/totp/remove`, async (request, reply) =>
    sendConfirmation(request, reply, {
      title: 'Remove the authenticator app?',
      consequence: 'Codes from your authenticator app will stop working for this account.',
      button: 'Remove authenticator app',
      cancelHref: SECURITY_PATH,
      active: 'security',
    }),
  );

  app.post(`${SECURITY_PATH}/totp/remove`, async (request, reply) => {
    const asked = askFirst(request, reply) ?? stepUpFirst(request, reply, `${SECURITY_PATH}/totp/remove`);
    if (asked) return asked;
    try {
      await removeTotp(ctx, viewerOf(request).user.id, actorOf(request));
    } catch (err) {
      return backWithError(request, reply, SECURITY_PATH, err, 'totp');
    }
    return notice(request, reply, SECURITY_PATH, 'Authenticator app removed.');
  });

  // --- passkeys
  app.post(`${SECURITY_PATH}/passkeys/options`, async (request, reply) =>
    reply.header('cache-control', 'no-store').send(await passkeyRegistrationOptions(ctx, viewerOf(request).user)),
  );

  app.post(`${SECURITY_PATH}/passkeys`, async (request, reply) => {
    const form = formOf(request.body);
    try {
      const proof = secondFactorProofOf(form);
      if (!('passkey' in proof)) throw new TesseraError('PASSKEY_INVALID', 'Your browser sent no passkey. Try again (passkeys need JavaScript).');
      const { recoveryCodes, passkey } = await registerPasskey(ctx, viewerOf(request).user, { response: proof.passkey, name: text(form, 'name') }, actorOf(request));
      return afterAdded(request, reply, recoveryCodes, `Passkey “${passkey.name}” added: signing in can now use it.`);
    } catch (err) {
      return backWithError(request, reply, SECURITY_PATH, err, 'passkey');
    }
  });

  app.get(`${SECURITY_PATH}/passkeys/:id/remove`, async (request, reply) => {
    const passkey = (await listPasskeys(ctx, viewerOf(request).user.id)).find((p) => p.id === idOf(request));
    if (!passkey) throw new TesseraError('PASSKEY_NOT_FOUND');
    return sendConfirmation(request, reply, {
      title: `Remove the passkey “${passkey.name}”?`,
      consequence: `The passkey “${passkey.name}” will stop working for this account.`,
      button: 'Remove passkey',
      cancelHref: SECURITY_PATH,
      active: 'security',
    });
  });

  app.post(`${SECURITY_PATH}/passkeys/:id/remove`, async (request, reply) => {
    const path = `${SECURITY_PATH}/passkeys/${encodeURIComponent(idOf(request))}/remove`;
    const asked = askFirst(request, reply) ?? stepUpFirst(request, reply, path);
    if (asked) return asked;
    try {
      await removePasskey(ctx, viewerOf(request).user.id, idOf(request), actorOf(request));
    } catch (err) {
      if (err instanceof TesseraError && err.code === 'PASSKEY_NOT_FOUND') throw err;
      return backWithError(request, reply, SECURITY_PATH, err, 'passkey');
    }
    return notice(request, reply, SECURITY_PATH, 'Passkey removed.');
  });

  // --- recovery codes
  app.get(CODES_PATH, async (request, reply) => {
    const flash = await readFlash(request);
    const shown = flashOf<{ codes: string[]; message?: string }>(flash, 'recovery-codes');
    return sendPage(reply, h(RecoveryCodesPage, { viewer: viewerOf(request), codes: shown?.codes ?? null, notice: shown?.message ?? null, alreadyShown: flash.alreadyShown }));
  });

  app.get(`${CODES_PATH}/regenerate`, async (request, reply) =>
    sendConfirmation(request, reply, {
      title: 'Make new recovery codes?',
      consequence: 'Your current recovery codes will stop working; ten new ones are shown once.',
      button: 'Make new recovery codes',
      cancelHref: SECURITY_PATH,
      active: 'security',
    }),
  );

  app.post(`${CODES_PATH}/regenerate`, async (request, reply) => {
    const asked = askFirst(request, reply) ?? stepUpFirst(request, reply, `${CODES_PATH}/regenerate`);
    if (asked) return asked;
    const viewer = viewerOf(request);
    if (viewer.user.secondFactorSince === null) return reply.redirect(SECURITY_PATH, 303);
    const codes = await regenerateRecoveryCodes(ctx, viewer.user.id, actorOf(request));
    return redirectWithFlash(request, reply, CODES_PATH, 'recovery-codes', { codes, message: 'New recovery codes made: the old ones no longer work.' });
  });

  // --- step-up: a fresh second factor for a sensitive action
  const nextOf = (value: unknown) => safeNext(value, ctx.config.publicUrl);

  app.get(`${SECURITY_PATH}/confirm`, async (request, reply) => {
    const viewer = viewerOf(request);
    const next = nextOf((request.query as Record<string, unknown>).next);
    if (viewer.user.secondFactorSince === null) return reply.redirect(next, 303);
    const flash = await readFlash(request);
    const passkeys = await listPasskeys(ctx, viewer.user.id);
    return sendPage(reply, h(StepUpPage, { viewer, next, totp: await hasTotp(ctx, viewer.user.id), passkeys: passkeys.length, error: formErrorOf(flash, 'step-up')?.error ?? null }));
  });

  app.post(`${SECURITY_PATH}/confirm`, async (request, reply) => {
    const form = formOf(request.body);
    const next = nextOf(text(form, 'next'));
    try {
      await confirmSecondFactor(ctx, viewerOf(request).user, secondFactorProofOf(form), actorOf(request));
    } catch (err) {
      return backWithError(request, reply, `${SECURITY_PATH}/confirm?next=${encodeURIComponent(next)}`, err, 'step-up');
    }
    return reply.redirect(next, 303);
  });

  app.post(`${SECURITY_PATH}/confirm/passkey-options`, async (request, reply) =>
    reply.header('cache-control', 'no-store').send(await passkeyAuthenticationOptions(ctx, viewerOf(request).user.id)),
  );

  // --- email confirmation link, again
  app.post(`${SECURITY_PATH}/verify-email`, async (request, reply) => {
    sendEmailVerification(ctx, viewerOf(request).user);
    return notice(request, reply, SECURITY_PATH, `A confirmation link is on its way to ${viewerOf(request).user.email}.`);
  });

  // --- sessions
  app.get(SESSIONS_PATH, async (request, reply) => {
    const viewer = viewerOf(request);
    const flash = await readFlash(request);
    const { sessionIdleSeconds, sessionLifetimeSeconds } = ctx.config.accounts;
    return sendPage(
      reply,
      h(SessionsPage, {
        viewer,
        sessions: await listSessions(ctx, viewer.user),
        notice: flashOf<{ message: string }>(flash, 'notice')?.message ?? null,
        idleDays: sessionIdleSeconds > 0 ? Math.round((sessionIdleSeconds / 86400) * 10) / 10 : null,
        lifetimeDays: Math.round((sessionLifetimeSeconds / 86400) * 10) / 10,
      }),
    );
  });

  app.get(`${SESSIONS_PATH}/:id/delete`, async (request, reply) => {
    const session = (await listSessions(ctx, viewerOf(request).user)).find((s) => s.id === idOf(request) && !s.current);
    if (!session) throw new TesseraError('SESSION_NOT_FOUND');
    return sendConfirmation(request, reply, {
      title: `Sign out ${session.device}?`,
      consequence: `The session on ${session.device} (${session.ip ?? 'unknown address'}) will be signed out at once.`,
      button: 'Sign out',
      cancelHref: SESSIONS_PATH,
      active: 'security',
    });
  });

  app.post(`${SESSIONS_PATH}/:id/delete`, async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    if (idOf(request) === viewerOf(request).user.sessionId) throw new TesseraError('SESSION_NOT_FOUND', 'Use “Log out” to end this session.');
    await signOutSession(ctx, viewerOf(request).user, idOf(request), actorOf(request));
    return notice(request, reply, SESSIONS_PATH, 'Session signed out.');
  });

  app.get(`${SESSIONS_PATH}/others`, async (request, reply) => {
    const others = (await listSessions(ctx, viewerOf(request).user)).filter((s) => !s.current).length;
    return sendConfirmation(request, reply, {
      title: 'Sign out all other sessions?',
      consequence: `${plural(others, 'other session')} will be signed out at once; this one stays.`,
      button: 'Sign out other sessions',
      cancelHref: SESSIONS_PATH,
      active: 'security',
    });
  });

  app.post(`${SESSIONS_PATH}/others`, async (request, reply) => {
    const asked = askFirst(request, reply);
    if (asked) return asked;
    const ended = await signOutOtherSessions(ctx, viewerOf(request).user, actorOf(request));
    return notice(request, reply, SESSIONS_PATH, `${plural(ended, 'other session')} signed out.`);
  });

  // --- the owner's mail log
  app.get('/settings/mail-log', async (request, reply) => {
    const viewer = viewerOf(request);
    if (!canReadMailLog(viewer.user)) throw new TesseraError('NOT_FOUND');
    return sendPage(reply, h(MailLogPage, { viewer, entries: await listMailLog(ctx), smtpConfigured: ctx.mail.smtpConfigured }));
  });
}
