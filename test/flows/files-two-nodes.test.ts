import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeTwoNodes } from '../support/harness.js';
import { sellerWithToken } from '../support/fixtures.js';
import { createProduct, permalinkOf } from '../catalog/helpers.js';
import { PNG } from '../web/support/images.js';
import { apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';
import { ALL_BYTES, REPORT_FLOW, b64 } from './support/files.js';

// Files and covers live in the database: what one node stores, another serves. Two servers share one PostgreSQL database.
describeTwoNodes('files and covers across two nodes on one PostgreSQL database', (nodes) => {
  it('a file uploaded to A, and one a run wrote, download from B byte for byte', async () => {
    const { a, b } = nodes();
    const seller = await a.signUp();
    const key = (await createKey(seller.client)).api_key;
    const userId = await apiUserId(seller.client);
    const auth = { authorization: `Bearer ${key}` };
    const up = await a.client().post('/api/v1/upload_file', { json: { user_id: userId, file_name: 'bytes.bin', file_content: b64(ALL_BYTES) }, headers: auth });
    assert.equal(up.status, 200);
    const down = await b.client().post('/api/v1/download_file', { json: { user_id: userId, file_name: 'bytes.bin' }, headers: auth });
    assert.equal(down.status, 200);
    assert.deepEqual(down.bytes, ALL_BYTES);

    const flow = await createFlow(seller.client, REPORT_FLOW);
    const started = await a.client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, body: 'x,y\n' }, headers: auth });
    assert.equal((await waitForRun(b.client(), { key, userId }, started.body.run_id)).state, 'DONE');
    const report = await b.client().post('/api/v1/download_file', { json: { user_id: userId, run_id: started.body.run_id, file_name: 'report.csv' }, headers: auth });
    assert.equal(report.status, 200);
    assert.equal(report.text, 'x,y\n');
  });

  it("a cover set through A is on B's product page and served by B", async () => {
    const { a, b } = nodes();
    const { token } = await sellerWithToken(a);
    const product = await createProduct(a, token, { thumbnail: PNG.toString('base64') });
    const page = await b.client().get(`/l/${permalinkOf(product)}`);
    assert.equal(page.status, 200);
    const src = /<img class="product-cover" src="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(src, 'the page shows the cover');
    const cover = await b.client().get(src!.replace(/&amp;/g, '&'));
    assert.equal(cover.status, 200);
    assert.deepEqual(cover.bytes, PNG);
  });
});
