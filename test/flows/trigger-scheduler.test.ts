import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createContext } from '../../src/bootstrap.js';
import type { AppContext } from '../../src/context.js';
import { TriggerScheduler } from '../../src/flows/trigger-scheduler.js';
import { disableLicense } from '../../src/licenses/manage-service.js';
import { rotateLicense } from '../../src/licenses/rotate-service.js';
import { refundSale } from '../../src/sales/sales-service.js';
import { describeEachDialect } from '../support/harness.js';
import { licensedProduct, purchase } from '../web/support/catalog.js';
import { createFlow } from './support/fixtures.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };
const MIN = 60_000;
const T0 = Date.UTC(2030, 0, 1, 10, 2, 0);
const TICK_FLOW = { name: 'Tick', inputs: [{ name: 'scheduled_at' }], steps: [{ id: 'wait', type: 'delay', ms: 0 }] };
const EVENT_FLOW = {
  name: 'On event',
  inputs: [{ name: 'email' }, { name: 'resource_name' }, { name: 'license_key' }, { name: 'event' }],
  steps: [{ id: 'wait', type: 'delay', ms: 0 }],
};

/**
 * The trigger scheduler with hand-moved clocks (no sleeps) and two schedulers looking at once. On
 * PostgreSQL each has its own context (its own connection pool) on one database, as two machines
 * would. SQLite's driver is synchronous, so two connections in one process would block each other
 * on the file lock: there both schedulers share the context (interleaving at every await), as
 * processes on one machine share the file.
 */
describeEachDialect(
  'Trigger scheduler',
  (s) => {
    let now = T0;
    const clock = () => now;
    let other: (AppContext & { close(): Promise<void> }) | undefined;
    let a: TriggerScheduler;
    let b: TriggerScheduler;
    before(async () => {
      s().ctx.triggers = new TriggerScheduler(s().ctx, { clock });
      a = s().ctx.triggers;
      if (s().dialect === 'postgres') {
        other = await createContext(s().ctx.config);
        other.triggers = new TriggerScheduler(other, { clock });
      }
      b = new TriggerScheduler(other ?? s().ctx, { clock });
    });
    after(async () => {
      await other?.close();
    });
    beforeEach(async () => {
      // Each case counts what both schedulers did: earlier cases' triggers must not be due with it.
      await s().ctx.db.deleteFrom('flow_trigger_fires').execute();
      await s().ctx.db.deleteFrom('flow_triggers').execute();
    });

    const runsOf = (flowId: string) => s().ctx.db.selectFrom('flow_runs').selectAll().where('flow_id', '=', flowId).orderBy('created_at').execute();
    const inputsOf = async (flowId: string) => (await runsOf(flowId)).map((r) => JSON.parse(r.inputs) as Record<string, unknown>);
    const both = async () => {
      const [x, y] = await Promise.all([a.tick(), b.tick()]);
      return { claimed: x.claimed + y.claimed, started: x.started + y.started };
    };
    async function scheduled(cron: string) {
      const seller = await s().signUp();
      const flow = await createFlow(seller.client, TICK_FLOW);
      const res = await seller.client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'schedule', cron } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return { ...seller, flow, trigger: res.body.trigger as { id: string } };
    }

    describe('schedules', () => {
      it('runs each due time once, even with two schedulers looking at the same moment', async () => {
        now = T0;
        const { flow, trigger } = await scheduled('*/5 * * * *');
        now = T0 + 3 * MIN - 1; // 10:04:59.999
        assert.deepEqual(await both(), { claimed: 0, started: 0 });
        assert.equal((await runsOf(flow.id)).length, 0, 'nothing before the due time');
        for (let slot = 1; slot <= 6; slot++) {
          now = Date.UTC(2030, 0, 1, 10, 5 * slot, 0, 500);
          const round = await both();
          assert.equal(round.claimed, 1, `slot ${slot}: one scheduler claims it`);
          assert.equal(round.started, 1, `slot ${slot}: one run starts`);
          assert.deepEqual(await both(), { claimed: 0, started: 0 }, 'looking again changes nothing');
        }
        assert.deepEqual(
          (await inputsOf(flow.id)).map((i) => i.scheduled_at),
          [5, 10, 15, 20, 25, 30].map((m) => new Date(Date.UTC(2030, 0, 1, 10, m)).toISOString()),
        );
        const row = await s().ctx.db.selectFrom('flow_triggers').selectAll().where('id', '=', trigger.id).executeTakeFirstOrThrow();
        assert.equal(row.next_due_at, Date.UTC(2030, 0, 1, 10, 35));
        const fires = await s().ctx.db.selectFrom('flow_trigger_fires').selectAll().where('trigger_id', '=', trigger.id).execute();
        assert.equal(fires.length, 6);
        assert.ok(fires.every((f) => f.state === 'started' && f.run_id !== null));
      });

      it('after downtime runs the missed due times once, not once per slot, and says how many were skipped', async () => {
        now = T0;
        const { client, flow, trigger } = await scheduled('*/5 * * * *');
        now = Date.UTC(2030, 0, 1, 10, 5, 1);
        await both();
        now = Date.UTC(2030, 0, 1, 11, 2, 0); // down from 10:05 to 11:02: 10:10 … 11:00 were missed
        assert.deepEqual(await both(), { claimed: 1, started: 1 });
        assert.deepEqual(
          (await inputsOf(flow.id)).map((i) => i.scheduled_at),
          ['2030-01-01T10:05:00.000Z', '2030-01-01T11:00:00.000Z'],
        );
        const listed = (await client.get(`/api/flows/${flow.id}/triggers/${trigger.id}`)).body.trigger;
        assert.equal(listed.last_fire.at, '2030-01-01T11:00:00.000Z');
        assert.equal(listed.last_fire.missed, 10);
        assert.equal(listed.last_fire.state, 'STARTED');
        assert.equal(listed.next_due[0], '2030-01-01T11:05:00.000Z');
      });

      it('a deleted trigger or a deleted flow starts nothing', async () => {
        now = T0;
        const one = await scheduled('*/5 * * * *');
        const two = await scheduled('*/5 * * * *');
        assert.equal((await one.client.delete(`/api/flows/${one.flow.id}/triggers/${one.trigger.id}`)).status, 200);
        assert.equal((await two.client.delete(`/api/flows/${two.flow.id}`)).status, 200);
        now = T0 + 4 * MIN;
        await both();
        assert.equal((await runsOf(one.flow.id)).length, 0);
        assert.equal((await runsOf(two.flow.id)).length, 0);
      });
    });

    describe('events', () => {
      it('a new sale, a refund, a rotation and a disable each start the flow once, with the event as inputs', async () => {
        now = T0;
        const seller = await s().signUp();
        const bystander = await s().signUp();
        const flow = await createFlow(seller.client, EVENT_FLOW);
        for (const event of ['sale', 'refund', 'license_rotated', 'license_disabled']) {
          const res = await seller.client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event } });
          assert.equal(res.status, 201);
        }
        const product = await licensedProduct(s(), seller.user.id);
        const sale = await purchase(s(), seller.user.id, product.id, 'buyer@example.com');
        // Another seller's sale of their own product starts nothing here.
        const theirs = await licensedProduct(s(), bystander.user.id);
        await purchase(s(), bystander.user.id, theirs.id, 'someone@example.com');
        const ref = { licenseKey: sale.license_key, productId: product.id, productPermalink: null };
        const rotated = await rotateLicense(s().ctx, { sellerId: seller.user.id, ref, actor: SYSTEM, gracePeriodSeconds: 0 });
        const newKey = (rotated.purchase as { license_key: string }).license_key;
        await disableLicense(s().ctx, { sellerId: seller.user.id, ref: { ...ref, licenseKey: newKey }, actor: SYSTEM });
        await refundSale(s().ctx, seller.user.id, sale.id, undefined, SYSTEM);

        assert.deepEqual(await both(), { claimed: 0, started: 4 });
        assert.deepEqual(await both(), { claimed: 0, started: 0 }, 'a second look starts nothing more');
        const inputs = await inputsOf(flow.id);
        assert.deepEqual(inputs.map((i) => i.resource_name).sort(), ['license_disabled', 'license_rotated', 'refund', 'sale']);
        assert.ok(inputs.every((i) => i.email === 'buyer@example.com'));
        const bySource = Object.fromEntries(inputs.map((i) => [i.resource_name, i]));
        assert.equal(bySource.sale!.license_key, sale.license_key);
        assert.equal(bySource.license_rotated!.license_key, newKey);
        assert.equal((bySource.sale!.event as Record<string, unknown>).sale_id, sale.id, 'the whole payload is the input "event"');
        const fires = await s().ctx.db.selectFrom('flow_trigger_fires').select(['state', 'inputs_encrypted']).where('state', '!=', 'failed').execute();
        assert.ok(fires.every((f) => f.inputs_encrypted === null), 'payloads are forgotten once the run has them');
      });

      it('an event whose flow refuses the inputs ends its fire "failed" with the reason, and the next events still run', async () => {
        now = T0;
        const seller = await s().signUp();
        const flow = await createFlow(seller.client, { name: 'Needs coupon', inputs: [{ name: 'coupon', required: true }], steps: [{ id: 'w', type: 'delay', ms: 0 }] });
        const t = (await seller.client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event: 'sale' } })).body.trigger;
        const product = await licensedProduct(s(), seller.user.id);
        await purchase(s(), seller.user.id, product.id, 'buyer@example.com');
        assert.deepEqual(await both(), { claimed: 0, started: 0 });
        assert.equal((await runsOf(flow.id)).length, 0);
        const listed = (await seller.client.get(`/api/flows/${flow.id}/triggers/${t.id}`)).body.trigger;
        assert.equal(listed.last_fire.state, 'NOT STARTED');
        assert.equal(listed.last_fire.error, "The input 'coupon' is required.");
      });
    });
  },
  { TESSERA_TRIGGERS: '0', TESSERA_WORKER: '0' },
);
