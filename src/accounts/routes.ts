import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { SESSION_COOKIE, actorOf, assertSameOrigin, requireSession } from '../auth/plugin.js';
import { loginWithPassword } from './login.js';
import { createSession, createUser, deleteSession } from './service.js';
import { Credentials, ErrorReply, SignUpBody, UserReply } from './schemas.js';

const tags = ['Accounts'];

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: number, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
}

/** Sign-up, login and logout for the dashboard and the OAuth consent page. */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.post('/api/users', {
    schema: { tags, summary: 'Sign up', body: SignUpBody, response: { 201: UserReply, 400: ErrorReply, 409: ErrorReply } },
    preValidation: async (request) => assertSameOrigin(request),
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const user = await createUser(ctx, request.body, actor);
      const session = await createSession(ctx, request.body, actor);
      setSessionCookie(reply, session.token, session.expiresAt, ctx.config.secureCookies);
      return reply.code(201).send({ success: true as const, user });
    },
  });

  app.post('/api/session', {
    schema: { tags, summary: 'Log in (sets an HTTP-only session cookie)', body: Credentials, response: { 200: UserReply, 401: ErrorReply, 429: ErrorReply } },
    preValidation: async (request) => assertSameOrigin(request),
    handler: async (request, reply) => {
      const session = await loginWithPassword(ctx, request.body, actorOf(request));
      setSessionCookie(reply, session.token, session.expiresAt, ctx.config.secureCookies);
      return { success: true as const, user: session.user };
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
