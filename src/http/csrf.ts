import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { safeEqual } from '../credentials/compare.js';
import { TesseraError } from './errors.js';

/**
 * Cross-site request forgery, for every HTML form Tessera serves (the dashboard's and the OAuth
 * login, consent and device pages) and the session JSON API:
 * - every state-changing request must come from our own origin (Origin / Sec-Fetch-Site);
 * - a logged-in visitor's form carries a token bound to the session, so it dies with it;
 * - a logged-out visitor's form carries a signed double submit: an HTTP-only cookie holds a random
 *   nonce, the form holds the nonce's signature. Another site can neither read the cookie nor
 *   forge the signature.
 * `check…` functions throw (the dashboard's error pages answer); `isValid…` ones answer a boolean
 * (the OAuth pages render their own "form expired" page).
 */

/** The hidden form field every dashboard form carries (the OAuth pages' field is `csrf`). */
export const CSRF_FIELD = '_csrf';

/** A double-submit token for forms shown before any session: its cookie and its signature's purpose. */
export interface AnonymousForms {
  cookie: string;
  purpose: string;
  nonce: RegExp;
}

/** Logged-out dashboard forms (login, second factor, sign-up, password reset). */
export const DASHBOARD_FORMS: AnonymousForms = { cookie: 'tessera_csrf', purpose: 'csrf-anonymous', nonce: /^[A-Za-z0-9_-]{22,64}$/ };
/** The OAuth login form (authorize and device pages, before any session). */
export const OAUTH_LOGIN_FORM: AnonymousForms = { cookie: 'tessera_oauth_login', purpose: 'oauth-login', nonce: /^[A-Za-z0-9_-]{24}$/ };

function isCrossSite(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined || origin === '') return false;
  if (origin === 'null') return true;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

/** Refuses (403 CROSS_SITE_REQUEST) a request another site made the browser send. */
export function assertSameOrigin(request: FastifyRequest): void {
  if (isCrossSite(request)) throw new TesseraError('CROSS_SITE_REQUEST');
}

/** A logged-in visitor's token: bound to the session, so it dies with it. */
export function sessionCsrfToken(ctx: AppContext, sessionId: string): string {
  return ctx.keys.sign('csrf', sessionId);
}

/** A logged-out visitor's token; sets the nonce cookie when the request has none (or a malformed one). */
export function anonymousCsrfToken(ctx: AppContext, request: FastifyRequest, reply: FastifyReply, forms: AnonymousForms = DASHBOARD_FORMS): string {
  let nonce = request.cookies[forms.cookie];
  if (!nonce || !forms.nonce.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    reply.setCookie(forms.cookie, nonce, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies });
    // The new cookie is what the next POST will carry.
    request.cookies[forms.cookie] = nonce;
  }
  return ctx.keys.sign(forms.purpose, nonce);
}

function sessionTokenMatches(ctx: AppContext, sessionId: string, submitted: unknown): boolean {
  return safeEqual(submitted, sessionCsrfToken(ctx, sessionId));
}

function anonymousTokenMatches(ctx: AppContext, request: FastifyRequest, submitted: unknown, forms: AnonymousForms): boolean {
  const nonce = request.cookies[forms.cookie];
  return Boolean(nonce) && safeEqual(submitted, ctx.keys.sign(forms.purpose, nonce!));
}

function dashboardField(request: FastifyRequest): unknown {
  return (request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
}

/** True when the form came from our page for this session (and not from another site). */
export function isValidSessionCsrf(ctx: AppContext, request: FastifyRequest, sessionId: string, submitted: unknown): boolean {
  return !isCrossSite(request) && sessionTokenMatches(ctx, sessionId, submitted);
}

/** True when the logged-out form came from our page (its token matches its cookie) and not from another site. */
export function isValidAnonymousCsrf(ctx: AppContext, request: FastifyRequest, submitted: unknown, forms: AnonymousForms): boolean {
  return !isCrossSite(request) && anonymousTokenMatches(ctx, request, submitted, forms);
}

/** Refuses (403) a dashboard POST whose form token does not match the visitor's session. */
export function checkSessionCsrf(ctx: AppContext, request: FastifyRequest, sessionId: string): void {
  assertSameOrigin(request);
  if (!sessionTokenMatches(ctx, sessionId, dashboardField(request))) throw new TesseraError('CSRF_TOKEN_INVALID');
}

/** Refuses (403) a logged-out dashboard POST whose form token does not match its cookie. */
export function checkAnonymousCsrf(ctx: AppContext, request: FastifyRequest): void {
  assertSameOrigin(request);
  if (!anonymousTokenMatches(ctx, request, dashboardField(request), DASHBOARD_FORMS)) throw new TesseraError('CSRF_TOKEN_INVALID');
}
