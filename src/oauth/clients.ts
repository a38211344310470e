import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { parseScopes } from '../auth/scopes.js';
import { TesseraError } from '../http/errors.js';
import { safeEqual } from '../credentials/compare.js';
import * as applications from '../applications/store.js';
import type { ClientRow } from '../applications/store.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const SUPPORTED_GRANTS = ['authorization_code', 'refresh_token', 'client_credentials', DEVICE_CODE_GRANT];

/** An application seen as an OAuth client (the shape @node-oauth/oauth2-server expects, plus ours). */
export interface OAuthClient {
  /** The application's id: codes and tokens point to it. */
  id: string;
  clientId: string;
  ownerId: string;
  name: string;
  hasIcon: boolean;
  redirectUris: string[];
  /** Scopes the application may be granted. */
  scopes: string[];
  /** Seconds an access token lives; null = never expires (Gumroad's behaviour). */
  tokenLifetime: number | null;
  grants: string[];
  /** True when this request proved the client secret; false for a public client (PKCE, device). */
  authenticated: boolean;
}

/** The public icon route of an application (src/web/routes/oauth-authorize.tsx; the /api one is owner-only). */
export function iconUrl(client: Pick<OAuthClient, 'clientId' | 'hasIcon'>): string | null {
  return client.hasIcon ? `/oauth/applications/${encodeURIComponent(client.clientId)}/icon` : null;
}

function toClient(row: ClientRow, authenticated: boolean): OAuthClient {
  return {
    id: row.id,
    clientId: row.client_id,
    ownerId: row.owner_id,
    name: row.name,
    hasIcon: row.has_icon === 1,
    redirectUris: row.redirect_uri.split(/\s+/).filter(Boolean),
    scopes: parseScopes(row.scopes),
    tokenLifetime: row.access_token_lifetime,
    grants: SUPPORTED_GRANTS,
    authenticated,
  };
}

/**
 * A live application by client_id; with a secret, only when the secret's HMAC matches the stored
 * one. A deleted application is unknown.
 */
export async function findClient(ctx: AppContext, clientId: string, clientSecret?: string | null): Promise<OAuthClient | null> {
  if (!clientId || clientId.length > 200) return null;
  const row = await applications.findLiveByClientId(ctx.db, ctx.dialect, clientId);
  if (!row) return null;
  if (clientSecret === undefined || clientSecret === null || clientSecret === '') return toClient(row, false);
  return safeEqual(ctx.keys.hash(clientSecret), row.client_secret_hash) ? toClient(row, true) : null;
}

/** Client credentials of a request: HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or the body. */
export function presentedClientCredentials(request: FastifyRequest, params: Record<string, string>) {
  const header = request.headers.authorization;
  const basic = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    if (colon > 0) return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)), basic: true };
  }
  return { clientId: params.client_id ?? '', clientSecret: params.client_secret || undefined, basic: false };
}

/**
 * Authenticates the client of a revocation, introspection or device request. `secretRequired`:
 * a public client (client_id alone) is refused. Failures are invalid_client (401), with the
 * Basic challenge when the client tried Basic.
 */
export async function authenticateClient(ctx: AppContext, request: FastifyRequest, params: Record<string, string>, secretRequired: boolean) {
  const { clientId, clientSecret, basic } = presentedClientCredentials(request, params);
  const fail = (message: string) => new TesseraError(basic ? 'OAUTH_INVALID_CLIENT_BASIC' : 'OAUTH_INVALID_CLIENT', message);
  if (!clientId) throw fail('Client authentication failed: send client_id and client_secret (HTTP Basic or the form body).');
  if (secretRequired && !clientSecret) throw fail('Client authentication failed: this endpoint needs the client secret.');
  const client = await findClient(ctx, clientId, clientSecret);
  if (!client) throw fail('Client authentication failed: unknown client or wrong secret.');
  return client;
}
