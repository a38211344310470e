import { TesseraError } from '../http/errors.js';
import { formatMoney, minimumPrice } from './money.js';
import type { OfferCodeRow } from './tables.js';

/** The price after an offer code: a fixed amount or a percentage off, never below zero. */
export function discountedPrice(price: number, code: Pick<OfferCodeRow, 'amount_cents' | 'percent_off'>): number {
  if (code.percent_off !== null) return Math.max(0, Math.round((price * (100 - code.percent_off)) / 100));
  return Math.max(0, price - (code.amount_cents ?? 0));
}

/** What a code takes off, as the sale's offer_code shows it: `$5` or `50%`. */
export function displayedAmountOff(code: Pick<OfferCodeRow, 'amount_cents' | 'percent_off' | 'currency'>): string {
  return code.percent_off !== null ? `${code.percent_off}%` : formatMoney(code.amount_cents ?? 0, code.currency);
}

/** Gumroad refuses to publish a product an existing code would take below the minimum (but above zero). */
export function assertDiscountsKeepMinimum(price: number, currency: string, codes: OfferCodeRow[]): void {
  const min = minimumPrice(currency);
  for (const code of codes) {
    const after = discountedPrice(price, code);
    if (after > 0 && after < min) {
      throw new TesseraError(
        'CATALOG_INVALID',
        `An existing discount code puts the price of this product below the ${formatMoney(min, currency)} minimum after discount.`,
      );
    }
  }
}
