import type { Scenario } from '../scenario.js';
import { sharedLicenses, totalUses } from './verify-seed.js';

let productId = '';

/**
 * POST /v2/licenses/verify with the use counted, cycling through 1,000 keys spread over the
 * `--licenses N` seeded ones (form body, as `curl -d` sends it). Afterwards the stored uses must
 * have grown by exactly the acknowledged (2xx) answers, plus at most the requests autocannon cut
 * off when it stopped (sent, committed, never answered to it).
 */
export const verifyScenario: Scenario = {
  name: 'POST /v2/licenses/verify (use counted)',
  unit: 'verifications/s',
  goal: 0.6,
  async prepare({ ctx, args }) {
    const count = Number(args.licenses ?? 10_000);
    const started = Date.now();
    const seeded = await sharedLicenses(ctx, count);
    console.log(`seeded ${count} licenses in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    productId = seeded.productId;
    return {
      method: 'POST',
      path: '/v2/licenses/verify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      bodies: seeded.sample.map((key) => new URLSearchParams({ product_id: seeded.productId, license_key: key }).toString()),
    };
  },
  async verify({ ctx }, { acknowledged, cutOff }) {
    const grown = await totalUses(ctx, productId);
    const ok = grown >= acknowledged && grown <= acknowledged + cutOff;
    return `${ok ? 'OK' : 'MISMATCH'}: stored uses grew by ${grown}; ${acknowledged} answered 2xx, ${grown - acknowledged} more from the ${cutOff} requests cut off unanswered when autocannon stopped`;
  },
};
