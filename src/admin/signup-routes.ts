import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { finishSignIn } from '../accounts/cookies.js';
import { sendEmailVerification } from '../accounts/email-verification.js';
import { SignUpBody, UserReply } from '../accounts/schemas.js';
import { startSession } from '../accounts/service.js';
import { actorOf } from '../auth/plugin.js';
import { assertSameOrigin } from '../http/csrf.js';
import { ErrorReply } from '../http/schemas.js';
import { signUpWithPolicy } from './signup.js';

const tags = ['Accounts'];

/** POST /api/users: sign-up through the instance's sign-up policy (src/admin/signup.ts), logged in at once. */
export const signUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;

  app.post('/api/users', {
    schema: { tags, summary: 'Sign up (as the sign-up policy allows)', body: SignUpBody, response: { 201: UserReply, 400: ErrorReply, 403: ErrorReply, 409: ErrorReply } },
    preValidation: async (request) => assertSameOrigin(request),
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const user = await signUpWithPolicy(ctx, request.body, actor);
      const session = await startSession(ctx, user, actor, { userAgent: request.headers['user-agent'] ?? null });
      await finishSignIn(request, reply, session, { quiet: true });
      sendEmailVerification(ctx, user);
      return reply.code(201).send({ success: true as const, user });
    },
  });

};
