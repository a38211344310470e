import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FORBIDDEN_NAMES, inputProblem, isForbiddenName } from '../../src/http/input-guard.js';
import { ForbiddenNameError, foldBracketKeys } from '../../src/http/params.js';

/** Properties of the parameter folding (src/http/params.ts) and the edge check (input-guard.ts). */
const SEED = 1107;
const runs = { seed: SEED, numRuns: 300 };

const plainName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,11}$/).filter((n) => !FORBIDDEN_NAMES.has(n));
const value = fc.string({ maxLength: 20 });
const forbidden = fc.constantFrom(...FORBIDDEN_NAMES);
/** Any key a client could send: plain, bracketed, nested, broken, or carrying a forbidden name. */
const anyKey = fc.oneof(
  plainName,
  fc.tuple(plainName, plainName).map(([a, b]) => `${a}[${b}]`),
  plainName.map((a) => `${a}[]`),
  fc.tuple(plainName, plainName, plainName).map(([a, b, c]) => `${a}[${b}][${c}]`),
  fc.tuple(forbidden, plainName).map(([f, b]) => `${f}[${b}]`),
  fc.tuple(plainName, forbidden).map(([a, f]) => `${a}[${f}]`),
  forbidden,
  fc.string({ maxLength: 12 }),
);

/** Encodes {name: string | string[] | {key: string}} the Rails way. */
function encode(params: Record<string, string | string[] | Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(params)) {
    if (typeof v === 'string') out[name] = v;
    else if (Array.isArray(v)) out[`${name}[]`] = v.length === 1 ? v[0] : v;
    else for (const [k, inner] of Object.entries(v)) out[`${name}[${k}]`] = inner;
  }
  return out;
}

function assertNoPrototypes(value: unknown): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  assert.equal(Object.getPrototypeOf(value), null);
  for (const v of Object.values(value)) assertNoPrototypes(v);
}

describe('parameter folding (property-based)', () => {
  it('round-trips Rails-style a[b]=1 and a[]=x parameters', () => {
    const paramValue = fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 4 }), fc.dictionary(plainName, value, { minKeys: 1, maxKeys: 4 }));
    fc.assert(
      fc.property(fc.dictionary(plainName, paramValue, { maxKeys: 6 }), (params) => {
        const folded = foldBracketKeys(encode(params));
        assert.deepEqual(JSON.parse(JSON.stringify(folded)), JSON.parse(JSON.stringify(params)));
        assertNoPrototypes(folded);
      }),
      runs,
    );
  });

  it('never builds an object with a prototype, never touches Object.prototype, and throws only ForbiddenNameError', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(anyKey, fc.oneof(value, fc.array(value, { maxLength: 3 }))), { maxLength: 10 }), (pairs) => {
        const input = Object.create(null) as Record<string, unknown>;
        for (const [k, v] of pairs) input[k] = v;
        const hasForbidden = Object.keys(input).some(isForbiddenName);
        try {
          const folded = foldBracketKeys(input);
          assert.equal(hasForbidden, false, 'a forbidden name was folded');
          assertNoPrototypes(folded);
        } catch (err) {
          assert.ok(err instanceof ForbiddenNameError, String(err));
          assert.equal(hasForbidden, true);
        }
        assert.equal(({} as Record<string, unknown>).constructor, Object);
        assert.deepEqual(Object.keys(Object.prototype), []);
      }),
      runs,
    );
  });

  it('folds repeated keys into lists, and a[] after a[] appends', () => {
    fc.assert(
      fc.property(plainName, fc.array(value, { minLength: 1, maxLength: 5 }), fc.array(value, { minLength: 1, maxLength: 5 }), (name, first, second) => {
        // fast-querystring hands a repeated key over as an array; a[] twice arrives the same way.
        const folded = foldBracketKeys({ [`${name}[]`]: [...first, ...second] });
        assert.deepEqual(folded[name], [...first, ...second]);
        // A plain key that comes first wins over a bracketed key of the same name (Rails).
        const plainFirst = foldBracketKeys({ [name]: 'plain', [`${name}[]`]: first });
        assert.ok(Array.isArray(plainFirst[name]) || plainFirst[name] === 'plain');
      }),
      runs,
    );
  });
});

describe('edge check of parsed input (property-based)', () => {
  /** A JSON-like value, possibly with forbidden keys or NUL bytes anywhere. */
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(anyKey, tie('tree'), { maxKeys: 3 })),
  }));

  function expected(value: unknown, depth = 0): boolean {
    if (typeof value === 'string') return value.includes('\u0000');
    if (!value || typeof value !== 'object') return false;
    if (depth >= 32) return true;
    if (Array.isArray(value)) return value.some((v) => expected(v, depth + 1));
    return Object.entries(value).some(([k, v]) => isForbiddenName(k) || /[\u0000-\u001f\u007f]/.test(k) || expected(v, depth + 1));
  }

  it('finds a problem exactly when a forbidden name, a control character in a name or a NUL is inside, and never throws', () => {
    fc.assert(
      fc.property(tree, (input) => {
        // JSON.parse builds objects as a client's body would (own "__proto__" keys included).
        const parsed = JSON.parse(JSON.stringify(input)) as unknown;
        assert.equal(inputProblem(parsed, 'body') !== undefined, expected(parsed));
      }),
      runs,
    );
  });

  it('refuses every control character in a path id, and keeps text in bodies', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.integer({ min: 0, max: 31 }), (text, code) => {
        const id = text + String.fromCharCode(code);
        assert.ok(inputProblem({ id }, 'path'));
        const inBody = inputProblem({ text: id }, 'body');
        assert.equal(inBody !== undefined, id.includes('\u0000'));
      }),
      runs,
    );
  });

  it('answers a very deep body with a problem instead of a stack overflow', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    assert.match(inputProblem(deep, 'body') ?? '', /nests deeper/);
  });
});
