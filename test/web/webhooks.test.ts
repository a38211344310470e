import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookSender } from '../../src/webhooks/sender.js';
import { createApp, generateToken } from '../support/fixtures.js';
import { describeEachDialect } from '../support/harness.js';
import { call, createProduct } from '../catalog/helpers.js';
import { Receiver } from '../webhooks/support.js';
import { assertAlreadyShown, csrfOf, follow, sessionCsrf, urlencoded } from './support/forms.js';

const secretsOn = (html: string) => [...html.matchAll(/value="(whsec_[^"]+)"/g)].map((m) => m[1]!);

describeEachDialect('Dashboard: webhooks', (s) => {
  describe('GET/POST /webhooks, /webhooks/:id', () => {
    it('adds webhooks (secrets shown once after the redirect), lists deliveries, redelivers, rotates and deletes after asking', async () => {
      const receiver = await Receiver.start();
      try {
        const { client, user } = await s().signUp();
        const { application } = await createApp(client, { name: 'Shop backend' });
        const token = await generateToken(client, application.id);
        const csrf = await sessionCsrf(client, '/webhooks');

        // A bad post URL: back to the form (303) with the message, shown once; nothing stored.
        const bad = await client.post('/webhooks', { raw: urlencoded([['_csrf', csrf], ['application_id', application.id], ['post_url', 'ftp://x'], ['resources', 'sale']]) });
        const explained = await follow(client, bad);
        assert.match(explained.text, /role="alert">Invalid post URL/);
        assert.match(explained.text, /value="ftp:\/\/x"/, 'what was typed comes back');
        assert.doesNotMatch((await client.get(explained.location)).text, /Invalid post URL/, 'the error is shown once');

        const created = await client.post('/webhooks', {
          raw: urlencoded([['_csrf', csrf], ['application_id', application.id], ['post_url', receiver.url], ['resources', 'sale'], ['resources', 'refund']]),
        });
        assert.equal(created.headers.getSetCookie().length, 0, 'no secret rides in a cookie');
        const page = await follow(client, created);
        assert.match(page.location, /^\/webhooks\?flash=/);
        assert.ok(!page.location.includes('whsec_'));
        const secrets = secretsOn(page.text);
        assert.equal(secrets.length, 2);
        assert.match(page.text, /Shop backend/);
        await assertAlreadyShown(client, page.location, secrets[0]!);
        assert.deepEqual(secretsOn((await client.get('/webhooks')).text), [], 'shown once');
        const rows = await s().ctx.db.selectFrom('resource_subscriptions').selectAll().where('user_id', '=', user.id).orderBy('resource_name').execute();
        assert.deepEqual(rows.map((r) => r.resource_name), ['refund', 'sale']);
        assert.ok(rows.every((r) => r.application_id === application.id && r.secret_encrypted && !r.secret_encrypted.includes(secrets[0]!.slice(6))));

        // A delivery, sent by a sender of the test's own.
        const product = await createProduct(s(), token);
        await call(s().client(), 'POST', '/v2/purchases', token, { product_id: product.id, email: 'buyer@example.com' });
        await new WebhookSender(s().ctx).runOnce();
        assert.equal(receiver.requests.length, 1);
        const sale = rows.find((r) => r.resource_name === 'sale')!;
        const detail = await client.get(`/webhooks/${encodeURIComponent(sale.external_id)}`);
        assert.equal(detail.status, 200);
        assert.match(detail.text, /succeeded/);
        assert.match(detail.text, /HTTP 200 in \d+ ms/);
        const delivery = await s().ctx.db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', sale.id).executeTakeFirstOrThrow();
        const redeliver = await client.post(`/webhooks/${encodeURIComponent(sale.external_id)}/deliveries/${encodeURIComponent(delivery.external_id)}/redeliver`, { form: { _csrf: csrfOf(detail.text) } });
        assert.match((await follow(client, redeliver)).text, /Delivery queued again/);
        const queued = await s().ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', delivery.id).executeTakeFirstOrThrow();
        assert.equal(queued.state, 'pending');

        // Rotation asks first (JS dialog on the button; without script, a confirmation page), then shows the new secret once.
        assert.match(detail.text, /data-confirm="The current signing secret stops signing at once, or when the grace period you chose ends; after that the receiver at /);
        const base = `/webhooks/${encodeURIComponent(sale.external_id)}`;
        const unconfirmed = await client.post(`${base}/rotate`, { form: { _csrf: csrf, grace_period: '3600' } });
        assert.equal(unconfirmed.headers.get('location'), `${base}/rotate?grace_period=3600`);
        const ask = await follow(client, unconfirmed);
        assert.match(ask.text, /The current signing secret also signs for 1 hour more; after that the receiver at /);
        assert.match(ask.text, /name="grace_period" value="3600"/);
        assert.equal((await s().ctx.db.selectFrom('resource_subscriptions').select('previous_secret_encrypted').where('id', '=', sale.id).executeTakeFirstOrThrow()).previous_secret_encrypted, null, 'nothing rotates before the yes');
        const rotated = await client.post(`${base}/rotate`, { form: { _csrf: csrf, grace_period: '3600', confirmed: 'yes' } });
        const rotatedPage = await follow(client, rotated);
        const [fresh] = secretsOn(rotatedPage.text);
        assert.ok(fresh && !secrets.includes(fresh));
        await assertAlreadyShown(client, rotatedPage.location, fresh);
        const stored = await s().ctx.db.selectFrom('resource_subscriptions').selectAll().where('id', '=', sale.id).executeTakeFirstOrThrow();
        assert.ok(stored.previous_secret_encrypted && stored.previous_secret_expires_at);
        const wrongGrace = await follow(client, await client.post(`${base}/rotate`, { form: { _csrf: csrf, grace_period: '5', confirmed: 'yes' } }));
        assert.match(wrongGrace.text, /Choose how long the old secret keeps signing/);

        // Delete asks first too; another seller cannot see the page.
        const other = await s().signUp();
        assert.equal((await other.client.get(base)).status, 404);
        assert.equal((await other.client.post(`${base}/delete`, { form: { _csrf: await sessionCsrf(other.client, '/webhooks'), confirmed: 'yes' } })).status, 404);
        const askDelete = await follow(client, await client.post(`${base}/delete`, { form: { _csrf: csrf } }));
        assert.match(askDelete.text, /Tessera stops POSTing sale events to http:\/\/127\.0\.0\.1:\d+[^ ]* at once/);
        assert.equal((await s().ctx.db.selectFrom('resource_subscriptions').select('deleted_at').where('id', '=', sale.id).executeTakeFirstOrThrow()).deleted_at, null);
        const deleted = await client.post(`${base}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
        assert.equal(deleted.headers.get('location'), '/webhooks?done=deleted');
        const gone = await s().ctx.db.selectFrom('resource_subscriptions').select('deleted_at').where('id', '=', sale.id).executeTakeFirstOrThrow();
        assert.ok(gone.deleted_at);
        // A POST without the CSRF token changes nothing.
        assert.equal((await client.post(`/webhooks/${encodeURIComponent(rows[0]!.external_id)}/delete`, { form: {} })).status, 403);
      } finally {
        await receiver.close();
      }
    });
  });
}, { TESSERA_ALLOW_PRIVATE_TARGETS: '1', TESSERA_WEBHOOK_SENDER: '0' });
