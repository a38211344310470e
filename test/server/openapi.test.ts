import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';

describeEachDialect('OpenAPI and the API reference', (s) => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await s().client().get('/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    assert.ok(res.body.paths['/api/applications']);
    assert.ok(res.body.paths['/v2/user']);
    assert.equal(res.body.paths['/api/v2/user'], undefined, 'legacy copies are not documented twice');
  });
  it('serves the API reference page at /docs', async () => {
    const res = await s().client().get('/docs');
    assert.ok([200, 302].includes(res.status));
    const page = await s().client().get('/docs/');
    assert.equal(page.status, 200);
    assert.match(page.text, /swagger/i);
  });
  it('answers an unknown route with a JSON 404', async () => {
    const res = await s().client().get('/nope');
    assert.equal(res.status, 404);
    assert.equal(res.body.success, false);
  });
});
