import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createApp, generateToken, sellerWithToken } from '../support/fixtures.js';

describeEachDialect('GET /api/tokens', (s) => {
  it('200 lists the live tokens acting on the account with app name, scopes and hint only', async () => {
    const { client, token, application } = await sellerWithToken(s(), 'view_sales');
    const res = await client.get('/api/tokens');
    assert.equal(res.status, 200);
    assert.equal(res.body.tokens.length, 1);
    const [t] = res.body.tokens;
    assert.equal(t.application_id, application.id);
    assert.equal(t.application_name, 'My script');
    assert.deepEqual(t.scopes, ['view_sales']);
    assert.equal(t.hint, token.slice(0, 11) + '…');
    assert.ok(!JSON.stringify(res.body).includes(token));
  });
  it('401 without a session', async () => {
    assert.equal((await s().client().get('/api/tokens')).status, 401);
  });
});

describeEachDialect('DELETE /api/tokens/:id', (s) => {
  it('200 revokes the token (next request 401) and audits token.revoked', async () => {
    const { client, token, user } = await sellerWithToken(s());
    const [t] = (await client.get('/api/tokens')).body.tokens;
    const res = await client.delete(`/api/tokens/${t.id}`);
    assert.deepEqual(res.body, { success: true, revoked: true });
    assert.equal((await s().client().get('/v2/user', { query: { access_token: token } })).status, 401);
    const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', user.id).where('target_id', '=', t.id).execute();
    assert.deepEqual(audit.map((a) => a.action).sort(), ['token.generated', 'token.revoked']);
  });
  it("404 for another account's token, which keeps working", async () => {
    const a = await s().signUp();
    const b = await sellerWithToken(s());
    const [t] = (await b.client.get('/api/tokens')).body.tokens;
    const res = await a.client.delete(`/api/tokens/${t.id}`);
    assert.equal(res.status, 404);
    assert.equal((await s().client().get('/v2/user', { query: { access_token: b.token } })).status, 200);
  });
  it('lists one token per application after regeneration', async () => {
    const { client } = await s().signUp();
    const { application } = await createApp(client);
    await generateToken(client, application.id);
    await generateToken(client, application.id);
    assert.equal((await client.get('/api/tokens')).body.tokens.length, 1);
  });
});
