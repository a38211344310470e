import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookSender } from '../../src/webhooks/sender.js';
import { createApp, generateToken } from '../support/fixtures.js';
import { describeEachDialect } from '../support/harness.js';
import type { Client } from '../support/client.js';
import { call, createProduct } from '../catalog/helpers.js';
import { Receiver } from '../webhooks/support.js';
import { csrfOf, sessionCsrf, urlencoded } from './support/forms.js';

const secretsOn = (html: string) => [...html.matchAll(/value="(whsec_[^"]+)"/g)].map((m) => m[1]!);

/** Follows a 303 carrying the one-time secret cookie, as a browser does. */
async function follow(client: Client, res: { status: number; headers: Headers }) {
  assert.equal(res.status, 303);
  const flash = res.headers.getSetCookie().find((c) => c.startsWith('tessera_webhook_secret='))?.split(';')[0];
  const session = client.cookie;
  if (flash) client.cookie = `${session}; ${flash}`;
  try {
    return await client.get(res.headers.get('location')!);
  } finally {
    client.cookie = session;
  }
}

describeEachDialect('Dashboard: webhooks', (s) => {
  describe('GET/POST /webhooks, /webhooks/:id', () => {
    it('adds webhooks (secrets shown once after the redirect), lists deliveries, redelivers, rotates and deletes after asking', async () => {
      const receiver = await Receiver.start();
      try {
        const { client, user } = await s().signUp();
        const { application } = await createApp(client, { name: 'Shop backend' });
        const token = await generateToken(client, application.id);
        const csrf = await sessionCsrf(client, '/webhooks');

        // A bad post URL: the form again, 400, nothing stored.
        const bad = await client.post('/webhooks', { raw: urlencoded([['_csrf', csrf], ['application_id', application.id], ['post_url', 'ftp://x'], ['resources', 'sale']]) });
        assert.equal(bad.status, 400);
        assert.match(bad.text, /Invalid post URL/);

        const created = await client.post('/webhooks', {
          raw: urlencoded([['_csrf', csrf], ['application_id', application.id], ['post_url', receiver.url], ['resources', 'sale'], ['resources', 'refund']]),
        });
        assert.equal(created.headers.get('location'), '/webhooks?done=created');
        assert.ok(!created.headers.get('location')!.includes('whsec_'));
        const page = await follow(client, created);
        assert.equal(page.status, 200);
        const secrets = secretsOn(page.text);
        assert.equal(secrets.length, 2);
        assert.match(page.text, /Shop backend/);
        const again = await client.get('/webhooks');
        assert.deepEqual(secretsOn(again.text), [], 'shown once');
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
        assert.equal(redeliver.status, 303);
        const queued = await s().ctx.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', delivery.id).executeTakeFirstOrThrow();
        assert.equal(queued.state, 'pending');

        // Rotation asks first (a page with the form), then shows the new secret once.
        const ask = await client.get(`/webhooks/${encodeURIComponent(sale.external_id)}/rotate`);
        assert.match(ask.text, /Rotate the signing secret\?/);
        const rotated = await client.post(`/webhooks/${encodeURIComponent(sale.external_id)}/rotate`, { form: { _csrf: csrf, grace_period: '3600' } });
        const rotatedPage = await follow(client, rotated);
        const [fresh] = secretsOn(rotatedPage.text);
        assert.ok(fresh && !secrets.includes(fresh));
        const stored = await s().ctx.db.selectFrom('resource_subscriptions').selectAll().where('id', '=', sale.id).executeTakeFirstOrThrow();
        assert.ok(stored.previous_secret_encrypted && stored.previous_secret_expires_at);

        // Delete asks first too; another seller cannot see the page.
        const other = await s().signUp();
        assert.equal((await other.client.get(`/webhooks/${encodeURIComponent(sale.external_id)}`)).status, 404);
        assert.match((await client.get(`/webhooks/${encodeURIComponent(sale.external_id)}/delete`)).text, /Delete this webhook\?/);
        const deleted = await client.post(`/webhooks/${encodeURIComponent(sale.external_id)}/delete`, { form: { _csrf: csrf } });
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
