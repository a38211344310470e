import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFlow } from '../../src/flows/service.js';
import { startRun } from '../../src/flows/start-run.js';
import { describeDays, fillDays, lastDays } from '../../src/web/charts.js';
import { EXAMPLE_FLOW } from '../../src/web/pages/flow-editor.js';
import { describeEachDialect } from '../support/harness.js';
import { licensedProduct, purchase, verify } from './support/catalog.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };
const today = () => new Date().toISOString().slice(0, 10);

/** A chart's accessible parts: the SVG's title and description, and its table's row for a day. */
function chart(html: string, id: string) {
  const figure = new RegExp(`<figure class="chart" id="${id}">([\\s\\S]*?)</figure>`).exec(html)?.[1];
  assert.ok(figure, `the page has the chart ${id}`);
  const svg = /<svg [^>]*role="img" aria-labelledby="([^"]+)"[^>]*>/.exec(figure)!;
  assert.equal(svg[1], `${id}-svg-title ${id}-svg-desc`);
  return {
    title: /<title id="[^"]+">([^<]+)<\/title>/.exec(figure)![1],
    desc: /<desc id="[^"]+">([^<]+)<\/desc>/.exec(figure)![1],
    bars: [...figure.matchAll(/<rect /g)].length,
    row: (day: string) => new RegExp(`<tr><th scope="row">${day}</th>((?:<td>\\d+</td>)+)</tr>`).exec(figure)?.[1]?.match(/\d+/g)?.map(Number),
  };
}

describe('charts (src/web/charts.tsx)', () => {
  it('lastDays gives the last UTC days oldest first; fillDays puts 0 on days without counts', () => {
    const now = Date.parse('2024-03-02T10:00:00Z');
    assert.deepEqual(lastDays(3, now), ['2024-02-29', '2024-03-01', '2024-03-02']);
    const points = fillDays(lastDays(3, now), new Map([['2024-03-01', [2, 1]]]), 2);
    assert.deepEqual(points.map((p) => p.values), [[0, 0], [2, 1], [0, 0]]);
  });

  it('describeDays says the totals and the busiest day in words', () => {
    const series = [
      { label: 'Verified', tone: 'c' as const },
      { label: 'Refused', tone: 'b' as const },
    ];
    const points = fillDays(['2024-03-01', '2024-03-02'], new Map([['2024-03-02', [3, 1]]]), 2);
    assert.equal(describeDays(points, series, 'verification'), '4 verifications from 2024-03-01 to 2024-03-02 (3 verified, 1 refused); the busiest day was 2024-03-02 with 4.');
    assert.equal(describeDays(fillDays(['2024-03-01'], new Map(), 2), series, 'verification'), 'No verifications from 2024-03-01 to 2024-03-01.');
  });
});

describeEachDialect('Dashboard charts', (s) => {
  describe('GET /products and /sales', () => {
    it('200: sales per day, drawn as SVG with a title, a description and the numbers as a table', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id, 'Chart <b>product</b>');
      await purchase(s(), user.id, product.id, 'a@example.com');
      await purchase(s(), user.id, product.id, 'b@example.com');
      for (const path of ['/products', '/sales']) {
        const page = await client.get(path);
        assert.equal(page.status, 200);
        const sales = chart(page.text, 'sales-chart');
        assert.match(sales.title!, /per day, last 30 days/);
        assert.match(sales.desc!, new RegExp(`^2 sales from \\d{4}-\\d{2}-\\d{2} to ${today()} \\(2 paid, 0 refunded\\); the busiest day was ${today()} with 2\\.$`));
        assert.deepEqual(sales.row(today()), [2, 0]);
        assert.equal(sales.bars, 1, 'one bar: today');
      }
      const other = await s().signUp();
      const empty = chart((await other.client.get('/sales')).text, 'sales-chart');
      assert.match(empty.desc!, /^No sales from /, "another seller's sales are not counted");
      assert.equal(empty.bars, 0);
    });
  });

  describe('GET /products/:id and /licenses/:id/activations', () => {
    it('200: verifications per day of the product and of the one license, verified and refused', async () => {
      const { client, user } = await s().signUp();
      const product = await licensedProduct(s(), user.id);
      const first = await purchase(s(), user.id, product.id, 'a@example.com');
      const second = await purchase(s(), user.id, product.id, 'b@example.com');
      assert.equal((await verify(s(), product.id, first.license_key)).status, 200);
      assert.equal((await verify(s(), product.id, first.license_key)).status, 200);
      assert.equal((await verify(s(), product.id, second.license_key)).status, 200);
      const stored = await s().ctx.db.selectFrom('license_verification_days').select(['succeeded']).execute();
      assert.equal(stored.reduce((sum, r) => sum + Number(r.succeeded), 0), 3, 'the verify batch counted them');

      const productPage = await client.get(`/products/${product.id}`);
      assert.equal(productPage.status, 200);
      assert.deepEqual(chart(productPage.text, 'verifications-chart').row(today()), [3, 0]);
      assert.deepEqual(chart(productPage.text, 'sales-chart').row(today()), [2, 0]);

      const seats = await client.get(`/licenses/${first.license_id}/activations`);
      assert.equal(seats.status, 200);
      const one = chart(seats.text, 'verifications-chart');
      assert.deepEqual(one.row(today()), [2, 0]);
      assert.match(one.desc!, /^2 verifications from /);
    });
  });

  describe('GET /flows', () => {
    it('200: the runs of the viewer’s flows by state', async () => {
      const { client, user } = await s().signUp();
      const flow = await createFlow(s().ctx, user.id, { definition: JSON.parse(EXAMPLE_FLOW) }, SYSTEM);
      await startRun(s().ctx, { owner: { type: 'user', id: user.id }, flowId: flow.id, userId: user.id, apiKeyId: null, inputs: {} });
      const page = await client.get('/flows');
      assert.equal(page.status, 200);
      const runs = chart(page.text, 'runs-chart');
      assert.equal(runs.title, 'Flow runs by state');
      assert.match(runs.desc!, /^1 run: /);
      const empty = chart((await (await s().signUp()).client.get('/flows')).text, 'runs-chart');
      assert.equal(empty.desc, 'No runs yet.');
    });
  });
});
