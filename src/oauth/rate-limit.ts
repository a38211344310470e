import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { RateLimiter } from '../http/rate-limiter.js';

interface TokenLimiters {
  perClient: RateLimiter;
  perIp: RateLimiter;
}
const limitersByContext = new WeakMap<AppContext, TokenLimiters>();

function limiters(ctx: AppContext): TokenLimiters {
  let l = limitersByContext.get(ctx);
  if (!l) {
    const { tokenLimitPerClient, tokenLimitPerIp, tokenLimitWindowSeconds } = ctx.config.oauth;
    const windowMs = tokenLimitWindowSeconds * 1000;
    l = { perClient: new RateLimiter(tokenLimitPerClient, windowMs), perIp: new RateLimiter(tokenLimitPerIp, windowMs) };
    limitersByContext.set(ctx, l);
  }
  return l;
}

/**
 * Every request to /oauth/token counts against its IP and its client_id (TESSERA_OAUTH_TOKEN_LIMIT_*);
 * over either limit: 429 with Retry-After, before any database work.
 */
export function takeTokenRequest(ctx: AppContext, ip: string, clientId: string): void {
  const { perClient, perIp } = limiters(ctx);
  const wait = perIp.take(ip) || (clientId ? perClient.take(clientId) : 0);
  if (wait > 0) {
    const error = new TesseraError('OAUTH_RATE_LIMITED', `Too many token requests. Try again in ${wait} seconds.`);
    error.retryAfter = wait;
    throw error;
  }
}
