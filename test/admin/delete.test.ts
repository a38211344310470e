import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { addMember, createFlow, createKey, createTeam } from '../flows/support/fixtures.js';
import { licensedProduct, newSeller, purchase, verify } from '../licenses/fixtures.js';
import { accountRow, newOwner } from './support.js';
import { enableTotp, totpClock } from '../accounts/support.js';
import { sessionCsrf } from '../web/support/forms.js';

const DELAY_FLOW = { name: 'Wait', steps: [{ id: 'wait', type: 'delay', ms: 1 }] };

/** Rows of `table` whose `column` is `value`. */
const rows = async (s: TestServer, table: string, column: string, value: string) =>
  Number((await s.ctx.db.selectFrom(table as 'users').select((eb) => eb.fn.countAll<number>().as('n')).where(column as 'id', '=', value).executeTakeFirstOrThrow()).n);

/** A seller with one of everything: app and token, key, product with a licensed sale, webhook, flows with a run, two teams. */
async function sellerWithEverything(s: TestServer) {
  const seller = await newSeller(s);
  const product = await licensedProduct(s, seller);
  const sale = await purchase(s, seller, product.id);
  const hook = await s.client().put('/v2/resource_subscriptions', { form: { access_token: seller.token, resource_name: 'sale', post_url: 'https://example.com/hook' } });
  assert.equal(hook.body.success, true, JSON.stringify(hook.body));
  const { api_key } = await createKey(seller.client);
  const flow = await createFlow(seller.client, DELAY_FLOW);
  const run = await seller.client.post(`/api/flows/${flow.id}/runs`, { json: {} });
  assert.equal(run.status, 201, JSON.stringify(run.body));
  const solo = await createTeam(seller.client, 'Alone');
  await createKey(seller.client, { team_id: solo.id });
  await createFlow(seller.client, DELAY_FLOW, { team_id: solo.id });
  const shared = await createTeam(seller.client, 'Shared');
  const mate = await s.signUp();
  await addMember(seller.client, shared.id, mate);
  const sharedFlow = await createFlow(seller.client, DELAY_FLOW, { team_id: shared.id });
  // A product cover and a flow file, stored as their routes store them.
  const now = Date.now();
  const productRow = await s.ctx.db.selectFrom('products').select('id').where('seller_id', '=', seller.user.id).executeTakeFirstOrThrow();
  await s.ctx.db.insertInto('product_covers').values({ product_id: productRow.id, content_type: 'image/png', size: 1, content: Buffer.from('x'), updated_at: now }).execute();
  await s.ctx.db
    .insertInto('flow_files')
    .values({ id: `file-${seller.user.id}`, owner_type: 'user', owner_id: seller.user.id, run_id: null, name: 'a.txt', content_type: 'text/plain', size: 1, content: Buffer.from('x'), created_by: seller.user.id, created_at: now, updated_at: now })
    .execute();
  return { seller, product, productRowId: productRow.id, sale, apiKey: api_key, flow, solo, shared, mate, sharedFlow };
}

describeEachDialect('DELETE /api/admin/accounts/:id', (s) => {
  describe('200', () => {
    it('deletes the account and everything it owns, keeps a team it shares (passed to its member), and audits it', async () => {
      const owner = await newOwner(s());
      const { seller, product, productRowId, sale, apiKey, flow, solo, shared, mate, sharedFlow } = await sellerWithEverything(s());
      const id = seller.user.id;

      const shown = await owner.client.get(`/api/admin/accounts/${id}`);
      assert.deepEqual(shown.body.account.owned, { applications: 1, api_keys: 2, products: 1, sales: 1, licenses: 1, flows: 2, teams: 1, webhooks: 1, teams_left: 1 });

      const res = await owner.client.delete(`/api/admin/accounts/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.deleted, {
        id,
        email: seller.user.email,
        removed: { applications: 1, api_keys: 2, products: 1, sales: 1, licenses: 1, flows: 2, teams: 1, webhooks: 1 },
      });

      assert.equal(await accountRow(s(), id), undefined);
      for (const [table, column] of [
        ['sessions', 'user_id'],
        ['applications', 'owner_id'],
        ['access_tokens', 'user_id'],
        ['api_keys', 'created_by'],
        ['products', 'seller_id'],
        ['purchases', 'seller_id'],
        ['licenses', 'seller_id'],
        ['resource_subscriptions', 'user_id'],
        ['flows', 'owner_id'],
        ['flow_runs', 'user_id'],
        ['workbooks', 'owner_id'],
        ['team_members', 'user_id'],
        ['flow_files', 'owner_id'],
      ] as const) {
        assert.equal(await rows(s(), table, column, id), 0, `${table}.${column}`);
      }
      assert.equal(await rows(s(), 'teams', 'id', solo.id), 0, 'the team it alone was in is gone');
      assert.equal(await rows(s(), 'flows', 'owner_id', solo.id), 0);
      assert.equal(await rows(s(), 'api_keys', 'team_id', solo.id), 0);
      assert.equal(await rows(s(), 'flows', 'id', flow.id), 0);
      assert.equal(await rows(s(), 'products', 'id', productRowId), 0);
      assert.equal(await rows(s(), 'product_covers', 'product_id', productRowId), 0);

      const team = await s().ctx.db.selectFrom('teams').select('created_by').where('id', '=', shared.id).executeTakeFirstOrThrow();
      assert.equal(team.created_by, mate.user.id, 'the shared team passes to its remaining member');
      const role = await s().ctx.db.selectFrom('team_members').select('role').where('team_id', '=', shared.id).where('user_id', '=', mate.user.id).executeTakeFirstOrThrow();
      assert.equal(role.role, 'owner');
      assert.equal(await rows(s(), 'flows', 'id', sharedFlow.id), 1, "the shared team's flows stay");

      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'admin.account_deleted').where('target_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(audit.user_id, owner.user.id);
      assert.equal(JSON.parse(audit.metadata!).email, seller.user.email);

      // Its credentials and its buyers' keys are gone with it.
      assert.equal((await seller.client.get('/api/session')).status, 401);
      assert.equal((await s().client().get('/v2/user', { headers: { authorization: `Bearer ${seller.token}` } })).status, 401);
      assert.equal((await s().client().get('/api/v1/list_saved_items', { query: { user_id: 'x' }, headers: { authorization: `Bearer ${apiKey}` } })).status, 401);
      assert.equal((await verify(s(), { product_id: product.id, license_key: sale.license_key })).status, 404);
    });
  });

  describe('404', () => {
    it('answers 404 to an account that is not an owner (and deletes nothing), and for an unknown account', async () => {
      await newOwner(s()); // the server's first account is its owner: the next ones are not
      const seller = await s().signUp();
      const other = await s().signUp();
      assert.equal((await seller.client.delete(`/api/admin/accounts/${other.user.id}`)).status, 404);
      assert.ok(await accountRow(s(), other.user.id));
      const owner = await newOwner(s());
      assert.equal((await owner.client.delete('/api/admin/accounts/nobody')).status, 404);
    });
  });

  describe('409', () => {
    it('refuses to delete an instance owner', async () => {
      const owner = await newOwner(s());
      const res = await owner.client.delete(`/api/admin/accounts/${owner.user.id}`);
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'owner_protected');
      assert.ok(await accountRow(s(), owner.user.id));
    });
  });
});

/** Issue 18.4: deleting an account is a sensitive action, so an owner with a second factor proves a fresh one first. */
describeEachDialect('Deleting an account asks an owner with a second factor for a fresh one', (s) => {
  const clock = totpClock(s);
  const { nextCode } = clock;
  const deletedAudits = (id: string) => s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'admin.account_deleted').where('target_id', '=', id).execute();

  /** An owner whose seed session never proved the authenticator app it now has. */
  async function ownerWithTotp() {
    const owner = await newOwner(s());
    return { ...owner, ...(await enableTotp(s().ctx, owner.user)) };
  }

  it('JSON API: 403 second_factor_stale and nothing deleted; after POST /api/session/step-up, 200, deleted and audited', async () => {
    const owner = await ownerWithTotp();
    const seller = await s().signUp();
    const stale = await owner.client.delete(`/api/admin/accounts/${seller.user.id}`);
    assert.equal(stale.status, 403, JSON.stringify(stale.body));
    assert.equal(stale.body.error, 'second_factor_stale');
    assert.ok(await accountRow(s(), seller.user.id), 'still there');
    assert.equal((await seller.client.get('/api/session')).status, 200);
    assert.equal((await deletedAudits(seller.user.id)).length, 0);

    assert.equal((await owner.client.post('/api/session/step-up', { json: { code: nextCode(owner.secret) } })).status, 200);
    const res = await owner.client.delete(`/api/admin/accounts/${seller.user.id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.deleted.id, seller.user.id);
    assert.equal(await accountRow(s(), seller.user.id), undefined);
    const audits = await deletedAudits(seller.user.id);
    assert.equal(audits.length, 1);
    assert.equal(audits[0]!.user_id, owner.user.id);
  });

  it('JSON API: a step-up older than TESSERA_SECOND_FACTOR_FRESH no longer covers it', async () => {
    const owner = await ownerWithTotp();
    const seller = await s().signUp();
    assert.equal((await owner.client.post('/api/session/step-up', { json: { code: owner.recoveryCodes[0]! } })).status, 200);
    clock.advance(11 * 60_000);
    const stale = await owner.client.delete(`/api/admin/accounts/${seller.user.id}`);
    assert.equal(stale.status, 403);
    assert.equal(stale.body.error, 'second_factor_stale');
    assert.ok(await accountRow(s(), seller.user.id));
  });

  it('dashboard: confirmed, 303 → the step-up page and nothing deleted; after the step-up, back to the confirmation, then deleted and audited', async () => {
    const owner = await ownerWithTotp();
    const seller = await s().signUp();
    const path = `/admin/accounts/${seller.user.id}`;
    const csrf = await sessionCsrf(owner.client, path);
    const stale = await owner.client.post(`${path}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
    assert.equal(stale.status, 303);
    assert.equal(stale.headers.get('location'), `/settings/security/confirm?next=${encodeURIComponent(`${path}/delete`)}`);
    assert.ok(await accountRow(s(), seller.user.id), 'still there');
    assert.equal((await deletedAudits(seller.user.id)).length, 0);

    const stepUp = await owner.client.get(stale.headers.get('location')!);
    assert.equal(stepUp.status, 200);
    assert.match(stepUp.text, /Confirm it is you/);
    const confirmed = await owner.client.post('/settings/security/confirm', { form: { _csrf: csrf, next: `${path}/delete`, code: nextCode(owner.secret) } });
    assert.equal(confirmed.status, 303);
    assert.equal(confirmed.headers.get('location'), `${path}/delete`);
    const confirmation = await owner.client.get(`${path}/delete`);
    assert.equal(confirmation.status, 200);
    assert.ok(confirmation.text.includes(`Delete ${seller.user.email}?`));

    const done = await owner.client.post(`${path}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/admin?done=deleted');
    assert.equal(await accountRow(s(), seller.user.id), undefined);
    assert.equal((await deletedAudits(seller.user.id)).length, 1);
  });
});
