/** Scope names and sets from the Gumroad contract (Tessera's decisions 4; §2). */
export const DEFAULT_SCOPE = 'view_public';
export const PUBLIC_SCOPES = [
  'view_profile',
  'edit_products',
  'view_sales',
  'mark_sales_as_shipped',
  'refund_sales',
  'edit_sales',
] as const;
export const OPTIONAL_SCOPES = ['revenue_share', 'ifttt', 'account'] as const;
export const ALL_SCOPES: readonly string[] = [DEFAULT_SCOPE, ...PUBLIC_SCOPES, ...OPTIONAL_SCOPES];
/** READ (§2.2): any public scope or view_public. */
export const READ_SCOPES: readonly string[] = [...PUBLIC_SCOPES, DEFAULT_SCOPE, 'revenue_share', 'ifttt'];
/** Scopes that reveal the user's email, profile URL and currency (§2.4). */
export const RICH_USER_SCOPES: readonly string[] = ['edit_products', 'view_sales', 'revenue_share', 'ifttt', 'view_profile'];

/** Plain words for the consent page and the dashboard. */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  view_public: 'See your public profile',
  view_profile: 'See your profile, including your email address',
  edit_products: 'Create, edit and delete your products, discount codes and licenses',
  view_sales: 'See your sales and subscribers',
  mark_sales_as_shipped: 'Mark your sales as shipped',
  refund_sales: 'Refund your sales',
  edit_sales: 'Record and refund sales',
  revenue_share: 'See your revenue shares',
  ifttt: 'Connect your account to IFTTT',
  account: 'Full access to your account',
};

export function parseScopes(text: string | null | undefined): string[] {
  return [...new Set((text ?? '').split(/[\s,]+/).filter(Boolean))];
}

/** Names that are not scopes, so callers can reject them with a clear message. */
export function unknownScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !ALL_SCOPES.includes(s));
}

/** A token passes when it holds any one of the accepted scopes; `account` passes everything. */
export function scopesAllow(granted: ReadonlySet<string> | readonly string[], accepted: readonly string[]): boolean {
  const has = (s: string) => ('has' in granted ? granted.has(s) : granted.includes(s));
  if (has('account')) return true;
  return accepted.some(has);
}
