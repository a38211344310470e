import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { describeEachDialect } from '../support/harness.js';
import { createFlow, waitForRun } from './support/fixtures.js';
import { ALL_BYTES, REPORT_FLOW, b64, fileWorld, post, readZip } from './support/files.js';

describeEachDialect('POST /api/v1/download_files', (s) => {
  let w: Awaited<ReturnType<typeof fileWorld>>;
  let runId: string;
  const download = (body: Record<string, unknown>, key = w.key) => post(s(), 'download_files', key, { user_id: w.userId, ...body });

  before(async () => {
    w = await fileWorld(s());
    const upload = await post(s(), 'upload_files', w.key, {
      user_id: w.userId,
      files: [
        { file_name: 'all-bytes.bin', file_content: b64(ALL_BYTES) },
        { file_name: 'notes.txt', file_content: b64('hello') },
        { file_name: 'Überblick.md', file_content: b64('# ü') },
      ],
    });
    assert.equal(upload.status, 200);
    assert.equal((await post(s(), 'upload_file', w.outsiderKey, { user_id: w.outsiderId, file_name: 'secret.txt', file_content: b64('theirs') })).status, 200);
    const flow = await createFlow(w.seller.client, REPORT_FLOW);
    const started = await post(s(), 'start_pipeline', w.key, { user_id: w.userId, saved_item_id: flow.id, body: 'r,1\n' });
    runId = started.body.run_id;
    assert.equal((await waitForRun(s().client(), { key: w.key, userId: w.userId }, runId)).state, 'DONE');
  });

  describe('200', () => {
    it('answers a ZIP of the named files, in the order asked, each once', async () => {
      const res = await download({ file_names: ['notes.txt', 'all-bytes.bin', 'Überblick.md', 'notes.txt'] });
      assert.equal(res.status, 200, res.text.slice(0, 200));
      assert.equal(res.headers.get('content-type'), 'application/zip');
      assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="files\.zip"/);
      const entries = readZip(res.bytes);
      assert.deepEqual(entries.map((e) => e.name), ['notes.txt', 'all-bytes.bin', 'Überblick.md']);
      assert.equal(entries[0]!.data.toString(), 'hello');
      assert.deepEqual(entries[1]!.data, ALL_BYTES);
      assert.equal(entries[2]!.data.toString(), '# ü');
      for (const e of entries) assert.equal(e.crc, crc32(e.data), e.name);
    });

    it("zips the files a run wrote (run_id)", async () => {
      const res = await download({ file_names: ['report.csv'], run_id: runId });
      assert.equal(res.status, 200);
      assert.deepEqual(readZip(res.bytes).map((e) => [e.name, e.data.toString()]), [['report.csv', 'r,1\n']]);
    });
  });

  describe('400', () => {
    it('refuses a missing, empty or oversized list, a non-string and a name with a folder', async () => {
      for (const body of [{}, { file_names: [] }, { file_names: Array.from({ length: 51 }, (_, i) => `f${i}`) }, { file_names: [1] }, { file_names: ['../notes.txt'] }]) {
        const res = await download(body);
        assert.equal(res.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(res.body.error, 'Bad Request');
      }
    });
  });

  describe('401', () => {
    it('refuses a revoked key', async () => {
      const res = await post(s(), 'download_files', 'pk_' + 'x'.repeat(40), { user_id: w.userId, file_names: ['notes.txt'] });
      assert.equal(res.status, 401);
    });
  });

  describe('403', () => {
    it("refuses another user's user_id", async () => {
      const res = await download({ user_id: w.outsiderId, file_names: ['secret.txt'] });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'Forbidden');
    });
  });

  describe('404', () => {
    it("answers 404 with no archive when one name is missing or another account's", async () => {
      for (const [names, missing] of [[['notes.txt', 'secret.txt'], 'secret.txt'], [['nope.txt'], 'nope.txt']] as const) {
        const res = await download({ file_names: names });
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, { error: 'Not Found', message: `File not found: '${missing}'.` });
      }
      assert.equal((await download({ file_names: ['notes.txt'], run_id: runId })).status, 404, 'an upload is not a file of the run');
    });
  });
});
