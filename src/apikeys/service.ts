import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { parseScopes } from '../auth/scopes.js';
import { credentialHint, generateCredential } from '../credentials/credential.js';
import { lockRow, type Executor } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newId } from '../util/ids.js';
import { capabilitiesOf, checkLimit, missingCapability } from '../admin/capabilities.js';
import * as admin from '../admin/store.js';
import { MANAGER_ROLES, requireTeamRole } from '../teams/service.js';
import * as teams from '../teams/store.js';
import * as apiKeys from './store.js';
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES } from './scopes.js';
import type { ApiKeyRow } from './tables.js';
import { isoTime } from '../util/dates.js';

/** An API key as lists show it: never the secret. */
export interface ApiKey {
  id: string;
  kind: 'personal' | 'team';
  team_id: string | null;
  name: string;
  hint: string;
  scopes: string[];
  /** True when the key can be revealed again (it was created with "recoverable keys" on). */
  recoverable: boolean;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  /** After a regeneration with a grace period: until when the previous secret still works. */
  previous_valid_until: string | null;
}

export interface CreateApiKeyInput {
  name: string;
  team_id?: string;
  scopes?: string[];
  /** Seconds until the key expires; absent or null: never. */
  expires_in?: number | null;
}

const MAX_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

export function toApiKey(row: ApiKeyRow, now = Date.now()): ApiKey {
  return {
    id: row.id,
    kind: row.kind,
    team_id: row.team_id,
    name: row.name,
    hint: row.hint,
    scopes: parseScopes(row.scopes),
    recoverable: row.key_ciphertext !== null,
    created_at: isoTime(row.created_at),
    expires_at: isoTime(row.expires_at),
    last_used_at: isoTime(row.last_used_at),
    previous_valid_until: row.previous_valid_until !== null && row.previous_valid_until > now ? isoTime(row.previous_valid_until) : null,
  };
}

function checkScopes(scopes: string[] | undefined): string[] {
  if (scopes === undefined || scopes.length === 0) return DEFAULT_API_KEY_SCOPES;
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (unknown.length) throw new TesseraError('INVALID_SCOPES', `Unknown API key scope: ${unknown.join(', ')}. Use ${API_KEY_SCOPES.join(' or ')}.`);
  return [...new Set(scopes)];
}

/** Whether new secrets of this owner are also stored encrypted. */
export async function isRecoverable(db: Executor, owner: { userId: string } | { teamId: string }): Promise<boolean> {
  if ('teamId' in owner) return (await teams.findTeam(db, owner.teamId))?.recoverable_keys === 1;
  return apiKeys.recoverableKeysOf(db, owner.userId);
}

/** A fresh secret of the key's kind: what is stored of it, and the plaintext shown once. */
export function newSecret(ctx: AppContext, kind: 'personal' | 'team', recoverable: boolean) {
  const plaintext = generateCredential(kind === 'team' ? 'tk' : 'pk');
  return {
    plaintext,
    stored: { key_hash: ctx.keys.hash(plaintext), hint: credentialHint(plaintext), key_ciphertext: recoverable ? ctx.keys.encrypt(plaintext) : null },
  };
}

/**
 * The key a user may manage: their own personal key, or a key of a team where they are an owner
 * or admin. Any other key reads as missing (404); a plain member of the key's team gets 403.
 */
export async function requireManagedKey(db: Executor, userId: string, keyId: string): Promise<ApiKeyRow> {
  const row = await apiKeys.findById(db, keyId);
  if (!row || row.revoked_at !== null) throw new TesseraError('API_KEY_NOT_FOUND');
  if (row.kind === 'personal') {
    if (row.user_id !== userId) throw new TesseraError('API_KEY_NOT_FOUND');
    return row;
  }
  if (!(await teams.findRole(db, row.team_id!, userId))) throw new TesseraError('API_KEY_NOT_FOUND');
  await requireTeamRole(db, row.team_id!, userId, MANAGER_ROLES);
  return row;
}

export async function createApiKey(ctx: AppContext, userId: string, input: CreateApiKeyInput, actor: Actor) {
  const name = input.name.trim();
  if (!name) throw new TesseraError('VALIDATION_FAILED', "The 'name' parameter must not be blank.");
  const scopes = checkScopes(input.scopes);
  const expiresIn = input.expires_in ?? null;
  if (expiresIn !== null && (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > MAX_LIFETIME_SECONDS)) {
    throw new TesseraError('VALIDATION_FAILED', `'expires_in' must be a whole number of seconds between 60 and ${MAX_LIFETIME_SECONDS}.`);
  }
  const kind = input.team_id === undefined ? 'personal' : 'team';
  return ctx.db.transaction().execute(async (trx) => {
    if (input.team_id !== undefined) await requireTeamRole(trx, input.team_id, userId, MANAGER_ROLES);
    const now = Date.now();
    // The instance owner's levers (src/admin): may this account create keys, and how many.
    const { effective } = await capabilitiesOf(ctx, trx, userId);
    if (!effective.api_keys) throw missingCapability('api_keys');
    await checkLimit(effective, 'max_api_keys', () => admin.countLiveKeysCreatedBy(trx, userId, now));
    const owner = input.team_id === undefined ? { userId } : { teamId: input.team_id };
    const secret = newSecret(ctx, kind, await isRecoverable(trx, owner));
    const row: ApiKeyRow = {
      id: newId(),
      kind,
      user_id: kind === 'personal' ? userId : null,
      team_id: input.team_id ?? null,
      created_by: userId,
      name,
      ...secret.stored,
      scopes: scopes.join(' '),
      created_at: now,
      expires_at: expiresIn === null ? null : now + expiresIn * 1000,
      revoked_at: null,
      previous_key_hash: null,
      previous_valid_until: null,
      last_used_at: null,
    };
    await apiKeys.insertKey(trx, row);
    await recordAudit(trx, {
      actor,
      userId,
      action: 'apikey.created',
      target: { type: 'api_key', id: row.id },
      metadata: { kind, team_id: row.team_id, name, scopes, expires_at: row.expires_at, recoverable: row.key_ciphertext !== null },
    });
    return { key: toApiKey(row, now), apiKey: secret.plaintext };
  });
}

/** Live personal keys of a user, or (owners and admins) the keys of a team. */
export async function listApiKeys(ctx: AppContext, userId: string, teamId?: string): Promise<ApiKey[]> {
  if (teamId !== undefined) await requireTeamRole(ctx.db, teamId, userId, MANAGER_ROLES);
  await ctx.usage.flush();
  const rows = await apiKeys.listLive(ctx.db, teamId === undefined ? { userId } : { teamId });
  const now = Date.now();
  return rows.map((r) => toApiKey(r, now));
}

/** Revokes a key at once, including a previous secret still in its grace period. */
export async function revokeApiKey(ctx: AppContext, userId: string, keyId: string, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'api_keys', keyId);
    const row = await requireManagedKey(trx, userId, keyId);
    await apiKeys.updateKey(trx, keyId, { revoked_at: Date.now(), key_ciphertext: null, previous_key_hash: null, previous_valid_until: null });
    await recordAudit(trx, { actor, userId, action: 'apikey.revoked', target: { type: 'api_key', id: keyId }, metadata: { kind: row.kind, team_id: row.team_id, name: row.name } });
  });
}
