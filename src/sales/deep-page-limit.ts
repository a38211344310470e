import type { AppContext } from '../context.js';
import { TesseraError } from '../http/errors.js';
import { limiterKeyOf } from '../http/client-address.js';

/** Pages up to this one are cheap enough to leave alone (Gumroad's Rack::Attack rule, contract §3.6). */
const LAST_FREE_PAGE = 10;

/** Whether the deprecated `page` asks for a deep offset; read as Ruby's `to_i` does ("12abc" is 12). */
function isDeepPage(page: unknown): boolean {
  return typeof page === 'string' && Number.parseInt(page, 10) > LAST_FREE_PAGE;
}

/**
 * GET /v2/sales with `page` beyond 10 runs a deep offset query: such requests count against the
 * client IP (TESSERA_SALES_DEEP_PAGE_LIMIT_PER_IP per TESSERA_SALES_DEEP_PAGE_LIMIT_WINDOW seconds);
 * over the limit, 429 with Retry-After. Other requests of the route are never counted. Counted in
 * the database, so the limit holds across nodes (src/http/shared-limiter.ts).
 */
export async function takeDeepPageRequest(ctx: AppContext, ip: string, page: unknown): Promise<void> {
  if (!isDeepPage(page)) return;
  const wait = await ctx.limiters.salesDeepPage.take(limiterKeyOf(ip));
  if (wait > 0) {
    throw TesseraError.rateLimited(wait, `Too many requests for pages beyond ${LAST_FREE_PAGE}. Page with page_key instead, or try again in ${wait} seconds.`);
  }
}
