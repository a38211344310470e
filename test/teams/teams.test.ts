import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { addMember, createTeam } from '../flows/support/fixtures.js';

describeEachDialect('/api/teams', (s) => {
  describe('201 / 200', () => {
    it('creates a team with its creator as owner, audited', async () => {
      const { client, user } = await s().signUp();
      const res = await client.post('/api/teams', { json: { name: ' Support ' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.team.name, 'Support');
      assert.equal(res.body.team.role, 'owner');
      const members = await s().ctx.db.selectFrom('team_members').selectAll().where('team_id', '=', res.body.team.id).execute();
      assert.deepEqual(members.map((m) => [m.user_id, m.role]), [[user.id, 'owner']]);
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('target_id', '=', res.body.team.id).execute();
      assert.deepEqual(audit.map((a) => a.action), ['team.created']);
      const listed = await client.get('/api/teams');
      assert.deepEqual(listed.body.teams.map((t: { id: string }) => t.id), [res.body.team.id]);
    });

    it('invites by email with a role; once accepted, each sees the team and the api_user_id of the others', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      const res = await owner.client.post(`/api/teams/${team.id}/members`, { json: { email: member.user.email.toUpperCase() } });
      assert.equal(res.status, 201);
      assert.equal(res.body.invitation.role, 'member');
      assert.equal(res.body.invitation.email, member.user.email);
      assert.equal((await member.client.get(`/api/teams/${team.id}`)).status, 404, 'not a member before accepting');
      assert.equal((await member.client.post(`/api/invitations/${res.body.invitation.id}/accept`)).status, 200);
      const shown = await member.client.get(`/api/teams/${team.id}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.team.role, 'member');
      assert.equal(shown.body.team.members.length, 2);
      const row = await s().ctx.db.selectFrom('users').select('external_id').where('id', '=', member.user.id).executeTakeFirstOrThrow();
      assert.equal(shown.body.team.members.find((m: { id: string }) => m.id === member.user.id).api_user_id, row.external_id);
    });

    it('owners change roles; members leave; admins remove members', async () => {
      const owner = await s().signUp();
      const admin = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, admin);
      await addMember(owner.client, team.id, member);
      assert.equal((await owner.client.patch(`/api/teams/${team.id}/members/${admin.user.id}`, { json: { role: 'admin' } })).status, 200);
      assert.equal((await admin.client.delete(`/api/teams/${team.id}/members/${member.user.id}`)).status, 200);
      assert.equal((await admin.client.delete(`/api/teams/${team.id}/members/${admin.user.id}`)).status, 200, 'leaving');
      const members = await s().ctx.db.selectFrom('team_members').select('user_id').where('team_id', '=', team.id).execute();
      assert.deepEqual(members.map((m) => m.user_id), [owner.user.id]);
    });
  });

  describe('400', () => {
    it('refuses a blank name, a bad email and an unknown role', async () => {
      const { client } = await s().signUp();
      assert.equal((await client.post('/api/teams', { json: { name: '   ' } })).status, 400);
      assert.equal((await client.post('/api/teams', { json: {} })).status, 400);
      const team = await createTeam(client);
      assert.equal((await client.post(`/api/teams/${team.id}/members`, { json: { email: 'not-an-email' } })).status, 400);
      assert.equal((await client.post(`/api/teams/${team.id}/members`, { json: { email: 'a@example.com', role: 'god' } })).status, 400);
    });
  });

  describe('403', () => {
    it('members cannot add, admins cannot make owners or remove owners, only owners change roles', async () => {
      const owner = await s().signUp();
      const admin = await s().signUp();
      const member = await s().signUp();
      const newcomer = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, admin, 'admin');
      await addMember(owner.client, team.id, member);
      assert.equal((await member.client.post(`/api/teams/${team.id}/members`, { json: { email: newcomer.user.email } })).status, 403);
      assert.equal((await admin.client.post(`/api/teams/${team.id}/members`, { json: { email: newcomer.user.email, role: 'owner' } })).status, 403);
      assert.equal((await admin.client.delete(`/api/teams/${team.id}/members/${owner.user.id}`)).status, 403);
      assert.equal((await admin.client.patch(`/api/teams/${team.id}/members/${member.user.id}`, { json: { role: 'admin' } })).status, 403);
      assert.equal((await member.client.delete(`/api/teams/${team.id}/members/${admin.user.id}`)).status, 403);
      const count = await s().ctx.db.selectFrom('team_members').select('user_id').where('team_id', '=', team.id).execute();
      assert.equal(count.length, 3);
    });
  });

  describe('404', () => {
    it('an outsider sees no team; an unknown member is 404', async () => {
      const owner = await s().signUp();
      const outsider = await s().signUp();
      const team = await createTeam(owner.client);
      const res = await outsider.client.get(`/api/teams/${team.id}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.message, 'Team not found.');
      assert.equal((await outsider.client.post(`/api/teams/${team.id}/members`, { json: { email: outsider.user.email } })).status, 404);
      assert.equal((await owner.client.delete(`/api/teams/${team.id}/members/${outsider.user.id}`)).status, 404);
    });
  });

  describe('409', () => {
    it('refuses to invite a member, and leaves the last owner in place', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client);
      await addMember(owner.client, team.id, member);
      assert.equal((await owner.client.post(`/api/teams/${team.id}/members`, { json: { email: member.user.email } })).status, 409);
      const leave = await owner.client.delete(`/api/teams/${team.id}/members/${owner.user.id}`);
      assert.equal(leave.status, 409);
      assert.equal(leave.body.message, 'A team needs at least one owner.');
      assert.equal((await owner.client.patch(`/api/teams/${team.id}/members/${owner.user.id}`, { json: { role: 'member' } })).status, 409);
      const role = await s().ctx.db.selectFrom('team_members').select('role').where('user_id', '=', owner.user.id).where('team_id', '=', team.id).executeTakeFirstOrThrow();
      assert.equal(role.role, 'owner');
    });
  });
});
