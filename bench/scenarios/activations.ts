import type { Scenario } from '../scenario.js';
import { sharedLicenses as seeded } from './verify-seed.js';

let productId = '';

async function activationCount(ctx: Parameters<Scenario['prepare']>[0]['ctx']): Promise<number> {
  const row = await ctx.db
    .selectFrom('license_activations')
    .innerJoin('licenses', 'licenses.id', 'license_activations.license_id')
    .innerJoin('products', 'products.id', 'licenses.product_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('products.external_id', '=', productId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * POST /v1/licenses/activate (Lemon Squeezy's), form body, cycling through 1,000 of the
 * `--licenses N` seeded keys of an unlimited product: each request takes the license's lock,
 * counts its seats and inserts one instance. Afterwards the stored instances must equal the
 * acknowledged answers, plus at most the requests cut off when autocannon stopped.
 */
export const activateScenario: Scenario = {
  name: 'POST /v1/licenses/activate (seat taken)',
  unit: 'activations/s',
  async prepare({ ctx, args }) {
    const { productId: id, sample } = await seeded(ctx, Number(args.licenses ?? 10_000));
    productId = id;
    return {
      method: 'POST',
      path: '/v1/licenses/activate',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      bodies: sample.map((key, i) => new URLSearchParams({ license_key: key, instance_name: `bench ${i}` }).toString()),
    };
  },
  async verify({ ctx }, { acknowledged, cutOff }) {
    const stored = await activationCount(ctx);
    const ok = stored >= acknowledged && stored <= acknowledged + cutOff;
    return `${ok ? 'OK' : 'MISMATCH'}: ${stored} instances stored; ${acknowledged} answered 2xx, ${cutOff} cut off unanswered`;
  },
};

/** POST /v2/licenses/file: one Ed25519 signature (and a few reads) per request, cycling through 1,000 keys. */
export const licenseFileScenario: Scenario = {
  name: 'POST /v2/licenses/file (file signed)',
  unit: 'license files signed/s',
  async prepare({ ctx, args }) {
    const { productId: id, sample } = await seeded(ctx, Number(args.licenses ?? 10_000));
    return {
      method: 'POST',
      path: '/v2/licenses/file',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      bodies: sample.map((key) => new URLSearchParams({ license_key: key, product_id: id }).toString()),
    };
  },
};
