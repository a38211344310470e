import OAuth2Server from '@node-oauth/oauth2-server';
import { TesseraError, type ErrorCode } from '../http/errors.js';

/** OAuth error names (RFC 6749 §5.2, RFC 8628 §3.5) → Tessera's catalogue (src/http/errors.ts). */
const CODES: Record<string, ErrorCode> = {
  invalid_request: 'OAUTH_INVALID_REQUEST',
  invalid_client: 'OAUTH_INVALID_CLIENT',
  invalid_grant: 'OAUTH_INVALID_GRANT',
  unauthorized_client: 'OAUTH_UNAUTHORIZED_CLIENT',
  unsupported_grant_type: 'OAUTH_UNSUPPORTED_GRANT_TYPE',
  invalid_scope: 'OAUTH_INVALID_SCOPE',
  authorization_pending: 'OAUTH_AUTHORIZATION_PENDING',
  slow_down: 'OAUTH_SLOW_DOWN',
  access_denied: 'OAUTH_ACCESS_DENIED',
  expired_token: 'OAUTH_EXPIRED_TOKEN',
};

/**
 * Turns what the library threw into a TesseraError for the one error handler. A server_error
 * wraps our own failure: that original error goes on (a 500, logged), never its message.
 */
export function fromLibraryError(err: unknown, usedBasic: boolean): unknown {
  if (!(err instanceof OAuth2Server.OAuthError)) return err;
  const code = CODES[err.name];
  if (!code) return (err as { inner?: unknown }).inner ?? err;
  if (code === 'OAUTH_INVALID_CLIENT' && usedBasic) return new TesseraError('OAUTH_INVALID_CLIENT_BASIC', err.message);
  return new TesseraError(code, err.message);
}
