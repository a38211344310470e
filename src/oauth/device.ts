import { randomInt } from 'node:crypto';
import OAuth2Server from '@node-oauth/oauth2-server';
import type { Actor, AppContext } from '../context.js';
import { recordAudit } from '../audit/record.js';
import { parseScopes } from '../auth/scopes.js';
import { generateCredential, isWellFormedCredential } from '../credentials/credential.js';
import { lockRow } from '../db/database.js';
import { TesseraError } from '../http/errors.js';
import { newId } from '../util/ids.js';
import * as applications from '../applications/store.js';
import { findClient, type OAuthClient } from './clients.js';
import { issueTokenPair, issuedMetadata, revokeGrantInTransaction, type IssuedPair } from './issue.js';
import { allowedScopes } from './model.js';
import * as deviceCodes from './store/device-codes.js';
import * as grants from './store/grants.js';

const { InvalidGrantError, OAuthError } = OAuth2Server;

export const DEVICE_CODE_LIFETIME_SECONDS = 600;
const POLL_INTERVAL_SECONDS = 5;
/** RFC 8628 §6.1: consonants only (no vowels, no look-alikes), 8 characters ≈ 34 bits. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function newUserCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person types: case, spaces and dashes do not matter. */
export function normaliseUserCode(text: string): string {
  return text.toUpperCase().replace(/[^A-Z]/g, '');
}

const oauthError = (name: string, message: string) => new OAuthError(message, { code: 400, name });

/** POST /oauth/device_authorization (RFC 8628 §3.1–3.2). */
export async function startDeviceAuthorization(ctx: AppContext, client: OAuthClient, scope: string | undefined) {
  const scopes = allowedScopes(client, scope === undefined ? undefined : parseScopes(scope));
  if (!scopes) throw new TesseraError('OAUTH_INVALID_SCOPE');
  const deviceCode = generateCredential('dc');
  const userCode = newUserCode();
  const now = Date.now();
  await deviceCodes.insertDeviceCode(ctx.db, {
    id: newId(),
    device_code_hash: ctx.keys.hash(deviceCode),
    user_code_hash: ctx.keys.hash(normaliseUserCode(userCode)),
    application_id: client.id,
    scopes: scopes.join(' '),
    status: 'pending',
    user_id: null,
    grant_id: null,
    poll_interval: POLL_INTERVAL_SECONDS,
    last_polled_at: null,
    created_at: now,
    expires_at: now + DEVICE_CODE_LIFETIME_SECONDS * 1000,
  });
  const verificationUri = `${ctx.config.publicUrl}/device`;
  return {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
    expires_in: DEVICE_CODE_LIFETIME_SECONDS,
    interval: POLL_INTERVAL_SECONDS,
  };
}

/** The pending request a user code names, with its application, for the /device consent page. */
export async function findPendingDeviceRequest(ctx: AppContext, userCode: string) {
  const normalised = normaliseUserCode(userCode);
  if (normalised.length !== 8) return null;
  const row = await deviceCodes.findPendingByUserCodeHash(ctx.db, ctx.keys.hash(normalised), Date.now());
  if (!row) return null;
  const app = await applications.findById(ctx.db, row.application_id);
  if (!app || app.deleted_at !== null) return null;
  const client = await findClient(ctx, app.client_id);
  return client ? { id: row.id, client, scopes: parseScopes(row.scopes) } : null;
}

/** The user approves (a grant is created) or denies; each request is settled once. */
export async function decideDeviceRequest(ctx: AppContext, input: { userId: string; userCode: string; approve: boolean }, actor: Actor): Promise<boolean> {
  const request = await findPendingDeviceRequest(ctx, input.userCode);
  if (!request) return false;
  return ctx.db.transaction().execute(async (trx) => {
    await lockRow(trx, ctx.dialect, 'oauth_device_codes', request.id);
    const now = Date.now();
    const grantId = input.approve ? newId() : null;
    const settled = await deviceCodes.settle(trx, request.id, { status: input.approve ? 'approved' : 'denied', user_id: input.userId, grant_id: grantId }, now);
    if (!settled) return false;
    const metadata = { application_id: request.client.id, client_id: request.client.clientId, scopes: request.scopes, flow: 'device_code' };
    if (grantId) {
      await grants.insertGrant(trx, {
        id: grantId,
        application_id: request.client.id,
        user_id: input.userId,
        type: 'device_code',
        scopes: request.scopes.join(' '),
        confidential: 0,
        created_at: now,
        revoked_at: null,
        revoked_reason: null,
      });
    }
    await recordAudit(trx, {
      actor,
      userId: input.userId,
      action: input.approve ? 'oauth.device_approved' : 'oauth.denied',
      target: grantId ? { type: 'oauth_grant', id: grantId } : { type: 'oauth_device_code', id: request.id },
      metadata,
    });
    return true;
  });
}

type Outcome = { pair: IssuedPair; userId: string } | { error: OAuth2Server.OAuthError };

/** The device polls the token endpoint (RFC 8628 §3.4–3.5). */
export async function exchangeDeviceCode(ctx: AppContext, actor: Actor, input: { presented: string; client: OAuthClient }): Promise<{ pair: IssuedPair; userId: string }> {
  if (!isWellFormedCredential(input.presented, 'dc')) throw new InvalidGrantError('Invalid grant: device code is invalid');
  const found = await deviceCodes.findByDeviceCodeHash(ctx.db, ctx.keys.hash(input.presented));
  if (!found || found.application_id !== input.client.id) throw new InvalidGrantError('Invalid grant: device code is invalid');
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<Outcome> => {
    await lockRow(trx, ctx.dialect, 'oauth_device_codes', found.id);
    const code = (await deviceCodes.findById(trx, found.id))!;
    const now = Date.now();
    if (code.status === 'consumed') {
      await revokeGrantInTransaction(trx, code.grant_id!, 'oauth.code_replayed', 'device_code_replayed', actor);
      return { error: new InvalidGrantError('Invalid grant: device code was already used; the authorization is revoked') };
    }
    if (code.status === 'denied') return { error: oauthError('access_denied', 'The user denied the request.') };
    if (code.expires_at <= now) return { error: oauthError('expired_token', 'The device code expired. Start again.') };
    if (code.last_polled_at !== null && now - code.last_polled_at < code.poll_interval * 1000) {
      await deviceCodes.updateDeviceCode(trx, code.id, { last_polled_at: now, poll_interval: code.poll_interval + 5 });
      return { error: oauthError('slow_down', `Polling too fast: wait ${code.poll_interval + 5} seconds between requests.`) };
    }
    await deviceCodes.updateDeviceCode(trx, code.id, { last_polled_at: now });
    if (code.status === 'pending') return { error: oauthError('authorization_pending', 'The user has not approved the request yet.') };
    await lockRow(trx, ctx.dialect, 'oauth_grants', code.grant_id!);
    const grant = await grants.findWithApplication(trx, code.grant_id!);
    if (!grant || grant.revoked_at !== null || grant.application_deleted_at !== null) return { error: new InvalidGrantError('Invalid grant: the authorization was revoked') };
    if (input.client.authenticated) await grants.markConfidential(trx, grant.id);
    const pair = await issueTokenPair(trx, ctx, grant, { scopes: parseScopes(grant.scopes), lifetimeSeconds: grant.access_token_lifetime, withRefreshToken: true });
    await deviceCodes.updateDeviceCode(trx, code.id, { status: 'consumed' });
    await recordAudit(trx, {
      actor,
      userId: grant.user_id,
      action: 'oauth.token_issued',
      target: { type: 'access_token', id: pair.accessTokenId },
      metadata: issuedMetadata(grant, pair),
    });
    return { pair, userId: grant.user_id };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome;
}
