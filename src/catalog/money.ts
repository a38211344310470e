/** Currencies a product may be priced in: symbol, and whether the smallest unit is the whole unit. */
const CURRENCIES: Record<string, { symbol: string; zeroDecimal?: true }> = {
  usd: { symbol: '$' },
  eur: { symbol: '€' },
  gbp: { symbol: '£' },
  jpy: { symbol: '¥', zeroDecimal: true },
  inr: { symbol: '₹' },
  aud: { symbol: 'A$' },
  cad: { symbol: 'C$' },
  hkd: { symbol: 'HK$' },
  sgd: { symbol: 'S$' },
  twd: { symbol: 'NT$' },
  nzd: { symbol: 'NZ$' },
  brl: { symbol: 'R$' },
  zar: { symbol: 'R' },
  chf: { symbol: 'CHF' },
  ils: { symbol: '₪' },
  php: { symbol: '₱' },
  krw: { symbol: '₩', zeroDecimal: true },
  pln: { symbol: 'zł' },
  czk: { symbol: 'Kč' },
  sek: { symbol: 'kr' },
  dkk: { symbol: 'kr.' },
  nok: { symbol: 'kr' },
};

export function isCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCIES, code);
}

export function currencySymbol(currency: string): string {
  return CURRENCIES[currency]?.symbol ?? currency.toUpperCase();
}

/** The lowest paid price (a product may also be free): $0.99 and its equivalents, ¥100. */
export function minimumPrice(currency: string): number {
  return CURRENCIES[currency]?.zeroDecimal ? 100 : 99;
}

/** The amount as a plain decimal string in the currency's unit: `9.99`, `1000` for yen. */
export function decimalAmount(cents: number, currency: string): string {
  return CURRENCIES[currency]?.zeroDecimal ? String(cents) : (cents / 100).toFixed(2);
}

// Made once: toLocaleString with options builds a new Intl.NumberFormat on every call (tens of
// µs each; GET /v2/products formats every product's price, GET /v2/sales every sale's twice).
const WHOLE = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 });
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Display price as Gumroad writes it: `$1`, `$1.50`, `$1,000`, `¥500` (no cents when whole). */
export function formatMoney(cents: number, currency: string): string {
  const zero = CURRENCIES[currency]?.zeroDecimal === true;
  const units = zero ? cents : cents / 100;
  const text = (Number.isInteger(units) ? WHOLE : CENTS).format(units);
  return `${currencySymbol(currency)}${text}`;
}

/** The currencies a product may be priced in, for the dashboard's picker. */
export const CURRENCY_CODES: readonly string[] = Object.keys(CURRENCIES);

/**
 * An amount typed in the currency's unit (`9.99`, `10`, `1,000.50`; `1000` for yen) in its
 * smallest unit (999, 1000, 100050); `signed` lets a minus through (a cheaper option). Null when
 * the text is not such an amount, or has more decimals than the currency.
 */
export function smallestUnits(text: string, currency: string, signed = false): number | null {
  const trimmed = text.trim().replace(/^[^\d.,-]+/, '').replace(/,/g, '');
  const match = (signed ? /^(-?)(\d{1,10})(?:\.(\d{1,2}))?$/ : /^()(\d{1,10})(?:\.(\d{1,2}))?$/).exec(trimmed);
  if (!match) return null;
  const zero = CURRENCIES[currency]?.zeroDecimal === true;
  const [, minus, whole, fraction] = match;
  if (zero && fraction !== undefined && Number(fraction) !== 0) return null;
  const units = zero ? Number(whole) : Number(whole) * 100 + Number((fraction ?? '0').padEnd(2, '0'));
  return minus ? -units : units;
}
