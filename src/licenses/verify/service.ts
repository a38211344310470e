// License verification (POST /v2/licenses/verify): the engine, in the order a request meets it.
//
//   route (src/licenses/routes.ts)     parameters read raw (verifyRef), no schema validation
//     → verifyLicense (this file)      the failure limiter first: an address over its limit is 429 at once
//     → batcher (batcher.ts)           the ticket waits for the next batch (full queue: 503)
//         one transaction per batch:
//         → cache (cache.ts)           views by key, trusted while license_view_epoch holds;
//                                      missing keys hashed (HMAC) and read by store.ts, one statement
//         → verdict (verdict.ts)       one ordered column of checks per ticket → an outcome;
//                                      REFUSALS maps each refusal to its error once
//         → tally (tally.ts)           the batch's uses counted at once (PostgreSQL in place; SQLite
//                                      appended to license_use_log, folded later), and each found
//                                      license's verifications added to its day
//         commit, then every ticket is answered with its own count, in arrival order
//     → answer (../present.ts)         the LicenseAnswer as JSON text, the purchase serialized once per view
//     a refusal counts against the caller's address (limiter.ts, shared by every node) and may turn 429
//
// Every part is a member of the application context (ctx.licenseVerify, made by createLicenseVerify
// where the context is built), so a test or another process builds its own with its own settings.
import type { AppContext } from '../../context.js';
import { TesseraError } from '../../http/errors.js';
import { normaliseLicenseKey } from '../key.js';
import type { LicenseRef } from '../params.js';
import { licenseAnswerJson } from '../present.js';
import { VerifyBatcher } from './batcher.js';
import { LicenseViewCache } from './cache.js';
import { verifyFailureLimiter, type VerifyFailureLimiter } from './limiter.js';
import { LoggedUses, UpdatedUses, type UseTally } from './tally.js';

/** The verify engine's parts, one set per application context (ctx.licenseVerify). */
export interface LicenseVerify {
  batcher: VerifyBatcher;
  cache: LicenseViewCache;
  tally: UseTally;
  /** Failed verifications per client address; license files and the Lemon Squeezy API count against it too. */
  limiter: VerifyFailureLimiter;
}

/** Builds the engine from the context's database, keys, clock, limiters and settings. */
export function createLicenseVerify(ctx: Pick<AppContext, 'db' | 'dialect' | 'keys' | 'clock' | 'config' | 'limiters'>): LicenseVerify {
  const cache = new LicenseViewCache(ctx.config.licenseCacheSize);
  const tally: UseTally = ctx.dialect === 'postgres' ? new UpdatedUses() : new LoggedUses(ctx.db, ctx.config.licenseUseFoldDelayMs);
  return {
    cache,
    tally,
    batcher: new VerifyBatcher(ctx, cache, tally, ctx.config.licenseVerifyQueueLimit),
    limiter: verifyFailureLimiter(ctx.limiters),
  };
}

/**
 * POST /v2/licenses/verify: finds the license by its key, judges it (verdict), and counts a use
 * unless asked not to. The answer (JSON text of a LicenseAnswer) waits for the use to commit
 * (see VerifyBatcher). Every failure counts against the caller's IP; over the limit, 429. A full
 * verify queue answers 503 with Retry-After.
 */
export async function verifyLicense(ctx: AppContext, ref: LicenseRef & { incrementUses: boolean }, ip: string): Promise<string> {
  const { limiter, batcher } = ctx.licenseVerify;
  const wait = limiter.retryAfter(ip);
  if (wait > 0) throw TesseraError.rateLimited(wait, `Too many failed license verifications. Try again in ${wait} seconds.`);
  try {
    if (ref.licenseKey === null) throw new TesseraError('LICENSE_NOT_FOUND');
    // Matched in normal form (decision 9), so every casing shares one cache entry and one HMAC.
    const licenseKey = normaliseLicenseKey(ref.licenseKey);
    const { license, uses, viaGraceKey } = await batcher.submit({ key: licenseKey, ref, increment: ref.incrementUses });
    return licenseAnswerJson(ctx, license, { uses, licenseKey, graceEndsAt: viaGraceKey ? license.view.grace_ends_at! : undefined });
  } catch (err) {
    // A full queue (503) is the server's state, not the caller's mistake: not counted.
    if (err instanceof TesseraError && err.code !== 'LICENSE_VERIFY_BUSY') {
      // Counted for every node; the failure that goes over the limit is answered 429.
      const over = await limiter.hit(ip);
      if (over > 0) throw TesseraError.rateLimited(over, `Too many failed license verifications. Try again in ${over} seconds.`);
    }
    throw err;
  }
}
