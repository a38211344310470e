import { CLI_ACTOR, type AppContext } from '../context.js';
import type { Command } from '../cli/command.js';
import { TesseraError } from '../http/errors.js';
import { listDeliveries, redeliver } from './delivery-service.js';
import { reportSaleEvent, type SaleEvent } from './sale-events-service.js';
import { liveSubscriptionOwner, saleSeller, subscriptionSeller } from './store.js';
import { cancelSubscription, endSubscription, restartSubscription, updateSubscription } from './subscription-events-service.js';

/** The operator acts for the seller who owns the sale, subscription or resource subscription. */
async function saleOwner(ctx: AppContext, saleId: string): Promise<string> {
  const sellerId = await saleSeller(ctx.db, saleId);
  if (sellerId === undefined) throw new TesseraError('SALE_NOT_FOUND');
  return sellerId;
}

async function subscriptionOwner(ctx: AppContext, id: string): Promise<string> {
  const sellerId = await subscriptionSeller(ctx.db, id);
  if (sellerId === undefined) throw new TesseraError('SUBSCRIBER_NOT_FOUND');
  return sellerId;
}

async function hookOwner(ctx: AppContext, id: string): Promise<string> {
  const userId = await liveSubscriptionOwner(ctx.db, id);
  if (userId === undefined) throw new TesseraError('RESOURCE_SUBSCRIPTION_NOT_FOUND');
  return userId;
}

const saleCommand = (name: string, event: SaleEvent, summary: string): Command => ({
  name: `sale ${name}`,
  summary,
  options: { sale: { type: 'string', required: true, description: 'Sale id' } },
  async run(ctx, o) {
    const sale = await reportSaleEvent(ctx, await saleOwner(ctx, String(o.sale)), String(o.sale), event, CLI_ACTOR);
    return { id: sale.id, disputed: sale.disputed, dispute_won: sale.dispute_won, chargedback: sale.chargedback };
  },
  describe: (r) => `Sale ${r.id}: disputed ${r.disputed}, dispute_won ${r.dispute_won}, chargedback ${r.chargedback}`,
});

const subscriber = { type: 'string' as const, required: true, description: 'Subscription (subscriber) id' };
const describeSubscriber = (r: any) => `Subscription ${r.id}: ${r.status}`;

export const webhookCommands: Command[] = [
  saleCommand('dispute', 'dispute', 'Record that the buyer disputed a sale (sends `dispute`)'),
  saleCommand('dispute-won', 'dispute_won', 'Record that the seller won the dispute (sends `dispute_won`)'),
  saleCommand('chargeback', 'chargeback', 'Record a chargeback (sends `dispute` unless one is open)'),
  {
    name: 'subscription cancel',
    summary: 'Cancel a subscription (sends `cancellation`)',
    options: {
      subscription: subscriber,
      by: { type: 'string', description: 'seller (default), buyer or admin' },
      at: { type: 'string', description: 'When it takes effect, ISO 8601 (default now)' },
    },
    run: async (ctx, o) => cancelSubscription(ctx, await subscriptionOwner(ctx, String(o.subscription)), String(o.subscription), { cancelled_by: o.by, cancelled_at: o.at }, CLI_ACTOR),
    describe: describeSubscriber,
  },
  {
    name: 'subscription end',
    summary: 'End a subscription (sends `subscription_ended`)',
    options: { subscription: subscriber, reason: { type: 'string', description: 'cancelled, failed_payment or fixed_subscription_period_ended' } },
    run: async (ctx, o) => endSubscription(ctx, await subscriptionOwner(ctx, String(o.subscription)), String(o.subscription), { reason: o.reason }, CLI_ACTOR),
    describe: describeSubscriber,
  },
  {
    name: 'subscription restart',
    summary: 'Restart a cancelled or ended subscription (sends `subscription_restarted`)',
    options: { subscription: subscriber },
    run: async (ctx, o) => restartSubscription(ctx, await subscriptionOwner(ctx, String(o.subscription)), String(o.subscription), CLI_ACTOR),
    describe: describeSubscriber,
  },
  {
    name: 'subscription update',
    summary: "Change a subscription's plan (sends `subscription_updated`)",
    options: {
      subscription: subscriber,
      recurrence: { type: 'string', description: 'monthly, quarterly, biannually, yearly or every_two_years' },
      'price-cents': { type: 'string', description: 'New price of the plan, in cents' },
      quantity: { type: 'string', description: 'New quantity' },
      tier: { type: 'string', description: 'New tier name' },
    },
    run: async (ctx, o) =>
      updateSubscription(
        ctx,
        await subscriptionOwner(ctx, String(o.subscription)),
        String(o.subscription),
        { recurrence: o.recurrence, price_cents: o['price-cents'], quantity: o.quantity, tier: o.tier },
        CLI_ACTOR,
      ),
    describe: describeSubscriber,
  },
  {
    name: 'webhook deliveries',
    summary: "A resource subscription's latest deliveries and their attempts",
    options: { subscription: { type: 'string', required: true, description: 'Resource subscription id' } },
    async run(ctx, o) {
      const page = await listDeliveries(ctx, { userId: await hookOwner(ctx, String(o.subscription)) }, String(o.subscription));
      return { deliveries: page.deliveries };
    },
    describe: (r) =>
      r.deliveries.length === 0
        ? 'No deliveries yet.'
        : r.deliveries
            .map((d: any) => `${d.id}  ${d.resource_name.padEnd(22)} ${d.state.padEnd(9)} ${d.attempt_count} attempt(s)${d.last_error ? `  ${d.last_error}` : ''}`)
            .join('\n'),
  },
  {
    name: 'webhook redeliver',
    summary: 'Send a delivery again (the running server sends it)',
    options: {
      subscription: { type: 'string', required: true, description: 'Resource subscription id' },
      delivery: { type: 'string', required: true, description: 'Delivery id' },
    },
    run: async (ctx, o) => redeliver(ctx, { userId: await hookOwner(ctx, String(o.subscription)) }, String(o.subscription), String(o.delivery), CLI_ACTOR),
    describe: (r) => `Delivery ${r.id} queued again.`,
  },
  {
    name: 'webhook send',
    summary: 'Send every due delivery now, from this process (for servers run with TESSERA_WEBHOOK_SENDER=0)',
    options: {},
    run: async (ctx) => ({ attempted: await ctx.webhooks.drain() }),
    describe: (r) => `${r.attempted} delivery attempt(s) made.`,
  },
];
