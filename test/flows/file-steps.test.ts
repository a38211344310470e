import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createFlow, waitForRun } from './support/fixtures.js';
import { ALL_BYTES, FILE_LIMITS, b64, fileWorld, post, storedFiles } from './support/files.js';

/** Reads the file input as text and as base64, and writes both back as files of the run. */
const COPY_FLOW = {
  name: 'Copy',
  inputs: [{ name: 'doc', type: 'file', required: true, description: 'The file to copy' }, { name: 'note' }],
  steps: [
    { id: 'text', type: 'read_file', file_name: '{{ inputs.doc }}' },
    { id: 'raw', type: 'read_file', file_name: '{{ inputs.doc }}', encoding: 'base64' },
    { id: 'copy', type: 'write_file', file_name: 'copy.bin', content: '{{ steps.raw.base64 }}', encoding: 'base64' },
    { id: 'summary', type: 'write_file', file_name: 'summary.json', content: { name: '{{ steps.text.file_name }}', size: '{{ steps.text.size }}' } },
    { id: 'again', type: 'read_file', file_name: 'summary.json' },
  ],
  outputs: { size: '{{ steps.text.size }}', written: '{{ steps.copy.file_name }}', summary: '{{ steps.again.text }}' },
};

describeEachDialect(
  'Flows with file inputs and file steps',
  (s) => {
    let w: Awaited<ReturnType<typeof fileWorld>>;
    let flowId: string;
    const start = (body: Record<string, unknown>, key = w.key) => post(s(), 'start_pipeline', key, { user_id: w.userId, saved_item_id: flowId, ...body });
    const runCount = async () => (await s().ctx.db.selectFrom('flow_runs').select('id').where('flow_id', '=', flowId).execute()).length;

    before(async () => {
      w = await fileWorld(s());
      flowId = (await createFlow(w.seller.client, COPY_FLOW)).id;
      assert.equal((await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: 'input.bin', file_content: b64(ALL_BYTES) })).status, 200);
      assert.equal((await post(s(), 'upload_file', w.outsiderKey, { user_id: w.outsiderId, file_name: 'theirs.bin', file_content: b64('x') })).status, 200);
    });

    describe('200', () => {
      it('get_inputs gives a file input data_type "file"', async () => {
        const res = await s().client().get('/api/v1/get_inputs', { query: { user_id: w.userId, saved_item_id: flowId }, headers: { authorization: `Bearer ${w.key}` } });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.inputs, [{ name: 'doc', data_type: 'file', description: 'The file to copy' }, { name: 'note', data_type: 'string', description: null }]);
      });

      it('a run reads the uploaded file named by its input and writes files that download_file returns', async () => {
        const started = await start({ pipeline_inputs: [{ input_name: 'doc', value: 'input.bin' }] });
        assert.equal(started.status, 200, JSON.stringify(started.body));
        const run = await waitForRun(s().client(), { key: w.key, userId: w.userId }, started.body.run_id);
        assert.equal(run.state, 'DONE', JSON.stringify(run.log));
        assert.deepEqual(run.outputs, { size: 256, written: 'copy.bin', summary: '{"name":"input.bin","size":256}' });
        assert.ok(run.log.some((line: string) => line.includes("read 'input.bin' (256 bytes)")), JSON.stringify(run.log));
        const stored = (await storedFiles(s().ctx, { type: 'user', id: w.seller.user.id })).filter((f) => f.run_id === started.body.run_id);
        assert.deepEqual(stored.map((f) => f.name), ['copy.bin', 'summary.json']);
        assert.deepEqual(stored[0]!.content, ALL_BYTES);
        const copy = await post(s(), 'download_file', w.key, { user_id: w.userId, run_id: started.body.run_id, file_name: 'copy.bin' });
        assert.equal(copy.status, 200);
        assert.deepEqual(copy.bytes, ALL_BYTES);
      });
    });

    describe('400', () => {
      it('start_pipeline refuses a file input naming a file not uploaded, another account\'s, or a path; no run is queued', async () => {
        const before = await runCount();
        for (const [value, pattern] of [
          ['missing.bin', /names the file 'missing.bin', which was not uploaded/],
          ['theirs.bin', /names the file 'theirs.bin', which was not uploaded/],
          ['../input.bin', /names a folder/],
          [42, /must be a string/],
        ] as const) {
          const res = await start({ pipeline_inputs: [{ input_name: 'doc', value }] });
          assert.equal(res.status, 400, JSON.stringify(value));
          assert.equal(res.body.error, 'Bad Request');
          assert.match(res.body.message, pattern);
        }
        assert.equal(await runCount(), before);
      });

      it('a flow is not saved with a file input whose default is a path', async () => {
        const res = await w.seller.client.post('/api/flows', { json: { definition: { ...COPY_FLOW, inputs: [{ name: 'doc', type: 'file', default: '../../etc/passwd' }] } } });
        assert.equal(res.status, 400);
        assert.match(res.body.message, /names a folder/);
      });
    });

    describe('FAILED runs', () => {
      it('fails a run whose write_file is over the file size limit, or reads a file that is not there', async () => {
        const big = await createFlow(w.seller.client, {
          name: 'Big',
          inputs: [{ name: 'text' }],
          steps: [{ id: 'w', type: 'write_file', file_name: 'big.txt', content: '{{ inputs.text }}' }],
        });
        const started = await post(s(), 'start_pipeline', w.key, { user_id: w.userId, saved_item_id: big.id, text: 'x'.repeat(2001) });
        const run = await waitForRun(s().client(), { key: w.key, userId: w.userId }, started.body.run_id);
        assert.equal(run.state, 'FAILED');
        assert.match(run.log.at(-1), /\[1\/1\] w \(write_file\) failed: The file 'big\.txt' is larger than the limit of 2000 bytes\. Run failed\./);
        assert.equal((await storedFiles(s().ctx, { type: 'user', id: w.seller.user.id })).some((f) => f.name === 'big.txt'), false);

        const reader = await createFlow(w.seller.client, { name: 'Reader', steps: [{ id: 'r', type: 'read_file', file_name: 'theirs.bin' }] });
        const read = await post(s(), 'start_pipeline', w.key, { user_id: w.userId, saved_item_id: reader.id });
        const failed = await waitForRun(s().client(), { key: w.key, userId: w.userId }, read.body.run_id);
        assert.equal(failed.state, 'FAILED');
        assert.match(failed.log.at(-1), /there is no file 'theirs\.bin'/);
      });
    });
  },
  FILE_LIMITS,
);
