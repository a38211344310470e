import OAuth2Server from '@node-oauth/oauth2-server';
import AuthorizationCodeGrantType from '@node-oauth/oauth2-server/lib/grant-types/authorization-code-grant-type.js';
import { parseScopes } from '../auth/scopes.js';
import type { OAuthClient } from './clients.js';
import { exchangeDeviceCode } from './device.js';
import { toLibraryToken, type TesseraModel } from './model.js';
import { rotateRefreshToken } from './refresh.js';

const { AbstractGrantType, InvalidGrantError, InvalidRequestError } = OAuth2Server;

function requiredParam(request: OAuth2Server.Request, name: string): string {
  const value = request.body[name];
  if (typeof value !== 'string' || value === '') throw new InvalidRequestError(`Missing parameter: \`${name}\``);
  return value;
}

/** The library's authorization_code grant, answering a redirect URI mismatch with invalid_grant. */
export class AuthorizationCodeGrant extends AuthorizationCodeGrantType {
  override validateRedirectUri(request: OAuth2Server.Request, code: OAuth2Server.AuthorizationCode): void {
    if (request.body.redirect_uri !== code.redirectUri) {
      throw new InvalidGrantError('Invalid grant: `redirect_uri` does not match the one of the authorization request');
    }
  }
}

/** refresh_token with rotation and a reuse interval (see ./refresh.ts). */
export class RefreshTokenGrant extends AbstractGrantType {
  declare readonly model: TesseraModel;

  async handle(request: OAuth2Server.Request, client: OAuth2Server.Client) {
    const presented = requiredParam(request, 'refresh_token');
    const requested = typeof request.body.scope === 'string' && request.body.scope.trim() !== '' ? parseScopes(request.body.scope) : undefined;
    const { pair, userId } = await rotateRefreshToken(this.model.ctx, this.model.actor, { presented, client: client as OAuthClient, requestedScopes: requested });
    return toLibraryToken(pair, client as OAuthClient, { id: userId });
  }
}

/** urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4). */
export class DeviceCodeGrant extends AbstractGrantType {
  declare readonly model: TesseraModel;

  async handle(request: OAuth2Server.Request, client: OAuth2Server.Client) {
    const presented = requiredParam(request, 'device_code');
    const { pair, userId } = await exchangeDeviceCode(this.model.ctx, this.model.actor, { presented, client: client as OAuthClient });
    return toLibraryToken(pair, client as OAuthClient, { id: userId });
  }
}
