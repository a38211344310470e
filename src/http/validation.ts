import { Ajv, type Options } from 'ajv';
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
 * Tessera's own JSON API (/api/..., not the legacy /api/v2) validates bodies strictly: a number
 * where a string belongs is a 400. Query strings, path parameters and the Gumroad-compatible v2
 * routes coerce, because Rails clients send every value as a string in forms and queries.
 */
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, url, httpPart }) => {
  const isOwnJsonApi = url.startsWith('/api/') && !url.startsWith('/api/v2');
  const ajv = httpPart === 'body' && isOwnJsonApi ? strict : coercing;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
