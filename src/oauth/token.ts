import OAuth2Server from '@node-oauth/oauth2-server';
import type { FastifyRequest } from 'fastify';
import type { Actor, AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { DEVICE_CODE_GRANT, SUPPORTED_GRANTS, presentedClientCredentials } from './clients.js';
import { fromLibraryError } from './errors.js';
import { AuthorizationCodeGrant, DeviceCodeGrant, RefreshTokenGrant } from './grant-types.js';
import { TesseraModel } from './model.js';

/**
 * POST /oauth/token through @node-oauth/oauth2-server: client authentication (Basic or body),
 * grant dispatch, PKCE, scope checks and the RFC 6749 §5.1 body; our model and grant types do
 * the storage. Returns the JSON body (access_token, token_type, refresh_token, scope, created_at,
 * and expires_in only when the application sets a lifetime).
 */
export async function exchangeToken(ctx: AppContext, request: FastifyRequest, params: Record<string, string>, actor: Actor) {
  // Gumroad's customisation: a blank grant_type means authorization_code.
  const body = { ...params, grant_type: params.grant_type || 'authorization_code' };
  // The library also knows the password grant; Tessera never offers it (nor did Gumroad later).
  if (!SUPPORTED_GRANTS.includes(body.grant_type)) throw new TesseraError('OAUTH_UNSUPPORTED_GRANT_TYPE', `Unsupported grant type: ${body.grant_type.slice(0, 100)}`);
  const headers: Record<string, string> = {
    // Fastify already parsed the form or JSON body; the library only checks the media type.
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': '1',
  };
  const credentials = presentedClientCredentials(request, params);
  if (credentials.basic) {
    // RFC 6749 §2.3.1 form-encodes both parts before Base64 (oauth4webapi does); the library's
    // Basic parser does not decode them, so it gets them decoded.
    headers.authorization = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`;
  }
  const libraryRequest = new OAuth2Server.Request({ method: 'POST', query: {}, headers, body });
  const libraryResponse = new OAuth2Server.Response();
  const server = new OAuth2Server({
    model: new TesseraModel(ctx, actor),
    // Lifetimes are the application's (access tokens) or none (refresh tokens): set in the model.
    accessTokenLifetime: 3600,
    refreshTokenLifetime: 3600,
    allowExtendedTokenAttributes: true,
    // Public clients: PKCE for codes (the library's rule); refresh and device codes check the grant.
    requireClientAuthentication: { refresh_token: false, [DEVICE_CODE_GRANT]: false },
    extendedGrantTypes: {
      authorization_code: AuthorizationCodeGrant,
      refresh_token: RefreshTokenGrant,
      [DEVICE_CODE_GRANT]: DeviceCodeGrant,
    } as unknown as Record<string, typeof OAuth2Server.AbstractGrantType>,
  });
  try {
    await server.token(libraryRequest, libraryResponse);
  } catch (err) {
    throw fromLibraryError(err, credentials.basic);
  }
  return libraryResponse.body as Record<string, unknown>;
}
