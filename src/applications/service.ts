import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { PUBLIC_SCOPES, parseScopes, unknownScopes } from '../auth/scopes.js';
import { generateCredential } from '../credentials/credential.js';
import { lockRow } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { TesseraError } from '../http/errors.js';
import * as tokens from '../tokens/store.js';
import { insertAccessToken } from '../tokens/service.js';
import { newExternalId, newPublicId } from '../util/ids.js';
import { parseIcon } from './icon.js';
import { parseRedirectUris } from './redirect-uri.js';
import * as applications from './store.js';
import type { ApplicationRow } from './tables.js';
import { isoTime } from '../util/dates.js';

export interface Application {
  id: string;
  name: string;
  redirect_uri: string;
  client_id: string;
  scopes: string[];
  icon_url: string | null;
  access_token_lifetime: number | null;
  created_at: string;
  updated_at: string;
}

export interface ApplicationInput {
  name?: string;
  redirect_uri?: string;
  /** PNG or JPEG bytes, a data URL or base64; null removes the icon. */
  icon?: unknown;
  scopes?: string | string[];
  access_token_lifetime?: number | null;
}

export function toApplication(row: ApplicationRow): Application {
  return {
    id: row.id,
    name: row.name,
    redirect_uri: row.redirect_uri,
    client_id: row.client_id,
    scopes: parseScopes(row.scopes),
    icon_url: row.icon_data ? `/api/applications/${encodeURIComponent(row.id)}/icon` : null,
    access_token_lifetime: row.access_token_lifetime,
    created_at: isoTime(row.created_at),
    updated_at: isoTime(row.updated_at),
  };
}

function checkScopes(input: string | string[] | undefined, fallback: readonly string[]): string[] {
  const scopes = input === undefined ? [...fallback] : Array.isArray(input) ? [...new Set(input)] : parseScopes(input);
  const unknown = unknownScopes(scopes);
  if (unknown.length) throw new TesseraError('INVALID_SCOPES', `Unknown scope '${unknown[0]}'.`);
  if (scopes.length === 0) throw new TesseraError('INVALID_SCOPES', 'Choose at least one scope.');
  return scopes;
}

function checkName(name: string | undefined): string {
  const trimmed = (name ?? '').trim();
  if (!trimmed) throw new TesseraError('VALIDATION_FAILED', "The application needs a 'name'.");
  return trimmed;
}

async function requireOwned(ctx: AppContext, ownerId: string, id: string): Promise<ApplicationRow> {
  const row = await applications.findOwned(ctx.db, id, ownerId);
  if (!row) throw new TesseraError('APPLICATION_NOT_FOUND');
  return row;
}

export async function createApplication(ctx: AppContext, ownerId: string, input: ApplicationInput, actor: Actor) {
  const name = checkName(input.name);
  const redirectUri = parseRedirectUris(input.redirect_uri ?? '').join(' ');
  const icon = input.icon === undefined || input.icon === null || input.icon === '' ? null : parseIcon(input.icon);
  const scopes = checkScopes(input.scopes, PUBLIC_SCOPES);
  const clientSecret = generateCredential('cs');
  const now = Date.now();
  const row: ApplicationRow = {
    id: newExternalId(),
    owner_id: ownerId,
    name,
    redirect_uri: redirectUri,
    client_id: newPublicId(32),
    client_secret_hash: ctx.keys.hash(clientSecret),
    scopes: scopes.join(' '),
    icon_type: icon?.type ?? null,
    icon_data: icon?.data ?? null,
    access_token_lifetime: input.access_token_lifetime ?? null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await applications.insertApplication(trx, row);
    await recordAudit(trx, { actor, userId: ownerId, action: 'application.created', target: { type: 'application', id: row.id }, metadata: { name } });
  });
  return { application: toApplication(row), clientSecret };
}

export async function listApplications(ctx: AppContext, ownerId: string): Promise<Application[]> {
  return (await applications.listOwned(ctx.db, ownerId)).map(toApplication);
}

export async function getApplication(ctx: AppContext, ownerId: string, id: string): Promise<Application> {
  return toApplication(await requireOwned(ctx, ownerId, id));
}

export async function getApplicationIcon(ctx: AppContext, ownerId: string, id: string) {
  const row = await requireOwned(ctx, ownerId, id);
  if (!row.icon_data || !row.icon_type) throw new TesseraError('NOT_FOUND', 'This application has no icon.');
  return { type: row.icon_type, bytes: Buffer.from(row.icon_data, 'base64') };
}

export async function updateApplication(ctx: AppContext, ownerId: string, id: string, input: ApplicationInput, actor: Actor) {
  await requireOwned(ctx, ownerId, id);
  const changes: Partial<ApplicationRow> = { updated_at: Date.now() };
  if (input.name !== undefined) changes.name = checkName(input.name);
  if (input.redirect_uri !== undefined) changes.redirect_uri = parseRedirectUris(input.redirect_uri).join(' ');
  if (input.scopes !== undefined) changes.scopes = checkScopes(input.scopes, PUBLIC_SCOPES).join(' ');
  if (input.access_token_lifetime !== undefined) changes.access_token_lifetime = input.access_token_lifetime;
  if (input.icon !== undefined) {
    const icon = input.icon === null || input.icon === '' ? null : parseIcon(input.icon);
    changes.icon_type = icon?.type ?? null;
    changes.icon_data = icon?.data ?? null;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await applications.updateApplication(trx, id, changes);
    const fields = Object.keys(changes).filter((k) => k !== 'updated_at' && k !== 'icon_data');
    await recordAudit(trx, { actor, userId: ownerId, action: 'application.updated', target: { type: 'application', id }, metadata: { fields } });
  });
  return getApplication(ctx, ownerId, id);
}

/** Deletes an application and revokes every token tied to it; says how many died. */
export async function deleteApplication(ctx: AppContext, ownerId: string, id: string, actor: Actor): Promise<{ revokedTokens: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'applications', id);
    const row = await applications.findOwned(trx, id, ownerId);
    if (!row) throw new TesseraError('APPLICATION_NOT_FOUND');
    const now = Date.now();
    await applications.updateApplication(trx, id, { deleted_at: now, updated_at: now });
    const revokedTokens = await tokens.revokeAllOfApplication(trx, id, 'application_deleted', now);
    await recordAudit(trx, { actor, userId: ownerId, action: 'application.deleted', target: { type: 'application', id }, metadata: { name: row.name, revoked_tokens: revokedTokens } });
    return { revokedTokens };
  });
}

export async function regenerateClientSecret(ctx: AppContext, ownerId: string, id: string, actor: Actor): Promise<string> {
  await requireOwned(ctx, ownerId, id);
  const clientSecret = generateCredential('cs');
  await ctx.db.transaction().execute(async (trx) => {
    await applications.updateApplication(trx, id, { client_secret_hash: ctx.keys.hash(clientSecret), updated_at: Date.now() });
    await recordAudit(trx, { actor, userId: ownerId, action: 'application.secret_regenerated', target: { type: 'application', id } });
  });
  return clientSecret;
}

const MAX_TOKEN_LIFETIME_SECONDS = 10 * 365 * 24 * 3600;

/**
 * "Generate access token": a new owner token, shown once; the previous one dies in the same
 * transaction. The application row is locked (PostgreSQL) and a partial unique index allows one
 * live owner token per application and user, so parallel clicks leave exactly one valid token.
 */
export async function generateOwnerToken(
  ctx: AppContext,
  ownerId: string,
  id: string,
  input: { scopes?: string | string[]; expires_in?: number | null },
  actor: Actor,
) {
  const scopes = checkScopes(input.scopes, PUBLIC_SCOPES);
  const expiresIn = input.expires_in ?? null;
  if (expiresIn !== null && (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > MAX_TOKEN_LIFETIME_SECONDS)) {
    throw new TesseraError('VALIDATION_FAILED', `'expires_in' must be a whole number of seconds between 60 and ${MAX_TOKEN_LIFETIME_SECONDS}.`);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        await lockRow(trx, ctx.dialect, 'applications', id);
        if (!(await applications.findOwned(trx, id, ownerId))) throw new TesseraError('APPLICATION_NOT_FOUND');
        const now = Date.now();
        const replaced = await tokens.revokeLiveOwnerTokens(trx, id, ownerId, 'regenerated', now);
        const issued = await insertAccessToken(trx, ctx, {
          applicationId: id,
          userId: ownerId,
          kind: 'owner',
          scopes,
          expiresAt: expiresIn === null ? null : now + expiresIn * 1000,
        });
        await recordAudit(trx, {
          actor,
          userId: ownerId,
          action: 'token.generated',
          target: { type: 'access_token', id: issued.id },
          metadata: { application_id: id, scopes, expires_at: issued.expiresAt, replaced_tokens: replaced },
        });
        return issued;
      });
    } catch (err) {
      // The unique index caught a race the lock did not prevent: try again, a few times.
      if (attempt < 3 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}
