import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { createFlow, waitForRun } from './support/fixtures.js';
import { ALL_BYTES, REPORT_FLOW, b64, fileWorld, post } from './support/files.js';

describeEachDialect('POST /api/v1/download_file', (s) => {
  let w: Awaited<ReturnType<typeof fileWorld>>;
  let flowId: string;
  let runs: string[];
  let outsiderRun: string;
  const download = (body: Record<string, unknown>, key = w.key) => post(s(), 'download_file', key, { user_id: w.userId, ...body });

  before(async () => {
    w = await fileWorld(s());
    for (const [name, content] of [['all-bytes.bin', ALL_BYTES], ['page.html', Buffer.from('<script>alert(1)</script>')], ['shared.txt', Buffer.from('mine')]] as const) {
      assert.equal((await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: name, file_content: b64(content) })).status, 200);
    }
    assert.equal((await post(s(), 'upload_file', w.outsiderKey, { user_id: w.outsiderId, file_name: 'shared.txt', file_content: b64('theirs') })).status, 200);
    assert.equal((await post(s(), 'upload_file', w.outsiderKey, { user_id: w.outsiderId, file_name: 'secret.txt', file_content: b64('theirs') })).status, 200);
    assert.equal((await post(s(), 'upload_file', w.teamKey, { project_id: w.team.id, file_name: 'team.txt', file_content: b64('team') })).status, 200);
    flowId = (await createFlow(w.seller.client, REPORT_FLOW)).id;
    runs = [];
    for (const body of ['a,b\n1,2\n', 'a,b\n3,4\n']) {
      const started = await post(s(), 'start_pipeline', w.key, { user_id: w.userId, saved_item_id: flowId, body });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      const done = await waitForRun(s().client(), { key: w.key, userId: w.userId }, started.body.run_id);
      assert.equal(done.state, 'DONE', JSON.stringify(done.log));
      runs.push(started.body.run_id);
    }
    const theirs = await post(s(), 'start_pipeline', w.outsiderKey, { user_id: w.outsiderId, saved_item_id: (await createFlow(w.outsider.client, REPORT_FLOW)).id, body: 'x' });
    assert.equal(theirs.status, 200);
    outsiderRun = theirs.body.run_id;
    assert.equal((await waitForRun(s().client(), { key: w.outsiderKey, userId: w.outsiderId }, outsiderRun)).state, 'DONE');
  });

  describe('200', () => {
    it('returns the exact bytes of an uploaded file as an attachment that is never sniffed', async () => {
      const res = await download({ file_name: 'all-bytes.bin' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.bytes, ALL_BYTES);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.equal(res.headers.get('content-disposition'), `attachment; filename="all-bytes.bin"; filename*=UTF-8''all-bytes.bin`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/);
    });

    it('serves HTML as octet-stream, not as a page of this origin', async () => {
      const res = await download({ file_name: 'page.html' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.equal(res.text, '<script>alert(1)</script>');
    });

    it('returns the file a run wrote (run_id), and the newest run of a flow wrote (saved_item_id)', async () => {
      const first = await download({ file_name: 'report.csv', run_id: runs[0] });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.text, 'a,b\n1,2\n');
      assert.equal(first.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal((await download({ file_name: 'report.csv', run_id: runs[1], saved_item_id: flowId })).text, 'a,b\n3,4\n');
      assert.equal((await download({ file_name: 'report.csv', saved_item_id: flowId })).text, 'a,b\n3,4\n');
      const stored = await s().ctx.db.selectFrom('flow_files').select(['run_id', 'owner_id']).where('name', '=', 'report.csv').where('owner_id', '=', w.seller.user.id).execute();
      assert.deepEqual(stored.map((r) => r.run_id).sort(), [...runs].sort());
    });

    it('reads parameters from the query string too, and a team key reads its team files', async () => {
      const res = await s().client().post('/api/v1/download_file', { query: { user_id: w.userId, file_name: 'shared.txt' }, headers: { authorization: `Bearer ${w.key}` } });
      assert.equal(res.status, 200);
      assert.equal(res.text, 'mine');
      const team = await post(s(), 'download_file', w.teamKey, { project_id: w.team.id, file_name: 'team.txt' });
      assert.equal(team.status, 200);
      assert.equal(team.text, 'team');
    });
  });

  describe('400', () => {
    it('refuses a missing file_name, a name with a folder, and a non-string run_id', async () => {
      for (const body of [{}, { file_name: '../shared.txt' }, { file_name: 'a/../../shared.txt' }, { file_name: 'shared.txt', run_id: 5 }]) {
        const res = await download(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error, 'Bad Request');
      }
    });
  });

  describe('401', () => {
    it('refuses a missing key', async () => {
      const res = await post(s(), 'download_file', undefined, { user_id: w.userId, file_name: 'shared.txt' });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'Unauthorized');
    });
  });

  describe('403', () => {
    it("refuses another user's user_id", async () => {
      const res = await download({ user_id: w.outsiderId, file_name: 'secret.txt' });
      assert.equal(res.status, 403);
      assert.equal(res.body.error, 'Forbidden');
    });
  });

  describe('404', () => {
    it("answers another account's file, run or flow as if it did not exist", async () => {
      const cases = [
        [await download({ file_name: 'secret.txt' }), "File not found: 'secret.txt'."],
        [await download({ file_name: 'nope.txt' }), "File not found: 'nope.txt'."],
        [await download({ file_name: 'report.csv', run_id: outsiderRun }), 'Run not found.'],
        [await download({ file_name: 'report.csv', run_id: 'no-such-run' }), 'Run not found.'],
        [await download({ file_name: 'report.csv', run_id: runs[0], saved_item_id: 'other-flow' }), 'Run not found.'],
        [await download({ file_name: 'all-bytes.bin', run_id: runs[0] }), "File not found: 'all-bytes.bin'."],
        [await download({ file_name: 'report.csv', saved_item_id: 'no-such-flow' }), 'Saved item not found.'],
        [await download({ file_name: 'team.txt' }), "File not found: 'team.txt'."],
      ] as const;
      for (const [res, message] of cases) {
        assert.equal(res.status, 404, message);
        assert.deepEqual(res.body, { error: 'Not Found', message });
      }
      // The outsider's own copy of shared.txt is not the seller's.
      assert.equal((await download({ file_name: 'shared.txt' })).text, 'mine');
    });
  });
});
