import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { EMAIL_FLOW, addMember, apiUserId, createFlow, createKey, createTeam } from './support/fixtures.js';

/**
 * Every key kind × user_id (missing, own, team member, outsider, malformed) gets the status of
 * the gumloop contract (Tessera's decision 2, §6.5), on a read (list_saved_items) and a start.
 */
describeEachDialect('API key × user_id on /api/v1', (s) => {
  let world: Awaited<ReturnType<typeof setUp>>;
  async function setUp() {
    const owner = await s().signUp();
    const member = await s().signUp();
    const outsider = await s().signUp();
    const team = await createTeam(owner.client);
    await addMember(owner.client, team.id, member);
    const personal = await createKey(owner.client, { name: 'mine' });
    const teamKey = await createKey(owner.client, { name: 'shared', team_id: team.id });
    const personalFlow = await createFlow(owner.client, EMAIL_FLOW);
    const teamFlow = await createFlow(owner.client, EMAIL_FLOW, { team_id: team.id });
    return {
      team,
      personal: personal.api_key,
      teamKey: teamKey.api_key,
      personalFlow,
      teamFlow,
      ids: { own: await apiUserId(owner.client), member: await apiUserId(member.client), outsider: await apiUserId(outsider.client) },
    };
  }
  const list = (key: string, query: Record<string, string>, headers: Record<string, string> = {}) =>
    s().client().get('/api/v1/list_saved_items', { query, headers: { authorization: `Bearer ${key}`, ...headers } });
  const start = (key: string, body: Record<string, unknown>) =>
    s().client().post('/api/v1/start_pipeline', { json: { pipeline_inputs: [{ input_name: 'to', value: 'x@example.com' }], ...body }, headers: { authorization: `Bearer ${key}` } });
  const runCount = async () => (await s().ctx.db.selectFrom('flow_runs').select('id').execute()).length;

  before(async () => {
    world = await setUp();
  });

  describe('200', () => {
    it('a personal key acts for its owner', async () => {
      const res = await list(world.personal, { user_id: world.ids.own });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.saved_items.map((f: { saved_item_id: string }) => f.saved_item_id), [world.personalFlow.id]);
      const started = await start(world.personal, { user_id: world.ids.own, saved_item_id: world.personalFlow.id });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const run = await s().ctx.db.selectFrom('flow_runs').selectAll().where('id', '=', started.body.run_id).executeTakeFirstOrThrow();
      assert.equal(run.owner_type, 'user');
    });

    it("a personal key naming its owner's team (project_id) reaches that team's flows", async () => {
      const res = await list(world.personal, { user_id: world.ids.own, project_id: world.team.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.saved_items.map((f: { saved_item_id: string }) => f.saved_item_id), [world.teamFlow.id]);
      const started = await start(world.personal, { user_id: world.ids.own, saved_item_id: world.teamFlow.id, project_id: world.team.id });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const run = await s().ctx.db.selectFrom('flow_runs').selectAll().where('id', '=', started.body.run_id).executeTakeFirstOrThrow();
      assert.equal(run.owner_type, 'team');
      // Without project_id the same key still reaches only its owner's own flows.
      assert.equal((await start(world.personal, { user_id: world.ids.own, saved_item_id: world.teamFlow.id })).status, 404);
    });

    it('list_saved_items with project_id and no user_id works with a team key', async () => {
      const res = await list(world.teamKey, { project_id: world.team.id });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.saved_items.map((f: { saved_item_id: string }) => f.saved_item_id), [world.teamFlow.id]);
    });

    it('a team key acts for the owner and for a member, with or without the right project_id', async () => {
      for (const userId of [world.ids.own, world.ids.member]) {
        const res = await list(world.teamKey, { user_id: userId });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.saved_items.map((f: { saved_item_id: string }) => f.saved_item_id), [world.teamFlow.id]);
        assert.equal((await list(world.teamKey, { user_id: userId, project_id: world.team.id })).status, 200);
      }
      const started = await start(world.teamKey, { user_id: world.ids.member, saved_item_id: world.teamFlow.id, project_id: world.team.id });
      assert.equal(started.status, 200);
      const run = await s().ctx.db.selectFrom('flow_runs').innerJoin('users', 'users.id', 'flow_runs.user_id').select(['users.external_id', 'flow_runs.owner_id']).where('flow_runs.id', '=', started.body.run_id).executeTakeFirstOrThrow();
      assert.equal(run.external_id, world.ids.member, 'the run acts for the member named');
      assert.equal(run.owner_id, world.team.id);
    });

    it('accepts the key as ?api_key= and an x-auth-key naming the acting user', async () => {
      assert.equal((await s().client().get('/api/v1/list_saved_items', { query: { user_id: world.ids.own, api_key: world.personal } })).status, 200);
      assert.equal((await list(world.personal, { user_id: world.ids.own }, { 'x-auth-key': world.ids.own })).status, 200);
      assert.equal((await list(world.teamKey, { user_id: world.ids.member }, { 'x-auth-key': world.ids.member })).status, 200);
    });
  });

  describe('400', () => {
    it('a team key without user_id', async () => {
      const before = await runCount();
      const res = await list(world.teamKey, {});
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'Bad Request', message: 'A team API key needs the user_id of the team member it acts for.' });
      assert.equal((await start(world.teamKey, { saved_item_id: world.teamFlow.id, project_id: world.team.id })).status, 400);
      assert.equal(await runCount(), before, 'no run queued');
    });

    it('a user_id that is not a string', async () => {
      const res = await start(world.personal, { user_id: { $ne: 1 }, saved_item_id: world.personalFlow.id });
      assert.equal(res.status, 400);
      assert.equal(res.body.message, "'user_id' must be a string.");
    });
  });

  describe('401', () => {
    it('no key, a malformed key, an unknown well-formed key, another credential kind', async () => {
      const cases = [
        await s().client().get('/api/v1/list_saved_items', { query: { user_id: world.ids.own } }),
        await list('nope', { user_id: world.ids.own }),
        await list(world.personal.slice(0, -1) + (world.personal.endsWith('A') ? 'B' : 'A'), { user_id: world.ids.own }),
        await list('tsr_pk_' + 'A'.repeat(49), { user_id: world.ids.own }),
      ];
      for (const res of cases) {
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, { error: 'Unauthorized', message: 'The API key is missing, malformed or unknown.' });
      }
    });
  });

  describe('403', () => {
    it('a personal key without user_id, with an outsider, a member or a malformed one', async () => {
      const before = await runCount();
      for (const query of [{}, { user_id: world.ids.outsider }, { user_id: world.ids.member }, { user_id: "'; drop table users; --" }, { user_id: 'x'.repeat(5000) }] as Record<string, string>[]) {
        const res = await list(world.personal, query);
        assert.equal(res.status, 403, JSON.stringify(query).slice(0, 50));
        assert.equal(res.body.error, 'Forbidden');
        assert.equal(res.body.message, "A personal API key acts only for its owner: give the owner's user_id.");
      }
      assert.equal((await start(world.personal, { saved_item_id: world.personalFlow.id })).status, 403);
      assert.equal((await start(world.personal, { user_id: world.ids.outsider, saved_item_id: world.personalFlow.id })).status, 403);
      assert.equal(await runCount(), before);
    });

    it('a team key with an outsider or a malformed user_id', async () => {
      for (const userId of [world.ids.outsider, 'not-a-user', '%00']) {
        const res = await list(world.teamKey, { user_id: userId });
        assert.equal(res.status, 403);
        assert.equal(res.body.message, "The user_id is not a member of this API key's team.");
      }
      assert.equal((await start(world.teamKey, { user_id: world.ids.outsider, saved_item_id: world.teamFlow.id })).status, 403);
    });

    it("a project_id that is not the key's team, and any project_id with a personal key", async () => {
      const other = await createTeam((await s().signUp()).client, 'Other');
      const res = await list(world.teamKey, { user_id: world.ids.member, project_id: other.id });
      assert.equal(res.status, 403);
      assert.equal(res.body.message, "The project_id is not this API key's team.");
      // A personal key may name only a team its owner belongs to.
      const foreign = await list(world.personal, { user_id: world.ids.own, project_id: other.id });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.message, "The project_id is not a team this API key's owner belongs to.");
    });

    it('an x-auth-key that does not name the acting user', async () => {
      const res = await list(world.personal, { user_id: world.ids.own }, { 'x-auth-key': world.ids.outsider });
      assert.equal(res.status, 403);
      assert.equal(res.body.message, 'The x-auth-key header does not name the user this API key acts for.');
      assert.equal((await list(world.teamKey, { user_id: world.ids.member }, { 'x-auth-key': world.ids.own })).status, 403);
    });

    it('a read-only key cannot start or kill runs', async () => {
      const owner = await s().signUp();
      const { api_key } = await createKey(owner.client, { scopes: ['flows:read'] });
      const flow = await createFlow(owner.client, EMAIL_FLOW);
      const userId = await apiUserId(owner.client);
      assert.equal((await list(api_key, { user_id: userId })).status, 200);
      const res = await start(api_key, { user_id: userId, saved_item_id: flow.id });
      assert.equal(res.status, 403);
      assert.equal(res.body.message, 'This API key lacks the flows:run scope.');
    });
  });
});
