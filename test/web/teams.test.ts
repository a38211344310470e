import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createTeam } from '../flows/support/fixtures.js';
import { sessionCsrf } from './support/forms.js';

describeEachDialect('Dashboard: team invitations', (s) => {
  async function invited(role = 'member', name = 'Ops <b>team</b>') {
    const owner = await s().signUp();
    const invitee = await s().signUp();
    const team = await createTeam(owner.client, name);
    const res = await owner.client.post(`/api/teams/${team.id}/members`, { json: { email: invitee.user.email, role } });
    assert.equal(res.status, 201);
    return { owner, invitee, team, invitationId: res.body.invitation.id as string };
  }
  const isMember = async (teamId: string, userId: string) =>
    (await s().ctx.db.selectFrom('team_members').select('role').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst()) !== undefined;

  describe('GET /teams', () => {
    it('200: lists the pending invitation with Accept and Decline, names escaped', async () => {
      const { invitee, owner, invitationId } = await invited();
      const page = await invitee.client.get('/teams');
      assert.equal(page.status, 200);
      assert.match(page.text, /Ops &lt;b>team&lt;\/b>|Ops &lt;b&gt;team&lt;\/b&gt;/);
      assert.ok(page.text.includes(owner.user.email));
      assert.ok(page.text.includes(`action="/teams/invitations/${invitationId}/accept"`));
      assert.ok(page.text.includes(`href="/teams/invitations/${invitationId}/decline"`));
    });
  });

  describe('POST /teams/invitations/:id/accept', () => {
    it('303 to /teams: the visitor joins the team (Post/Redirect/Get)', async () => {
      const { invitee, team, invitationId } = await invited();
      const csrf = await sessionCsrf(invitee.client, '/teams');
      const res = await invitee.client.post(`/teams/invitations/${invitationId}/accept`, { form: { _csrf: csrf } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/teams?done=accepted');
      assert.equal(await isMember(team.id, invitee.user.id), true);
      const after = await invitee.client.get('/teams?done=accepted');
      assert.match(after.text, /Invitation accepted/);
      assert.match(after.text, /href="\/teams\/[^"]+\/leave"/);
    });

    it('403 without the CSRF token, 404 for another account: nobody joins', async () => {
      const { invitee, team, invitationId } = await invited();
      const outsider = await s().signUp();
      assert.equal((await invitee.client.post(`/teams/invitations/${invitationId}/accept`, { form: { _csrf: 'forged' } })).status, 403);
      const csrf = await sessionCsrf(outsider.client, '/teams');
      const foreign = await outsider.client.post(`/teams/invitations/${invitationId}/accept`, { form: { _csrf: csrf } });
      assert.equal(foreign.status, 404);
      assert.equal(await isMember(team.id, invitee.user.id), false);
      assert.equal(await isMember(team.id, outsider.user.id), false);
    });
  });

  describe('decline and leave ask first', () => {
    it('GET .../decline is a confirmation page; its POST declines and redirects', async () => {
      const { invitee, team, invitationId } = await invited();
      const confirm = await invitee.client.get(`/teams/invitations/${invitationId}/decline`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /Decline the invitation/);
      assert.ok(confirm.text.includes(`action="/teams/invitations/${invitationId}/decline"`));
      const count = async () => (await s().ctx.db.selectFrom('team_invitations').select('id').where('id', '=', invitationId).execute()).length;
      assert.equal(await count(), 1, 'showing the question changes nothing');
      const csrf = await sessionCsrf(invitee.client, '/teams');
      const res = await invitee.client.post(`/teams/invitations/${invitationId}/decline`, { form: { _csrf: csrf } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/teams?done=declined');
      assert.equal(await count(), 0);
      assert.equal(await isMember(team.id, invitee.user.id), false);
    });

    it('GET /teams/:id/leave asks; its POST leaves and redirects', async () => {
      const { invitee, team, invitationId } = await invited();
      const csrf = await sessionCsrf(invitee.client, '/teams');
      await invitee.client.post(`/teams/invitations/${invitationId}/accept`, { form: { _csrf: csrf } });
      const confirm = await invitee.client.get(`/teams/${team.id}/leave`);
      assert.equal(confirm.status, 200);
      assert.match(confirm.text, /Leave/);
      assert.equal(await isMember(team.id, invitee.user.id), true);
      const res = await invitee.client.post(`/teams/${team.id}/leave`, { form: { _csrf: csrf } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/teams?done=left');
      assert.equal(await isMember(team.id, invitee.user.id), false);
      assert.equal((await invitee.client.get(`/teams/${team.id}/leave`)).status, 404);
    });
  });
});
