import { FORBIDDEN_NAMES } from '../http/input-guard.js';

/**
 * Templates in flow steps: `{{ inputs.email }}`, `{{ steps.fetch.body.items.0.id }}`,
 * `{{ run.id }}`, with filters `| json` and `| urlencode`. A string that is one whole template
 * keeps the value's type (an object stays an object); inside text, values are stringified.
 */
export class TemplateError extends Error {}

export interface TemplateScope {
  inputs: Record<string, unknown>;
  steps: Record<string, unknown>;
  run: Record<string, unknown>;
}

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;
const PATH = /^(inputs|steps|run)((?:\.[A-Za-z0-9_-]+)+)$/;
const FILTERS = ['json', 'urlencode'] as const;
type Filter = (typeof FILTERS)[number];

interface Expression {
  source: string;
  root: 'inputs' | 'steps' | 'run';
  path: string[];
  filters: Filter[];
}

function parseExpression(text: string): Expression {
  const [head, ...rest] = text.split('|').map((part) => part.trim());
  const match = PATH.exec(head ?? '');
  if (!match) throw new TemplateError(`"{{ ${text} }}" must name inputs.<name>, steps.<step id>.<field> or run.<field>.`);
  const path = match[2]!.slice(1).split('.');
  if (path.some((segment) => FORBIDDEN_NAMES.has(segment))) throw new TemplateError(`"{{ ${text} }}" may not name __proto__, constructor or prototype.`);
  const filters = rest.map((f) => {
    if (!(FILTERS as readonly string[]).includes(f)) throw new TemplateError(`"{{ ${text} }}" uses the unknown filter "${f}" (known: ${FILTERS.join(', ')}).`);
    return f as Filter;
  });
  return { source: text, root: match[1] as Expression['root'], path, filters };
}

/** Every template expression in a string; throws TemplateError on a malformed one. */
export function parseTemplates(text: string): Expression[] {
  if (text.includes('{{') && text.replace(TAG, '').includes('{{')) throw new TemplateError(`Unclosed "{{" in "${text.slice(0, 80)}".`);
  return [...text.matchAll(TAG)].map((m) => parseExpression(m[1]!));
}

function lookup(scope: TemplateScope, expr: Expression): unknown {
  let value: unknown = scope[expr.root];
  const walked: string[] = [expr.root];
  for (const key of expr.path) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) {
      throw new TemplateError(`"{{ ${expr.source} }}": ${walked.join('.')} has no "${key}".`);
    }
    value = (value as Record<string, unknown>)[key];
    walked.push(key);
  }
  for (const filter of expr.filters) {
    value = filter === 'json' ? JSON.stringify(value ?? null) : encodeURIComponent(asText(value));
  }
  return value;
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Resolves the templates of one string. */
export function renderString(text: string, scope: TemplateScope): unknown {
  const expressions = parseTemplates(text);
  if (expressions.length === 0) return text;
  const whole = /^\{\{[^{}]*\}\}$/.test(text.trim()) && expressions.length === 1;
  if (whole) return lookup(scope, expressions[0]!);
  let i = 0;
  return text.replace(TAG, () => asText(lookup(scope, expressions[i++]!)));
}

/** Resolves every string inside a JSON value (object keys stay as they are). */
export function renderValue(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, scope));
  if (value && typeof value === 'object') {
    // Object.fromEntries defines own properties: a key never reaches a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (FORBIDDEN_NAMES.has(k)) throw new TemplateError(`The key "${k}" is not allowed in a flow step.`);
        return [k, renderValue(v, scope)];
      }),
    );
  }
  return value;
}

/** Every expression inside a JSON value, for checks at save time. */
export function collectExpressions(value: unknown): Expression[] {
  if (typeof value === 'string') return parseTemplates(value);
  if (Array.isArray(value)) return value.flatMap(collectExpressions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(collectExpressions);
  return [];
}
