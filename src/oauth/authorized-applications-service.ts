import type { Actor, AppContext } from '../context.js';
import { parseScopes } from '../auth/scopes.js';
import { lockRow } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { revokeGrantInTransaction } from './issue.js';
import { iconUrl } from './clients.js';
import * as authorized from './store/authorized.js';
import * as grants from './store/grants.js';
import { isoTime } from '../util/dates.js';

export interface AuthorizedApplication {
  application_id: string;
  name: string;
  icon_url: string | null;
  owner: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
}

/**
 * Settings → Authorized applications: every application holding a live OAuth access or refresh
 * token for this account, with what it may do, since when, and when it last used its access.
 */
export async function listAuthorizedApplications(ctx: AppContext, userId: string): Promise<AuthorizedApplication[]> {
  await ctx.usage.flush();
  const rows = await authorized.listLiveGrantsOfUser(ctx.db, userId);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const tokens = await authorized.liveAccessTokensOfGrants(ctx.db, ids, Date.now());
  const withRefresh = new Set((await authorized.grantsWithLiveRefreshTokens(ctx.db, ids)).map((r) => r.grant_id));
  const byApplication = new Map<string, AuthorizedApplication & { createdMs: number; lastUsedMs: number | null }>();
  for (const row of rows) {
    const grantTokens = tokens.filter((t) => t.grant_id === row.id);
    if (grantTokens.length === 0 && !withRefresh.has(row.id)) continue;
    const entry = byApplication.get(row.application_id) ?? {
      application_id: row.application_id,
      name: row.name,
      icon_url: iconUrl({ clientId: row.client_id, hasIcon: row.icon_data !== null }),
      owner: row.owner_name || row.owner_email,
      scopes: [],
      created_at: '',
      last_used_at: null,
      createdMs: row.created_at,
      lastUsedMs: null,
    };
    entry.scopes = [...new Set([...entry.scopes, ...parseScopes(row.scopes)])];
    entry.createdMs = Math.min(entry.createdMs, row.created_at);
    for (const t of grantTokens) if (t.last_used_at !== null) entry.lastUsedMs = Math.max(entry.lastUsedMs ?? 0, t.last_used_at);
    byApplication.set(row.application_id, entry);
  }
  return [...byApplication.values()]
    .sort((a, b) => b.createdMs - a.createdMs)
    .map(({ createdMs, lastUsedMs, ...app }) => ({ ...app, created_at: isoTime(createdMs), last_used_at: isoTime(lastUsedMs) }));
}

/** Revokes every grant of this application for this user: all their tokens die at once. */
export async function revokeAuthorizedApplication(ctx: AppContext, userId: string, applicationId: string, actor: Actor) {
  return ctx.db.transaction().execute(async (trx) => {
    const live = await grants.listLiveIds(trx, userId, applicationId);
    if (live.length === 0) throw new TesseraError('AUTHORIZED_APPLICATION_NOT_FOUND');
    let revokedTokens = 0;
    for (const { id } of live) {
      await lockRow(trx, ctx.dialect, 'oauth_grants', id);
      const revoked = await revokeGrantInTransaction(trx, id, 'oauth.grant_revoked', 'revoked_by_user', actor);
      revokedTokens += revoked.accessTokens + revoked.refreshTokens;
    }
    return { revokedTokens };
  });
}
