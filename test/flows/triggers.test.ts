import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TriggerScheduler } from '../../src/flows/trigger-scheduler.js';
import { describeEachDialect } from '../support/harness.js';
import { addMember, createFlow, createTeam } from './support/fixtures.js';

const T0 = Date.UTC(2030, 0, 1, 10, 2, 0);
const FLOW = { name: 'Tick', inputs: [{ name: 'scheduled_at' }], steps: [{ id: 'wait', type: 'delay', ms: 0 }] };

describeEachDialect(
  '/api/flows/:id/triggers',
  (s) => {
    let now = T0;
    before(() => {
      // The routes read the context's scheduler clock: a hand-moved one, no sleeping.
      s().ctx.triggers = new TriggerScheduler(s().ctx, { clock: () => now });
    });
    const triggerRows = (flowId: string) => s().ctx.db.selectFrom('flow_triggers').selectAll().where('flow_id', '=', flowId).execute();

    describe('201', () => {
      it('adds a schedule: cron and timezone tidied, next three due times, next_due_at stored, audited', async () => {
        now = T0;
        const { client, user } = await s().signUp();
        const flow = await createFlow(client, FLOW);
        const res = await client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'schedule', cron: '  0   9 * * 1 ', timezone: 'Europe/Berlin' } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const t = res.body.trigger;
        assert.equal(t.kind, 'schedule');
        assert.equal(t.cron, '0 9 * * 1');
        assert.equal(t.timezone, 'Europe/Berlin');
        // 2030-01-07 is a Monday; 9:00 in Berlin (winter) is 8:00 UTC.
        assert.deepEqual(t.next_due, ['2030-01-07T08:00:00.000Z', '2030-01-14T08:00:00.000Z', '2030-01-21T08:00:00.000Z']);
        assert.equal(t.last_fire, null);
        const [row] = await triggerRows(flow.id);
        assert.equal(row!.next_due_at, Date.UTC(2030, 0, 7, 8));
        assert.equal(row!.user_id, user.id);
        const audit = await s().ctx.db.selectFrom('audit_events').select(['action', 'metadata']).where('target_id', '=', flow.id).where('action', '=', 'flow.trigger_added').execute();
        assert.equal(audit.length, 1);
        assert.equal(JSON.parse(audit[0]!.metadata!).trigger_id, t.id);
      });

      it('adds an event trigger; the list shows both kinds with their summaries', async () => {
        const { client } = await s().signUp();
        const flow = await createFlow(client, FLOW);
        const event = await client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event: 'sale' } });
        assert.equal(event.status, 201);
        assert.equal(event.body.trigger.summary, 'When: New sale (sale)');
        assert.deepEqual(event.body.trigger.next_due, []);
        now += 1000;
        await client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'schedule', cron: '@daily' } });
        const list = await client.get(`/api/flows/${flow.id}/triggers`);
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.triggers.map((t: { kind: string; summary: string }) => [t.kind, t.summary]), [
          ['event', 'When: New sale (sale)'],
          ['schedule', 'On schedule @daily (UTC)'],
        ]);
      });
    });

    describe('200', () => {
      it('previews a schedule: the next three due times from now', async () => {
        now = T0;
        const { client } = await s().signUp();
        const res = await client.get('/api/flows/schedule-preview', { query: { cron: '*/20 * * * *' } });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.next_due, ['2030-01-01T10:20:00.000Z', '2030-01-01T10:40:00.000Z', '2030-01-01T11:00:00.000Z']);
      });

      it('deletes a trigger and its fires, audited; it is gone from the list', async () => {
        const { client } = await s().signUp();
        const flow = await createFlow(client, FLOW);
        const t = (await client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event: 'refund' } })).body.trigger;
        const res = await client.delete(`/api/flows/${flow.id}/triggers/${t.id}`);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { success: true });
        assert.deepEqual(await triggerRows(flow.id), []);
        assert.equal((await client.get(`/api/flows/${flow.id}/triggers/${t.id}`)).status, 404);
        const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', flow.id).where('action', '=', 'flow.trigger_deleted').execute();
        assert.equal(audit.length, 1);
      });
    });

    describe('400', () => {
      const BAD: [string, Record<string, unknown>, RegExp][] = [
        ['a cron of three fields', { kind: 'schedule', cron: '* * *' }, /is not a cron expression Tessera accepts: give five fields/],
        ['a seconds field', { kind: 'schedule', cron: '*/5 * * * * *' }, /give five fields/],
        ['an out-of-range minute', { kind: 'schedule', cron: '61 * * * *' }, /"61 \* \* \* \*" is not a valid cron expression: Constraint error, got value 61 expected range 0-59/],
        ['a word', { kind: 'schedule', cron: 'every monday' }, /give five fields/],
        ['no cron at all', { kind: 'schedule' }, /Give a cron expression/],
        ['an unknown timezone', { kind: 'schedule', cron: '0 9 * * *', timezone: 'Mars/Olympus' }, /"Mars\/Olympus" is not a timezone Tessera knows/],
        ['an unknown event', { kind: 'event', event: 'payout' }, /"payout" is not a Tessera event: choose one of sale, refund, license_rotated, license_disabled/],
        ['an unknown kind', { kind: 'webhook' }, /kind/],
      ];
      for (const [what, body, message] of BAD) {
        it(`refuses ${what} with a clear message and stores nothing`, async () => {
          const { client } = await s().signUp();
          const flow = await createFlow(client, FLOW);
          const res = await client.post(`/api/flows/${flow.id}/triggers`, { json: body });
          assert.equal(res.status, 400, JSON.stringify(res.body));
          assert.match(res.body.message, message);
          assert.deepEqual(await triggerRows(flow.id), []);
        });
      }

      it('refuses a bad preview with the same sentence', async () => {
        const { client } = await s().signUp();
        const res = await client.get('/api/flows/schedule-preview', { query: { cron: '0 0 31 2 *' } });
        assert.equal(res.status, 400);
        assert.match(res.body.message, /is not a valid cron expression: Invalid explicit day of month definition/);
      });
    });

    describe('401', () => {
      it('asks for a session', async () => {
        const res = await s().client().get('/api/flows/x/triggers');
        assert.equal(res.status, 401);
      });
    });

    describe('403', () => {
      it('a team member who is not an owner or admin cannot add or delete a team flow’s trigger, but sees them', async () => {
        const owner = await s().signUp();
        const member = await s().signUp();
        const team = await createTeam(owner.client);
        await addMember(owner.client, team.id, member);
        const flow = await createFlow(owner.client, FLOW, { team_id: team.id });
        const t = (await owner.client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event: 'sale' } })).body.trigger;
        const [row] = await triggerRows(flow.id);
        assert.deepEqual([row!.owner_type, row!.owner_id], ['team', team.id]);
        assert.equal((await member.client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event: 'refund' } })).status, 403);
        assert.equal((await member.client.delete(`/api/flows/${flow.id}/triggers/${t.id}`)).status, 403);
        assert.equal((await member.client.get(`/api/flows/${flow.id}/triggers`)).body.triggers.length, 1);
        assert.equal((await triggerRows(flow.id)).length, 1);
      });
    });

    describe('404', () => {
      it("another account's flow and trigger ids answer as unknown, and nothing changes", async () => {
        const alice = await s().signUp();
        const bob = await s().signUp();
        const flow = await createFlow(alice.client, FLOW);
        const t = (await alice.client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event: 'sale' } })).body.trigger;
        const bobFlow = await createFlow(bob.client, FLOW);
        for (const res of [
          await bob.client.get(`/api/flows/${flow.id}/triggers`),
          await bob.client.get(`/api/flows/${flow.id}/triggers/${t.id}`),
          await bob.client.post(`/api/flows/${flow.id}/triggers`, { json: { kind: 'event', event: 'sale' } }),
          await bob.client.delete(`/api/flows/${flow.id}/triggers/${t.id}`),
          // Alice's trigger id under Bob's own flow is unknown too.
          await bob.client.get(`/api/flows/${bobFlow.id}/triggers/${t.id}`),
          await bob.client.delete(`/api/flows/${bobFlow.id}/triggers/${t.id}`),
        ]) {
          assert.equal(res.status, 404, JSON.stringify(res.body));
        }
        assert.equal((await triggerRows(flow.id)).length, 1);
        assert.deepEqual(await triggerRows(bobFlow.id), []);
      });
    });
  },
  { TESSERA_TRIGGERS: '0', TESSERA_WORKER: '0' },
);
