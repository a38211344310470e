import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { loggerOptions, maskSecrets, redactUrl } from '../../src/http/logger.js';

describe('log redaction', () => {
  it('masks secret-named keys at any of the first four levels, and copies only what it changes', () => {
    const inner = { note: 'kept' };
    const logged = { password: 'hunter22', user: { access_token: 'tsr_at_x', Authorization: 'Bearer y', inner }, list: [1] };
    const masked = maskSecrets(logged) as Record<string, any>;
    assert.deepEqual(masked, {
      password: '[REDACTED]',
      user: { access_token: '[REDACTED]', Authorization: '[REDACTED]', inner: { note: 'kept' } },
      list: [1],
    });
    assert.equal(masked.user.inner, inner, 'untouched branches are shared, not copied');
    assert.equal(logged.password, 'hunter22', 'the logged object itself is left alone');
    const plain = { a: 1, b: { c: 'x' } };
    assert.equal(maskSecrets(plain), plain);
    assert.equal(maskSecrets('text'), 'text');
  });

  it('keeps secrets out of the lines a server writes: objects, URLs, request headers', async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: loggerOptions('info', { write: (line: string) => void lines.push(line) }) });
    app.get('/echo', async (request) => {
      request.log.info({ body: { license_key: 'ABCD-1234-SECRET', client_secret: 'cs-secret-value' } }, 'handled');
      return { ok: true };
    });
    const res = await app.inject({ method: 'GET', url: '/echo?access_token=tok-secret-value&x=1', headers: { authorization: 'Bearer hdr-secret-value', cookie: 'tessera_session=cookie-secret' } });
    assert.equal(res.statusCode, 200);
    await app.close();
    const text = lines.join('');
    for (const secret of ['ABCD-1234-SECRET', 'cs-secret-value', 'tok-secret-value', 'hdr-secret-value', 'cookie-secret']) {
      assert.ok(!text.includes(secret), `${secret} reached the log`);
    }
    const handled = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'handled');
    assert.deepEqual(handled.body, { license_key: '[REDACTED]', client_secret: '[REDACTED]' });
    const incoming = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'incoming request');
    assert.equal(incoming.req.url, '/echo?access_token=[REDACTED]&x=1');
    assert.equal(redactUrl('/v2/user?code=abc&page=2'), '/v2/user?code=[REDACTED]&page=2');
    // Bracketed and percent-encoded names, and credentials under any name (found by the pollution test).
    assert.equal(redactUrl('/v2/user?__proto__%5Bbearer_token%5D=abc&page=2'), '/v2/user?__proto__%5Bbearer_token%5D=[REDACTED]&page=2');
    assert.equal(redactUrl('/v2/user?x[access_token]=abc'), '/v2/user?x[access_token]=[REDACTED]');
    const credential = 'tsr_at_' + 'a'.repeat(49);
    assert.equal(redactUrl(`/v2/user?q=${credential}`), '/v2/user?q=[REDACTED]');
    assert.equal(redactUrl(`/v2/products/${credential}`), '/v2/products/[REDACTED]');
  });
});
