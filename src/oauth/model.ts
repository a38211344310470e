import OAuth2Server from '@node-oauth/oauth2-server';
import type { Actor, AppContext } from '../context.js';
import * as accounts from '../accounts/store.js';
import { recordAudit } from '../audit/record.js';
import { parseScopes, unknownScopes } from '../auth/scopes.js';
import { generateCredential, isWellFormedCredential } from '../credentials/credential.js';
import { lockRow } from '../db/database.js';
import { authenticateAccessToken } from '../tokens/service.js';
import { newId } from '../util/ids.js';
import { findClient, type OAuthClient } from './clients.js';
import { issueTokenPair, issuedMetadata, revokeGrant, type IssuedPair } from './issue.js';
import * as codes from './store/codes.js';
import * as grants from './store/grants.js';
import type { OAuthGrantRow } from './tables.js';

const { InvalidGrantError } = OAuth2Server;
type Token = OAuth2Server.Token;
type AuthorizationCode = OAuth2Server.AuthorizationCode;

export const AUTHORIZATION_CODE_LIFETIME_SECONDS = 600;

/** The subject of an authorization: a Tessera user id. */
export interface OAuthUser {
  id: string;
}

/** A token as the library renders it: RFC 6749 §5.1 fields plus Gumroad's `created_at`. */
export function toLibraryToken(pair: IssuedPair, client: OAuthClient, user: OAuthUser): Token {
  return {
    accessToken: pair.accessToken,
    accessTokenExpiresAt: pair.expiresAt === null ? undefined : new Date(pair.expiresAt),
    refreshToken: pair.refreshToken ?? undefined,
    scope: pair.scopes,
    client,
    user,
    created_at: Math.floor(pair.createdAt / 1000),
  };
}

/** The scopes a request may have: all must be the application's; none asked = all of them. */
export function allowedScopes(client: OAuthClient, requested: string[] | undefined): string[] | false {
  const scopes = requested === undefined || requested.length === 0 ? client.scopes : [...new Set(requested)];
  if (scopes.length === 0 || unknownScopes(scopes).length > 0) return false;
  return scopes.every((s) => client.scopes.includes(s)) ? scopes : false;
}

/**
 * @node-oauth/oauth2-server's model over Tessera's storage: clients are applications, codes and
 * refresh tokens are credentials of kinds `ac` and `rt` stored as HMACs, access tokens go through
 * the token service. One instance per request (it carries the actor for the audit log).
 */
export class TesseraModel implements OAuth2Server.AuthorizationCodeModel, OAuth2Server.ClientCredentialsModel {
  constructor(readonly ctx: AppContext, readonly actor: Actor) {}

  /** Part of the library's model contract; v2 requests authenticate through the token service. */
  async getAccessToken(accessToken: string): Promise<Token | null> {
    try {
      const principal = await authenticateAccessToken(this.ctx, accessToken);
      return {
        accessToken,
        accessTokenExpiresAt: principal.expiresAt === null ? undefined : new Date(principal.expiresAt),
        scope: [...principal.scopes],
        client: { id: principal.applicationId, grants: [] },
        user: { id: principal.userId },
      };
    } catch {
      return null;
    }
  }

  getClient(clientId: string, clientSecret: string | null | undefined) {
    return findClient(this.ctx, clientId, clientSecret);
  }

  async validateScope(_user: OAuthUser, client: OAuth2Server.Client, scope?: string[]) {
    return allowedScopes(client as OAuthClient, scope);
  }

  async validateRedirectUri(redirectUri: string, client: OAuth2Server.Client) {
    return (client as OAuthClient).redirectUris.includes(redirectUri);
  }

  async generateAuthorizationCode() {
    return generateCredential('ac');
  }

  /** Access tokens are minted by the token service inside saveToken, not here. */
  async generateAccessToken() {
    return '';
  }

  async generateRefreshToken() {
    return '';
  }

  /** Consent given: a grant and its code, in one transaction, audited as `oauth.authorized`. */
  async saveAuthorizationCode(
    code: Pick<AuthorizationCode, 'authorizationCode' | 'expiresAt' | 'redirectUri' | 'scope' | 'codeChallenge' | 'codeChallengeMethod'>,
    client: OAuth2Server.Client,
    user: OAuthUser,
  ) {
    const app = client as OAuthClient;
    const now = Date.now();
    const grantId = newId();
    const scopes = code.scope ?? [];
    await this.ctx.db.transaction().execute(async (trx) => {
      await grants.insertGrant(trx, {
        id: grantId,
        application_id: app.id,
        user_id: user.id,
        type: 'authorization_code',
        scopes: scopes.join(' '),
        confidential: 0,
        created_at: now,
        revoked_at: null,
        revoked_reason: null,
      });
      await codes.insertCode(trx, {
        id: newId(),
        code_hash: this.ctx.keys.hash(code.authorizationCode),
        grant_id: grantId,
        application_id: app.id,
        user_id: user.id,
        redirect_uri: code.redirectUri,
        scopes: scopes.join(' '),
        code_challenge: code.codeChallenge ?? null,
        code_challenge_method: code.codeChallenge ? (code.codeChallengeMethod ?? 'S256') : null,
        created_at: now,
        expires_at: code.expiresAt.getTime(),
        used_at: null,
      });
      await recordAudit(trx, {
        actor: this.actor,
        userId: user.id,
        action: 'oauth.authorized',
        target: { type: 'oauth_grant', id: grantId },
        metadata: { application_id: app.id, client_id: app.clientId, scopes, pkce: Boolean(code.codeChallenge) },
      });
    });
    return { ...code, client, user };
  }

  /**
   * Finds a code by its HMAC. A code that was already used is a replay: everything its grant
   * issued is revoked (RFC 6749 §4.1.2) and the code reads as invalid.
   */
  async getAuthorizationCode(presented: string): Promise<AuthorizationCode | null> {
    if (!isWellFormedCredential(presented, 'ac')) return null;
    const row = await codes.findByHash(this.ctx.db, this.ctx.keys.hash(presented));
    if (!row) return null;
    if (row.used_at !== null) {
      await revokeGrant(this.ctx, row.grant_id, 'oauth.code_replayed', 'code_replayed', this.actor);
      return null;
    }
    const grant = await grants.findWithApplication(this.ctx.db, row.grant_id);
    if (!grant || grant.revoked_at !== null || grant.application_deleted_at !== null) return null;
    return {
      // The library hands this back to saveToken: the row id, never the secret.
      authorizationCode: row.id,
      expiresAt: new Date(row.expires_at),
      redirectUri: row.redirect_uri,
      scope: parseScopes(row.scopes),
      client: { id: row.application_id, grants: [] },
      user: { id: row.user_id },
      codeChallenge: row.code_challenge ?? undefined,
      codeChallengeMethod: row.code_challenge_method ?? undefined,
      grantId: row.grant_id,
    };
  }

  /** Uses the code (atomically); losing the race to another exchange is a replay too. */
  async revokeAuthorizationCode(code: AuthorizationCode): Promise<boolean> {
    if (await codes.markUsed(this.ctx.db, code.authorizationCode, Date.now())) return true;
    await revokeGrant(this.ctx, code.grantId as string, 'oauth.code_replayed', 'code_replayed', this.actor);
    return false;
  }

  /** client_credentials: the application's owner, unless an instance owner disabled that account. */
  async getUserFromClient(client: OAuth2Server.Client): Promise<OAuthUser> {
    const owner = await accounts.findUserById(this.ctx.db, (client as OAuthClient).ownerId);
    if (!owner || owner.disabled_at !== null) throw new InvalidGrantError("Invalid grant: the application owner's account is disabled");
    return { id: owner.id };
  }

  /** authorization_code: tokens for the code's grant; client_credentials: a new grant for the owner. */
  async saveToken(token: Token, client: OAuth2Server.Client, user: OAuthUser): Promise<Token> {
    const app = client as OAuthClient;
    const scopes = token.scope ?? app.scopes;
    const pair = await this.ctx.db.transaction().execute(async (trx) => {
      let grant: Pick<OAuthGrantRow, 'id' | 'application_id' | 'user_id' | 'type'> | undefined;
      if (token.authorizationCode) {
        const code = await codes.findById(trx, token.authorizationCode as string);
        if (!code) throw new InvalidGrantError('Invalid grant: authorization code is invalid');
        await lockRow(trx, this.ctx.dialect, 'oauth_grants', code.grant_id);
        const live = await grants.findWithApplication(trx, code.grant_id);
        // A replay revoked the grant between the code's use and now: issue nothing.
        if (!live || live.revoked_at !== null || live.application_deleted_at !== null) {
          throw new InvalidGrantError('Invalid grant: authorization code was revoked');
        }
        if (app.authenticated) await grants.markConfidential(trx, live.id);
        grant = live;
      } else {
        grant = { id: newId(), application_id: app.id, user_id: user.id, type: 'client_credentials' as const };
        await grants.insertGrant(trx, { ...grant, scopes: scopes.join(' '), confidential: 1, created_at: Date.now(), revoked_at: null, revoked_reason: null });
      }
      const issued = await issueTokenPair(trx, this.ctx, grant, {
        scopes,
        lifetimeSeconds: app.tokenLifetime,
        withRefreshToken: grant.type !== 'client_credentials',
      });
      await recordAudit(trx, {
        actor: this.actor,
        userId: grant.user_id,
        action: 'oauth.token_issued',
        target: { type: 'access_token', id: issued.accessTokenId },
        metadata: issuedMetadata(grant, issued),
      });
      return issued;
    });
    return toLibraryToken(pair, app, user);
  }
}
