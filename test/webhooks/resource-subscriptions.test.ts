import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, DIALECTS, startServer, type TestServer } from '../support/harness.js';
import { createApp, generateToken, sellerWithToken } from '../support/fixtures.js';
import { auditActions, call, ENCODINGS } from '../catalog/helpers.js';

describeEachDialect('/v2/resource_subscriptions', (s) => {
  const rows = (userId: string) => s().ctx.db.selectFrom('resource_subscriptions').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();

  describe('200', () => {
    it('subscribes from every encoding (PUT), tied to the token’s application, and audits only the host', async () => {
      const { token, user, application } = await sellerWithToken(s());
      for (const encoding of ENCODINGS) {
        const res = await call(s().client(), 'PUT', '/v2/resource_subscriptions', token, { resource_name: 'sale', post_url: `https://hooks.example.com/secret-${encoding}` }, encoding);
        assert.equal(res.status, 200);
        assert.deepEqual({ ...res.body.resource_subscription, id: undefined }, { id: undefined, resource_name: 'sale', post_url: `https://hooks.example.com/secret-${encoding}` });
      }
      const stored = await rows(user.id);
      assert.equal(stored.length, 4);
      assert.ok(stored.every((r) => r.application_id === application.id));
      const audit = await auditActions(s(), user.id, 'resource_subscription.created');
      assert.equal(audit.length, 4);
      assert.ok(!JSON.stringify(audit).includes('secret-'));
    });

    it('lists only the calling application’s subscriptions for a resource, and deletes only those', async () => {
      const seller = await s().signUp();
      const appA = (await createApp(seller.client)).application;
      const appB = (await createApp(seller.client)).application;
      const tokenA = await generateToken(seller.client, appA.id, { scopes: 'view_sales' });
      const tokenB = await generateToken(seller.client, appB.id, { scopes: 'view_sales' });
      const mine = (await call(s().client(), 'PUT', '/v2/resource_subscriptions', tokenA, { resource_name: 'refund', post_url: 'https://a.example.com/h' })).body.resource_subscription;
      await call(s().client(), 'PUT', '/v2/resource_subscriptions', tokenA, { resource_name: 'sale', post_url: 'https://a.example.com/s' });
      const theirs = (await call(s().client(), 'PUT', '/v2/resource_subscriptions', tokenB, { resource_name: 'refund', post_url: 'https://b.example.com/h' })).body.resource_subscription;
      const list = await call(s().client(), 'GET', '/v2/resource_subscriptions', tokenA, { resource_name: 'refund' }, 'query');
      assert.deepEqual(list.body.resource_subscriptions, [mine]);
      const refused = await call(s().client(), 'DELETE', `/v2/resource_subscriptions/${encodeURIComponent(theirs.id)}`, tokenA);
      assert.deepEqual(refused.body, { success: false, message: 'The resource_subscription was not found.' });
      const gone = await call(s().client(), 'DELETE', `/v2/resource_subscriptions/${encodeURIComponent(mine.id)}`, tokenA);
      assert.deepEqual(gone.body, { success: true, message: 'The resource_subscription was deleted successfully.' });
      assert.deepEqual((await call(s().client(), 'GET', '/v2/resource_subscriptions', tokenA, { resource_name: 'refund' }, 'json')).body.resource_subscriptions, []);
      assert.deepEqual((await call(s().client(), 'GET', '/v2/resource_subscriptions', tokenB, { resource_name: 'refund' }, 'form')).body.resource_subscriptions, [theirs]);
      const stored = await s().ctx.db.selectFrom('resource_subscriptions').selectAll().where('external_id', '=', mine.id).executeTakeFirstOrThrow();
      assert.ok(stored.deleted_at);
    });
  });

  describe('200 with success false', () => {
    it('names the refused resource, and refuses loopback, private and non-http post URLs', async () => {
      const { token, user } = await sellerWithToken(s());
      const bad = await call(s().client(), 'PUT', '/v2/resource_subscriptions', token, { resource_name: 'everything', post_url: 'https://ok.example.com' });
      assert.deepEqual(bad.body, { success: false, message: "Unable to subscribe to 'everything'." });
      const none = await call(s().client(), 'PUT', '/v2/resource_subscriptions', token, { post_url: 'https://ok.example.com' });
      assert.deepEqual(none.body, { success: false, message: "Unable to subscribe to ''." });
      for (const url of ['http://localhost:3000/h', 'http://127.0.0.1/h', 'http://0.0.0.0/h', 'http://10.1.2.3/h', 'http://[::1]/h', 'ftp://example.com/h', 'not a url', '']) {
        const res = await call(s().client(), 'PUT', '/v2/resource_subscriptions', token, { resource_name: 'sale', post_url: url });
        assert.deepEqual(res.body, { success: false, message: `Invalid post URL '${url}'` });
      }
      assert.equal((await rows(user.id)).length, 0);
    });

    it('needs a valid resource_name to list', async () => {
      const { token } = await sellerWithToken(s());
      for (const params of <Record<string, string>[]>[{}, { resource_name: 'bogus' }]) {
        const res = await call(s().client(), 'GET', '/v2/resource_subscriptions', token, params, 'query');
        assert.deepEqual(res.body, { success: false, message: 'Valid resource_name parameter required' });
      }
    });
  });
});

for (const dialect of DIALECTS) {
  describe(`/v2/resource_subscriptions with TESSERA_ALLOW_PRIVATE_TARGETS [${dialect}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(dialect, { TESSERA_ALLOW_PRIVATE_TARGETS: '1' });
    });
    after(async () => server.close());

    it('accepts localhost and 127.0.0.1 post URLs when the operator allows private targets', async () => {
      const { token } = await sellerWithToken(server);
      for (const url of ['http://localhost:4000/hook', 'http://127.0.0.1:4000/hook']) {
        const res = await call(server.client(), 'PUT', '/v2/resource_subscriptions', token, { resource_name: 'sale', post_url: url });
        assert.equal(res.body.success, true, url);
        assert.equal(res.body.resource_subscription.post_url, url);
      }
    });
  });
}
