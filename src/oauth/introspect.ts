import type { AppContext } from '../context.js';
import { parseScopes } from '../auth/scopes.js';
import { isWellFormedCredential } from '../credentials/credential.js';
import * as accounts from '../accounts/store.js';
import * as accessTokens from '../tokens/store.js';
import type { OAuthClient } from './clients.js';
import * as grants from './store/grants.js';
import * as refreshTokens from './store/refresh-tokens.js';

const INACTIVE = { active: false } as const;
const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * POST /oauth/introspect (RFC 7662). A client learns only about tokens issued to itself: any
 * other token, unknown, revoked, expired or rotated, is `{active: false}` and nothing more.
 */
export async function introspectToken(ctx: AppContext, client: OAuthClient, token: string | undefined) {
  const now = Date.now();
  if (isWellFormedCredential(token, 'at')) {
    // The token and its account in one statement (tokens/store): nothing else is read.
    const row = await accessTokens.findByHash(ctx.db, ctx.dialect, ctx.keys.hash(token));
    if (!row || row.application_id !== client.id || row.revoked_at !== null || row.user_disabled_at !== null) return INACTIVE;
    if (row.expires_at !== null && row.expires_at <= now) return INACTIVE;
    return {
      active: true,
      token_type: 'Bearer',
      scope: parseScopes(row.scopes).join(' '),
      client_id: client.clientId,
      sub: row.user_id,
      username: row.user_email,
      iat: seconds(row.created_at),
      ...(row.expires_at === null ? {} : { exp: seconds(row.expires_at) }),
      iss: ctx.config.publicUrl,
    };
  }
  if (isWellFormedCredential(token, 'rt')) {
    const row = await refreshTokens.findByHash(ctx.db, ctx.keys.hash(token));
    if (!row || row.application_id !== client.id || row.revoked_at !== null || row.rotated_at !== null) return INACTIVE;
    const grant = await grants.findWithApplication(ctx.db, row.grant_id);
    if (!grant || grant.revoked_at !== null || grant.application_deleted_at !== null) return INACTIVE;
    const user = await accounts.findUserById(ctx.db, row.user_id);
    return {
      active: true,
      token_type: 'refresh_token',
      scope: parseScopes(row.scopes).join(' '),
      client_id: client.clientId,
      sub: row.user_id,
      username: user?.email,
      iat: seconds(row.created_at),
      iss: ctx.config.publicUrl,
    };
  }
  return INACTIVE;
}
