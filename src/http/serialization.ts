import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';

/**
 * Serializers already built, by their schema's JSON: every server of a process (the test shards
 * start hundreds) builds each route's serializer once, not once per server. A response schema with
 * a union makes fast-json-stringify compile it with an Ajv of its own, a few milliseconds each.
 * Bounded by the response schemas in the code; no request reaches it.
 */
const built = new Map<string, (data: unknown) => string>();

/**
 * Fastify's own response serializers (fast-json-stringify over each route's response schemas),
 * built on a route's first answer with that status instead of at start: building all of them cost
 * start-up about a third of its CPU time, for routes a given process may never serve. Same
 * laziness as the validators (src/http/validation.ts).
 */
export const serializerCompiler: FastifySerializerCompiler<object> = ({ schema }) => {
  let serialize: ((data: unknown) => string) | undefined;
  return (data: unknown) => {
    if (!serialize) {
      const key = JSON.stringify(schema);
      serialize = built.get(key);
      if (!serialize) {
        serialize = fastJsonStringify(schema as Parameters<typeof fastJsonStringify>[0]);
        built.set(key, serialize);
      }
    }
    return serialize(data);
  };
};
