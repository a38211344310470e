import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { assertSameOrigin } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { safeEqual } from '../credentials/compare.js';

/** Cookie of the nonce behind the login form's token (signed double submit, before any session). */
const LOGIN_NONCE_COOKIE = 'tessera_oauth_login';

/** The token a logged-in user's consent forms carry: bound to the session, dies with it. */
export function sessionCsrfToken(ctx: AppContext, sessionId: string): string {
  return ctx.keys.sign('csrf', sessionId);
}

/** True when the form came from our page for this session (and not from another site). */
export function isValidSessionCsrf(ctx: AppContext, request: FastifyRequest, sessionId: string, submitted: unknown): boolean {
  try {
    assertSameOrigin(request);
  } catch (err) {
    if (err instanceof TesseraError) return false;
    throw err;
  }
  return safeEqual(submitted, sessionCsrfToken(ctx, sessionId));
}

/** The login form's token: a random nonce in an HTTP-only cookie, its signature in the form. */
export function loginCsrfToken(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): string {
  let nonce = request.cookies[LOGIN_NONCE_COOKIE];
  if (!nonce || !/^[A-Za-z0-9_-]{24}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    reply.setCookie(LOGIN_NONCE_COOKIE, nonce, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies });
  }
  return ctx.keys.sign('oauth-login', nonce);
}

export function isValidLoginCsrf(ctx: AppContext, request: FastifyRequest, submitted: unknown): boolean {
  try {
    assertSameOrigin(request);
  } catch (err) {
    if (err instanceof TesseraError) return false;
    throw err;
  }
  const nonce = request.cookies[LOGIN_NONCE_COOKIE];
  return Boolean(nonce) && safeEqual(submitted, ctx.keys.sign('oauth-login', nonce!));
}
