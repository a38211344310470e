import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

const coercing = makeAjv('array');
const strict = makeAjv(false);

/**
 * Validators already compiled, per Ajv, by their schema's JSON: Ajv caches by schema object, and
 * the routes' schemas are new objects in each server a process builds (the test shards build
 * hundreds). Bounded by the schemas in the code; no request reaches it.
 */
const compiled = new Map<Ajv, Map<string, ValidateFunction>>([
  [coercing, new Map()],
  [strict, new Map()],
]);
function compile(ajv: Ajv, schema: unknown): ValidateFunction {
  const cache = compiled.get(ajv)!;
  const key = JSON.stringify(schema);
  let validate = cache.get(key);
  if (!validate) {
    validate = ajv.compile(schema as object);
    cache.set(key, validate);
  }
  return validate;
}

/**
 * Tessera's own JSON API (/api/..., not the legacy /api/v2) validates bodies strictly: a number
 * where a string belongs is a 400. Query strings, path parameters and the Gumroad-compatible v2
 * routes coerce, because Rails clients send every value as a string in forms and queries.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, url, httpPart }) => {
  const isOwnJsonApi = url.startsWith('/api/') && !url.startsWith('/api/v2');
  const ajv = httpPart === 'body' && isOwnJsonApi ? strict : coercing;
  // Compiled on the route's first request, not at start: hundreds of route schemas made start-up
  // pay ~1 s of ajv code generation for routes a given process may never serve.
  let validate: ValidateFunction | undefined;
  const lazy = (data: unknown) => {
    validate ??= compile(ajv, schema);
    const ok = validate(data);
    lazy.errors = validate.errors;
    return ok;
  };
  lazy.errors = null as ValidateFunction['errors'];
  return lazy as ReturnType<FastifySchemaCompiler<object>>;
};
