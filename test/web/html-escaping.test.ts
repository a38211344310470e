import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp, generateToken } from '../support/fixtures.js';

/** Issue 11 (tests): every user-supplied string the dashboard and the OAuth pages show renders as text. */
const XSS = '<script>alert("x")</script>';
const ESCAPED = '&lt;script';

function assertEscaped(html: string, label: string): void {
  assert.ok(!html.includes(XSS), `${label}: the name was rendered as markup`);
  assert.ok(!/<script>alert/i.test(html), `${label}: a script tag from user input`);
  assert.ok(html.includes(ESCAPED), `${label}: the name is not shown at all`);
}

describeEachDialect('HTML escaping of user-supplied names', (s) => {
  describe('200', () => {
    it('shows application, product, flow and team names and redirect URIs as text', async () => {
      const seller = await s().signUp();
      const redirect = `http://127.0.0.1:9/cb?x=${encodeURIComponent(XSS)}`;
      const { application } = await createApp(seller.client, { name: XSS, redirect_uri: redirect });
      const token = await generateToken(seller.client, application.id);
      const product = await s().client().post('/v2/products', { headers: { authorization: `Bearer ${token}` }, form: { name: XSS, price: '100' } });
      assert.equal(product.body.success, true, product.text);
      const flow = await seller.client.post('/api/flows', {
        json: { definition: { name: XSS, inputs: [{ name: 'to', required: true }], steps: [{ id: 'mail', type: 'send_email', to: '{{ inputs.to }}', subject: 's', text: 't' }], outputs: {} } },
      });
      assert.ok(flow.status === 200 || flow.status === 201, flow.text);
      const team = await seller.client.post('/api/teams', { json: { name: XSS } });
      assert.equal(team.status, 201, team.text);

      for (const page of ['/settings/advanced', '/products', '/flows', '/api-keys']) {
        const res = await seller.client.get(page);
        assert.equal(res.status, 200, page);
        assertEscaped(res.text, page);
      }
      // The consent page of another seller names the application and where it sends them back.
      const other = await s().signUp();
      const consent = await other.client.get(`/oauth/authorize?${new URLSearchParams({ client_id: application.client_id, redirect_uri: redirect, response_type: 'code' })}`);
      assert.equal(consent.status, 200, consent.text.slice(0, 300));
      assertEscaped(consent.text, 'consent page');
    });
  });
});
