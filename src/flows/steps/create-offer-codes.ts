import { Type } from 'typebox';
import { createOfferCode } from '../../catalog/offer-code-service.js';
import { TesseraError } from '../../http/errors.js';
import { newPublicId } from '../../util/ids.js';
import { StepError, runActor, type StepType } from './step.js';

interface CodesParams {
  product_id: string;
  count: number;
  amount_cents?: number;
  percent_off?: number;
  prefix?: string;
  max_purchase_count?: number;
  universal?: boolean;
}

/**
 * Makes `count` discount codes `<PREFIX>-<8 random characters>` for a product through the
 * catalog's offer code service (same rules as the API), single-use unless told otherwise.
 */
export const createOfferCodesStep: StepType = {
  type: 'create_offer_codes',
  summary: 'Make N unique discount codes (an amount or a percent); output {codes}',
  params: Type.Object({
    product_id: Type.String({ minLength: 1, maxLength: 100 }),
    count: Type.Integer({ minimum: 1, maximum: 500 }),
    amount_cents: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    percent_off: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    prefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,40}$' })),
    max_purchase_count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Uses per code (default 1).' })),
    universal: Type.Optional(Type.Boolean({ description: 'Valid for all products of the same currency.' })),
  }),
  check(p: CodesParams) {
    return (p.amount_cents === undefined) !== (p.percent_off === undefined) ? null : 'give exactly one of amount_cents, percent_off';
  },
  async run(p: CodesParams, { ctx, run }) {
    const amount = p.percent_off !== undefined ? { amount_off: p.percent_off, offer_type: 'percent' } : { amount_off: p.amount_cents, offer_type: 'cents' };
    const codes: string[] = [];
    for (let i = 0; i < p.count; i++) {
      const name = `${p.prefix ?? 'FLOW'}-${newPublicId(8).toUpperCase()}`;
      try {
        const code = await createOfferCode(ctx, run.userId, p.product_id, { name, ...amount, max_purchase_count: p.max_purchase_count ?? 1, universal: p.universal ?? false }, runActor(run.id));
        codes.push(code.name);
      } catch (err) {
        if (!(err instanceof TesseraError)) throw err;
        throw new StepError(`${err.message.replace(/\.$/, '')}; ${codes.length} of ${p.count} codes were made before it`);
      }
    }
    return { output: { codes, count: codes.length }, summary: `${codes.length} discount codes made for product ${p.product_id}` };
  },
};
