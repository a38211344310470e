import OAuth2Server from '@node-oauth/oauth2-server';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { parseScopes } from '../auth/scopes.js';
import { isWellFormedCredential } from '../credentials/credential.js';
import { lockRow } from '../db/database.js';
import type { OAuthClient } from './clients.js';
import { issueTokenPair, issuedMetadata, revokeGrantInTransaction, type IssuedPair } from './issue.js';
import * as refreshTokens from './store/refresh-tokens.js';
import * as grants from './store/grants.js';

const { InvalidClientError, InvalidGrantError, InvalidScopeError } = OAuth2Server;

type Outcome = { pair: IssuedPair } | { error: OAuth2Server.OAuthError };

/**
 * The refresh_token grant with rotation (RFC 6749 §6, OAuth 2.0 Security BCP §4.14):
 * - a current refresh token is exchanged for a new access token and a new refresh token;
 * - for `reuseSeconds` after that, the same old token answers with the SAME new pair (kept
 *   encrypted), so clients refreshing concurrently all end up with one working pair;
 * - any later use of a rotated token means it leaked: the whole grant is revoked.
 * All under the grant's row lock, so concurrent refreshes are decided one at a time.
 */
export async function rotateRefreshToken(
  ctx: AppContext,
  actor: Actor,
  input: { presented: string; client: OAuthClient; requestedScopes: string[] | undefined },
): Promise<{ pair: IssuedPair; userId: string }> {
  const { client } = input;
  if (!isWellFormedCredential(input.presented, 'rt')) throw new InvalidGrantError('Invalid grant: refresh token is invalid');
  const found = await refreshTokens.findByHash(ctx.db, ctx.keys.hash(input.presented));
  if (!found) throw new InvalidGrantError('Invalid grant: refresh token is invalid');
  if (found.application_id !== client.id) throw new InvalidGrantError('Invalid grant: refresh token was issued to another client');

  const outcome = await ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    await lockRow(trx, ctx.dialect, 'oauth_grants', found.grant_id);
    const grant = await grants.findWithApplication(trx, found.grant_id);
    const token = await refreshTokens.findById(trx, found.id);
    if (!grant || !token || grant.revoked_at !== null || grant.application_deleted_at !== null || token.revoked_at !== null) {
      return { error: new InvalidGrantError('Invalid grant: refresh token was revoked') };
    }
    if (grant.confidential === 1 && !client.authenticated) {
      return { error: new InvalidClientError('Invalid client: this refresh token needs the client secret') };
    }
    const now = Date.now();
    if (token.rotated_at === null) {
      const granted = parseScopes(token.scopes);
      const scopes = input.requestedScopes ?? granted;
      if (!scopes.every((s) => granted.includes(s))) return { error: new InvalidScopeError('Invalid scope: Unable to add extra scopes') };
      const pair = await issueTokenPair(trx, ctx, grant, { scopes, lifetimeSeconds: grant.access_token_lifetime, withRefreshToken: true });
      await refreshTokens.markRotated(trx, token.id, pair.refreshTokenId!, ctx.keys.encrypt(JSON.stringify(pair)), now);
      await refreshTokens.forgetPairOfPredecessor(trx, token.id);
      await recordAudit(trx, {
        actor,
        userId: grant.user_id,
        action: 'oauth.token_refreshed',
        target: { type: 'access_token', id: pair.accessTokenId },
        metadata: { ...issuedMetadata(grant, pair), previous_refresh_token_id: token.id },
      });
      return { pair };
    }
    const reuseMs = ctx.config.oauth.refreshReuseSeconds * 1000;
    const withinReuse = reuseMs > 0 && now - token.rotated_at <= reuseMs;
    if (withinReuse && token.successor_pair !== null) {
      return { pair: JSON.parse(ctx.keys.decrypt(token.successor_pair)) as IssuedPair };
    }
    await revokeGrantInTransaction(trx, grant.id, 'oauth.grant_revoked', 'refresh_token_reused', actor);
    return { error: new InvalidGrantError('Invalid grant: refresh token was already used; the authorization is revoked') };
  });
  if ('error' in outcome) throw outcome.error;
  return { pair: outcome.pair, userId: found.user_id };
}
