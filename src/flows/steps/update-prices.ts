import { Type } from 'typebox';
import { listProducts, updateProductPrice } from '../../catalog/product-service.js';
import { TesseraError } from '../../http/errors.js';
import { StepError, runActor, type StepType } from './step.js';

interface PriceParams {
  product_ids?: string[];
  name_contains?: string;
  published_only?: boolean;
  set_cents?: number;
  add_cents?: number;
  scale_percent?: number;
}

const CHANGES = ['set_cents', 'add_cents', 'scale_percent'] as const;

function newPrice(price: number, p: PriceParams): number {
  if (p.set_cents !== undefined) return p.set_cents;
  if (p.add_cents !== undefined) return Math.max(0, price + p.add_cents);
  return Math.round((price * p.scale_percent!) / 100);
}

/**
 * Changes the price of the products matching a filter (ids, a name fragment, published only):
 * set it, add to it (negative lowers it) or scale it (110 = +10 %). Each product goes through the
 * catalog's own price rules; the first refusal stops the step and says how far it got.
 */
export const updatePricesStep: StepType = {
  type: 'update_prices',
  summary: 'Set, add to or scale the price of matching products; output {updated: [{id, name, from, to}]}',
  params: Type.Object({
    product_ids: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 500 })),
    name_contains: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    published_only: Type.Optional(Type.Boolean()),
    set_cents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    add_cents: Type.Optional(Type.Integer({ minimum: -100_000_000, maximum: 100_000_000 })),
    scale_percent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
  }),
  check(p: PriceParams) {
    const given = CHANGES.filter((c) => p[c] !== undefined);
    return given.length === 1 ? null : `give exactly one of ${CHANGES.join(', ')}`;
  },
  async run(p: PriceParams, { ctx, run }) {
    const all = await listProducts(ctx, run.userId, false);
    const fragment = p.name_contains?.toLowerCase();
    const chosen = all.filter(
      (product) =>
        (!p.product_ids || p.product_ids.includes(product.id)) &&
        (!fragment || product.name.toLowerCase().includes(fragment)) &&
        (!p.published_only || product.published),
    );
    const updated: { id: string; name: string; from: number; to: number }[] = [];
    for (const product of chosen) {
      const to = newPrice(product.price, p);
      if (to === product.price) continue;
      try {
        await updateProductPrice(ctx, run.userId, product.id, to, runActor(run.id));
      } catch (err) {
        if (!(err instanceof TesseraError)) throw err;
        throw new StepError(`${product.name} (${product.id}): ${err.message.replace(/\.$/, '')}; ${updated.length} of ${chosen.length} products were changed before it`);
      }
      updated.push({ id: product.id, name: product.name, from: product.price, to });
    }
    return { output: { updated, matched: chosen.length }, summary: `${chosen.length} products matched, ${updated.length} prices changed` };
  },
};
