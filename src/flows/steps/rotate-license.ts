import { Type } from 'typebox';
import { rotateLicense } from '../../licenses/rotate-service.js';
import { runActor, type StepType } from './step.js';

interface RotateParams {
  license_key: string;
  product_id?: string;
  product_permalink?: string;
  grace_period_seconds?: number;
}

/**
 * A leaked key: the license gets a new key (the licenses service's rotate, uses and purchase
 * kept) and the old key stops verifying at once, or after a grace period. Output: the new key,
 * for a later step (send_email) to give the buyer. Declare `outputs` to keep it out of the run;
 * where it stays in, the run's outputs are stored encrypted (sealed-outputs.ts).
 */
export const rotateLicenseStep: StepType = {
  type: 'rotate_license',
  summary: 'Replace a license key (the old one stops verifying); output {license_key, uses, email}',
  params: Type.Object({
    license_key: Type.String({ minLength: 1, maxLength: 255 }),
    product_id: Type.Optional(Type.String({ maxLength: 100 })),
    product_permalink: Type.Optional(Type.String({ maxLength: 255 })),
    grace_period_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 * 24 * 3600, description: 'How long the old key still verifies (default 0).' })),
  }),
  async run(params: RotateParams, { ctx, run }) {
    const answer = await rotateLicense(ctx, {
      sellerId: run.userId,
      ref: { licenseKey: params.license_key, productId: params.product_id ?? null, productPermalink: params.product_permalink ?? null },
      actor: runActor(run.id),
      gracePeriodSeconds: params.grace_period_seconds ?? 0,
    });
    const purchase = (answer.purchase ?? {}) as { license_key?: string; email?: string; sale_id?: string; product_name?: string };
    return {
      secrets: purchase.license_key ? [purchase.license_key] : [],
      output: { license_key: purchase.license_key ?? null, uses: answer.uses, email: purchase.email ?? null, sale_id: purchase.sale_id ?? null },
      summary: `rotated the license of sale ${purchase.sale_id ?? '?'} (${purchase.product_name ?? 'product'}); the old key ${params.grace_period_seconds ? `verifies until ${answer.grace_ends_at}` : 'no longer verifies'}`,
    };
  },
};
