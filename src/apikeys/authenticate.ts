import type { AppContext } from '../context.js';
import { parseScopes } from '../auth/scopes.js';
import { isWellFormedCredential } from '../credentials/credential.js';
import { TesseraError } from '../http/errors.js';
import * as accounts from '../accounts/store.js';
import * as teams from '../teams/store.js';
import * as apiKeys from './store.js';
import type { ApiKeyKind } from './tables.js';

/** A valid API key: what it belongs to and what it may do. */
export interface ApiKeyPrincipal {
  keyId: string;
  kind: ApiKeyKind;
  /** Owner of a personal key. */
  userId: string | null;
  /** Team of a team key. */
  teamId: string | null;
  scopes: string[];
}

/** Who a flows API request acts as, after the key and the `user_id` / `project_id` checks. */
export interface FlowCaller {
  keyId: string;
  scopes: string[];
  /** Whose flows, workbooks and runs the key reaches. */
  owner: { type: 'user' | 'team'; id: string };
  /** The user the request acts for (internal id) and its public `user_id`. */
  userId: string;
  apiUserId: string;
}

/**
 * Checks an API key: checksum first (no I/O), then one indexed read by its HMAC, accepting the
 * previous secret during a regeneration's grace period. No cache: a revocation applies at once.
 */
export async function authenticateApiKey(ctx: AppContext, text: unknown): Promise<ApiKeyPrincipal> {
  if (!isWellFormedCredential(text, 'pk', 'tk')) throw new TesseraError('GUMLOOP_KEY_INVALID');
  const now = Date.now();
  const row = await apiKeys.findByHash(ctx.db, ctx.keys.hash(text), now);
  if (!row) throw new TesseraError('GUMLOOP_KEY_INVALID');
  if (row.revoked_at !== null) throw new TesseraError('GUMLOOP_KEY_REVOKED');
  if (row.expires_at !== null && row.expires_at <= now) throw new TesseraError('GUMLOOP_KEY_EXPIRED');
  if (row.user_disabled_at !== null) throw new TesseraError('GUMLOOP_ACCOUNT_DISABLED');
  ctx.usage.touch('api_keys', row.id, now);
  return { keyId: row.id, kind: row.kind, userId: row.user_id, teamId: row.team_id, scopes: parseScopes(row.scopes) };
}

function optionalId(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new TesseraError('GUMLOOP_BAD_REQUEST', `'${name}' must be a string.`);
  return value;
}

/**
 * The gumloop contract's decision 2, top to bottom. Personal key: `user_id` must be its owner's
 * (missing or another → 403). Team key: `user_id` must name a member (missing → 400, anyone else
 * → 403). `project_id`, when given, must be the key's team (403). `x-auth-key`, when given, must
 * name the user the request acts for (403).
 */
export async function resolveFlowCaller(
  ctx: AppContext,
  key: ApiKeyPrincipal,
  params: { user_id?: unknown; project_id?: unknown; authKey?: unknown },
  /** Listing routes: a team key naming its team as project_id needs no user_id (Gumloop takes one or the other). */
  options: { projectSuffices?: boolean } = {},
): Promise<FlowCaller> {
  const userId = optionalId(params.user_id, 'user_id');
  const projectId = optionalId(params.project_id, 'project_id');
  const authKey = optionalId(params.authKey, 'x-auth-key');
  let caller: FlowCaller;
  if (key.kind === 'personal') {
    const owner = await accounts.findUserById(ctx.db, key.userId!);
    if (!owner) throw new TesseraError('GUMLOOP_KEY_INVALID');
    if (userId !== owner.external_id) throw new TesseraError('GUMLOOP_PERSONAL_KEY_USER');
    // As Gumloop's docs allow, a personal key may name a team (project) its owner belongs to and
    // reach that team's flows; any other project_id is refused.
    if (projectId !== undefined && !(await teams.findMemberByExternalId(ctx.db, projectId, owner.external_id))) {
      throw new TesseraError('GUMLOOP_PROJECT_MISMATCH', "The project_id is not a team this API key's owner belongs to.");
    }
    const owned = projectId === undefined ? ({ type: 'user', id: owner.id } as const) : ({ type: 'team', id: projectId } as const);
    caller = { keyId: key.keyId, scopes: key.scopes, owner: owned, userId: owner.id, apiUserId: owner.external_id };
  } else if (userId === undefined && options.projectSuffices && projectId === key.teamId) {
    // The team's flows, listed for no user in particular.
    caller = { keyId: key.keyId, scopes: key.scopes, owner: { type: 'team', id: key.teamId! }, userId: '', apiUserId: '' };
  } else {
    if (projectId !== undefined && projectId !== key.teamId) throw new TesseraError('GUMLOOP_PROJECT_MISMATCH');
    if (userId === undefined) throw new TesseraError('GUMLOOP_USER_ID_REQUIRED');
    const member = await teams.findMemberByExternalId(ctx.db, key.teamId!, userId);
    if (!member) throw new TesseraError('GUMLOOP_NOT_A_MEMBER');
    if (member.disabled_at !== null) throw new TesseraError('GUMLOOP_MEMBER_DISABLED');
    caller = { keyId: key.keyId, scopes: key.scopes, owner: { type: 'team', id: key.teamId! }, userId: member.id, apiUserId: member.external_id };
  }
  if (authKey !== undefined && authKey !== caller.apiUserId) throw new TesseraError('GUMLOOP_AUTH_KEY_MISMATCH');
  return caller;
}
