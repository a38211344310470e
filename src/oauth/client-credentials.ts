import type { Actor, AppContext } from '../context.js';
import { recordAudits, type AuditEntry } from '../audit/record.js';
import { GroupCommit } from '../db/group-commit.js';
import { TesseraError } from '../http/errors.js';
import { newAccessToken } from '../tokens/service.js';
import * as tokens from '../tokens/store.js';
import { newId } from '../util/ids.js';
import type { OAuthClient } from './clients.js';
import { issuedMetadata, type IssuedPair } from './issue.js';
import * as grants from './store/grants.js';
import type { OAuthGrantTable } from './tables.js';

/** One client_credentials grant to issue: an authenticated client, the scopes it may have. */
export interface ClientCredentialsJob {
  client: OAuthClient;
  scopes: string[];
  actor: Actor;
}

export type ClientCredentialsIssuer = GroupCommit<ClientCredentialsJob, IssuedPair>;

/**
 * The token endpoint's client_credentials writes, as a group commit (src/db/group-commit.ts):
 * every grant of a batch is a new grant row (for the application's owner), its access token
 * (hash only) and its `oauth.token_issued` audit event, exactly as one request alone writes
 * them, but as three multi-row inserts in one transaction for the whole batch. Each request
 * is answered after that commit, so a token a client holds exists in every process's database
 * view and revoking it (or its grant, or deleting the application) works on the next request.
 */
export function clientCredentialsIssuer(ctx: AppContext): ClientCredentialsIssuer {
  return new GroupCommit<ClientCredentialsJob, IssuedPair>(
    ctx.db,
    async (trx, jobs) => {
      const now = Date.now();
      const grantRows: OAuthGrantTable[] = [];
      const tokenRows: ReturnType<typeof newAccessToken>['row'][] = [];
      const audits: AuditEntry[] = [];
      const pairs = jobs.map(({ client, scopes, actor }) => {
        const grant = { id: newId(), application_id: client.id, user_id: client.ownerId, type: 'client_credentials' as const };
        grantRows.push({ ...grant, scopes: scopes.join(' '), confidential: 1, created_at: now, revoked_at: null, revoked_reason: null });
        const expiresAt = client.tokenLifetime === null ? null : now + client.tokenLifetime * 1000;
        const { row, issued } = newAccessToken(ctx, { applicationId: client.id, userId: client.ownerId, kind: 'oauth', scopes, expiresAt, grantId: grant.id }, now);
        tokenRows.push(row);
        const pair: IssuedPair = { accessToken: issued.accessToken, accessTokenId: issued.id, refreshToken: null, refreshTokenId: null, scopes, createdAt: now, expiresAt };
        audits.push({ actor, userId: client.ownerId, action: 'oauth.token_issued', target: { type: 'access_token', id: issued.id }, metadata: issuedMetadata(grant, pair) });
        return pair;
      });
      await grants.insertGrants(trx, grantRows);
      await tokens.insertTokens(trx, tokenRows);
      await recordAudits(trx, audits);
      return { results: pairs };
    },
    () => {
      const error = new TesseraError('OAUTH_TEMPORARILY_UNAVAILABLE');
      error.retryAfter = 1;
      return error;
    },
  );
}
