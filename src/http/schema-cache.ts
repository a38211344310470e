/**
 * `build` memoised by its schema's JSON. Ajv caches by schema object, fast-json-stringify not at
 * all, and the routes' schemas are new objects in each server a process builds (the test shards
 * build hundreds): keyed by content, each validator or serializer is compiled once per process.
 * Bounded by the schemas in the code; no request reaches it.
 */
export function byJsonSchema<T>(build: (schema: object) => T): (schema: object) => T {
  const built = new Map<string, T>();
  return (schema) => {
    const key = JSON.stringify(schema);
    let value = built.get(key);
    if (value === undefined) {
      value = build(schema);
      built.set(key, value);
    }
    return value;
  };
}
