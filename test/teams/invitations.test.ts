import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, createTeam, type Seller } from '../flows/support/fixtures.js';

/**
 * Issue 11.1: a team owner used to draft any account into a team by email and then run team flows
 * as that account with the team key. Membership is now an invitation the invitee accepts.
 */
describeEachDialect('team invitations', (s) => {
  let owner: Seller;
  let invitee: Seller;
  let outsider: Seller;
  let team: { id: string };
  let teamKey: string;

  before(async () => {
    owner = await s().signUp();
    invitee = await s().signUp();
    outsider = await s().signUp();
    team = await createTeam(owner.client);
    teamKey = (await createKey(owner.client, { name: 'shared', team_id: team.id, scopes: ['flows:read', 'flows:run'] })).api_key;
    await createFlow(owner.client, EMAIL_FLOW, { team_id: team.id });
  });

  const invite = (email: string, role = 'member') => owner.client.post(`/api/teams/${team.id}/members`, { json: { email, role } });
  const listWithTeamKey = async (seller: Seller) =>
    s().client().get('/api/v1/list_saved_items', { query: { user_id: await apiUserId(seller.client), project_id: team.id }, headers: { authorization: `Bearer ${teamKey}` } });
  const memberIds = async () => (await s().ctx.db.selectFrom('team_members').select('user_id').where('team_id', '=', team.id).execute()).map((r) => r.user_id).sort();
  const invitationRows = async () => s().ctx.db.selectFrom('team_invitations').selectAll().where('team_id', '=', team.id).execute();

  describe('201: inviting', () => {
    it('answers the same whether or not the email has an account, and adds nobody', async () => {
      const existing = await invite(invitee.user.email);
      const unknown = await invite(uniqueEmail('nobody'));
      assert.equal(existing.status, 201);
      assert.equal(unknown.status, 201);
      const shape = (body: Record<string, unknown>) => JSON.stringify(body, (k, v) => (['id', 'email', 'created_at', 'expires_at'].includes(k) ? typeof v : v));
      assert.equal(shape(existing.body), shape(unknown.body));
      assert.ok(!JSON.stringify(existing.body).includes(invitee.user.id), 'the account id is not revealed');
      assert.deepEqual(Object.keys(existing.body.invitation).sort(), ['created_at', 'email', 'expires_at', 'id', 'invited_by', 'role', 'status', 'team']);
      assert.equal(existing.body.invitation.status, 'pending');
      assert.deepEqual(await memberIds(), [owner.user.id]);
      const rows = await invitationRows();
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.invited_by === owner.user.id && r.role === 'member'));
      const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', owner.user.id).where('action', '=', 'team.member_invited').execute();
      assert.equal(audit.length, 2);
    });
  });

  describe('403: no team key acts for an account that has not accepted', () => {
    it('a pending invitee is not a member for the team key', async () => {
      const res = await listWithTeamKey(invitee);
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.equal((await invitee.client.get(`/api/teams/${team.id}`)).status, 404);
    });
  });

  describe('200: the invitee lists, accepts, then leaves', () => {
    it('lists its invitation, accepts it, the team key acts for it; after leaving, the very next request is refused', async () => {
      const listed = await invitee.client.get('/api/invitations');
      assert.equal(listed.status, 200);
      assert.equal(listed.body.invitations.length, 1);
      const invitation = listed.body.invitations[0];
      assert.equal(invitation.team.id, team.id);
      assert.equal(invitation.invited_by, owner.user.email);
      assert.deepEqual((await outsider.client.get('/api/invitations')).body.invitations, [], 'nobody else sees it');

      const accepted = await invitee.client.post(`/api/invitations/${invitation.id}/accept`);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.team.id, team.id);
      assert.equal(accepted.body.team.role, 'member');
      assert.deepEqual(await memberIds(), [owner.user.id, invitee.user.id].sort());
      assert.equal((await invitationRows()).filter((r) => r.email === invitee.user.email).length, 0, 'the invitation is used up');
      assert.equal((await listWithTeamKey(invitee)).status, 200);

      const left = await invitee.client.delete(`/api/teams/${team.id}/members/${invitee.user.id}`);
      assert.equal(left.status, 200);
      const next = await listWithTeamKey(invitee);
      assert.equal(next.status, 403, 'the next request after leaving is refused');
      assert.deepEqual(await memberIds(), [owner.user.id]);
    });

    it('a removed member: the team key stops acting for it on the next request', async () => {
      const member = await s().signUp();
      const sent = await invite(member.user.email);
      assert.equal((await member.client.post(`/api/invitations/${sent.body.invitation.id}/accept`)).status, 200);
      assert.equal((await listWithTeamKey(member)).status, 200);
      assert.equal((await owner.client.delete(`/api/teams/${team.id}/members/${member.user.id}`)).status, 200);
      assert.equal((await listWithTeamKey(member)).status, 403);
    });

    it('declining deletes the invitation; the owner cancels another; neither joins', async () => {
      const a = await s().signUp();
      const b = await s().signUp();
      const toA = await invite(a.user.email);
      const toB = await invite(b.user.email, 'admin');
      const declined = await a.client.post(`/api/invitations/${toA.body.invitation.id}/decline`);
      assert.equal(declined.status, 200);
      assert.deepEqual(declined.body, { success: true });
      const pending = await owner.client.get(`/api/teams/${team.id}/invitations`);
      assert.equal(pending.status, 200);
      assert.ok(pending.body.invitations.some((i: { id: string }) => i.id === toB.body.invitation.id));
      assert.ok(!pending.body.invitations.some((i: { id: string }) => i.id === toA.body.invitation.id));
      assert.equal((await owner.client.delete(`/api/teams/${team.id}/invitations/${toB.body.invitation.id}`)).status, 200);
      assert.equal((await b.client.post(`/api/invitations/${toB.body.invitation.id}/accept`)).status, 404, 'a cancelled invitation cannot be accepted');
      const ids = await memberIds();
      assert.ok(!ids.includes(a.user.id) && !ids.includes(b.user.id));
      assert.equal((await listWithTeamKey(b)).status, 403);
    });
  });

  describe('404: foreign credentials on this team\'s ids answer as if they did not exist', () => {
    it("another seller cannot accept, decline, list or cancel someone else's invitation", async () => {
      const target = await s().signUp();
      const sent = await invite(target.user.email);
      const id = sent.body.invitation.id;
      for (const res of [
        await outsider.client.post(`/api/invitations/${id}/accept`),
        await outsider.client.post(`/api/invitations/${id}/decline`),
        await outsider.client.get(`/api/teams/${team.id}/invitations`),
        await outsider.client.delete(`/api/teams/${team.id}/invitations/${id}`),
        await outsider.client.post(`/api/teams/${team.id}/members`, { json: { email: outsider.user.email } }),
        await outsider.client.delete(`/api/teams/${team.id}/members/${owner.user.id}`),
      ]) {
        assert.equal(res.status, 404, JSON.stringify(res.body));
        assert.equal(res.body.success, false);
      }
      const unknown = await outsider.client.post('/api/invitations/no-such-invitation/accept');
      assert.deepEqual(unknown.body, (await outsider.client.post(`/api/invitations/${id}/accept`)).body, 'same answer as an unknown id');
      assert.equal((await invitationRows()).filter((r) => r.id === id).length, 1, 'the invitation is untouched');
      assert.ok(!(await memberIds()).includes(outsider.user.id));
      assert.equal((await listWithTeamKey(outsider)).status, 403);
    });

    it("another seller's session on the team key's id changes nothing", async () => {
      const keys = await owner.client.get('/api/api-keys', { query: { team_id: team.id } });
      assert.equal(keys.status, 200, JSON.stringify(keys.body));
      const keyId = keys.body.keys[0].id;
      assert.equal((await outsider.client.delete(`/api/api-keys/${keyId}`)).status, 404);
      assert.equal((await outsider.client.post(`/api/api-keys/${keyId}/regenerate`, { json: {} })).status, 404);
      const row = await s().ctx.db.selectFrom('api_keys').select('revoked_at').where('id', '=', keyId).executeTakeFirstOrThrow();
      assert.equal(row.revoked_at, null);
    });

    it('an invitation whose sender left the team can no longer be accepted', async () => {
      const admin = await s().signUp();
      const target = await s().signUp();
      const toAdmin = await invite(admin.user.email, 'admin');
      assert.equal((await admin.client.post(`/api/invitations/${toAdmin.body.invitation.id}/accept`)).status, 200);
      const sent = await admin.client.post(`/api/teams/${team.id}/members`, { json: { email: target.user.email } });
      assert.equal(sent.status, 201);
      assert.equal((await owner.client.delete(`/api/teams/${team.id}/members/${admin.user.id}`)).status, 200);
      assert.equal((await target.client.post(`/api/invitations/${sent.body.invitation.id}/accept`)).status, 404);
      assert.ok(!(await memberIds()).includes(target.user.id));
    });
  });

  describe('409', () => {
    it('a second pending invitation to one email is refused', async () => {
      const email = uniqueEmail('twice');
      assert.equal((await invite(email)).status, 201);
      const again = await invite(email.toUpperCase());
      assert.equal(again.status, 409);
      assert.equal(again.body.error, 'team_invitation_exists');
      assert.equal((await invitationRows()).filter((r) => r.email === email).length, 1);
    });
  });
});
