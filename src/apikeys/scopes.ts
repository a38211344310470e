/**
 * What an API key may do in the flows API. `flows:run` starts and kills runs and implies
 * `flows:read` (runs, saved items, workbooks, inputs).
 */
export const API_KEY_SCOPES = ['flows:run', 'flows:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const DEFAULT_API_KEY_SCOPES: ApiKeyScope[] = ['flows:run'];

export function keyAllows(granted: readonly string[], needed: ApiKeyScope): boolean {
  return granted.includes(needed) || (needed === 'flows:read' && granted.includes('flows:run'));
}
