import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from './service.js';
import { SESSION_COOKIE } from '../auth/plugin.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, recogniseDevice } from './known-devices.js';
import { LOGIN_COOKIE } from './second-factor.js';

/** The cookies of signing in, for every door (JSON API, dashboard forms, the OAuth login page). */

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: number, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
}

/** A right password, a second factor awaited: the challenge's secret, for five minutes. */
export function setLoginCookie(reply: FastifyReply, secret: string, expiresAt: number, secure: boolean): void {
  reply.setCookie(LOGIN_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires: new Date(expiresAt) });
}

/**
 * After any sign-in: the session cookie, the login challenge's cookie cleared, and the device
 * recognised (a "new sign-in" email for a browser the account has not seen; `quiet` at sign-up).
 */
export async function finishSignIn(
  request: FastifyRequest,
  reply: FastifyReply,
  session: { user: User; token: string; expiresAt: number },
  options: { quiet?: boolean } = {},
): Promise<void> {
  const { ctx } = request.server;
  const secure = ctx.config.secureCookies;
  setSessionCookie(reply, session.token, session.expiresAt, secure);
  if (request.cookies[LOGIN_COOKIE]) reply.clearCookie(LOGIN_COOKIE, { path: '/' });
  const device = await recogniseDevice(ctx, session.user, request.cookies[DEVICE_COOKIE], {
    userAgent: request.headers['user-agent'] ?? null,
    ip: request.ip,
    quiet: options.quiet,
  });
  if (device.isNew || request.cookies[DEVICE_COOKIE] !== device.cookie) {
    reply.setCookie(DEVICE_COOKIE, device.cookie, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS });
  }
}
