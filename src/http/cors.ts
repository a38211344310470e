import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * The paths a browser may call from any origin, as on Gumroad's API host: API v2 (and its legacy
 * /api/v2 copy, the License API included), Gumloop's /api/v1, and the OAuth endpoints a public
 * (PKCE) client calls from a page, Lemon Squeezy's License API (/v1/licenses) and the license-file JWKS. Session and dashboard routes are not here, so they never carry
 * Access-Control-Allow-Origin and their preflights are 404.
 */
const API_PREFIXES = ['/v2/', '/api/v2/', '/api/v1/', '/v1/licenses/'];
const OAUTH_PATHS = new Set([
  '/oauth/token',
  '/oauth/token/info',
  '/oauth/revoke',
  '/oauth/introspect',
  '/oauth/device_authorization',
  '/.well-known/oauth-authorization-server',
  '/.well-known/jwks.json',
]);

/** The request's path, query cut, repeated and trailing slashes collapsed (as the router does). */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  let path = (q === -1 ? url : url.slice(0, q)).replace(/\/{2,}/g, '/');
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

export function isCrossOriginApiPath(url: string): boolean {
  const path = pathOf(url);
  if (OAUTH_PATHS.has(path)) return true;
  const withSlash = `${path}/`;
  return API_PREFIXES.some((prefix) => withSlash.startsWith(prefix));
}

/**
 * @fastify/cors for the API paths only: every origin, no credentials (tokens travel in the
 * Authorization header or the body, never in cookies), preflights answered 204 and cached a day.
 */
export async function registerApiCors(app: FastifyInstance): Promise<void> {
  await app.register(cors, {
    delegator: (request: FastifyRequest, callback) => {
      if (!isCrossOriginApiPath(request.url)) return callback(null, { origin: false });
      callback(null, {
        origin: '*',
        credentials: false,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
        maxAge: 86400,
        // Pagination and rate-limit answers carry headers a page may read.
        exposedHeaders: ['WWW-Authenticate', 'Retry-After', 'Link'],
      });
    },
  });
}
