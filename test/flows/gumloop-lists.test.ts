import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';

describeEachDialect('list_saved_items, list_workbooks, get_inputs, get_plrun_saved_item_map', (s) => {
  let k: { key: string; userId: string; flow: { id: string; workbook_id: string }; other: { id: string; workbook_id: string }; workbookId: string; runs: string[] };
  const get = (path: string, query: Record<string, string> = {}) =>
    s().client().get(`/api/v1/${path}`, { query: { user_id: k.userId, ...query }, headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' } });

  before(async () => {
    const seller = await s().signUp();
    const key = (await createKey(seller.client)).api_key;
    const userId = await apiUserId(seller.client);
    const flow = await createFlow(seller.client, { ...EMAIL_FLOW, inputs: [{ name: 'to', required: true, description: 'Recipient' }, { name: 'note', default: 'hi' }] });
    const workbook = await seller.client.post('/api/workbooks', { json: { name: 'Support', description: 'Support flows' } });
    const other = await createFlow(seller.client, { name: 'Other', description: 'Second', steps: [{ id: 'w', type: 'delay', ms: 0 }] }, { workbook_id: workbook.body.workbook.id });
    const runs = [];
    for (let i = 0; i < 12; i++) {
      const res = await s().client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, to: `r${i}@example.com` }, headers: { authorization: `Bearer ${key}` } });
      runs.push(res.body.run_id);
    }
    for (const id of runs) await waitForRun(s().client(), { key, userId }, id);
    k = { key, userId, flow, other, workbookId: workbook.body.workbook.id, runs };
  });

  describe('200', () => {
    it('list_saved_items lists every flow with its fields', async () => {
      const res = await get('list_saved_items');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.saved_items.map((f: { saved_item_id: string }) => f.saved_item_id), [k.flow.id, k.other.id]);
      assert.deepEqual(Object.keys(res.body.saved_items[1]).sort(), ['created_ts', 'description', 'name', 'saved_item_id']);
      assert.equal(res.body.saved_items[1].description, 'Second');
    });

    it('list_workbooks lists the default workbook and a named one with their flows', async () => {
      const res = await get('list_workbooks');
      assert.equal(res.status, 200);
      const byId = Object.fromEntries(res.body.workbooks.map((w: { workbook_id: string }) => [w.workbook_id, w]));
      assert.deepEqual(byId[k.flow.workbook_id].saved_items.map((f: { saved_item_id: string }) => f.saved_item_id), [k.flow.id]);
      assert.equal(byId[k.workbookId].name, 'Support');
      assert.deepEqual(byId[k.workbookId].saved_items.map((f: { saved_item_id: string }) => f.saved_item_id), [k.other.id]);
    });

    it('get_inputs gives the declared inputs', async () => {
      const res = await get('get_inputs', { saved_item_id: k.flow.id });
      assert.deepEqual(res.body, { inputs: [{ name: 'to', data_type: 'string', description: 'Recipient' }, { name: 'note', data_type: 'string', description: null }] });
    });

    it('get_plrun_saved_item_map gives the 10 most recent runs of a flow or of each flow of a workbook', async () => {
      const res = await get('get_plrun_saved_item_map', { saved_item_id: k.flow.id });
      assert.equal(res.status, 200);
      const runs = res.body[k.flow.id];
      assert.equal(runs.length, 10);
      assert.deepEqual(new Set(runs.map((r: { run_id: string }) => r.run_id)), new Set(k.runs.slice(2)));
      assert.ok(runs.every((r: { state: string; outputs: object }) => r.state === 'DONE' && r.outputs));
      const byWorkbook = await get('get_plrun_saved_item_map', { workbook_id: k.workbookId });
      assert.deepEqual(byWorkbook.body, { [k.other.id]: [] });
    });
  });

  describe('400', () => {
    it('missing saved_item_id or workbook_id', async () => {
      assert.equal((await get('get_inputs')).status, 400);
      const res = await get('get_plrun_saved_item_map');
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { error: 'Bad Request', message: "The 'workbook_id' parameter is required." });
    });
  });

  describe('404', () => {
    it('unknown flow and workbook', async () => {
      assert.deepEqual((await get('get_inputs', { saved_item_id: 'nope' })).body, { error: 'Not Found', message: 'Saved item not found.' });
      assert.deepEqual((await get('get_plrun_saved_item_map', { workbook_id: 'nope' })).body, { error: 'Not Found', message: 'Workbook not found.' });
    });
  });
});
