import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';

describeEachDialect('GET /.well-known/oauth-authorization-server', (s) => {
  it('200: RFC 8414 metadata with the public URL as issuer and every endpoint under it', async () => {
    const res = await s().client().get('/.well-known/oauth-authorization-server');
    assert.equal(res.status, 200);
    const issuer = s().ctx.config.publicUrl;
    assert.equal(res.body.issuer, issuer);
    assert.equal(res.body.authorization_endpoint, `${issuer}/oauth/authorize`);
    assert.equal(res.body.token_endpoint, `${issuer}/oauth/token`);
    assert.equal(res.body.revocation_endpoint, `${issuer}/oauth/revoke`);
    assert.equal(res.body.introspection_endpoint, `${issuer}/oauth/introspect`);
    assert.equal(res.body.device_authorization_endpoint, `${issuer}/oauth/device_authorization`);
    assert.deepEqual(res.body.response_types_supported, ['code']);
    assert.deepEqual(res.body.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(res.body.grant_types_supported, ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code']);
    assert.deepEqual(res.body.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
    assert.ok(res.body.scopes_supported.includes('view_sales'));
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
  });
});
