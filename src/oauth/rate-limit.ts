import type { AppContext } from '../context.js';
import { limiterKeyOf } from '../http/client-address.js';
import { TesseraError } from '../http/errors.js';
import { takeAll } from '../http/shared-limiter.js';

/**
 * Every request to /oauth/token counts against its client address (IPv6 by /64) and its
 * client_id (TESSERA_OAUTH_TOKEN_LIMIT_*), reserved before any database work or secret check,
 * so a parallel burst lets at most the limit through; over either limit: 429 with Retry-After.
 * Counted in the database (atomic conditional upserts, src/http/shared-limiter.ts): the limits
 * hold across every process and node, bursts included.
 */
export async function takeTokenRequest(ctx: AppContext, ip: string, clientId: string): Promise<void> {
  const { perClient, perIp } = ctx.limiters.oauthToken;
  const address = limiterKeyOf(ip);
  let wait: number;
  try {
    // Both or neither: refused by the client's limit, the address's count is not used either.
    wait = await takeAll(clientId ? [[perIp, address], [perClient, clientId]] : [[perIp, address]]);
  } catch (err) {
    // Too many takes waiting for the database: said in OAuth's words, like a limit.
    if (!(err instanceof TesseraError) || err.code !== 'RATE_LIMITED') throw err;
    wait = err.retryAfter ?? 1;
  }
  if (wait > 0) {
    const error = new TesseraError('OAUTH_RATE_LIMITED', `Too many token requests. Try again in ${wait} seconds.`);
    error.retryAfter = wait;
    throw error;
  }
}
