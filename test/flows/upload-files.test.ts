import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { FILE_LIMITS, b64, fileWorld, post, storedFiles } from './support/files.js';

describeEachDialect(
  'POST /api/v1/upload_files',
  (s) => {
    let w: Awaited<ReturnType<typeof fileWorld>>;
    const mine = () => storedFiles(s().ctx, { type: 'user', id: w.seller.user.id });
    const upload = (files: unknown, extra: Record<string, unknown> = {}, key = w.key) => post(s(), 'upload_files', key, { user_id: w.userId, files, ...extra });

    before(async () => {
      w = await fileWorld(s());
    });

    describe('200', () => {
      it('stores every file and answers {success, uploaded_files}', async () => {
        const res = await upload([
          { file_name: 'a.txt', file_content: b64('alpha') },
          { file_name: 'b.csv', file_content: b64('x,y\n1,2\n') },
        ]);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body, { success: true, uploaded_files: ['a.txt', 'b.csv'] });
        const files = await mine();
        assert.deepEqual(files.map((f) => [f.name, f.content.toString(), f.content_type]), [
          ['a.txt', 'alpha', 'text/plain; charset=utf-8'],
          ['b.csv', 'x,y\n1,2\n', 'text/csv; charset=utf-8'],
        ]);
      });

      it("stores a team's files with a team key and project_id", async () => {
        const res = await upload([{ file_name: 't.txt', file_content: b64('team') }], { user_id: undefined, project_id: w.team.id }, w.teamKey);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual((await storedFiles(s().ctx, { type: 'team', id: w.team.id })).map((f) => f.name), ['t.txt']);
      });
    });

    describe('400', () => {
      it('stores nothing when one file is bad: bad base64, a folder in the name, a name given twice', async () => {
        const before = await mine();
        for (const files of [
          [{ file_name: 'ok1.txt', file_content: b64('ok') }, { file_name: 'bad.bin', file_content: '***' }],
          [{ file_name: 'ok2.txt', file_content: b64('ok') }, { file_name: '../../escape.txt', file_content: b64('x') }],
          [{ file_name: 'twice.txt', file_content: b64('1') }, { file_name: 'twice.txt', file_content: b64('2') }],
        ]) {
          const res = await upload(files);
          assert.equal(res.status, 400, JSON.stringify(res.body));
          assert.equal(res.body.error, 'Bad Request');
          assert.match(res.body.message, /files\[1\]|twice/);
        }
        assert.deepEqual((await mine()).map((f) => f.name), before.map((f) => f.name));
      });

      it('refuses a missing, empty or oversized list and items that are not {file_name, file_content}', async () => {
        const many = Array.from({ length: 51 }, (_, i) => ({ file_name: `f${i}.txt`, file_content: b64('x') }));
        for (const files of [undefined, [], many, ['a.txt'], [{ file_name: 'x.txt' }], 'a.txt']) {
          const res = await upload(files);
          assert.equal(res.status, 400, JSON.stringify(files)?.slice(0, 80));
          assert.equal(res.body.error, 'Bad Request');
        }
        assert.equal((await mine()).some((f) => /^f\d+\.txt$|^x\.txt$/.test(f.name)), false);
      });
    });

    describe('401', () => {
      it('refuses an unknown key', async () => {
        const res = await upload([{ file_name: 'anon.txt', file_content: b64('x') }], {}, 'pk_nope');
        assert.equal(res.status, 401);
        assert.equal((await mine()).some((f) => f.name === 'anon.txt'), false);
      });
    });

    describe('403', () => {
      it("refuses another user's user_id and a read-only key", async () => {
        for (const res of [
          await upload([{ file_name: 'f.txt', file_content: b64('x') }], { user_id: w.outsiderId }),
          await upload([{ file_name: 'f.txt', file_content: b64('x') }], {}, w.readKey),
        ]) {
          assert.equal(res.status, 403);
          assert.equal(res.body.error, 'Forbidden');
        }
        assert.equal((await mine()).some((f) => f.name === 'f.txt'), false);
      });
    });

    describe('413', () => {
      it('refuses files over the per-request size together, and over the storage limit, storing none', async () => {
        const before = (await mine()).map((f) => f.name);
        const together = await upload([
          { file_name: 'half1.bin', file_content: b64(Buffer.alloc(1200)) },
          { file_name: 'half2.bin', file_content: b64(Buffer.alloc(1200)) },
        ]);
        assert.equal(together.status, 413);
        assert.equal(together.body.error, 'Payload Too Large');
        for (const name of ['s1.bin', 's2.bin']) assert.equal((await upload([{ file_name: name, file_content: b64(Buffer.alloc(2000)) }])).status, 200);
        const full = await upload([
          { file_name: 's3.bin', file_content: b64(Buffer.alloc(1000)) },
          { file_name: 's4.bin', file_content: b64(Buffer.alloc(1000)) },
        ]);
        assert.equal(full.status, 413, JSON.stringify(full.body));
        assert.match(full.body.message, /over the limit of 6000 bytes/);
        assert.deepEqual((await mine()).map((f) => f.name), [...before, 's1.bin', 's2.bin'].sort());
      });
    });
  },
  FILE_LIMITS,
);
