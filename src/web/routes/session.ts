import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { finishSignIn, setLoginCookie } from '../../accounts/cookies.js';
import { sendEmailVerification, verifyEmail } from '../../accounts/email-verification.js';
import { signUpState, signUpWithPolicy } from '../../admin/signup.js';
import { loginWithPassword } from '../../accounts/login.js';
import { passkeyAuthenticationOptions } from '../../accounts/passkeys.js';
import { passwordProblem } from '../../accounts/password-policy.js';
import { requestPasswordReset, resetLinkIsLive, resetPassword } from '../../accounts/passwords-service.js';
import { LOGIN_COOKIE, completeLogin, findLoginChallenge } from '../../accounts/second-factor.js';
import { deleteSession, startSession } from '../../accounts/service.js';
import { SESSION_COOKIE, actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { anonymousCsrfToken, checkAnonymousCsrf, checkSessionCsrf } from '../../http/csrf.js';
import { formProblem } from '../errors.js';
import { formOf, text } from '../form.js';
import { findViewer, safeNext } from '../page-auth.js';
import { AccountMessagePage } from '../pages/account-message.js';
import { LoginPage } from '../pages/login.js';
import { PasswordForgotPage } from '../pages/password-forgot.js';
import { PasswordResetPage } from '../pages/password-reset.js';
import { SecondFactorPage } from '../pages/second-factor.js';
import { SignUpPage } from '../pages/signup.js';
import { sendPage } from '../render.js';
import { secondFactorProofOf } from '../step-up.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const LOGIN_NOTICES: Record<string, string> = {
  reset: 'Your password was changed and every session was signed out. Log in with the new password.',
  expired: 'That sign-in took too long or was already finished. Log in again.',
};

/**
 * Sign up, log in (password, then a second factor when the account has one), log out, and the
 * logged-out side of passwords and email: forgot, reset link, verification link. HTML forms over
 * the accounts service; logged-out forms carry the double-submit CSRF token.
 */
export async function sessionPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const secure = ctx.config.secureCookies;
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>;
  const nextOf = (request: FastifyRequest) => safeNext(query(request).next, ctx.config.publicUrl);
  const csrfOf = (request: FastifyRequest, reply: FastifyReply) => anonymousCsrfToken(ctx, request, reply);
  const userAgent = (request: FastifyRequest) => request.headers['user-agent'] ?? null;
  const retryAfter = (reply: FastifyReply, err: unknown) => {
    if (err instanceof TesseraError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
  };

  async function showLogin(request: FastifyRequest, reply: FastifyReply, props: { next: string; email?: string; error?: string; notice?: string | null }, status = 200) {
    return sendPage(reply, h(LoginPage, { csrf: csrfOf(request, reply), ...props }), status);
  }

  app.get('/login', async (request, reply) => {
    if (await findViewer(request)) return reply.redirect(nextOf(request), 303);
    const done = query(request).done;
    return showLogin(request, reply, { next: nextOf(request), notice: typeof done === 'string' ? (LOGIN_NOTICES[done] ?? null) : null });
  });

  app.post('/login', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    const form = formOf(request.body);
    const next = safeNext(text(form, 'next'), ctx.config.publicUrl);
    const email = text(form, 'email');
    const password = typeof form.password === 'string' ? form.password : '';
    if (!email || !password) return showLogin(request, reply, { next, email, error: 'Enter your email and your password.' }, 400);
    try {
      const outcome = await loginWithPassword(ctx, { email, password }, actorOf(request), { next, userAgent: userAgent(request) });
      if (outcome.kind === 'second_factor') {
        setLoginCookie(reply, outcome.secret, outcome.expiresAt, secure);
        return reply.redirect('/login/second-factor', 303);
      }
      await finishSignIn(request, reply, outcome);
      return reply.redirect(next, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      retryAfter(reply, err);
      return showLogin(request, reply, { next, email, error: message }, status);
    }
  });

  // --- the second step of a sign-in
  async function showSecondFactor(request: FastifyRequest, reply: FastifyReply, error: string | null = null, status = 200) {
    const pending = await findLoginChallenge(ctx, request.cookies[LOGIN_COOKIE]);
    if (!pending) return reply.redirect('/login?done=expired', 303);
    const page = h(SecondFactorPage, { csrf: csrfOf(request, reply), email: pending.email, totp: pending.methods.totp, passkeys: pending.methods.passkeys, error });
    return sendPage(reply, page, status);
  }

  app.get('/login/second-factor', async (request, reply) => showSecondFactor(request, reply));

  app.post('/login/second-factor', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    try {
      const proof = secondFactorProofOf(formOf(request.body));
      const { session, next } = await completeLogin(ctx, request.cookies[LOGIN_COOKIE], proof, actorOf(request), { userAgent: userAgent(request) });
      await finishSignIn(request, reply, session);
      return reply.redirect(safeNext(next, ctx.config.publicUrl), 303);
    } catch (err) {
      if (err instanceof TesseraError && err.code === 'LOGIN_CHALLENGE_EXPIRED') return reply.redirect('/login?done=expired', 303);
      const { status, message } = formProblem(err);
      retryAfter(reply, err);
      return showSecondFactor(request, reply, message, status);
    }
  });

  /** The WebAuthn options of the account signing in (fetched by passkeys.js). */
  app.post('/login/passkey-options', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    const pending = await findLoginChallenge(ctx, request.cookies[LOGIN_COOKIE]);
    if (!pending) throw new TesseraError('LOGIN_CHALLENGE_EXPIRED');
    return reply.header('cache-control', 'no-store').send(await passkeyAuthenticationOptions(ctx, pending.userId));
  });

  // --- sign-up
  /** The invitation token a sign-up page or form carries (the link's `?invitation=`). */
  const invitationOf = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 200) : '');

  app.get('/signup', async (request, reply) => {
    if (await findViewer(request)) return reply.redirect(nextOf(request), 303);
    const invitation = invitationOf((request.query as Record<string, unknown>).invitation);
    const state = await signUpState(ctx, invitation);
    const error = state.invitationInvalid ? new TesseraError('INVITATION_INVALID').message : null;
    return sendPage(reply, h(SignUpPage, { csrf: csrfOf(request, reply), next: nextOf(request), state, invitation, email: state.invitation?.email, error }));
  });

  app.post('/signup', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    const form = formOf(request.body);
    const next = safeNext(text(form, 'next'), ctx.config.publicUrl);
    const email = text(form, 'email');
    const password = typeof form.password === 'string' ? form.password : '';
    const invitation = invitationOf(form.invitation);
    const again = async (error: string, status = 400) => {
      const state = await signUpState(ctx, invitation);
      return sendPage(reply, h(SignUpPage, { csrf: csrfOf(request, reply), next, email, error, state, invitation }), status);
    };
    if (!EMAIL.test(email) || email.length > 254) return again('Enter a valid email address, such as you@example.com.');
    const problem = passwordProblem(password, email);
    if (problem) return again(problem);
    try {
      const actor = actorOf(request);
      const user = await signUpWithPolicy(ctx, { email, password, invitation: invitation || undefined }, actor);
      const session = await startSession(ctx, user, actor, { userAgent: userAgent(request) });
      await finishSignIn(request, reply, session, { quiet: true });
      sendEmailVerification(ctx, user);
      return reply.redirect(next, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      return again(message, status);
    }
  });

  app.post('/logout', async (request, reply) => {
    const viewer = await findViewer(request);
    if (viewer) {
      checkSessionCsrf(ctx, request, viewer.user.sessionId);
      await deleteSession(ctx, request.cookies[SESSION_COOKIE], { type: 'user', id: viewer.user.id, ip: request.ip });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  // --- forgotten password: the same answer whether or not the address has an account
  const showForgot = (request: FastifyRequest, reply: FastifyReply, props: { sent?: boolean; email?: string; error?: string }, status = 200) =>
    sendPage(reply, h(PasswordForgotPage, { csrf: csrfOf(request, reply), canEmail: ctx.mail.smtpConfigured, sent: props.sent ?? false, email: props.email, error: props.error }), status);

  app.get('/password/forgot', async (request, reply) => showForgot(request, reply, { sent: query(request).sent === '1' }));

  app.post('/password/forgot', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    const email = text(formOf(request.body), 'email');
    if (!EMAIL.test(email) || email.length > 254) return showForgot(request, reply, { email, error: 'Enter the email address of your account.' }, 400);
    try {
      await requestPasswordReset(ctx, email, actorOf(request));
    } catch (err) {
      const { status, message } = formProblem(err);
      retryAfter(reply, err);
      return showForgot(request, reply, { email, error: message }, status);
    }
    return reply.redirect('/password/forgot?sent=1', 303);
  });

  const linkInvalid = (reply: FastifyReply, message: string) =>
    sendPage(reply, h(AccountMessagePage, { title: 'Link not valid', children: [h('p', { class: 'alert alert-error', role: 'alert' }, message), h('p', null, h('a', { href: '/password/forgot' }, 'Ask for a new link'))] }), 400);

  app.get('/password/reset', async (request, reply) => {
    const token = query(request).token;
    if (!(await resetLinkIsLive(ctx, token))) return linkInvalid(reply, new TesseraError('RESET_LINK_INVALID').message);
    return sendPage(reply, h(PasswordResetPage, { csrf: csrfOf(request, reply), token: String(token) }));
  });

  app.post('/password/reset', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    const form = formOf(request.body);
    const token = text(form, 'token');
    const password = typeof form.password === 'string' ? form.password : '';
    try {
      await resetPassword(ctx, token, password, actorOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/login?done=reset', 303);
    } catch (err) {
      if (err instanceof TesseraError && err.code === 'RESET_LINK_INVALID') return linkInvalid(reply, err.message);
      const { status, message } = formProblem(err);
      return sendPage(reply, h(PasswordResetPage, { csrf: csrfOf(request, reply), token, error: message }), status);
    }
  });

  // --- email verification link
  app.get('/verify-email', async (request, reply) => {
    try {
      const { email } = await verifyEmail(ctx, query(request).token, request.ip);
      return sendPage(reply, h(AccountMessagePage, { title: 'Email address confirmed', children: [h('p', null, `Thank you: ${email} is confirmed.`), h('p', null, h('a', { href: '/' }, 'Go to the dashboard'))] }));
    } catch (err) {
      if (!(err instanceof TesseraError && err.code === 'VERIFICATION_LINK_INVALID')) throw err;
      return sendPage(reply, h(AccountMessagePage, { title: 'Link not valid', children: h('p', { class: 'alert alert-error', role: 'alert' }, err.message) }), 400);
    }
  });
}
