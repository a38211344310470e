import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { assertSameOrigin } from '../auth/plugin.js';
import { TesseraError } from '../http/errors.js';
import { safeEqual } from '../credentials/compare.js';

/** The hidden form field every dashboard form carries. */
export const CSRF_FIELD = '_csrf';
/** Cookie of the double-submit token used by forms shown to logged-out visitors (login, sign-up). */
export const CSRF_COOKIE = 'tessera_csrf';

/** A logged-in visitor's token: bound to the session, so it dies with it. */
export function sessionCsrfToken(ctx: AppContext, sessionId: string): string {
  return ctx.keys.sign('csrf', sessionId);
}

/**
 * A logged-out visitor's token (signed double submit): the cookie holds a random nonce, the form
 * holds the nonce's signature. Another site can neither read the cookie nor forge the signature.
 */
export function anonymousCsrfToken(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  let nonce = request.cookies[CSRF_COOKIE];
  if (!nonce || !/^[A-Za-z0-9_-]{22,64}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    reply.setCookie(CSRF_COOKIE, nonce, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    // The new cookie is what the next POST will carry.
    request.cookies[CSRF_COOKIE] = nonce;
  }
  return ctx.keys.sign('csrf-anonymous', nonce);
}

function submittedToken(request: FastifyRequest): string {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?.[CSRF_FIELD];
  return typeof value === 'string' ? value : '';
}

/** Refuses (403) a POST whose form token does not match the visitor's session. */
export function checkSessionCsrf(ctx: AppContext, request: FastifyRequest, sessionId: string): void {
  assertSameOrigin(request);
  if (!safeEqual(submittedToken(request), sessionCsrfToken(ctx, sessionId))) throw new TesseraError('CSRF_TOKEN_INVALID');
}

/** Refuses (403) a logged-out POST whose form token does not match its cookie. */
export function checkAnonymousCsrf(ctx: AppContext, request: FastifyRequest): void {
  assertSameOrigin(request);
  const nonce = request.cookies[CSRF_COOKIE];
  if (!nonce || !safeEqual(submittedToken(request), ctx.keys.sign('csrf-anonymous', nonce))) throw new TesseraError('CSRF_TOKEN_INVALID');
}
