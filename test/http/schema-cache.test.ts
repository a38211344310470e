import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { byJsonSchema } from '../../src/http/schema-cache.js';
import { serializerCompiler } from '../../src/http/serialization.js';
import { validatorCompiler } from '../../src/http/validation.js';

describe('byJsonSchema (src/http/schema-cache.ts)', () => {
  it('builds once per schema content: a new object with the same JSON gets the first build, another schema a build of its own', () => {
    const builds: object[] = [];
    const build = byJsonSchema((schema) => (builds.push(schema), { for: schema }));
    const first = build(Type.Object({ name: Type.String() }));
    const again = build(Type.Object({ name: Type.String() }));
    const other = build(Type.Object({ name: Type.Integer() }));
    assert.equal(again, first);
    assert.notEqual(other, first);
    assert.equal(builds.length, 2);
  });

  it("serves two servers' copies of a route schema, and still tells strict bodies from coercing ones", () => {
    const schema = () => Type.Object({ n: Type.Integer() }, { additionalProperties: false });
    const ownApi = (s: object) => validatorCompiler({ schema: s, url: '/api/things', method: 'POST', httpPart: 'body' });
    const v2 = (s: object) => validatorCompiler({ schema: s, url: '/v2/things', method: 'POST', httpPart: 'body' });
    // The same content through the strict Ajv and the coercing one: each keeps its own rules.
    assert.equal(ownApi(schema())({ n: '3' }), false);
    assert.equal(v2(schema())({ n: '3' }), true);
    assert.equal(ownApi(schema())({ n: 3 }), true);
    const serialize = (s: object) => serializerCompiler({ schema: s, url: '/v2/things', method: 'GET', httpStatus: '200' }) as (d: unknown) => string;
    assert.equal(serialize(schema())({ n: 4, secret: 'x' }), '{"n":4}');
    assert.equal(serialize(schema())({ n: 5 }), '{"n":5}');
  });
});
