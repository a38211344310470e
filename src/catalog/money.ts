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

/** Display price as Gumroad writes it: `$1`, `$1.50`, `$1,000`, `¥500` (no cents when whole). */
export function formatMoney(cents: number, currency: string): string {
  const zero = CURRENCIES[currency]?.zeroDecimal === true;
  const units = zero ? cents : cents / 100;
  const whole = Number.isInteger(units);
  const text = units.toLocaleString('en-US', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 });
  return `${currencySymbol(currency)}${text}`;
}
