import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, describeTwoNodes, type TestServer } from '../support/harness.js';
import type { Client } from '../support/client.js';
import { createApp, generateToken } from '../support/fixtures.js';
import { addMember, apiUserId, createKey, createTeam } from '../flows/support/fixtures.js';
import { licensedProduct, newSeller, purchase, verify } from '../licenses/fixtures.js';
import { accountRow, auditActions, newOwner } from './support.js';

/** A seller with every kind of credential: session, owner access token, personal API key. */
async function credentialed(s: TestServer) {
  const seller = await s.signUp();
  const { application } = await createApp(seller.client);
  const token = await generateToken(seller.client, application.id);
  const { api_key } = await createKey(seller.client);
  const userId = await apiUserId(seller.client);
  return { ...seller, token, apiKey: api_key, apiUserId: userId };
}

type Credentialed = Awaited<ReturnType<typeof credentialed>>;

/** What each credential gets on `s` right now. */
async function statuses(s: TestServer, who: Credentialed) {
  const session = await who.client.get('/api/session');
  const page = await who.client.get('/settings/advanced');
  const token = await s.client().get('/v2/user', { headers: { authorization: `Bearer ${who.token}` } });
  const key = await s.client().get('/api/v1/list_saved_items', { query: { user_id: who.apiUserId }, headers: { authorization: `Bearer ${who.apiKey}` } });
  return { session, page, token, key };
}

async function assertRefused(s: TestServer, who: Credentialed) {
  const { session, page, token, key } = await statuses(s, who);
  assert.equal(session.status, 401);
  assert.equal(session.body.error, 'session_required');
  assert.equal(page.status, 303, 'a dashboard page sends the visitor to the login page');
  assert.match(page.headers.get('location')!, /^\/login/);
  assert.equal(token.status, 401);
  assert.deepEqual(token.body, { success: false, error: 'The account this access token acts for is disabled', message: 'The account this access token acts for is disabled' });
  assert.match(token.headers.get('www-authenticate')!, /invalid_token/);
  assert.equal(key.status, 401);
  assert.deepEqual(key.body, { error: 'Unauthorized', message: "The API key's account is disabled by the owner of this server." });
}

async function assertAccepted(s: TestServer, who: Credentialed) {
  const { session, page, token, key } = await statuses(s, who);
  assert.equal(session.status, 200);
  assert.equal(page.status, 200);
  assert.equal(token.status, 200, JSON.stringify(token.body));
  assert.equal(key.status, 200, JSON.stringify(key.body));
}

const disable = (owner: Client, id: string, body: Record<string, unknown> = {}) => owner.post(`/api/admin/accounts/${id}/disable`, { json: body });
const enable = (owner: Client, id: string) => owner.post(`/api/admin/accounts/${id}/enable`);

describeEachDialect('POST /api/admin/accounts/:id/disable and /enable', (s) => {
  describe('200', () => {
    it("refuses the account's session, access token and API key on their next request; enabling restores them", async () => {
      const owner = await newOwner(s());
      const seller = await credentialed(s());
      await assertAccepted(s(), seller);
      const res = await disable(owner.client, seller.user.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.account.disabled, true);
      assert.equal(res.body.account.licenses_stopped, false);
      assert.ok((await accountRow(s(), seller.user.id))?.disabled_at);
      await assertRefused(s(), seller);
      assert.ok((await s().ctx.db.selectFrom('sessions').select('id').where('user_id', '=', seller.user.id).execute()).length > 0, 'nothing is deleted');

      const enabled = await enable(owner.client, seller.user.id);
      assert.equal(enabled.status, 200);
      assert.equal(enabled.body.account.disabled, false);
      await assertAccepted(s(), seller);
      assert.deepEqual((await auditActions(s(), seller.user.id)).filter((a) => a.startsWith('admin.')), ['admin.account_disabled', 'admin.account_enabled']);
    });

    it('a disabled account cannot log in (403, said only to whoever knows the password)', async () => {
      const owner = await newOwner(s());
      const seller = await s().signUp();
      await disable(owner.client, seller.user.id);
      const right = await s().client().post('/api/session', { json: { email: seller.user.email, password: seller.password } });
      assert.equal(right.status, 403);
      assert.equal(right.body.error, 'account_disabled');
      assert.match(right.body.message, /This account is disabled/);
      const wrong = await s().client().post('/api/session', { json: { email: seller.user.email, password: 'not the password' } });
      assert.equal(wrong.status, 401);
    });

    it('a team key is refused for a disabled member (403) and keeps working for the others', async () => {
      const owner = await newOwner(s());
      const lead = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(lead.client);
      await addMember(lead.client, team.id, member);
      const { api_key } = await createKey(lead.client, { team_id: team.id });
      const list = (userId: string) => s().client().get('/api/v1/list_saved_items', { query: { user_id: userId, project_id: team.id }, headers: { authorization: `Bearer ${api_key}` } });
      const memberId = await apiUserId(member.client);
      assert.equal((await list(memberId)).status, 200);
      await disable(owner.client, member.user.id);
      const refused = await list(memberId);
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body, { error: 'Forbidden', message: 'The user_id names a disabled account.' });
      assert.equal((await list(await apiUserId(lead.client))).status, 200);
    });

    it("its licenses keep verifying for its buyers, unless stop_licenses; enabling restores them", async () => {
      const owner = await newOwner(s());
      const seller = await newSeller(s());
      const product = await licensedProduct(s(), seller);
      const sale = await purchase(s(), seller, product.id);
      const check = () => verify(s(), { product_id: product.id, license_key: sale.license_key, increment_uses_count: 'false' });
      assert.equal((await check()).status, 200);
      await disable(owner.client, seller.user.id);
      assert.equal((await check()).status, 200, 'disabled alone: the buyers are not punished');
      const stopped = await disable(owner.client, seller.user.id, { stop_licenses: true });
      assert.equal(stopped.body.account.licenses_stopped, true);
      const refused = await check();
      assert.equal(refused.status, 404);
      assert.deepEqual(refused.body, { success: false, message: 'This license key has been disabled.' });
      await enable(owner.client, seller.user.id);
      assert.equal((await check()).status, 200);
      assert.equal((await accountRow(s(), seller.user.id))?.licenses_stopped_at, null);
    });

    it('an OAuth introspection of its token says inactive while disabled', async () => {
      const owner = await newOwner(s());
      const seller = await s().signUp();
      const { application, client_secret } = await createApp(seller.client);
      const token = await generateToken(seller.client, application.id);
      const introspect = () =>
        s().client().post('/oauth/introspect', { form: { token, client_id: application.client_id, client_secret } });
      assert.equal((await introspect()).body.active, true);
      await disable(owner.client, seller.user.id);
      assert.deepEqual((await introspect()).body, { active: false });
    });
  });

  describe('404', () => {
    it('answers 404 to an account that is not an owner, and for an unknown account', async () => {
      await newOwner(s()); // the server's first account is its owner: the next ones are not
      const seller = await s().signUp();
      const other = await s().signUp();
      const res = await disable(seller.client, other.user.id);
      assert.equal(res.status, 404);
      assert.equal((await accountRow(s(), other.user.id))?.disabled_at, null);
      const owner = await newOwner(s());
      assert.equal((await disable(owner.client, 'no-such-account')).status, 404);
      assert.equal((await enable(owner.client, 'no-such-account')).status, 404);
    });
  });

  describe('409', () => {
    it('refuses to disable an instance owner', async () => {
      const owner = await newOwner(s());
      const other = await newOwner(s());
      const res = await disable(owner.client, other.user.id);
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'owner_protected');
      assert.equal((await accountRow(s(), other.user.id))?.disabled_at, null);
    });
  });
});

// Two servers on one PostgreSQL database: a disable on A is seen by B's very next request.
describeTwoNodes('disable on one node, refused on the other (two servers, one PostgreSQL)', (nodes) => {
  it("B refuses the session, access token and API key on its next request after A disables; A's enable restores them on B", async () => {
    const { a, b } = nodes();
    const owner = await newOwner(a);
    const seller = await credentialed(a);
    const onB = { ...seller, client: Object.assign(b.client(), { cookie: seller.client.cookie }) };
    await assertAccepted(b, onB);
    assert.equal((await disable(owner.client, seller.user.id)).status, 200);
    await assertRefused(b, onB);
    assert.equal((await enable(owner.client, seller.user.id)).status, 200);
    await assertAccepted(b, onB);
  });
});
