import { fastifyCookie } from '@fastify/cookie';
import fp from 'fastify-plugin';
import type { FastifyRequest, preValidationHookHandler } from 'fastify';
import type { Actor, AppContext, SessionUser, TokenPrincipal } from '../context.js';
import { assertSameOrigin } from '../http/csrf.js';
import { TesseraError } from '../http/errors.js';
import { mergedParams } from '../http/params.js';
import { scopesAllow } from './scopes.js';

export const SESSION_COOKIE = 'tessera_session';

/**
 * The session cookie of a request. Cookies are parsed only in the scope of the session routes
 * (src/server.ts); anywhere else (the dashboard's 404 page) the header is read here.
 */
export function sessionCookie(request: FastifyRequest): string | undefined {
  if (request.cookies) return request.cookies[SESSION_COOKIE];
  const header = request.headers.cookie;
  return header ? fastifyCookie.parse(header)[SESSION_COOKIE] : undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
  interface FastifyRequest {
    /** Set by requireToken / requireScope: the access token's owner and scopes. */
    principal: TokenPrincipal | null;
    /** Set by requireSession: the logged-in dashboard user. */
    user: SessionUser | null;
  }
}

/** The access token of a v2 request: Bearer header first, then `access_token`, then `bearer_token`. */
export function extractAccessToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const params = mergedParams(request);
  for (const name of ['access_token', 'bearer_token']) {
    const value = params[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * preValidation hook for v2 routes: authenticates the token (401) and, when scopes are named,
 * requires any one of them (403). Runs before schema validation, so a bad token gets 401
 * before a bad parameter gets 400.
 */
export function requireScope(...accepted: string[]): preValidationHookHandler {
  return async function checkToken(request) {
    const principal = await request.server.ctx.identities.token(extractAccessToken(request));
    request.principal = principal;
    if (accepted.length > 0 && !scopesAllow(principal.scopes, accepted)) {
      throw new TesseraError('SCOPE_MISSING', `This endpoint requires the ${accepted[0]} scope.`);
    }
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * preValidation hook for session (dashboard / JSON API) routes. State-changing requests from
 * another site are refused: browsers send Origin and Sec-Fetch-Site on cross-site requests.
 */
export const requireSession: preValidationHookHandler = async function checkSession(request) {
  if (UNSAFE.has(request.method)) assertSameOrigin(request);
  const { identities } = request.server.ctx;
  const user = await identities.session(sessionCookie(request), request.ip);
  if (!user) throw new TesseraError('SESSION_REQUIRED');
  if (await identities.mustSetUpSecondFactor(user)) throw new TesseraError('SECOND_FACTOR_SETUP_REQUIRED');
  request.user = user;
};

/** Who is acting, for the audit log. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.user) return { type: 'user', id: request.user.id, ip: request.ip };
  if (request.principal) return { type: 'token', id: request.principal.tokenId, ip: request.ip };
  return { type: 'anonymous', id: null, ip: request.ip };
}

export const authPlugin = fp(async (app) => {
  app.decorateRequest('principal', null);
  app.decorateRequest('user', null);
});
