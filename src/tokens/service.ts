import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { parseScopes } from '../auth/scopes.js';
import { credentialHint, generateCredential, isWellFormedCredential } from '../credentials/credential.js';
import type { Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newId } from '../util/ids.js';
import * as tokens from './store.js';
import type { AccessTokenKind, AccessTokenTable } from './tables.js';
import { isoTime } from '../util/dates.js';

/** The account a token acts for, as read with the token (the fields GET /v2/user shows). */
export interface PrincipalUser {
  id: string;
  external_id: string;
  email: string;
  name: string | null;
  bio: string | null;
  twitter_handle: string | null;
  currency_type: string;
}

/** Who a valid access token acts for, and what it may do. */
export interface TokenPrincipal {
  tokenId: string;
  userId: string;
  user: PrincipalUser;
  applicationId: string;
  kind: AccessTokenKind;
  scopes: ReadonlySet<string>;
  createdAt: number;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

/**
 * Checks an access token on every request: checksum first (no I/O), then one HMAC and one
 * statement compiled once (the token and its account, src/tokens/store.ts). No cache, so a
 * revocation, a regeneration, an application's deletion (which revokes its tokens) or an
 * account's disable is effective on the very next request in every process and node. The
 * last-used time is kept in memory and written in batches (UsageRecorder), off the request.
 */
export async function authenticateAccessToken(ctx: AppContext, token: string | undefined): Promise<TokenPrincipal> {
  if (!isWellFormedCredential(token, 'at')) throw new TesseraError('TOKEN_INVALID');
  const row = await tokens.findByHash(ctx.db, ctx.dialect, ctx.keys.hash(token));
  if (!row || row.user_external_id === null) throw new TesseraError('TOKEN_INVALID');
  if (row.revoked_at !== null) throw new TesseraError('TOKEN_REVOKED');
  if (row.user_disabled_at !== null) throw new TesseraError('TOKEN_ACCOUNT_DISABLED');
  const now = Date.now();
  if (row.expires_at !== null && row.expires_at <= now) throw new TesseraError('TOKEN_EXPIRED');
  ctx.usage.touch('access_tokens', row.id, now);
  return {
    tokenId: row.id,
    userId: row.user_id,
    user: {
      id: row.user_id,
      external_id: row.user_external_id,
      email: row.user_email,
      name: row.user_name,
      bio: row.user_bio,
      twitter_handle: row.user_twitter_handle,
      currency_type: row.user_currency_type,
    },
    applicationId: row.application_id,
    kind: row.kind,
    scopes: new Set(parseScopes(row.scopes)),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

export interface IssuedToken {
  id: string;
  accessToken: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number | null;
}

export type NewAccessToken = { applicationId: string; userId: string; kind: AccessTokenKind; scopes: string[]; expiresAt: number | null; grantId?: string | null };

/** A new access token's row (hash only) and its plaintext, which exists nowhere else. */
export function newAccessToken(ctx: AppContext, input: NewAccessToken, createdAt = Date.now()): { row: AccessTokenTable; issued: IssuedToken } {
  const accessToken = generateCredential('at');
  const id = newId();
  const row: AccessTokenTable = {
    id,
    token_hash: ctx.keys.hash(accessToken),
    application_id: input.applicationId,
    user_id: input.userId,
    kind: input.kind,
    scopes: input.scopes.join(' '),
    grant_id: input.grantId ?? null,
    hint: credentialHint(accessToken),
    created_at: createdAt,
    expires_at: input.expiresAt,
    revoked_at: null,
    revoked_reason: null,
    last_used_at: null,
  };
  return { row, issued: { id, accessToken, scopes: input.scopes, createdAt, expiresAt: input.expiresAt } };
}

/**
 * Stores a new access token (hash only) in the caller's transaction and returns its plaintext.
 * Used by "Generate access token" and by the OAuth server.
 */
export async function insertAccessToken(trx: Executor, ctx: AppContext, input: NewAccessToken): Promise<IssuedToken> {
  const { row, issued } = newAccessToken(ctx, input);
  await tokens.insertToken(trx, row);
  return issued;
}

export interface AuthorizedToken {
  id: string;
  application_id: string;
  application_name: string;
  kind: AccessTokenKind;
  scopes: string[];
  hint: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** The live tokens that act on a user's account, with their application. */
export async function listUserTokens(ctx: AppContext, userId: string): Promise<AuthorizedToken[]> {
  await ctx.usage.flush();
  const rows = await tokens.listLiveForUser(ctx.db, userId, Date.now());
  return rows.map((r) => ({
    id: r.id,
    application_id: r.application_id,
    application_name: r.application_name,
    kind: r.kind,
    scopes: parseScopes(r.scopes),
    hint: r.hint,
    created_at: isoTime(r.created_at),
    expires_at: isoTime(r.expires_at),
    last_used_at: isoTime(r.last_used_at),
  }));
}

export async function revokeUserToken(ctx: AppContext, userId: string, tokenId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const revoked = await tokens.revokeToken(trx, tokenId, userId, 'revoked_by_user', Date.now());
    if (!revoked) throw new TesseraError('TOKEN_NOT_FOUND');
    await recordAudit(trx, {
      actor,
      userId,
      action: 'token.revoked',
      target: { type: 'access_token', id: tokenId },
      metadata: { application_id: revoked.application_id },
    });
  });
}

/** What a token knows of itself (GET /v2/meta). */
export async function describeToken(ctx: AppContext, principal: TokenPrincipal) {
  const app = await tokens.findTokenApplication(ctx.db, principal.applicationId);
  if (!app) throw new TesseraError('TOKEN_INVALID');
  return {
    application: { id: app.id, name: app.name, client_id: app.client_id },
    kind: principal.kind,
    scopes: [...principal.scopes],
    created_at: isoTime(principal.createdAt),
    expires_at: isoTime(principal.expiresAt),
    last_used_at: isoTime(principal.lastUsedAt),
  };
}
