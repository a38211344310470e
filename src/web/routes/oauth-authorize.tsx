import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { findSessionUser } from '../../accounts/service.js';
import { loginWithPassword } from '../../accounts/login.js';
import { finishSignIn, setLoginCookie } from '../../accounts/cookies.js';
import { mustSetUpSecondFactor } from '../../accounts/second-factor-policy.js';
import { SESSION_COOKIE, actorOf } from '../../auth/plugin.js';
import { TesseraError } from '../../http/errors.js';
import * as applications from '../../applications/store.js';
import { AuthorizePageError, authorizeParams, decideAuthorization, validateAuthorization } from '../../oauth/authorize.js';
import { OAUTH_LOGIN_FORM, anonymousCsrfToken, isValidAnonymousCsrf, isValidSessionCsrf, sessionCsrfToken } from '../../http/csrf.js';
import { AuthorizePage } from '../pages/oauth/authorize-page.js';
import { consentApplication } from '../pages/oauth/app-summary.js';
import { OAuthErrorPage } from '../pages/oauth/error-page.js';
import { OAuthLoginPage } from '../pages/oauth/login-page.js';
import { sendOAuthPage } from '../pages/oauth/oauth-page.js';
import { findClient } from '../../oauth/clients.js';

const hidden = { hide: true };
const FormBody = Type.Object({}, { additionalProperties: true });

/** A string field of a posted form (undefined when missing or repeated). */
export function formValue(request: FastifyRequest, name: string): string | undefined {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** Where a login may send the browser back to: our own authorize or device pages only. */
export function safeNext(next: string | undefined): string {
  if (next && /^\/(oauth\/authorize|device)(\?|$)/.test(next)) return next;
  return '/device';
}

export function sendLoginPage(request: FastifyRequest, reply: FastifyReply, next: string, extra: { error?: string; email?: string; status?: number } = {}) {
  const { ctx } = request.server;
  const heading = next.startsWith('/device') ? 'Connect a device' : 'Authorize an application';
  const page = <OAuthLoginPage heading={heading} next={next} csrf={anonymousCsrfToken(ctx, request, reply, OAUTH_LOGIN_FORM)} error={extra.error} email={extra.email} />;
  return sendOAuthPage(reply, page, extra.status ?? 200);
}

export function sendErrorPage(reply: FastifyReply, error: AuthorizePageError) {
  return sendOAuthPage(reply, <OAuthErrorPage title={error.title} message={error.message} />, error.status);
}

/** A consent or device form that did not come from our page for this session. */
export const csrfFailed = () => new AuthorizePageError('Form expired', 'This form has expired or did not come from Tessera. Go back, reload the page and try again.', 403);

/** The authorization endpoint (RFC 6749 §4.1): login, consent, decision; and the app icon. */
export const oauthAuthorizeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  // A browser gets a page; a client that speaks JSON (a JSON body, or Accept: application/json
  // without text/html) gets the RFC 6749 §5.2 body `{error: "invalid_request", error_description}`.
  app.setErrorHandler(async (error: Error, request, reply) => {
    const accept = request.headers.accept ?? '';
    const wantsJson = /json/.test(request.headers['content-type'] ?? '') || (/json/.test(accept) && !/text\/html/.test(accept));
    if (error instanceof AuthorizePageError) {
      if (!wantsJson) return sendErrorPage(reply, error);
      throw new TesseraError('OAUTH_INVALID_REQUEST', error.message);
    }
    const status = error instanceof TesseraError ? error.status : ((error as { statusCode?: number }).statusCode ?? 500);
    if (!wantsJson && /text\/html/.test(accept) && status >= 400 && status < 500) {
      return sendErrorPage(reply, new AuthorizePageError('Invalid request', error.message, 400));
    }
    throw error;
  });

  app.get('/oauth/authorize', {
    schema: hidden,
    handler: async (request, reply) => {
      const params = authorizeParams(request.query as Record<string, unknown>);
      const validation = await validateAuthorization(ctx, params, actorOf(request));
      if ('redirect' in validation) return reply.redirect(validation.redirect, 302);
      const user = await findSessionUser(ctx, request.cookies[SESSION_COOKIE]);
      if (!user) return sendLoginPage(request, reply, `/oauth/authorize?${new URLSearchParams(params)}`);
      if (await mustSetUpSecondFactor(ctx, user)) return reply.redirect('/settings/security', 303);
      const { client, scopes, owner } = validation.request;
      const application = await consentApplication(ctx, client, owner);
      const page = <AuthorizePage app={application} scopes={scopes} userEmail={user.email} params={params} csrf={sessionCsrfToken(ctx, user.sessionId)} />;
      return sendOAuthPage(reply, page);
    },
  });

  app.post('/oauth/authorize', {
    schema: { ...hidden, body: FormBody },
    handler: async (request, reply) => {
      const params = authorizeParams(request.body as Record<string, unknown>);
      const user = await findSessionUser(ctx, request.cookies[SESSION_COOKIE]);
      if (!user || (await mustSetUpSecondFactor(ctx, user))) return reply.redirect(`/oauth/authorize?${new URLSearchParams(params)}`, 303);
      if (!isValidSessionCsrf(ctx, request, user.sessionId, formValue(request, 'csrf'))) throw csrfFailed();
      const decision = formValue(request, 'decision');
      if (decision !== 'allow' && decision !== 'deny') throw new AuthorizePageError('Invalid request', 'Choose Authorize or Deny.');
      const location = await decideAuthorization(ctx, params, { id: user.id }, decision === 'allow', actorOf(request));
      return reply.redirect(location, 302);
    },
  });

  app.post('/oauth/login', {
    schema: { ...hidden, body: FormBody },
    handler: async (request, reply) => {
      const next = safeNext(formValue(request, 'next'));
      if (!isValidAnonymousCsrf(ctx, request, formValue(request, 'csrf'), OAUTH_LOGIN_FORM)) throw csrfFailed();
      const email = formValue(request, 'email') ?? '';
      try {
        const outcome = await loginWithPassword(ctx, { email, password: formValue(request, 'password') ?? '' }, actorOf(request), { next, userAgent: request.headers['user-agent'] ?? null });
        if (outcome.kind === 'second_factor') {
          // The dashboard's second step finishes the sign-in, then comes back to the consent page.
          setLoginCookie(reply, outcome.secret, outcome.expiresAt, ctx.config.secureCookies);
          return reply.redirect('/login/second-factor', 303);
        }
        await finishSignIn(request, reply, outcome);
        return reply.redirect(next, 303);
      } catch (err) {
        if (!(err instanceof TesseraError) || (err.code !== 'INVALID_LOGIN' && err.code !== 'RATE_LIMITED')) throw err;
        if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
        return sendLoginPage(request, reply, next, { error: err.message, email, status: err.status });
      }
    },
  });

  app.get('/oauth/applications/:clientId/icon', {
    schema: { ...hidden, params: Type.Object({ clientId: Type.String({ maxLength: 200 }) }) },
    handler: async (request, reply) => {
      const client = await findClient(ctx, request.params.clientId);
      const row = client?.hasIcon ? await applications.findById(ctx.db, client.id) : undefined;
      if (!row?.icon_data || !row.icon_type) throw new TesseraError('NOT_FOUND', 'This application has no icon.');
      return reply.type(row.icon_type).header('cache-control', 'public, max-age=300').header('x-content-type-options', 'nosniff').send(Buffer.from(row.icon_data, 'base64'));
    },
  });
};
