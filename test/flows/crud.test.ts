import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { EMAIL_FLOW, addMember, createFlow, createTeam } from './support/fixtures.js';

const step = (extra: Record<string, unknown>) => ({ id: 's1', type: 'send_email', to: 'a@example.com', subject: 'x', text: 'y', ...extra });
const flowWith = (extra: Record<string, unknown>) => ({ name: 'F', steps: [step({})], ...extra });

/** Definitions refused at save, each with the sentence the client sees. */
const MALFORMED: [string, unknown, RegExp][] = [
  ['not an object', 'hello', /must be object/],
  ['no steps', { name: 'F' }, /'steps' is required/],
  ['empty steps', flowWith({ steps: [] }), /steps must NOT have fewer than 1 items/],
  ['an unknown step type', flowWith({ steps: [{ id: 'x', type: 'launch_rockets' }] }), /steps\[0\] \(x\): unknown step type "launch_rockets"/],
  ['a missing step parameter', flowWith({ steps: [{ id: 'm', type: 'send_email', to: 'a@example.com', subject: 's' }] }), /steps\[0\] \(m\): 'text' is required/],
  ['an unknown step parameter', flowWith({ steps: [step({ cc: 'b@example.com' })] }), /'cc' is not allowed/],
  ['a bad parameter type', flowWith({ steps: [{ id: 'w', type: 'delay', ms: 'soon' }] }), /steps\[0\] \(w\)\.ms must be integer/],
  ['a duplicate step id', flowWith({ steps: [step({}), step({})] }), /the step id "s1" is used twice/],
  ['a bad step id', flowWith({ steps: [step({ id: 'has space' })] }), /must match pattern/],
  ['a reserved input name', flowWith({ inputs: [{ name: 'user_id' }] }), /the input name "user_id" is reserved/],
  ['an input declared twice', flowWith({ inputs: [{ name: 'a' }, { name: 'a' }] }), /declared twice/],
  ['an undeclared input in a template', flowWith({ steps: [step({ to: '{{ inputs.nope }}' })] }), /undeclared input "nope"/],
  ['a later step in a template', flowWith({ steps: [step({ text: '{{ steps.s2.x }}' }), step({ id: 's2' })] }), /"s2", which is not an earlier step/],
  ['an unclosed template', flowWith({ steps: [step({ text: 'Hi {{ inputs.a' })], inputs: [{ name: 'a' }] }), /Unclosed/],
  ['an unknown filter', flowWith({ steps: [step({ text: '{{ inputs.a | shout }}' })], inputs: [{ name: 'a' }] }), /unknown filter "shout"/],
  ['a bad template root', flowWith({ steps: [step({ text: '{{ env.SECRET }}' })] }), /must name inputs/],
  ['an unknown top-level field', flowWith({ trigger: 'cron' }), /'trigger' is not allowed/],
  ['too many steps', flowWith({ steps: Array.from({ length: 51 }, (_, i) => step({ id: `s${i}` })) }), /more than 50 items/],
];

describeEachDialect('/api/flows', (s) => {
  describe('201 / 200', () => {
    it('creates a flow in the default workbook, audited, and reads it back', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/api/flows', { json: { definition: EMAIL_FLOW } });
      assert.equal(res.status, 201);
      assert.equal(res.body.flow.name, 'Notify');
      assert.deepEqual(res.body.flow.owner, { type: 'user', id: user.id });
      assert.deepEqual(res.body.flow.definition, EMAIL_FLOW);
      const workbooks = await client.get('/api/workbooks');
      assert.deepEqual(workbooks.body.workbooks.map((w: { id: string; is_default: boolean }) => [w.id, w.is_default]), [[res.body.flow.workbook_id, true]]);
      assert.equal((await client.get(`/api/flows/${res.body.flow.id}`)).body.flow.id, res.body.flow.id);
      assert.deepEqual((await client.get('/api/flows')).body.flows.map((f: { id: string }) => f.id), [res.body.flow.id]);
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', res.body.flow.id).execute();
      assert.deepEqual(audit.map((a) => a.action), ['flow.created']);
    });

    it('replaces a definition, moves a flow to another workbook and deletes it', async () => {
      const { client } = await s().signUp();
      const flow = await createFlow(client, EMAIL_FLOW);
      const workbook = await client.post('/api/workbooks', { json: { name: 'Licensing' } });
      assert.equal(workbook.status, 201);
      const res = await client.put(`/api/flows/${flow.id}`, { json: { workbook_id: workbook.body.workbook.id, definition: { ...EMAIL_FLOW, name: 'Renamed' } } });
      assert.equal(res.status, 200);
      assert.equal(res.body.flow.name, 'Renamed');
      assert.equal(res.body.flow.workbook_id, workbook.body.workbook.id);
      assert.equal((await client.delete(`/api/flows/${flow.id}`)).status, 200);
      assert.equal((await client.get(`/api/flows/${flow.id}`)).status, 404);
      const row = await s().ctx.db.selectFrom('flows').select('deleted_at').where('id', '=', flow.id).executeTakeFirstOrThrow();
      assert.ok(row.deleted_at);
    });

    it('serves the JSON schema and the step library', async () => {
      const { client } = await s().signUp();
      const res = await client.get('/api/flows/schema');
      assert.equal(res.status, 200);
      assert.ok(res.body.schema.properties.steps);
      const types = res.body.steps.map((t: { type: string }) => t.type);
      for (const t of ['http_request', 'send_email', 'delay']) assert.ok(types.includes(t), t);
    });

    it('team flows: owners and admins write, members read', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, member);
      const flow = await createFlow(owner.client, EMAIL_FLOW, { team_id: team.id });
      assert.equal((await member.client.get(`/api/flows/${flow.id}`)).status, 200);
      assert.deepEqual((await member.client.get('/api/flows', { query: { team_id: team.id } })).body.flows.map((f: { id: string }) => f.id), [flow.id]);
      assert.equal((await member.client.put(`/api/flows/${flow.id}`, { json: { definition: EMAIL_FLOW } })).status, 403);
      assert.equal((await member.client.post('/api/flows', { json: { team_id: team.id, definition: EMAIL_FLOW } })).status, 403);
      assert.equal((await member.client.delete(`/api/flows/${flow.id}`)).status, 403);
    });
  });

  describe('400', () => {
    for (const [what, definition, message] of MALFORMED) {
      it(`refuses ${what}`, async () => {
        const { client, user } = await s().signUp();
        const res = await client.post('/api/flows', { json: { definition } });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.error, 'flow_invalid');
        assert.match(res.body.message, message);
        const stored = await s().ctx.db.selectFrom('flows').select('id').where('created_by', '=', user.id).execute();
        assert.equal(stored.length, 0);
      });
    }

    it('refuses a malformed replacement and keeps the saved definition', async () => {
      const { client } = await s().signUp();
      const flow = await createFlow(client, EMAIL_FLOW);
      const res = await client.put(`/api/flows/${flow.id}`, { json: { definition: flowWith({ steps: [{ id: 'x', type: 'nope' }] }) } });
      assert.equal(res.status, 400);
      assert.deepEqual((await client.get(`/api/flows/${flow.id}`)).body.flow.definition, EMAIL_FLOW);
    });
  });

  describe('404', () => {
    it("another account's workbook and an unknown flow", async () => {
      const a = await s().signUp();
      const b = await s().signUp();
      const workbook = await a.client.post('/api/workbooks', { json: { name: 'Mine' } });
      const res = await b.client.post('/api/flows', { json: { workbook_id: workbook.body.workbook.id, definition: EMAIL_FLOW } });
      assert.equal(res.status, 404);
      assert.equal(res.body.message, 'Workbook not found.');
      assert.equal((await b.client.get('/api/flows/unknown')).status, 404);
    });
  });
});
