import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordAudit } from '../../src/audit/record.js';
import { createTeam } from '../../src/teams/service.js';
import { ago } from '../../src/web/services/audit-words.js';
import { describeEachDialect } from '../support/harness.js';
import { createApp, generateToken } from '../support/fixtures.js';
import { follow, sessionCsrf } from './support/forms.js';

/** The sentences of the log, in order, with entities decoded. */
const sentences = (html: string) =>
  [...html.matchAll(/<p class="audit-sentence">(.*?)<span class="muted">/g)].map((m) => m[1]!.replace(/&lt;/g, '<').replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
const actions = (html: string) => [...html.matchAll(/<li data-action="([^"]+)"/g)].map((m) => m[1]);

describeEachDialect('GET /audit', (s) => {
  describe('200', () => {
    it('tells each event as a sentence naming who did what to which named thing, and when', async () => {
      const { client, user } = await s().signUp();
      const { application } = await createApp(client, { name: 'Zapier <sync>' });
      await generateToken(client, application.id);
      const csrf = await sessionCsrf(client, `/settings/advanced/applications/${application.id}`);
      await follow(client, await client.post(`/settings/advanced/applications/${application.id}/secret`, { form: { _csrf: csrf, confirmed: 'yes' } }));
      await createTeam(s().ctx, user.id, { name: 'Ops' }, { type: 'system', id: null, ip: null });

      const page = await client.get('/audit');
      assert.equal(page.status, 200);
      // (The very first account of the server also became its owner: that line may follow.)
      assert.deepEqual(sentences(page.text).filter((line) => !line.startsWith('The first account on this server')), [
        'Tessera created team “Ops”',
        'You regenerated the client secret of application “Zapier <sync>”',
        'You generated the access token of application “Zapier <sync>”',
        'You created application “Zapier <sync>”',
        'Someone signed in to the account (a new session)',
        'The account was created',
      ]);
      assert.match(page.text, /Zapier &lt;sync>/, 'names are escaped');
      assert.match(page.text, /<time datetime="[^"]+" title="[^"]+ UTC">just now<\/time>/);
      assert.match(page.text, /href="\/audit\?target_id=[^"]+">everything about this application<\/a>/);
    });

    it('keeps the name of a deleted thing from the event', async () => {
      const { client } = await s().signUp();
      const { application } = await createApp(client, { name: 'Old tool' });
      const csrf = await sessionCsrf(client, '/settings/advanced');
      await client.post(`/settings/advanced/applications/${application.id}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
      const [latest] = sentences((await client.get('/audit')).text);
      assert.equal(latest, 'You deleted application “Old tool” and its 0 live access tokens');
    });

    it('filters by who, kind of event, exact action, target and UTC days; shows only the account’s own events', async () => {
      const { client, user } = await s().signUp();
      await createApp(client);
      const other = await s().signUp();
      const system = { type: 'system' as const, id: null, ip: null };
      await recordAudit(s().ctx.db, { actor: system, userId: user.id, action: 'product.deleted', target: { type: 'product', id: 'gone' }, metadata: { name: 'Ghost' } });

      const all = await client.get('/audit');
      assert.deepEqual(actions(all.text), ['product.deleted', 'application.created', 'session.created', 'user.created']);
      assert.ok(!all.text.includes(other.user.email));

      const bySystem = await client.get('/audit', { query: { actor: 'system' } });
      assert.deepEqual(actions(bySystem.text), ['product.deleted']);
      assert.match(bySystem.text, /<option value="system" selected>/);
      assert.deepEqual(sentences(bySystem.text), ['Tessera deleted product “Ghost”']);
      assert.deepEqual(actions((await client.get('/audit', { query: { actor: 'nobody' } })).text).length, 4, 'an unknown actor choice filters nothing');

      const apps = await client.get('/audit', { query: { action: 'application.' } });
      assert.deepEqual(actions(apps.text), ['application.created']);
      assert.match(apps.text, /<option value="application\." selected>/);
      assert.deepEqual(actions((await client.get('/audit', { query: { target_id: user.id } })).text), ['user.created']);
      assert.match((await client.get('/audit', { query: { exact: 'license.rotated' } })).text, /No events match\./);

      const today = new Date().toISOString().slice(0, 10);
      assert.equal(actions((await client.get('/audit', { query: { from: today, to: today } })).text).length, 4);
      assert.match((await client.get('/audit', { query: { to: '2000-01-01' } })).text, /No events match\./);
      assert.match((await client.get('/audit', { query: { from: '2999-01-01' } })).text, /No events match\./);
      assert.equal(actions((await client.get('/audit', { query: { from: 'yesterday', to: '13/13/2020' } })).text).length, 4, 'malformed days are ignored');
    });

    it('pages backwards with an "Older events" link that keeps the filters', async () => {
      const { client, user } = await s().signUp();
      for (let i = 0; i < 50; i++) await recordAudit(s().ctx.db, { actor: { type: 'user', id: user.id, ip: null }, userId: user.id, action: 'flow.updated', target: { type: 'flow', id: `f${i}` } });
      const first = await client.get('/audit', { query: { actor: 'user' } });
      const older = /href="(\/audit\?[^"]*before=[^"]+)"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&');
      assert.ok(older, 'an Older events link is shown');
      assert.match(older, /actor=user/);
      const next = await client.get(older);
      assert.equal(next.status, 200);
      assert.equal((await client.get('/audit', { query: { before: 'yesterday' } })).status, 200);
    });
  });

  describe('303', () => {
    it('sends a logged-out visitor to login', async () => {
      const res = await s().client().get('/audit');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/login?next=%2Faudit');
    });
  });
});

describe('ago', () => {
  it('says how long ago in words', () => {
    const now = Date.parse('2024-05-10T12:00:00Z');
    assert.equal(ago(now - 10_000, now), 'just now');
    assert.equal(ago(now - 3 * 60_000, now), '3 minutes ago');
    assert.equal(ago(now - 3600_000, now), '1 hour ago');
    assert.equal(ago(now - 2 * 86400_000, now), '2 days ago');
    assert.equal(ago(Date.parse('2024-01-02T00:00:00Z'), now), 'on 2024-01-02');
  });
});
