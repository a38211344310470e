import type { FastifyReply, FastifyRequest } from 'fastify';
import { isSecondFactorFresh, type SecondFactorProof } from '../accounts/second-factor.js';
import { TesseraError } from '../http/errors.js';
import { text, type FormBody } from './form.js';

/** The answer a second-factor form sent: a passkey response (filled in by passkeys.js) or a code. */
export function secondFactorProofOf(form: FormBody): SecondFactorProof {
  const passkey = typeof form.passkey_response === 'string' ? form.passkey_response : '';
  if (passkey !== '') {
    if (passkey.length > 64 * 1024) throw new TesseraError('PASSKEY_INVALID');
    let response: unknown;
    try {
      response = JSON.parse(passkey);
    } catch {
      throw new TesseraError('PASSKEY_INVALID');
    }
    if (typeof response !== 'object' || response === null || Array.isArray(response)) throw new TesseraError('PASSKEY_INVALID');
    return { passkey: response };
  }
  const code = text(form, 'code');
  if (code === '') throw new TesseraError('VALIDATION_FAILED', 'Enter the code from your authenticator app, or a recovery code.');
  return { code };
}

/** Where a sensitive action sends a session whose second factor is not fresh: the step-up page, then back to `next`. */
export function stepUpUrl(next: string): string {
  return `/settings/security/confirm?next=${encodeURIComponent(next)}`;
}

/**
 * At the top of a sensitive dashboard action (key reveal, client-secret regeneration, removing a
 * factor): with a second factor not proved in the last TESSERA_SECOND_FACTOR_FRESH seconds, a
 * 303 to the step-up page (which comes back to `next`); null when the action may go on.
 */
export function stepUpFirst(request: FastifyRequest, reply: FastifyReply, next: string): FastifyReply | null {
  if (isSecondFactorFresh(request.server.ctx, request.viewer!.user)) return null;
  return reply.redirect(stepUpUrl(next), 303);
}
