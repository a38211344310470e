import { CLI_ACTOR, type AppContext } from '../../src/context.js';
import { createUser } from '../../src/accounts/service.js';
import { createApiKey } from '../../src/apikeys/service.js';
import { createApplication, generateOwnerToken } from '../../src/applications/service.js';
import { createProduct } from '../../src/catalog/product-service.js';
import { setLimits } from '../../src/flows/limits.js';
import { createFlow } from '../../src/flows/service.js';
import { startRun } from '../../src/flows/start-run.js';
import type { PurchaseTable } from '../../src/sales/tables.js';
import { newPurchaseRow } from '../../src/sales/purchase-row.js';
import type { Scenario } from '../scenario.js';

let seq = 0;
const seller = (ctx: AppContext, what: string) =>
  createUser(ctx, { email: `bench-${what}-${Date.now()}-${seq++}@example.com`, password: 'bench password' }, CLI_ACTOR);

/** POST /oauth/token, client_credentials, client_secret_basic: a new token (and its grant) per request. */
export const tokenScenario: Scenario = {
  name: 'POST /oauth/token (client_credentials)',
  goal: 0.3,
  async prepare({ ctx }) {
    const user = await seller(ctx, 'token');
    const { application, clientSecret } = await createApplication(ctx, user.id, { name: 'bench client', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR);
    return {
      method: 'POST',
      path: '/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${application.client_id}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    };
  },
};

/** GET /v2/products of a seller with 20 products. */
export const productsScenario: Scenario = {
  name: 'GET /v2/products (20 products)',
  async prepare({ ctx }) {
    const user = await seller(ctx, 'products');
    for (let i = 0; i < 20; i++) await createProduct(ctx, user.id, { name: `Product ${i}`, price: String(500 + i * 100), is_licensed: i % 2 ? 'true' : 'false' }, CLI_ACTOR);
    const { application } = await createApplication(ctx, user.id, { name: 'bench products', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR);
    const token = await generateOwnerToken(ctx, user.id, application.id, {}, CLI_ACTOR);
    return { method: 'GET', path: '/v2/products', headers: { authorization: `Bearer ${token.accessToken}` } };
  },
};

const SALES = 100_000;

/** GET /v2/sales: the first page (10 sales) of a seller with 100,000. */
export const salesScenario: Scenario = {
  name: 'GET /v2/sales (page of 10 of 100,000)',
  async prepare({ ctx }) {
    const user = await seller(ctx, 'sales');
    const product = await createProduct(ctx, user.id, { name: 'Bench sales', price: '900' }, CLI_ACTOR);
    const productRow = await ctx.db.selectFrom('products').select('id').where('external_id', '=', product.id).executeTakeFirstOrThrow();
    const started = Date.now() - SALES * 1000;
    for (let from = 0; from < SALES; from += 10_000) {
      await ctx.db.transaction().execute(async (trx) => {
        for (let at = from; at < from + 10_000; at += 250) {
          const rows: PurchaseTable[] = [];
          for (let i = at; i < at + 250; i++) {
            rows.push(newPurchaseRow({ seller_id: user.id, product_id: productRow.id, email: `buyer-${i}@example.com`, price: 900, currency: 'usd', order_number: 200_000_000_000 + i, created_at: started + i * 1000 }));
          }
          await trx.insertInto('purchases').values(rows).execute();
        }
      });
    }
    const { application } = await createApplication(ctx, user.id, { name: 'bench sales', redirect_uri: 'http://127.0.0.1' }, CLI_ACTOR);
    const token = await generateOwnerToken(ctx, user.id, application.id, { scopes: 'view_sales' }, CLI_ACTOR);
    return { method: 'GET', path: '/v2/sales', headers: { authorization: `Bearer ${token.accessToken}` } };
  },
};

/** A seller with an API key and a one-step flow, for the flows API scenarios. */
async function flowSeller(ctx: AppContext) {
  const user = await seller(ctx, 'flows');
  const externalId = (await ctx.db.selectFrom('users').select('external_id').where('id', '=', user.id).executeTakeFirstOrThrow()).external_id;
  const { apiKey } = await createApiKey(ctx, user.id, { name: 'bench', scopes: ['flows:run', 'flows:read'] }, CLI_ACTOR);
  // Room for every run the benchmark queues (no worker runs them: TESSERA_WORKER=0).
  await setLimits(ctx, { type: 'user', id: user.id }, { maxQueued: 10_000_000 });
  const flow = await createFlow(ctx, user.id, { definition: { name: 'Bench', inputs: [{ name: 'note' }], steps: [{ id: 'noop', type: 'delay', ms: 0 }] } }, CLI_ACTOR);
  return { user, externalId, apiKey, flow };
}

/** POST /api/v1/start_pipeline with a personal API key: one queued run per request. */
export const startPipelineScenario: Scenario = {
  name: 'POST /api/v1/start_pipeline',
  async prepare({ ctx }) {
    const { externalId, apiKey, flow } = await flowSeller(ctx);
    return {
      method: 'POST',
      path: `/api/v1/start_pipeline?user_id=${externalId}&saved_item_id=${flow.id}`,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline_inputs: [{ input_name: 'note', value: 'hello' }] }),
    };
  },
};

/** GET /api/v1/get_pl_run of one queued run. */
export const getRunScenario: Scenario = {
  name: 'GET /api/v1/get_pl_run',
  async prepare({ ctx }) {
    const { user, externalId, apiKey, flow } = await flowSeller(ctx);
    const { run } = await startRun(ctx, { owner: { type: 'user', id: user.id }, flowId: flow.id, userId: user.id, apiKeyId: null, inputs: { note: 'hello' } });
    return { method: 'GET', path: `/api/v1/get_pl_run?user_id=${externalId}&run_id=${run.id}`, headers: { authorization: `Bearer ${apiKey}` } };
  },
};
