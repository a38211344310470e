import type { FastifyReply, FastifyRequest } from 'fastify';
import { h } from 'preact';
import { routeFamily } from '../http/input-guard.js';
import { findViewer } from './page-auth.js';
import { ErrorPage } from './pages/error.js';
import { sendPage } from './render.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** A request a person's browser made for a dashboard address (not the APIs, not a script's). */
export function wantsPage(request: FastifyRequest): boolean {
  if (routeFamily(request.url) !== 'web' || request.url.startsWith('/static/')) return false;
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

/**
 * The dashboard's 404: an unknown address asked for by a browser gets a page with the navigation
 * (when logged in) and ways on; the API families keep their JSON 404. Answers false when the
 * request is not one for a page, so the JSON handler answers it.
 */
export async function pageNotFound(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (!wantsPage(request)) return false;
  const viewer = await findViewer(request).catch(() => null);
  reply.headers(SECURITY_HEADERS);
  sendPage(reply, h(ErrorPage, { viewer, status: 404, message: 'There is no page at this address. It may have moved, or the link may be mistyped.' }), 404);
  return true;
}
