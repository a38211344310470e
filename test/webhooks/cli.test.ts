import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { webhookCommands } from '../../src/webhooks/cli.js';
import { TesseraError } from '../../src/http/errors.js';
import { purchase, subscribedSeller } from './support.js';

// The payment integration's events from the command line (`tessera sale …`, `tessera subscription …`):
// each command runs the same service as its v2 endpoint, for the seller who owns the sale.
const run = (s: TestServer, name: string, options: Record<string, string>) => {
  const command = webhookCommands.find((c) => c.name === name);
  assert.ok(command, `no command "${name}"`);
  return command.run(s.ctx, options, []) as Promise<Record<string, any>>;
};
const audited = async (s: TestServer, sellerId: string, action: string) =>
  (await s.ctx.db.selectFrom('audit_events').select('actor_type').where('user_id', '=', sellerId).where('action', '=', action).execute()).map((r) => r.actor_type);

describeEachDialect('tessera sale and subscription commands', (s) => {
  describe('success', () => {
    it('sale dispute, dispute-won and chargeback change the stored sale and are audited as the CLI', async () => {
      const seller = await subscribedSeller(s(), ['dispute'], 'http://127.0.0.1:9/hook');
      const sale = await purchase(s(), seller.token, seller.product.id);
      assert.deepEqual(await run(s(), 'sale dispute', { sale: sale.id }), { id: sale.id, disputed: true, dispute_won: false, chargedback: false });
      assert.deepEqual(await run(s(), 'sale dispute-won', { sale: sale.id }), { id: sale.id, disputed: true, dispute_won: true, chargedback: false });
      const stored = await s().ctx.db.selectFrom('purchases').select(['disputed', 'dispute_won']).where('external_id', '=', sale.id).executeTakeFirstOrThrow();
      assert.deepEqual([stored.disputed, stored.dispute_won], [1, 1]);
      const queued = await s().ctx.db.selectFrom('webhook_deliveries').select('resource_name').where('seller_id', '=', seller.user.id).execute();
      assert.deepEqual(queued.map((r) => r.resource_name), ['dispute'], 'the dispute was offered to the subscription');
      const other = await purchase(s(), seller.token, seller.product.id);
      assert.equal((await run(s(), 'sale chargeback', { sale: other.id })).chargedback, true);
      assert.ok((await audited(s(), seller.user.id, 'sale.disputed')).every((actor) => actor === 'cli'));
    });

    it('subscription cancel, end and restart change what the subscriber shows', async () => {
      const seller = await subscribedSeller(s(), [], 'http://127.0.0.1:9/hook', { subscription_duration: 'monthly', price: '500' });
      const sale = await purchase(s(), seller.token, seller.product.id);
      const id = String(sale.subscription_id);
      const cancelled = await run(s(), 'subscription cancel', { subscription: id });
      assert.equal(cancelled.id, id);
      assert.notEqual(cancelled.cancelled_at, null);
      const ended = await run(s(), 'subscription end', { subscription: id, reason: 'failed_payment' });
      assert.notEqual(ended.ended_at, null);
      const restarted = await run(s(), 'subscription restart', { subscription: id });
      assert.deepEqual([restarted.cancelled_at, restarted.ended_at], [null, null]);
      const row = await s().ctx.db.selectFrom('purchases').select(['subscription_cancelled_at', 'subscription_ended_at']).where('external_id', '=', sale.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.subscription_cancelled_at, row.subscription_ended_at], [null, null]);
    });
  });

  describe('not found', () => {
    it('an unknown sale or subscription is refused and changes nothing', async () => {
      await assert.rejects(run(s(), 'sale dispute', { sale: 'nope' }), (err) => err instanceof TesseraError && err.code === 'SALE_NOT_FOUND');
      await assert.rejects(run(s(), 'subscription cancel', { subscription: 'nope' }), (err) => err instanceof TesseraError && err.code === 'SUBSCRIBER_NOT_FOUND');
    });
  });
}, { TESSERA_ALLOW_PRIVATE_TARGETS: '1' });
