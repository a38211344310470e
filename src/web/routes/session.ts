import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { createUser, deleteSession } from '../../accounts/service.js';
import { loginWithPassword } from '../../accounts/login.js';
import { setSessionCookie } from '../../accounts/routes.js';
import { SESSION_COOKIE, actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import { anonymousCsrfToken, checkAnonymousCsrf, checkSessionCsrf } from '../csrf.js';
import { formProblem } from '../errors.js';
import { formOf, text } from '../form.js';
import { findViewer, safeNext } from '../page-auth.js';
import { LoginPage } from '../pages/login.js';
import { SignUpPage } from '../pages/signup.js';
import { sendPage } from '../render.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Sign up, log in, log out: HTML forms over the accounts service. */
export async function sessionPages(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const secure = ctx.config.secureCookies;
  const nextOf = (request: FastifyRequest) => safeNext((request.query as Record<string, unknown>).next, ctx.config.publicUrl);

  async function showLogin(request: FastifyRequest, reply: FastifyReply, props: { next: string; email?: string; error?: string }, status = 200) {
    return sendPage(reply, h(LoginPage, { csrf: anonymousCsrfToken(ctx, request, reply, secure), ...props }), status);
  }

  app.get('/login', async (request, reply) => {
    if (await findViewer(request)) return reply.redirect(nextOf(request), 303);
    return showLogin(request, reply, { next: nextOf(request) });
  });

  app.post('/login', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    const form = formOf(request.body);
    const next = safeNext(text(form, 'next'), ctx.config.publicUrl);
    const email = text(form, 'email');
    const password = typeof form.password === 'string' ? form.password : '';
    if (!email || !password) return showLogin(request, reply, { next, email, error: 'Enter your email and your password.' }, 400);
    try {
      const session = await loginWithPassword(ctx, { email, password }, actorOf(request));
      setSessionCookie(reply, session.token, session.expiresAt, secure);
      return reply.redirect(next, 303);
    } catch (err) {
      const { status, message } = formProblem(err);
      if (err instanceof TesseraError && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
      return showLogin(request, reply, { next, email, error: message }, status);
    }
  });

  app.get('/signup', async (request, reply) => {
    if (await findViewer(request)) return reply.redirect(nextOf(request), 303);
    return sendPage(reply, h(SignUpPage, { csrf: anonymousCsrfToken(ctx, request, reply, secure), next: nextOf(request) }));
  });

  app.post('/signup', async (request, reply) => {
    checkAnonymousCsrf(ctx, request);
    const form = formOf(request.body);
    const next = safeNext(text(form, 'next'), ctx.config.publicUrl);
    const email = text(form, 'email');
    const password = typeof form.password === 'string' ? form.password : '';
    const again = (error: string, status = 400) =>
      sendPage(reply, h(SignUpPage, { csrf: anonymousCsrfToken(ctx, request, reply, secure), next, email, error }), status);
    if (!EMAIL.test(email) || email.length > 254) return again('Enter a valid email address, such as you@example.com.');
    if (password.length < 8) return again('Choose a password of at least 8 characters.');
    if (password.length > 1024) return again('Choose a password of at most 1024 characters.');
    try {
      const actor = actorOf(request);
      await createUser(ctx, { email, password }, actor);
      const session = await loginWithPassword(ctx, { email, password }, actor);
      setSessionCookie(reply, session.token, session.expiresAt, secure);
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
}
