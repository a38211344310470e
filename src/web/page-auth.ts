import type { FastifyReply, FastifyRequest } from 'fastify';
import { findSessionUser, type SessionUser } from '../accounts/service.js';
import { mustSetUpSecondFactor } from '../accounts/second-factor-policy.js';
import { sessionCookie } from '../auth/plugin.js';
import { checkSessionCsrf, sessionCsrfToken } from '../http/csrf.js';
import { sameOriginPath } from './safe-next.js';

/** Who is looking at a dashboard page, and the CSRF token their forms carry. */
export interface Viewer {
  user: SessionUser;
  csrf: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requirePageSession on dashboard pages. */
    viewer: Viewer | null;
  }
}

/** The security pages: the one place an account required to set up a second factor may go. */
export const SECURITY_PATH = '/settings/security';

/** Where a logged-out visitor goes: the login page, coming back here afterwards. */
export function loginUrl(next: string): string {
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

/** Only same-origin paths may be a `next`, as the URL parser reads them (see sameOriginPath). */
export function safeNext(next: unknown, publicUrl: string): string {
  return sameOriginPath(next, publicUrl);
}

export async function findViewer(request: FastifyRequest): Promise<Viewer | null> {
  const ctx = request.server.ctx;
  const user = await findSessionUser(ctx, sessionCookie(request), request.ip);
  return user ? { user, csrf: sessionCsrfToken(ctx, user.sessionId) } : null;
}

/**
 * preHandler of every logged-in page: a logged-out visitor is sent to the login page (303, so a
 * POST becomes a GET there), and every POST must carry the session's CSRF token (403 otherwise).
 */
export async function requirePageSession(request: FastifyRequest, reply: FastifyReply) {
  const viewer = await findViewer(request);
  if (!viewer) {
    const next = request.method === 'GET' ? request.url : '/';
    return reply.redirect(loginUrl(next), 303);
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') checkSessionCsrf(request.server.ctx, request, viewer.user.sessionId);
  request.viewer = viewer;
  request.user = viewer.user;
  // The instance requires a second factor and this account has none: the security pages only.
  if (!request.url.startsWith(SECURITY_PATH) && (await mustSetUpSecondFactor(request.server.ctx, viewer.user))) {
    return reply.redirect(SECURITY_PATH, 303);
  }
}
