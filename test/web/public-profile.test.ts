import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { call, createProduct, permalinkOf } from '../catalog/helpers.js';
import { PNG } from './support/images.js';

describeEachDialect('GET /u/:user_id', (s) => {
  describe('200', () => {
    it("is user.url of GET /v2/user and shows the seller's name and bio, escaped, with their products on sale", async () => {
      const { token, user } = await sellerWithToken(s());
      await s().ctx.db.updateTable('users').set({ name: 'Ada <Lovelace>', bio: 'Makes <b>tools</b> & "things"' }).where('id', '=', user.id).execute();
      const onSale = await createProduct(s(), token, { name: 'Engine <1>', price: '1999', thumbnail: PNG.toString('base64') });
      const other = await createProduct(s(), token, { name: 'Notes', price: '0' });
      const draft = await createProduct(s(), token, { name: 'Draft thing' });
      await call(s().client(), 'PUT', `/v2/products/${encodeURIComponent(draft.id)}/disable`, token);
      const gone = await createProduct(s(), token, { name: 'Gone thing' });
      await call(s().client(), 'DELETE', `/v2/products/${encodeURIComponent(gone.id)}`, token);
      const stranger = await sellerWithToken(s());
      await createProduct(s(), stranger.token, { name: 'Not theirs' });

      const me = await s().client().get('/v2/user', { query: { access_token: token } });
      const external = (await s().ctx.db.selectFrom('users').select('external_id').where('id', '=', user.id).executeTakeFirstOrThrow()).external_id;
      assert.equal(me.body.user.url, `${s().url}/u/${encodeURIComponent(external)}`);

      const res = await s().client().get(new URL(me.body.user.url).pathname);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.ok(res.text.includes('Ada &lt;Lovelace>') || res.text.includes('Ada &lt;Lovelace&gt;'));
      assert.ok(res.text.includes('Makes &lt;b>tools&lt;/b> &amp; &quot;things&quot;') || res.text.includes('Makes &lt;b&gt;tools&lt;/b&gt; &amp; &quot;things&quot;'));
      assert.ok(!res.text.includes(user.email), 'the email is never shown');
      for (const product of [onSale, other]) assert.ok(res.text.includes(`href="${product.short_url}"`), product.name);
      assert.ok(res.text.includes('Engine &lt;1>') || res.text.includes('Engine &lt;1&gt;'));
      assert.ok(res.text.includes('$19.99'));
      assert.ok(res.text.includes(`src="/l/${permalinkOf(onSale)}/cover?v=`));
      for (const absent of ['Draft thing', 'Gone thing', 'Not theirs']) assert.ok(!res.text.includes(absent), absent);
    });

    it('shows a seller without products or a name', async () => {
      const { user } = await s().signUp();
      const external = (await s().ctx.db.selectFrom('users').select('external_id').where('id', '=', user.id).executeTakeFirstOrThrow()).external_id;
      const res = await s().client().get(`/u/${encodeURIComponent(external)}`);
      assert.equal(res.status, 200);
      assert.ok(res.text.includes('Nothing on sale yet.'));
      assert.ok(!res.text.includes(user.email));
    });
  });

  describe('404', () => {
    it('answers 404 for an unknown user id', async () => {
      for (const path of ['/u/nobody-here', `/u/${'x'.repeat(90)}`]) {
        const res = await s().client().get(path);
        assert.equal(res.status, 404, path);
        assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      }
    });
  });
});
