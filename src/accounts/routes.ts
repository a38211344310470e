import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SESSION_COOKIE, actorOf, requireSession } from '../auth/plugin.js';
import { assertSameOrigin } from '../http/csrf.js';
import { TesseraError } from '../http/errors.js';
import { finishSignIn, setLoginCookie } from './cookies.js';
import { loginWithPassword } from './login.js';
import { LOGIN_COOKIE, completeLogin, confirmSecondFactor, type SecondFactorProof } from './second-factor.js';
import { deleteSession } from './service.js';
import { ErrorReply } from '../http/schemas.js';
import { Credentials, SecondFactorBody, UserReply } from './schemas.js';

export { setSessionCookie } from './cookies.js';

const tags = ['Accounts'];

function proofOf(body: { code?: string; passkey?: unknown }): SecondFactorProof {
  if (body.passkey !== undefined) return { passkey: body.passkey };
  if (typeof body.code === 'string' && body.code.trim() !== '') return { code: body.code };
  throw new TesseraError('VALIDATION_FAILED', 'Send the code from your authenticator app (or a recovery code) as `code`, or a passkey response as `passkey`.');
}

/** Login (with its second step) and logout for the dashboard and the OAuth consent page (sign-up: src/admin/signup-routes.ts). */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.post('/api/session', {
    schema: {
      tags,
      summary: 'Log in (sets an HTTP-only session cookie; with a second factor, 401 second_factor_required and a login cookie for POST /api/session/second-factor)',
      body: Credentials,
      response: { 200: UserReply, 401: ErrorReply, 429: ErrorReply },
    },
    preValidation: async (request) => assertSameOrigin(request),
    handler: async (request, reply) => {
      const outcome = await loginWithPassword(ctx, request.body, actorOf(request), { userAgent: request.headers['user-agent'] ?? null });
      if (outcome.kind === 'second_factor') {
        setLoginCookie(reply, outcome.secret, outcome.expiresAt, ctx.config.secureCookies);
        return reply.code(401).send(new TesseraError('SECOND_FACTOR_REQUIRED').toResponse().body as { success: false; message: string });
      }
      await finishSignIn(request, reply, outcome);
      return { success: true as const, user: outcome.user };
    },
  });

  app.post('/api/session/second-factor', {
    schema: {
      tags,
      summary: 'Finish a login with a TOTP code, a recovery code or a passkey response (sets the session cookie)',
      body: SecondFactorBody,
      response: { 200: UserReply, 400: ErrorReply, 401: ErrorReply, 429: ErrorReply },
    },
    preValidation: async (request) => assertSameOrigin(request),
    handler: async (request, reply) => {
      const { session } = await completeLogin(ctx, request.cookies[LOGIN_COOKIE], proofOf(request.body), actorOf(request), { userAgent: request.headers['user-agent'] ?? null });
      await finishSignIn(request, reply, session);
      return { success: true as const, user: session.user };
    },
  });

  app.post('/api/session/step-up', {
    schema: {
      tags,
      summary: 'Prove the second factor again: covers sensitive actions (key reveal, client-secret regeneration) for TESSERA_SECOND_FACTOR_FRESH seconds',
      body: SecondFactorBody,
      response: { 200: Type.Object({ success: Type.Literal(true) }), 400: ErrorReply, 401: ErrorReply, 429: ErrorReply },
    },
    preValidation: requireSession,
    handler: async (request) => {
      await confirmSecondFactor(ctx, request.user!, proofOf(request.body), actorOf(request));
      return { success: true as const };
    },
  });

  app.get('/api/session', {
    schema: { tags, summary: 'The logged-in user', response: { 200: UserReply, 401: ErrorReply } },
    preValidation: requireSession,
    handler: async (request) => ({ success: true as const, user: { id: request.user!.id, email: request.user!.email } }),
  });

  app.delete('/api/session', {
    schema: { tags, summary: 'Log out', response: { 200: Type.Object({ success: Type.Literal(true) }) } },
    preValidation: async (request) => assertSameOrigin(request),
    handler: async (request, reply) => {
      await deleteSession(ctx, request.cookies[SESSION_COOKIE], actorOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { success: true as const };
    },
  });
};
