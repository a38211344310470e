import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import type { Client } from '../support/client.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, waitForRun } from '../flows/support/fixtures.js';
import { newOwner } from './support.js';

const HTTP_FLOW = { name: 'Ping', steps: [{ id: 'ping', type: 'http_request', url: 'https://example.com/' }] };
const DELAY_FLOW = { name: 'Wait', steps: [{ id: 'wait', type: 'delay', ms: 1 }] };

/** A seller, and the owner's PATCH of its capabilities. */
async function sellerUnder(s: TestServer, pairs: Record<string, string>) {
  const owner = await newOwner(s);
  const seller = await s.signUp();
  const set = (p: Record<string, string>) => owner.client.patch(`/api/admin/accounts/${seller.user.id}/capabilities`, { json: p });
  if (Object.keys(pairs).length) {
    const res = await set(pairs);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
  return { ...seller, owner, set };
}

const start = (s: TestServer, key: string, userId: string, flowId: string, inputs: Record<string, unknown> = {}) =>
  s.client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flowId, ...inputs }, headers: { authorization: `Bearer ${key}` } });

const keysOf = async (s: TestServer, userId: string) => (await s.ctx.db.selectFrom('api_keys').select('id').where('created_by', '=', userId).execute()).length;
const flowsOf = async (s: TestServer, userId: string) => (await s.ctx.db.selectFrom('flows').select('id').where('created_by', '=', userId).execute()).length;
const runsOf = async (s: TestServer, userId: string) => (await s.ctx.db.selectFrom('flow_runs').select('id').where('user_id', '=', userId).execute()).length;

async function flowWithKey(client: Client, definition: Record<string, unknown>) {
  const { api_key } = await createKey(client);
  return { key: api_key, userId: await apiUserId(client), flow: await createFlow(client, definition) };
}

// TESSERA_CAP_HTTP_STEP=no on this server: the environment's default, overridden per account.
describeEachDialect(
  'Capabilities per account',
  (s) => {
    describe('api_keys', () => {
      it('403: an account that may not create API keys is told so (Tessera JSON), and no key is made', async () => {
        const seller = await sellerUnder(s(), { api_keys: 'no' });
        const res = await seller.client.post('/api/api-keys', { json: { name: 'script' } });
        assert.equal(res.status, 403);
        assert.deepEqual(res.body, {
          success: false,
          error: 'capability_missing',
          message: 'Your account may not create API keys: the owner of this Tessera server has not allowed it (capability api_keys). Ask them if you need it.',
          capability: 'api_keys',
        });
        assert.equal(await keysOf(s(), seller.user.id), 0);
        assert.equal((await seller.set({ api_keys: 'default' })).status, 200);
        assert.equal((await seller.client.post('/api/api-keys', { json: { name: 'script' } })).status, 201);
      });

      it('403: max_api_keys counts live keys; revoking one makes room', async () => {
        const seller = await sellerUnder(s(), { max_api_keys: '1' });
        const first = await createKey(seller.client);
        const second = await seller.client.post('/api/api-keys', { json: { name: 'two' } });
        assert.equal(second.status, 403);
        assert.equal(second.body.capability, 'max_api_keys');
        assert.equal(second.body.limit, 1);
        assert.match(second.body.message, /reached its limit of 1 API key \(capability max_api_keys\): revoke one/);
        assert.equal(await keysOf(s(), seller.user.id), 1);
        assert.equal((await seller.client.delete(`/api/api-keys/${first.key.id}`)).status, 200);
        assert.equal((await seller.client.post('/api/api-keys', { json: { name: 'again' } })).status, 201);
      });
    });

    describe('flows', () => {
      it('403: an account that may not run flows gets the Gumloop shape on /api/v1 and Tessera JSON on /api/flows; no run is made', async () => {
        const seller = await sellerUnder(s(), {});
        const { key, userId, flow } = await flowWithKey(seller.client, DELAY_FLOW);
        assert.equal((await seller.set({ flows: 'no' })).status, 200);
        const v1 = await start(s(), key, userId, flow.id);
        assert.equal(v1.status, 403);
        assert.deepEqual(v1.body, {
          error: 'Forbidden',
          message: 'Your account may not run flows: the owner of this Tessera server has not allowed it (capability flows). Ask them if you need it.',
        });
        const own = await seller.client.post(`/api/flows/${flow.id}/runs`, { json: {} });
        assert.equal(own.status, 403);
        assert.equal(own.body.error, 'capability_missing');
        assert.equal(own.body.capability, 'flows');
        assert.equal(await runsOf(s(), seller.user.id), 0);
      });

      it('403: max_runs_per_day refuses the run after the limit, in the Gumloop shape', async () => {
        const seller = await sellerUnder(s(), { max_runs_per_day: '2' });
        const { key, userId, flow } = await flowWithKey(seller.client, DELAY_FLOW);
        assert.equal((await start(s(), key, userId, flow.id)).status, 200);
        assert.equal((await start(s(), key, userId, flow.id)).status, 200);
        const third = await start(s(), key, userId, flow.id);
        assert.equal(third.status, 403);
        assert.equal(third.body.error, 'Forbidden');
        assert.match(third.body.message, /used its 2 flow runs for today \(capability max_runs_per_day\); the count starts again at midnight UTC/);
        assert.equal(await runsOf(s(), seller.user.id), 2);
      });

      it('403: max_flows refuses a flow beyond the limit', async () => {
        const seller = await sellerUnder(s(), { max_flows: '1' });
        await createFlow(seller.client, DELAY_FLOW);
        const res = await seller.client.post('/api/flows', { json: { definition: DELAY_FLOW } });
        assert.equal(res.status, 403);
        assert.equal(res.body.capability, 'max_flows');
        assert.match(res.body.message, /limit of 1 flow \(capability max_flows\): delete one/);
        assert.equal(await flowsOf(s(), seller.user.id), 1);
      });
    });

    describe('email_step and http_step', () => {
      it('403: a flow with the email step is refused when saved; a run of one saved before fails with the reason', async () => {
        const seller = await sellerUnder(s(), {});
        const { key, userId, flow } = await flowWithKey(seller.client, EMAIL_FLOW);
        assert.equal((await seller.set({ email_step: 'no' })).status, 200);
        const saved = await seller.client.post('/api/flows', { json: { definition: EMAIL_FLOW } });
        assert.equal(saved.status, 403);
        assert.equal(saved.body.capability, 'email_step');
        assert.match(saved.body.message, /may not use the email step \(send_email\) in flows/);
        const edited = await seller.client.put(`/api/flows/${flow.id}`, { json: { definition: { ...EMAIL_FLOW, name: 'Renamed' } } });
        assert.equal(edited.status, 403);

        const started = await start(s(), key, userId, flow.id, { to: 'buyer@example.com' });
        assert.equal(started.status, 200, JSON.stringify(started.body));
        const run = await waitForRun(s().client(), { key, userId }, started.body.run_id);
        assert.equal(run.state, 'FAILED');
        assert.match(run.log.at(-1), /^\[1\/1\] mail \(send_email\) refused: Your account may not use the email step/);
        const mails = await s().ctx.db.selectFrom('email_outbox').select('id').where('run_id', '=', started.body.run_id).execute();
        assert.equal(mails.length, 0, 'nothing was queued');
      });

      it('403: TESSERA_CAP_HTTP_STEP=no is the default; a per-account yes allows it; an owner may always', async () => {
        const seller = await sellerUnder(s(), {});
        const refused = await seller.client.post('/api/flows', { json: { definition: HTTP_FLOW } });
        assert.equal(refused.status, 403);
        assert.equal(refused.body.capability, 'http_step');
        assert.match(refused.body.message, /may not use the HTTP step \(http_request\) in flows/);
        const shown = await seller.owner.client.get(`/api/admin/accounts/${seller.user.id}`);
        assert.equal(shown.body.account.capabilities.defaults.http_step, false);
        assert.equal(shown.body.account.capabilities.effective.http_step, false);
        assert.equal((await seller.set({ http_step: 'yes' })).status, 200);
        assert.equal((await seller.client.post('/api/flows', { json: { definition: HTTP_FLOW } })).status, 201);
        assert.equal((await seller.owner.client.post('/api/flows', { json: { definition: HTTP_FLOW } })).status, 201, 'the owner');
      });
    });

    describe('PATCH /api/admin/accounts/:id/capabilities', () => {
      it('200: answers what applies, the overrides and the defaults; default returns to the default', async () => {
        const seller = await sellerUnder(s(), {});
        const res = await seller.set({ flows: 'no', max_runs_per_day: '10', max_api_keys: 'unlimited' });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.capabilities.overrides, { flows: false, max_runs_per_day: 10, max_api_keys: null });
        assert.equal(res.body.capabilities.effective.flows, false);
        assert.equal(res.body.capabilities.effective.max_runs_per_day, 10);
        const row = await s().ctx.db.selectFrom('account_capabilities').selectAll().where('user_id', '=', seller.user.id).executeTakeFirstOrThrow();
        assert.equal(row.flows, 0);
        assert.equal(row.max_api_keys, -1);
        const back = await seller.set({ flows: 'default' });
        assert.equal(back.body.capabilities.effective.flows, true);
        assert.equal('flows' in back.body.capabilities.overrides, false);
      });

      it('400: an unknown name or a bad value changes nothing', async () => {
        const seller = await sellerUnder(s(), {});
        const unknown = await seller.set({ teleport: 'yes' });
        assert.equal(unknown.status, 400);
        assert.match(unknown.body.message, /Unknown capability "teleport"/);
        const bad = await seller.set({ flows: 'maybe', max_flows: '2' });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.message, 'flows takes yes, no or default, not "maybe".');
        const limit = await seller.set({ max_flows: '-3' });
        assert.equal(limit.status, 400);
        assert.equal(await s().ctx.db.selectFrom('account_capabilities').select('user_id').where('user_id', '=', seller.user.id).executeTakeFirst(), undefined);
      });

      it('404: for an account that is not an owner, and for an unknown account', async () => {
        await newOwner(s()); // the server's first account is its owner: the next ones are not
        const seller = await s().signUp();
        const other = await s().signUp();
        assert.equal((await seller.client.patch(`/api/admin/accounts/${other.user.id}/capabilities`, { json: { flows: 'no' } })).status, 404);
        const owner = await newOwner(s());
        assert.equal((await owner.client.patch('/api/admin/accounts/nobody/capabilities', { json: { flows: 'no' } })).status, 404);
      });
    });
  },
  { TESSERA_CAP_HTTP_STEP: 'no' },
);
