import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFlow } from '../../src/flows/service.js';
import { acceptInvitation, inviteMember } from '../../src/teams/invitations.js';
import { createTeam } from '../../src/teams/service.js';
import type { TeamRole } from '../../src/teams/tables.js';
import { EXAMPLE_FLOW } from '../../src/web/pages/flow-editor.js';
import { describeEachDialect } from '../support/harness.js';
import { assertAlreadyShown, follow, sessionCsrf, urlencoded } from './support/forms.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };

describeEachDialect('Dashboard: teams', (s) => {
  type Seller = Awaited<ReturnType<ReturnType<typeof s>['signUp']>>;
  const memberRole = async (teamId: string, userId: string) =>
    (await s().ctx.db.selectFrom('team_members').select('role').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst())?.role;
  const invitationsOf = (teamId: string) => s().ctx.db.selectFrom('team_invitations').selectAll().where('team_id', '=', teamId).execute();
  const auditActions = async (userId: string) =>
    (await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', userId).orderBy('occurred_at').execute()).map((e) => e.action);

  /** An owner with a team, seeded through the services; `join` adds people who accepted. */
  async function team(name = 'Ops <b>team</b>', join: Array<{ who: Seller; role: TeamRole }> = []) {
    const owner = await s().signUp();
    const created = await createTeam(s().ctx, owner.user.id, { name }, SYSTEM);
    for (const { who, role } of join) {
      const invitation = await inviteMember(s().ctx, owner.user.id, created.id, { email: who.user.email, role }, SYSTEM);
      await acceptInvitation(s().ctx, who.user, invitation.id, SYSTEM);
    }
    return { owner, team: created, path: `/teams/${created.id}` };
  }

  describe('POST /teams', () => {
    it('303: creates the team with the visitor as owner and opens its page', async () => {
      const { client, user } = await s().signUp();
      const csrf = await sessionCsrf(client, '/teams');
      const res = await client.post('/teams', { form: { _csrf: csrf, name: 'Support' } });
      const page = await follow(client, res);
      assert.match(page.location, /^\/teams\/[A-Za-z0-9_-]+\?done=created$/);
      assert.match(page.text, /<h1>Team Support<\/h1>/);
      assert.match(page.text, /Team created: you are its owner/);
      const teamId = page.location.split('/')[2]!.split('?')[0]!;
      assert.equal(await memberRole(teamId, user.id), 'owner');
      assert.ok((await auditActions(user.id)).includes('team.created'));
    });

    it('303 back with the message when the name is blank; nothing is created', async () => {
      const { client, user } = await s().signUp();
      const csrf = await sessionCsrf(client, '/teams');
      const page = await follow(client, await client.post('/teams', { form: { _csrf: csrf, name: '  ' } }));
      assert.match(page.text, /role="alert">The 'name' parameter must not be blank\./);
      assert.equal(await s().ctx.db.selectFrom('team_members').select('team_id').where('user_id', '=', user.id).executeTakeFirst(), undefined);
    });

    it('403: without the CSRF token no team is made', async () => {
      const { client, user } = await s().signUp();
      assert.equal((await client.post('/teams', { form: { name: 'Forged' } })).status, 403);
      assert.equal(await s().ctx.db.selectFrom('team_members').select('team_id').where('user_id', '=', user.id).executeTakeFirst(), undefined);
    });
  });

  describe('GET /teams/:id', () => {
    it('200 for the owner: members with roles, the invite form, the team keys; names escaped', async () => {
      const { owner, path } = await team();
      const page = await owner.client.get(path);
      assert.equal(page.status, 200);
      assert.match(page.text, /Team Ops &lt;b>team&lt;\/b>/);
      assert.ok(page.text.includes(owner.user.email));
      assert.match(page.text, /action="\/teams\/[^"]+\/invitations"/);
      assert.match(page.text, /Create key for Ops &lt;b>team&lt;\/b>/);
    });

    it('200 for a plain member: the team flows, but no keys, no invite form, no remove buttons', async () => {
      const member = await s().signUp();
      const admin = await s().signUp();
      const { owner, team: t, path } = await team('Shared', [
        { who: member, role: 'member' },
        { who: admin, role: 'admin' },
      ]);
      const flow = await createFlow(s().ctx, owner.user.id, { team_id: t.id, definition: JSON.parse(EXAMPLE_FLOW) }, SYSTEM);
      const page = await member.client.get(path);
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(`href="/flows/${flow.id}"`), 'a member sees the team flow');
      assert.match(page.text, /Only owners and admins manage the team’s keys/);
      assert.doesNotMatch(page.text, /\/invitations"/);
      assert.doesNotMatch(page.text, /\/remove"/);
      assert.equal((await member.client.get(`/flows/${flow.id}`)).status, 200);
      assert.ok((await member.client.get('/flows')).text.includes(`href="/flows/${flow.id}"`));
    });

    it('404 for someone outside the team', async () => {
      const { path } = await team();
      const outsider = await s().signUp();
      const res = await outsider.client.get(path);
      assert.equal(res.status, 404);
      assert.match(res.text, /Team not found/);
    });
  });

  describe('POST /teams/:id/invitations', () => {
    it('303: invites by email; the invitee sees it on /teams and joins on accept', async () => {
      const { owner, team: t, path } = await team();
      const invitee = await s().signUp();
      const csrf = await sessionCsrf(owner.client, path);
      const res = await owner.client.post(`${path}/invitations`, { form: { _csrf: csrf, email: invitee.user.email.toUpperCase(), role: 'admin' } });
      assert.equal(res.headers.get('location'), `${path}?done=invited`);
      const [row] = await invitationsOf(t.id);
      assert.equal(row!.email, invitee.user.email);
      assert.equal(row!.role, 'admin');
      assert.equal(await memberRole(t.id, invitee.user.id), undefined, 'an invitation is not a membership');
      assert.match((await owner.client.get(path)).text, new RegExp(`<strong>${invitee.user.email.replace(/[.+]/g, '\\$&')}</strong> — Admin`));

      const list = await invitee.client.get('/teams');
      assert.ok(list.text.includes(`action="/teams/invitations/${row!.id}/accept"`));
      assert.ok(list.text.includes(`action="/teams/invitations/${row!.id}/decline"`));
      const accepted = await invitee.client.post(`/teams/invitations/${row!.id}/accept`, { form: { _csrf: await sessionCsrf(invitee.client, '/teams') } });
      assert.equal(accepted.headers.get('location'), '/teams?done=accepted');
      assert.equal(await memberRole(t.id, invitee.user.id), 'admin');
      assert.ok((await invitee.client.get('/teams?done=accepted')).text.includes(`href="${path}"`));
    });

    it('303 back with the refusal when a plain member tries (the service decides): nothing is stored', async () => {
      const member = await s().signUp();
      const { team: t, path } = await team('Ops', [{ who: member, role: 'member' }]);
      const csrf = await sessionCsrf(member.client, path);
      const page = await follow(member.client, await member.client.post(`${path}/invitations`, { form: { _csrf: csrf, email: 'friend@example.com', role: 'member' } }));
      assert.match(page.text, /role="alert">Only team owners and admins can do this\./);
      assert.deepEqual(await invitationsOf(t.id), []);
    });

    it('303 back with the message for a bad email or an unknown role, what was typed kept', async () => {
      const { owner, team: t, path } = await team();
      const csrf = await sessionCsrf(owner.client, path);
      const bad = await follow(owner.client, await owner.client.post(`${path}/invitations`, { form: { _csrf: csrf, email: 'not-an-email', role: 'member' } }));
      assert.match(bad.text, /role="alert">Enter the email address of the person to invite\./);
      assert.match(bad.text, /value="not-an-email"/);
      const role = await follow(owner.client, await owner.client.post(`${path}/invitations`, { form: { _csrf: csrf, email: 'a@example.com', role: 'boss' } }));
      assert.match(role.text, /Choose a role from the list/);
      assert.deepEqual(await invitationsOf(t.id), []);
    });

    it('404 for a team the visitor is not in', async () => {
      const { team: t, path } = await team();
      const outsider = await s().signUp();
      const res = await outsider.client.post(`${path}/invitations`, { form: { _csrf: await sessionCsrf(outsider.client, '/teams'), email: 'x@example.com' } });
      assert.equal(res.status, 404);
      assert.deepEqual(await invitationsOf(t.id), []);
    });
  });

  describe('remove, cancel, decline and leave ask first', () => {
    it('remove member: the unconfirmed POST shows a page naming what stops; confirmed, the member is gone', async () => {
      const member = await s().signUp();
      const { owner, team: t, path } = await team('Ops', [{ who: member, role: 'member' }]);
      const csrf = await sessionCsrf(owner.client, path);
      const teamPage = await owner.client.get(path);
      assert.match(teamPage.text, /data-confirm="[^"]+ leaves Ops at once: they no longer see or run its flows/);
      const ask = await follow(owner.client, await owner.client.post(`${path}/members/${member.user.id}/remove`, { form: { _csrf: csrf } }));
      assert.match(ask.text, /leaves Ops at once: they no longer see or run its flows, and its API keys stop acting for them/);
      assert.equal(await memberRole(t.id, member.user.id), 'member', 'nothing happens before the yes');
      const done = await owner.client.post(`${path}/members/${member.user.id}/remove`, { form: { _csrf: csrf, confirmed: 'yes' } });
      assert.equal(done.headers.get('location'), `${path}?done=removed`);
      assert.equal(await memberRole(t.id, member.user.id), undefined);
      assert.equal((await member.client.get(path)).status, 404);
    });

    it('an admin cannot remove an owner, nor a member anyone: the service refuses, the page says so', async () => {
      const admin = await s().signUp();
      const member = await s().signUp();
      const { owner, team: t, path } = await team('Ops', [
        { who: admin, role: 'admin' },
        { who: member, role: 'member' },
      ]);
      const byAdmin = await follow(admin.client, await admin.client.post(`${path}/members/${owner.user.id}/remove`, { form: { _csrf: await sessionCsrf(admin.client, path), confirmed: 'yes' } }));
      assert.match(byAdmin.text, /Only team owners can remove owners/);
      const byMember = await follow(member.client, await member.client.post(`${path}/members/${admin.user.id}/remove`, { form: { _csrf: await sessionCsrf(member.client, path), confirmed: 'yes' } }));
      assert.match(byMember.text, /Only team owners and admins can do this/);
      assert.equal(await memberRole(t.id, owner.user.id), 'owner');
      assert.equal(await memberRole(t.id, admin.user.id), 'admin');
    });

    it('change role: owners promote and demote; the last owner cannot step down', async () => {
      const member = await s().signUp();
      const { owner, team: t, path } = await team('Ops', [{ who: member, role: 'member' }]);
      const csrf = await sessionCsrf(owner.client, path);
      const res = await owner.client.post(`${path}/members/${member.user.id}/role`, { form: { _csrf: csrf, role: 'admin' } });
      assert.equal(res.headers.get('location'), `${path}?done=role`);
      assert.equal(await memberRole(t.id, member.user.id), 'admin');
      const last = await follow(owner.client, await owner.client.post(`${path}/members/${owner.user.id}/role`, { form: { _csrf: csrf, role: 'member' } }));
      assert.match(last.text, /A team needs at least one owner/);
      assert.equal(await memberRole(t.id, owner.user.id), 'owner');
    });

    it('cancel invitation: asks first, then the invitation is gone', async () => {
      const { owner, team: t, path } = await team();
      const invitation = await inviteMember(s().ctx, owner.user.id, t.id, { email: 'later@example.com' }, SYSTEM);
      const csrf = await sessionCsrf(owner.client, path);
      const url = `${path}/invitations/${invitation.id}/cancel`;
      const ask = await follow(owner.client, await owner.client.post(url, { form: { _csrf: csrf } }));
      assert.match(ask.text, /The invitation of later@example.com to Ops &lt;b>team&lt;\/b> stops working at once/);
      assert.equal((await invitationsOf(t.id)).length, 1);
      assert.equal((await owner.client.post(url, { form: { _csrf: csrf, confirmed: 'yes' } })).headers.get('location'), `${path}?done=cancelled`);
      assert.deepEqual(await invitationsOf(t.id), []);
    });

    it('decline: asks first, then the invitation is gone and nobody joined', async () => {
      const { owner, team: t } = await team();
      const invitee = await s().signUp();
      const invitation = await inviteMember(s().ctx, owner.user.id, t.id, { email: invitee.user.email }, SYSTEM);
      const csrf = await sessionCsrf(invitee.client, '/teams');
      const url = `/teams/invitations/${invitation.id}/decline`;
      const ask = await follow(invitee.client, await invitee.client.post(url, { form: { _csrf: csrf } }));
      assert.match(ask.text, /would have to invite you again/);
      assert.equal((await invitationsOf(t.id)).length, 1);
      assert.equal((await invitee.client.post(url, { form: { _csrf: csrf, confirmed: 'yes' } })).headers.get('location'), '/teams?done=declined');
      assert.deepEqual(await invitationsOf(t.id), []);
      assert.equal(await memberRole(t.id, invitee.user.id), undefined);
    });

    it('leave: asks first, then the visitor is out; a reload of the question is a 404', async () => {
      const member = await s().signUp();
      const { team: t, path } = await team('Ops', [{ who: member, role: 'member' }]);
      const csrf = await sessionCsrf(member.client, path);
      const ask = await follow(member.client, await member.client.post(`${path}/leave`, { form: { _csrf: csrf } }));
      assert.match(ask.text, /You leave Ops at once/);
      assert.equal(await memberRole(t.id, member.user.id), 'member');
      assert.equal((await member.client.post(`${path}/leave`, { form: { _csrf: csrf, confirmed: 'yes' } })).headers.get('location'), '/teams?done=left');
      assert.equal(await memberRole(t.id, member.user.id), undefined);
      assert.equal((await member.client.get(`${path}/leave`)).status, 404);
    });
  });

  describe('team API keys from the team page', () => {
    it('303 back to the team page: the new key shown once there, a reload says already shown', async () => {
      const { owner, team: t, path } = await team();
      const csrf = await sessionCsrf(owner.client, path);
      const res = await owner.client.post('/api-keys', {
        raw: urlencoded([['_csrf', csrf], ['return_to', path], ['team_id', t.id], ['name', 'Team bot'], ['expires_in', ''], ['scopes', 'flows:run']]),
      });
      const page = await follow(owner.client, res);
      assert.match(page.location, new RegExp(`^${path}\\?flash=`));
      const secret = /id="api-key"[^>]*value="(tsr_tk_[^"]+)"/.exec(page.text)?.[1];
      assert.ok(secret, 'the team key is shown on the team page');
      await assertAlreadyShown(owner.client, page.location, secret);
      const row = await s().ctx.db.selectFrom('api_keys').selectAll().where('key_hash', '=', s().ctx.keys.hash(secret)).executeTakeFirstOrThrow();
      assert.equal(row.team_id, t.id);
      const revoke = await follow(owner.client, await owner.client.post(`/api-keys/${row.id}/revoke`, { form: { _csrf: csrf, return_to: path } }));
      assert.match(revoke.text, /name="return_to" value="\/teams\/[^"]+"/);
      const revoked = await owner.client.post(`/api-keys/${row.id}/revoke`, { form: { _csrf: csrf, return_to: path, confirmed: 'yes' } });
      assert.equal(revoked.headers.get('location'), `${path}?done=revoked`);
      assert.ok((await s().ctx.db.selectFrom('api_keys').select('revoked_at').where('id', '=', row.id).executeTakeFirstOrThrow()).revoked_at);
    });

    it('a plain member cannot create a team key (403 from the service, shown on the page); no key is stored', async () => {
      const member = await s().signUp();
      const { team: t, path } = await team('Ops', [{ who: member, role: 'member' }]);
      const csrf = await sessionCsrf(member.client, path);
      const page = await follow(member.client, await member.client.post('/api-keys', { form: { _csrf: csrf, return_to: path, team_id: t.id, name: 'Sneaky' } }));
      assert.match(page.text, /Only team owners and admins can do this/);
      assert.equal(await s().ctx.db.selectFrom('api_keys').select('id').where('team_id', '=', t.id).executeTakeFirst(), undefined);
    });

    it('a return path that is not a team page falls back to /api-keys', async () => {
      const { client } = await s().signUp();
      const csrf = await sessionCsrf(client, '/api-keys');
      const res = await client.post('/api-keys', { form: { _csrf: csrf, return_to: 'https://evil.example/', name: 'Mine', scopes: 'flows:run' } });
      assert.match(res.headers.get('location')!, /^\/api-keys\?flash=/);
    });
  });
});
