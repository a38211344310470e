import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { findSessionUser } from '../../accounts/service.js';
import { SESSION_COOKIE, actorOf } from '../../auth/plugin.js';
import { AuthorizePageError } from '../../oauth/authorize.js';
import { csrfFailed, formValue, sendErrorPage, sendLoginPage } from './oauth-authorize.js';
import { isValidSessionCsrf, sessionCsrfToken } from '../../http/csrf.js';
import { decideDeviceRequest, findPendingDeviceRequest } from '../../oauth/device.js';
import { consentApplication } from '../pages/oauth/app-summary.js';
import { DeviceCodePage, DeviceConsentPage, DeviceDonePage } from '../pages/oauth/device-pages.js';
import { sendOAuthPage } from '../pages/oauth/oauth-page.js';

const hidden = { hide: true };
const NOT_FOUND = 'That code is not valid or has expired. Check the code on your device.';

/** The verification page of the device flow (RFC 8628 §3.3): enter the code, then approve. */
export const oauthDeviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { ctx } = app;
  /**
   * Wrong user codes per account (RFC 8628 §5.1), in the database for every node: a slot is taken
   * before the code is looked up (one atomic conditional upsert), so of a burst on any number of
   * nodes at most the limit is looked up; a code that was right, or a failure of ours, gives it back.
   */
  const guesses = ctx.limiters.deviceGuesses;
  async function counted<T>(userId: string, check: () => Promise<T>, right: (result: T) => boolean): Promise<T> {
    let result: T;
    try {
      result = await check();
    } catch (err) {
      await guesses.giveBack(userId).catch(() => undefined);
      throw err;
    }
    if (right(result)) await guesses.giveBack(userId);
    return result;
  }
  const tooManyGuesses = (reply: FastifyReply, wait: number) => {
    reply.header('retry-after', String(wait));
    return sendOAuthPage(reply, <DeviceCodePage error={`Too many wrong codes. Try again in ${wait} seconds.`} />, 429);
  };

  app.get('/device', {
    schema: { ...hidden, querystring: Type.Object({ user_code: Type.Optional(Type.String({ maxLength: 64 })) }) },
    handler: async (request, reply) => {
      const userCode = request.query.user_code?.trim();
      const user = await findSessionUser(ctx, request.cookies[SESSION_COOKIE]);
      if (!user) return sendLoginPage(request, reply, userCode ? `/device?${new URLSearchParams({ user_code: userCode })}` : '/device');
      if (!userCode) return sendOAuthPage(reply, <DeviceCodePage />);
      const wait = await guesses.take(user.id);
      if (wait > 0) return tooManyGuesses(reply, wait);
      const pending = await counted(user.id, () => findPendingDeviceRequest(ctx, userCode), (found) => found !== null);
      if (!pending) return sendOAuthPage(reply, <DeviceCodePage error={NOT_FOUND} userCode={userCode} />, 404);
      const application = await consentApplication(ctx, pending.client);
      const page = <DeviceConsentPage app={application} scopes={pending.scopes} userEmail={user.email} userCode={userCode} csrf={sessionCsrfToken(ctx, user.sessionId)} />;
      return sendOAuthPage(reply, page);
    },
  });

  app.post('/device', {
    schema: { ...hidden, body: Type.Object({}, { additionalProperties: true }) },
    handler: async (request, reply) => {
      const user = await findSessionUser(ctx, request.cookies[SESSION_COOKIE]);
      if (!user) return reply.redirect('/device', 303);
      if (!isValidSessionCsrf(ctx, request, user.sessionId, formValue(request, 'csrf'))) {
        return sendErrorPage(reply, csrfFailed());
      }
      const decision = formValue(request, 'decision');
      const userCode = formValue(request, 'user_code') ?? '';
      if (decision !== 'allow' && decision !== 'deny') return sendErrorPage(reply, new AuthorizePageError('Invalid request', 'Choose Authorize or Deny.'));
      const wait = await guesses.take(user.id);
      if (wait > 0) return tooManyGuesses(reply, wait);
      const settled = await counted(user.id, () => decideDeviceRequest(ctx, { userId: user.id, userCode, approve: decision === 'allow' }, actorOf(request)), (done) => done);
      if (!settled) return sendOAuthPage(reply, <DeviceCodePage error={NOT_FOUND} />, 404);
      return sendOAuthPage(reply, <DeviceDonePage approved={decision === 'allow'} />);
    },
  });
};
