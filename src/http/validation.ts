import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { byJsonSchema } from './schema-cache.js';

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

const coercingAjv = makeAjv('array');
const strictAjv = makeAjv(false);
/** Each schema compiled once per process (src/http/schema-cache.ts). */
const coercing = byJsonSchema((schema) => coercingAjv.compile(schema));
const strict = byJsonSchema((schema) => strictAjv.compile(schema));

/**
 * Tessera's own JSON API (/api/..., not the legacy /api/v2) validates bodies strictly: a number
 * where a string belongs is a 400. Query strings, path parameters and the Gumroad-compatible v2
 * routes coerce, because Rails clients send every value as a string in forms and queries.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, url, httpPart }) => {
  const isOwnJsonApi = url.startsWith('/api/') && !url.startsWith('/api/v2');
  const compile = httpPart === 'body' && isOwnJsonApi ? strict : coercing;
  // Compiled on the route's first request, not at start: hundreds of route schemas made start-up
  // pay ~1 s of ajv code generation for routes a given process may never serve.
  let validate: ValidateFunction | undefined;
  const lazy = (data: unknown) => {
    validate ??= compile(schema);
    const ok = validate(data);
    lazy.errors = validate.errors;
    return ok;
  };
  lazy.errors = null as ValidateFunction['errors'];
  return lazy as ReturnType<FastifySchemaCompiler<object>>;
};
