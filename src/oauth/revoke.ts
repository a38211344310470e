import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { isWellFormedCredential } from '../credentials/credential.js';
import { TesseraError } from '../http/errors.js';
import * as accessTokens from '../tokens/store.js';
import type { OAuthClient } from './clients.js';
import { revokeGrant } from './issue.js';
import * as grants from './store/grants.js';
import * as refreshTokens from './store/refresh-tokens.js';

/** A public client (no secret) may revoke only tokens of grants it obtained without a secret. */
async function mayRevoke(ctx: AppContext, client: OAuthClient, grantId: string | null): Promise<void> {
  if (client.authenticated) return;
  const grant = grantId ? await grants.findById(ctx.db, grantId) : undefined;
  if (!grant || grant.confidential === 1) {
    throw new TesseraError('OAUTH_INVALID_CLIENT', 'Client authentication failed: revoking this token needs the client secret.');
  }
}

/**
 * POST /oauth/revoke (RFC 7009). An access token dies alone; a refresh token takes its whole
 * grant with it (§2.1). Unknown, already revoked or another client's tokens: nothing happens and
 * the answer is the same 200, so the endpoint tells nothing about tokens it did not issue to you.
 */
export async function revokePresentedToken(ctx: AppContext, client: OAuthClient, token: string | undefined, actor: Actor): Promise<void> {
  if (!token) throw new TesseraError('OAUTH_INVALID_REQUEST', 'Missing parameter: `token`');
  if (isWellFormedCredential(token, 'at')) {
    const row = await accessTokens.findByHash(ctx.db, ctx.dialect, ctx.keys.hash(token));
    if (!row || row.application_id !== client.id || row.revoked_at !== null) return;
    await mayRevoke(ctx, client, row.grant_id);
    await ctx.db.transaction().execute(async (trx) => {
      const revoked = await accessTokens.revokeToken(trx, row.id, row.user_id, 'revoked_by_client', Date.now());
      if (!revoked) return;
      await recordAudit(trx, {
        actor,
        userId: row.user_id,
        action: 'oauth.token_revoked',
        target: { type: 'access_token', id: row.id },
        metadata: { token_type: 'access_token', application_id: client.id, grant_id: row.grant_id },
      });
    });
    return;
  }
  if (isWellFormedCredential(token, 'rt')) {
    const row = await refreshTokens.findByHash(ctx.db, ctx.keys.hash(token));
    if (!row || row.application_id !== client.id || row.revoked_at !== null) return;
    await mayRevoke(ctx, client, row.grant_id);
    await revokeGrant(ctx, row.grant_id, 'oauth.token_revoked', 'refresh_token_revoked_by_client', actor);
    return;
  }
  if (isWellFormedCredential(token, 'ac', 'dc', 'cs', 'ss', 'pk', 'tk')) {
    throw new TesseraError('OAUTH_UNSUPPORTED_TOKEN_TYPE', 'Only access tokens and refresh tokens can be revoked here.');
  }
}
