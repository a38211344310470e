import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { credentialHint, generateCredential } from '../credentials/credential.js';
import { lockRow, type Trx } from '../db/database.js';
import { insertAccessToken } from '../tokens/service.js';
import { newId } from '../util/ids.js';
import * as grants from './store/grants.js';
import * as refreshTokens from './store/refresh-tokens.js';
import type { OAuthGrantRow } from './tables.js';

/** What a token response carries: plaintexts exist only here and in the response. */
export interface IssuedPair {
  accessToken: string;
  accessTokenId: string;
  refreshToken: string | null;
  refreshTokenId: string | null;
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
}

/**
 * Issues an access token (through the token service, so v2 authentication accepts it unchanged)
 * and, unless told otherwise, a refresh token, both tied to the grant. Caller's transaction.
 */
export async function issueTokenPair(
  trx: Trx,
  ctx: AppContext,
  grant: Pick<OAuthGrantRow, 'id' | 'application_id' | 'user_id'>,
  input: { scopes: string[]; lifetimeSeconds: number | null; withRefreshToken: boolean },
): Promise<IssuedPair> {
  const now = Date.now();
  const expiresAt = input.lifetimeSeconds === null ? null : now + input.lifetimeSeconds * 1000;
  const access = await insertAccessToken(trx, ctx, {
    applicationId: grant.application_id,
    userId: grant.user_id,
    kind: 'oauth',
    scopes: input.scopes,
    expiresAt,
    grantId: grant.id,
  });
  let refreshToken: string | null = null;
  let refreshTokenId: string | null = null;
  if (input.withRefreshToken) {
    refreshToken = generateCredential('rt');
    refreshTokenId = newId();
    await refreshTokens.insertRefreshToken(trx, {
      id: refreshTokenId,
      token_hash: ctx.keys.hash(refreshToken),
      grant_id: grant.id,
      application_id: grant.application_id,
      user_id: grant.user_id,
      scopes: input.scopes.join(' '),
      created_at: access.createdAt,
      rotated_at: null,
      successor_id: null,
      successor_pair: null,
      revoked_at: null,
    });
  }
  return { accessToken: access.accessToken, accessTokenId: access.id, refreshToken, refreshTokenId, scopes: input.scopes, createdAt: access.createdAt, expiresAt };
}

/** Audit metadata for an issued pair: ids and hints only, never a secret. */
export function issuedMetadata(grant: Pick<OAuthGrantRow, 'id' | 'application_id' | 'type'>, pair: IssuedPair) {
  return {
    grant_id: grant.id,
    grant_type: grant.type,
    application_id: grant.application_id,
    scopes: pair.scopes,
    access_token_id: pair.accessTokenId,
    access_token_hint: credentialHint(pair.accessToken),
    refresh_token_id: pair.refreshTokenId,
    expires_at: pair.expiresAt,
  };
}

/**
 * Revokes a grant and everything it issued, under the grant's row lock, and audits why
 * (`oauth.code_replayed`, `oauth.grant_revoked`). Its own transaction: a replay must stay
 * revoked even though the request that revealed it fails.
 */
export async function revokeGrant(ctx: AppContext, grantId: string, action: string, reason: string, actor: Actor) {
  return ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'oauth_grants', grantId);
    return revokeGrantInTransaction(trx, grantId, action, reason, actor);
  });
}

export async function revokeGrantInTransaction(trx: Trx, grantId: string, action: string, reason: string, actor: Actor) {
  const grant = await grants.findById(trx, grantId);
  if (!grant) return { accessTokens: 0, refreshTokens: 0 };
  const revoked = await grants.revokeGrantCascade(trx, grantId, reason, Date.now());
  await recordAudit(trx, {
    actor,
    userId: grant.user_id,
    action,
    target: { type: 'oauth_grant', id: grantId },
    metadata: { application_id: grant.application_id, reason, revoked_access_tokens: revoked.accessTokens, revoked_refresh_tokens: revoked.refreshTokens },
  });
  return revoked;
}
