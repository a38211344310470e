import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { byJsonSchema } from './schema-cache.js';

/** Each response schema built once per process (src/http/schema-cache.ts). */
const build = byJsonSchema((schema) => fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0]));

/**
 * Fastify's own response serializers (fast-json-stringify over each route's response schemas),
 * built on a route's first answer with that status instead of at start: building all of them cost
 * start-up about a third of its CPU time, for routes a given process may never serve. Same
 * laziness as the validators (src/http/validation.ts).
 */
export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data: unknown) => (serialize ??= build(schema as object))(data);
};
