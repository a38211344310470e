import { createHash } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Actor, AppContext } from '../context.js';
import { parseScopes } from '../auth/scopes.js';
import { TesseraError } from '../http/errors.js';
import { safeEqual } from '../credentials/compare.js';
import { DEVICE_CODE_GRANT, SUPPORTED_GRANTS, findClient, type OAuthClient } from './clients.js';
import { exchangeDeviceCode } from './device.js';
import { fromLibraryError } from './errors.js';
import type { IssuedPair } from './issue.js';
import { TesseraModel, allowedScopes, type OAuthUser } from './model.js';
import { rotateRefreshToken } from './refresh.js';

/**
 * POST /oauth/token (RFC 6749 §3.2), Tessera's own, in four named steps:
 *   1. parse the grant type (Gumroad: a blank one means authorization_code);
 *   2. authenticate the client (HTTP Basic or the body; a public client only where the grant
 *      allows one: a PKCE code, a refresh token or a device code of a public grant);
 *   3. check the grant (the code and its PKCE verifier, the refresh token, the device code, or
 *      the scopes a client may ask for itself);
 *   4. issue: client_credentials through the context's group commit (the writes of concurrent
 *      grants share one transaction, each answered after its commit), the others in their own
 *      transaction under the grant's row lock.
 * The answer is RFC 6749 §5.1's body plus Gumroad's `created_at`; `expires_in` only when the
 * application sets an access token lifetime. Errors are §5.2's, through the error catalogue.
 */
export async function exchangeToken(ctx: AppContext, credentials: PresentedCredentials, params: Record<string, string>, actor: Actor) {
  const grantType = parseGrantType(params);
  const client = await authenticateClientFor(ctx, grantType, params, credentials);
  try {
    return tokenResponse(await GRANTS[grantType](ctx, client, params, actor));
  } catch (err) {
    // refresh and device codes (./refresh.ts, ./device.ts) and the model speak in OAuth errors.
    throw fromLibraryError(err, credentials.basic);
  }
}

/** Client credentials as a request presented them (src/oauth/clients.ts presentedClientCredentials). */
export interface PresentedCredentials {
  clientId: string;
  clientSecret: string | undefined;
  basic: boolean;
}

type GrantType = 'authorization_code' | 'refresh_token' | 'client_credentials' | typeof DEVICE_CODE_GRANT;

const invalidRequest = (message: string) => new TesseraError('OAUTH_INVALID_REQUEST', message);
const invalidGrant = (message: string) => new TesseraError('OAUTH_INVALID_GRANT', message);
/** RFC 6749 Appendix A: VSCHAR, the characters a code, client id or secret may hold. */
const VSCHAR = /^[\x20-\x7E]+$/;
/** RFC 7636 §4.1. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Step 1. */
function parseGrantType(params: Record<string, string>): GrantType {
  const grantType = params.grant_type || 'authorization_code';
  // The password grant (and any other) is not offered (nor was it by Gumroad later).
  if (!SUPPORTED_GRANTS.includes(grantType)) throw new TesseraError('OAUTH_UNSUPPORTED_GRANT_TYPE', `Unsupported grant type: ${grantType.slice(0, 100)}`);
  return grantType as GrantType;
}

/**
 * Step 2. A secret is required for authorization_code (unless the request carries a PKCE
 * verifier) and for client_credentials; refresh and device codes may come from a public client
 * (their grant says whether it must be confidential). A secret that is sent is always checked.
 */
async function authenticateClientFor(ctx: AppContext, grantType: GrantType, params: Record<string, string>, presented: PresentedCredentials): Promise<OAuthClient> {
  const fail = (message: string) => new TesseraError(presented.basic ? 'OAUTH_INVALID_CLIENT_BASIC' : 'OAUTH_INVALID_CLIENT', message);
  const pkce = grantType === 'authorization_code' && Boolean(params.code_verifier);
  const secretRequired = (grantType === 'authorization_code' || grantType === 'client_credentials') && !pkce;
  const { clientId, clientSecret } = presented;
  if (!presented.basic && !(clientId && clientSecret) && (secretRequired || !clientId)) {
    throw fail('Invalid client: cannot retrieve client credentials');
  }
  if (!clientId) throw invalidRequest('Missing parameter: `client_id`');
  if (secretRequired && !clientSecret) throw invalidRequest('Missing parameter: `client_secret`');
  if (!VSCHAR.test(clientId)) throw invalidRequest('Invalid parameter: `client_id`');
  if (clientSecret && !VSCHAR.test(clientSecret)) throw invalidRequest('Invalid parameter: `client_secret`');
  const client = await findClient(ctx, clientId, clientSecret);
  if (!client) throw fail('Invalid client: client is invalid');
  return client;
}

/** Steps 3 and 4, per grant type. */
const GRANTS: Record<GrantType, (ctx: AppContext, client: OAuthClient, params: Record<string, string>, actor: Actor) => Promise<IssuedPair>> = {
  client_credentials: async (ctx, client, params, actor) => {
    const requested = params.scope?.trim() ? parseScopes(params.scope) : undefined;
    const scopes = allowedScopes(client, requested);
    if (!scopes) throw new TesseraError('OAUTH_INVALID_SCOPE', 'Invalid scope: Requested scope is invalid');
    return ctx.clientCredentials.submit({ client, scopes, actor });
  },

  authorization_code: async (ctx, client, params, actor) => {
    const model = new TesseraModel(ctx, actor);
    const presented = params.code;
    if (!presented) throw invalidRequest('Missing parameter: `code`');
    if (!VSCHAR.test(presented)) throw invalidRequest('Invalid parameter: `code`');
    const code = await model.getAuthorizationCode(presented);
    if (!code || code.client.id !== client.id) throw invalidGrant('Invalid grant: authorization code is invalid');
    if (code.expiresAt.getTime() < Date.now()) throw invalidGrant('Invalid grant: authorization code has expired');
    // Used up before the verifier is checked: a wrong guess costs the code (no online guessing).
    if (!(await model.revokeAuthorizationCode(code))) throw invalidGrant('Invalid grant: authorization code is invalid');
    checkCodeVerifier(code, params.code_verifier);
    if (params.redirect_uri !== code.redirectUri) {
      throw invalidGrant('Invalid grant: `redirect_uri` does not match the one of the authorization request');
    }
    const scopes = allowedScopes(client, code.scope);
    if (!scopes) throw new TesseraError('OAUTH_INVALID_SCOPE', 'Invalid scope: Requested scope is invalid');
    const user = code.user as OAuthUser;
    const token = await model.saveToken({ accessToken: '', authorizationCode: code.authorizationCode, scope: scopes, client, user }, client, user);
    return {
      accessToken: token.accessToken,
      accessTokenId: '',
      refreshToken: token.refreshToken ?? null,
      refreshTokenId: null,
      scopes: token.scope ?? scopes,
      createdAt: (token.created_at as number) * 1000,
      expiresAt: token.accessTokenExpiresAt ? token.accessTokenExpiresAt.getTime() : null,
    };
  },

  refresh_token: async (ctx, client, params, actor) => {
    if (!params.refresh_token) throw invalidRequest('Missing parameter: `refresh_token`');
    const requested = params.scope?.trim() ? parseScopes(params.scope) : undefined;
    return (await rotateRefreshToken(ctx, actor, { presented: params.refresh_token, client, requestedScopes: requested })).pair;
  },

  [DEVICE_CODE_GRANT]: async (ctx, client, params, actor) => {
    if (!params.device_code) throw invalidRequest('Missing parameter: `device_code`');
    return (await exchangeDeviceCode(ctx, actor, { presented: params.device_code, client })).pair;
  },
};

/** RFC 7636 §4.6: S256 only (plain PKCE is not offered); a verifier without a challenge is refused too. */
function checkCodeVerifier(code: OAuth2Server.AuthorizationCode, verifier: string | undefined): void {
  if (!code.codeChallenge) {
    if (verifier) throw invalidGrant('Invalid grant: code verifier is invalid');
    return;
  }
  if ((code.codeChallengeMethod ?? 'S256') !== 'S256') throw invalidRequest('Invalid request: `code_challenge_method` "plain" is not allowed; use "S256"');
  if (!verifier) throw invalidGrant('Missing parameter: `code_verifier`');
  if (!CODE_VERIFIER.test(verifier)) throw invalidRequest('Invalid parameter: `code_verifier`');
  if (!safeEqual(createHash('sha256').update(verifier).digest('base64url'), code.codeChallenge)) throw invalidGrant('Invalid grant: code verifier is invalid');
}

/** RFC 6749 §5.1 and Gumroad's created_at (seconds). */
function tokenResponse(pair: IssuedPair) {
  const body: {
    access_token: string;
    token_type: 'Bearer';
    expires_in?: number;
    refresh_token?: string;
    scope: string;
    created_at: number;
  } = { access_token: pair.accessToken, token_type: 'Bearer', scope: pair.scopes.join(' '), created_at: Math.floor(pair.createdAt / 1000) };
  if (pair.expiresAt !== null) body.expires_in = Math.floor((pair.expiresAt - Date.now()) / 1000);
  if (pair.refreshToken) body.refresh_token = pair.refreshToken;
  return body;
}
