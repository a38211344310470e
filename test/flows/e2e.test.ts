import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createProduct, getProduct } from '../../src/catalog/product-service.js';
import { listOfferCodes } from '../../src/catalog/offer-code-service.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import { addMember, apiUserId, createFlow, createKey, createTeam, waitForRun } from './support/fixtures.js';
import { SEALED_SUBJECT, openMail } from '../../src/flows/sealed-outputs.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };

/** The closing scenario of issue 6, with the built-in steps that act on catalog, sales and licenses. */
describeEachDialect('flows end to end', (s) => {
  const product = (sellerId: string, name: string, price: number, licensed = false) =>
    createProduct(s().ctx, sellerId, { name, price: String(price), ...(licensed ? { is_licensed: 'true' } : {}) }, SYSTEM);
  const start = (key: string, body: Record<string, unknown>) =>
    s().client().post('/api/v1/start_pipeline', { json: body, headers: { authorization: `Bearer ${key}` } });

  describe('team key', () => {
    it('a member starts a team flow that raises the prices of their products by 10 %', async () => {
      const owner = await s().signUp();
      const member = await s().signUp();
      const team = await createTeam(owner.client, 'Pricing');
      await addMember(owner.client, team.id, member);
      const { api_key } = await createKey(owner.client, { name: 'pricing bot', team_id: team.id });
      const flow = await createFlow(owner.client, {
        name: 'Raise prices',
        inputs: [{ name: 'match', required: true }, { name: 'percent', default: 110 }],
        steps: [{ id: 'raise', type: 'update_prices', name_contains: '{{ inputs.match }}', scale_percent: 110 }],
        outputs: { changed: '{{ steps.raise.updated }}' },
      }, { team_id: team.id });
      const ebook = await product(member.user.id, 'Ebook: TypeScript', 1000);
      const course = await product(member.user.id, 'Ebook: Node', 2500);
      const other = await product(member.user.id, 'Stickers', 500);
      const ownersEbook = await product(owner.user.id, 'Ebook: owner', 1000);
      const memberId = await apiUserId(member.client);

      const started = await start(api_key, { user_id: memberId, project_id: team.id, saved_item_id: flow.id, pipeline_inputs: [{ input_name: 'match', value: 'ebook' }] });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const run = await waitForRun(s().client(), { key: api_key, userId: memberId, projectId: team.id }, started.body.run_id);
      assert.equal(run.state, 'DONE', run.log.join('\n'));
      assert.equal(run.user_id, memberId);
      assert.deepEqual(
        run.outputs.changed.map((c: { id: string; from: number; to: number }) => [c.id, c.from, c.to]).sort(),
        [[ebook.id, 1000, 1100], [course.id, 2500, 2750]].sort(),
      );
      assert.deepEqual(run.log, ['[1/1] raise (update_prices): 2 products matched, 2 prices changed', run.log[1]]);
      assert.equal((await getProduct(s().ctx, member.user.id, ebook.id, false)).price, 1100);
      assert.equal((await getProduct(s().ctx, member.user.id, course.id, false)).price, 2750);
      assert.equal((await getProduct(s().ctx, member.user.id, other.id, false)).price, 500);
      assert.equal((await getProduct(s().ctx, owner.user.id, ownersEbook.id, false)).price, 1000, "the owner's products are not the member's");
      const audit = await s().ctx.db.selectFrom('audit_events').select(['actor_type', 'actor_id']).where('user_id', '=', member.user.id).where('action', '=', 'product.updated').execute();
      assert.deepEqual(audit.map((a) => a.actor_id), [`flow_run:${run.run_id}`, `flow_run:${run.run_id}`]);
    });
  });

  describe('personal key', () => {
    it('rotates a leaked license key and mails the buyer the new one', async () => {
      const seller = await s().signUp();
      const plugin = await product(seller.user.id, 'Pro plugin', 2500, true);
      const sale = (await recordPurchase(s().ctx, seller.user.id, { product: plugin.id, email: 'buyer@example.com' }, SYSTEM)) as unknown as { license_key: string; id: string };
      const { api_key } = await createKey(seller.client);
      const userId = await apiUserId(seller.client);
      const flow = await createFlow(seller.client, {
        name: 'Leaked key',
        inputs: [{ name: 'license_key', required: true }, { name: 'product_id', required: true }],
        steps: [
          { id: 'rotate', type: 'rotate_license', license_key: '{{ inputs.license_key }}', product_id: '{{ inputs.product_id }}' },
          { id: 'mail', type: 'send_email', to: '{{ steps.rotate.email }}', subject: 'Your new license key', text: 'Your new key: {{ steps.rotate.license_key }}' },
        ],
        outputs: { sale_id: '{{ steps.rotate.sale_id }}', email_id: '{{ steps.mail.email_id }}' },
      });
      const started = await start(api_key, { user_id: userId, saved_item_id: flow.id, license_key: sale.license_key, product_id: plugin.id });
      assert.equal(started.status, 200);
      const run = await waitForRun(s().client(), { key: api_key, userId }, started.body.run_id);
      assert.equal(run.state, 'DONE', run.log.join('\n'));
      assert.equal(run.outputs.sale_id, sale.id);
      assert.ok(!JSON.stringify(run).includes('Your new key'), 'the new key is only in the email');
      const mail = await s().ctx.db.selectFrom('email_outbox').selectAll().where('id', '=', run.outputs.email_id).executeTakeFirstOrThrow();
      assert.equal(mail.to_address, 'buyer@example.com');
      // Stored sealed (issue 11): the row holds no key; the outbox opens it to send it.
      assert.equal(mail.subject, SEALED_SUBJECT);
      const opened = openMail(s().ctx.keys, mail);
      assert.equal(opened.subject, 'Your new license key');
      const newKey = /Your new key: (\S+)/.exec(opened.text)![1]!;
      assert.ok(!JSON.stringify(mail).includes(newKey), 'the stored email does not hold the new key');
      assert.notEqual(newKey, sale.license_key);
      const verify = (key: string) => s().client().post('/v2/licenses/verify', { form: { product_id: plugin.id, license_key: key, increment_uses_count: 'false' } });
      assert.equal((await verify(sale.license_key)).body.success, false, 'the leaked key no longer verifies');
      assert.equal((await verify(newKey)).body.success, true);
      assert.ok(!run.log.join('\n').includes(newKey) && !run.log.join('\n').includes(sale.license_key), 'no key in the log');
    });

    it('stores outputs holding the rotated key encrypted; the run owner reads them decrypted', async () => {
      const seller = await s().signUp();
      const plugin = await product(seller.user.id, 'Pro plugin', 2500, true);
      const sale = (await recordPurchase(s().ctx, seller.user.id, { product: plugin.id, email: 'buyer@example.com' }, SYSTEM)) as unknown as { license_key: string; id: string };
      const { api_key } = await createKey(seller.client);
      const userId = await apiUserId(seller.client);
      // No declared outputs: every step's output, the new key included, is the run's output.
      const flow = await createFlow(seller.client, {
        name: 'Rotate',
        inputs: [{ name: 'k' }],
        steps: [{ id: 'rotate', type: 'rotate_license', license_key: '{{ inputs.k }}', product_id: plugin.id }],
      });
      const started = await start(api_key, { user_id: userId, saved_item_id: flow.id, k: sale.license_key });
      const run = await waitForRun(s().client(), { key: api_key, userId }, started.body.run_id);
      assert.equal(run.state, 'DONE', run.log.join('\n'));
      const newKey: string = run.outputs.rotate.license_key;
      assert.match(newKey, /^[0-9A-F]{8}(-[0-9A-F]{8}){3}$/);
      assert.deepEqual(run.outputs.rotate, { license_key: newKey, uses: 0, email: 'buyer@example.com', sale_id: sale.id });
      const stored = await s().ctx.db.selectFrom('flow_runs').select('outputs').where('id', '=', run.run_id).executeTakeFirstOrThrow();
      assert.ok(!stored.outputs.includes(newKey), 'the stored row never holds the key in plain text');
      assert.ok(!stored.outputs.includes('buyer@example.com'), 'the whole outputs document is sealed');
      assert.match(JSON.parse(stored.outputs).$sealed, /^v1\./);
      assert.equal(s().ctx.keys.decrypt(JSON.parse(stored.outputs).$sealed), JSON.stringify(run.outputs));
      const verified = await s().client().post('/v2/licenses/verify', { form: { product_id: plugin.id, license_key: newKey, increment_uses_count: 'false' } });
      assert.equal(verified.body.success, true, 'the key read back is the real one');

      // Outputs without a secret stay plain JSON; a flow's own "$sealed" output is shown as it is.
      const plain = await createFlow(seller.client, { name: 'Plain', inputs: [{ name: 'k' }], steps: [{ id: 'wait', type: 'delay', ms: 0 }], outputs: { $sealed: '{{ inputs.k }}' } });
      const plainRun = await waitForRun(s().client(), { key: api_key, userId }, (await start(api_key, { user_id: userId, saved_item_id: plain.id, k: 'v1.not.ours' })).body.run_id);
      assert.equal(plainRun.state, 'DONE', plainRun.log.join('\n'));
      assert.deepEqual(plainRun.outputs, { $sealed: 'v1.not.ours' });
      const plainStored = await s().ctx.db.selectFrom('flow_runs').select('outputs').where('id', '=', plainRun.run_id).executeTakeFirstOrThrow();
      assert.equal(plainStored.outputs, '{"$sealed":"v1.not.ours"}');
    });

    it('makes single-use discount codes and exports sales as CSV', async () => {
      const seller = await s().signUp();
      const course = await product(seller.user.id, 'Course', 5000);
      for (const [email, name] of [['a@example.com', 'Ann'], ['b@example.com', '=HYPERLINK("x")']]) {
        await recordPurchase(s().ctx, seller.user.id, { product: course.id, email, full_name: name }, SYSTEM);
      }
      const { api_key } = await createKey(seller.client);
      const userId = await apiUserId(seller.client);
      const flow = await createFlow(seller.client, {
        name: 'Promo',
        inputs: [{ name: 'product' }],
        steps: [
          { id: 'codes', type: 'create_offer_codes', product_id: '{{ inputs.product }}', count: 5, percent_off: 20, prefix: 'SPRING' },
          { id: 'sales', type: 'export_sales', product_id: '{{ inputs.product }}', after: '2000-01-01' },
        ],
      });
      const started = await start(api_key, { user_id: userId, saved_item_id: flow.id, product: course.id });
      const run = await waitForRun(s().client(), { key: api_key, userId }, started.body.run_id);
      assert.equal(run.state, 'DONE', run.log.join('\n'));
      assert.equal(run.outputs.codes.count, 5);
      const stored = await listOfferCodes(s().ctx, seller.user.id, course.id);
      assert.deepEqual(stored.map((c) => c.name).sort(), [...run.outputs.codes.codes].sort());
      assert.ok(stored.every((c) => c.percent_off === 20 && c.max_purchase_count === 1 && /^SPRING-[0-9A-Z]{8}$/.test(c.name)));
      const lines = run.outputs.sales.csv.trim().split('\r\n');
      assert.equal(run.outputs.sales.count, 2);
      assert.equal(lines[0], 'id,order_id,created_at,product_id,product_name,email,full_name,price,currency_symbol,quantity,refunded,chargedback');
      assert.ok(lines.some((l: string) => l.includes('a@example.com,Ann,5000,$,1,false,false')));
      assert.ok(lines.some((l: string) => l.includes(`b@example.com,"'=HYPERLINK(""x"")"`)), 'a formula is defused');
    });
  });

  describe('FAILED and 400', () => {
    it('a refusal by the licenses service fails the run with its sentence', async () => {
      const seller = await s().signUp();
      const { api_key } = await createKey(seller.client);
      const userId = await apiUserId(seller.client);
      const flow = await createFlow(seller.client, { name: 'Rotate', inputs: [{ name: 'k' }], steps: [{ id: 'rotate', type: 'rotate_license', license_key: '{{ inputs.k }}' }] });
      const run = await waitForRun(s().client(), { key: api_key, userId }, (await start(api_key, { user_id: userId, saved_item_id: flow.id, k: 'NOT-A-KEY' })).body.run_id);
      assert.equal(run.state, 'FAILED');
      assert.deepEqual(run.log, ['[1/1] rotate (rotate_license) failed: That license does not exist for the provided product. Run failed.']);
    });

    it('refuses at save a price step with two changes and a codes step without an amount', async () => {
      const { client } = await s().signUp();
      const prices = await client.post('/api/flows', { json: { definition: { name: 'x', steps: [{ id: 'p', type: 'update_prices', set_cents: 100, add_cents: 5 }] } } });
      assert.equal(prices.status, 400);
      assert.match(prices.body.message, /steps\[0\] \(p\): give exactly one of set_cents, add_cents, scale_percent/);
      const codes = await client.post('/api/flows', { json: { definition: { name: 'x', steps: [{ id: 'c', type: 'create_offer_codes', product_id: 'x', count: 2 }] } } });
      assert.equal(codes.status, 400);
      assert.match(codes.body.message, /give exactly one of amount_cents, percent_off/);
    });
  });
});
