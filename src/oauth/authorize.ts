import OAuth2Server from '@node-oauth/oauth2-server';
import AuthorizeHandler from '@node-oauth/oauth2-server/lib/handlers/authorize-handler.js';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { nullObject } from '../http/params.js';
import * as accounts from '../accounts/store.js';
import type { OAuthClient } from './clients.js';
import { AUTHORIZATION_CODE_LIFETIME_SECONDS, TesseraModel, type OAuthUser } from './model.js';

const { InvalidClientError, OAuthError } = OAuth2Server;

/** The parameters of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export const AUTHORIZE_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;
const CODE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

/** An error shown on our own page, never sent to the redirect URI (RFC 6749 §4.1.2.1). */
export class AuthorizePageError extends Error {
  constructor(readonly title: string, message: string, readonly status = 400) {
    super(message);
  }
}

/** A validated request, ready for the consent page. */
export interface AuthorizationRequest {
  client: OAuthClient;
  scopes: string[];
  /** The parameters to re-post with the decision (all of them are validated again then). */
  params: Record<string, string>;
  owner: string;
}

export type Validation = { request: AuthorizationRequest } | { redirect: string };

/** Only the authorization parameters, as strings; a repeated one is refused outright. */
export function authorizeParams(input: Record<string, unknown>): Record<string, string> {
  const out = nullObject<string>();
  for (const name of AUTHORIZE_PARAMS) {
    const value = input[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new AuthorizePageError('Invalid request', `The '${name}' parameter must be given once, as text.`);
    out[name] = value;
  }
  // Gumroad defaults the response type to `code`.
  out.response_type ??= 'code';
  return out;
}

function libraryRequest(params: Record<string, string>, allowed?: boolean) {
  const body = allowed === undefined ? {} : { ...params, allowed: String(allowed) };
  return new OAuth2Server.Request({ method: allowed === undefined ? 'GET' : 'POST', headers: {}, query: allowed === undefined ? params : {}, body });
}

function handler(ctx: AppContext, actor: Actor, user?: OAuthUser) {
  return new AuthorizeHandler({
    model: new TesseraModel(ctx, actor),
    authorizationCodeLifetime: AUTHORIZATION_CODE_LIFETIME_SECONDS,
    allowEmptyState: true,
    authenticateHandler: { handle: async () => user },
  });
}

/** Error redirect (RFC 6749 §4.1.2.1), keeping any query the registered URI already has. */
export function errorRedirect(redirectUri: string, error: string, description: string, state: string | undefined): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (state) url.searchParams.set('state', state);
  return url.toString();
}

/** Client and redirect URI first: their errors are shown here and never redirected. */
async function checkClient(lib: AuthorizeHandler, params: Record<string, string>, request: OAuth2Server.Request): Promise<OAuthClient> {
  let client: OAuthClient;
  try {
    client = (await lib.getClient(request)) as OAuthClient;
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    if (!params.client_id) throw new AuthorizePageError('Invalid request', 'The link that sent you here has no client_id.');
    if (err instanceof InvalidClientError && /redirect_uri/.test(err.message)) {
      throw new AuthorizePageError('Invalid redirect URI', 'The redirect_uri of this link is not registered for this application.');
    }
    if (/redirect_uri/.test(err.message)) throw new AuthorizePageError('Invalid redirect URI', 'The redirect_uri of this link is not a valid URL.');
    throw new AuthorizePageError('Unknown application', 'No application matches the client_id of this link. It may have been deleted.');
  }
  if (!params.redirect_uri && client.redirectUris.length !== 1) {
    throw new AuthorizePageError('Invalid redirect URI', 'This application has several redirect URIs: the link must name one with redirect_uri.');
  }
  return client;
}

/** Everything the consent page needs, or where to send the browser back with an error. */
export async function validateAuthorization(ctx: AppContext, params: Record<string, string>, actor: Actor): Promise<Validation> {
  const lib = handler(ctx, actor);
  const request = libraryRequest(params);
  const client = await checkClient(lib, params, request);
  const redirectUri = lib.getRedirectUri(request, client);
  try {
    lib.getState(request);
    lib.getResponseType(request);
    lib.getCodeChallengeMethod(request);
    if (params.code_challenge_method && !params.code_challenge) throw new OAuth2Server.InvalidRequestError('Missing parameter: `code_challenge`');
    if (params.code_challenge && !CODE_CHALLENGE.test(params.code_challenge)) throw new OAuth2Server.InvalidRequestError('Invalid parameter: `code_challenge`');
    const scopes = await lib.validateScope({ id: '' }, client, lib.getScope(request));
    const owner = await accounts.findUserById(ctx.db, client.ownerId);
    return { request: { client, scopes, params, owner: owner?.name || owner?.email || 'an unknown developer' } };
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    const state = typeof params.state === 'string' && /^[\x20-\x7e]+$/.test(params.state) ? params.state : undefined;
    return { redirect: errorRedirect(redirectUri, err.name, err.message, state) };
  }
}

/**
 * The consent form's POST: every parameter is validated again, then the library issues the code
 * (model.saveAuthorizationCode audits `oauth.authorized`) or answers access_denied. Returns where
 * to send the browser.
 */
export async function decideAuthorization(ctx: AppContext, params: Record<string, string>, user: OAuthUser, allow: boolean, actor: Actor): Promise<string> {
  const validation = await validateAuthorization(ctx, params, actor);
  if ('redirect' in validation) return validation.redirect;
  const { client } = validation.request;
  const response = new OAuth2Server.Response();
  try {
    await handler(ctx, actor, user).handle(libraryRequest(params, allow), response);
    return response.headers!.location!;
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    if (err.name === 'access_denied') {
      await recordAudit(ctx.db, {
        actor,
        userId: user.id,
        action: 'oauth.denied',
        target: { type: 'application', id: client.id },
        metadata: { application_id: client.id, client_id: client.clientId, scopes: validation.request.scopes },
      });
    }
    const redirectUri = params.redirect_uri ?? client.redirectUris[0]!;
    return errorRedirect(redirectUri, err.name, err.message, params.state);
  }
}
