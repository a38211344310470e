import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { ALL_BYTES, FILE_LIMITS, b64, fileWorld, post, storedFiles } from './support/files.js';

describeEachDialect('POST /api/v1/upload_file', (s) => {
  let w: Awaited<ReturnType<typeof fileWorld>>;
  const mine = () => storedFiles(s().ctx, { type: 'user', id: w.seller.user.id });
  const upload = (body: Record<string, unknown>, key = w.key) => post(s(), 'upload_file', key, { user_id: w.userId, ...body });

  before(async () => {
    w = await fileWorld(s());
  });

  describe('200', () => {
    it('stores the decoded bytes under the account and answers {success, file_name}', async () => {
      const res = await upload({ file_name: 'all-bytes.bin', file_content: b64(ALL_BYTES) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, { success: true, file_name: 'all-bytes.bin' });
      const [row] = (await mine()).filter((f) => f.name === 'all-bytes.bin');
      assert.ok(row);
      assert.deepEqual(row.content, ALL_BYTES);
      assert.equal(row.size, 256);
      assert.equal(row.run_id, null);
      assert.equal(row.content_type, 'application/octet-stream');
      const audit = await s().ctx.db.selectFrom('audit_events').selectAll().where('action', '=', 'flow_file.uploaded').where('target_id', '=', row.id).execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_type, 'api_key');
    });

    it('replaces a file of the same name (one row, new bytes)', async () => {
      await upload({ file_name: 'notes.txt', file_content: b64('first') });
      const res = await upload({ file_name: 'notes.txt', file_content: b64('second version') });
      assert.equal(res.status, 200);
      const rows = (await mine()).filter((f) => f.name === 'notes.txt');
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.content.toString(), 'second version');
      assert.equal(rows[0]!.content_type, 'text/plain; charset=utf-8');
    });

    it('accepts unpadded, URL-safe, line-broken and data: base64, an empty file and a unicode name', async () => {
      const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x00, 0x41]);
      for (const [name, content] of [
        ['unpadded.bin', b64(bytes).replace(/=+$/, '')],
        ['urlsafe.bin', bytes.toString('base64url')],
        ['broken.bin', b64(bytes).replace(/(.{4})/g, '$1\r\n')],
        ['data.bin', `data:application/octet-stream;base64,${b64(bytes)}`],
      ]) {
        const res = await upload({ file_name: name, file_content: content });
        assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
        assert.deepEqual((await mine()).find((f) => f.name === name)?.content, bytes, name);
      }
      assert.equal((await upload({ file_name: 'empty.txt', file_content: '' })).status, 200);
      assert.equal((await mine()).find((f) => f.name === 'empty.txt')?.size, 0);
      assert.equal((await upload({ file_name: 'Résumé 2024 (final).pdf', file_content: b64('%PDF') })).status, 200);
      assert.equal((await mine()).find((f) => f.name === 'Résumé 2024 (final).pdf')?.content_type, 'application/pdf');
    });

    it("a team key with project_id alone stores the team's file; a personal key naming its team too", async () => {
      const asTeam = await post(s(), 'upload_file', w.teamKey, { project_id: w.team.id, file_name: 'team.csv', file_content: b64('a,b\n') });
      assert.equal(asTeam.status, 200, JSON.stringify(asTeam.body));
      const viaPersonal = await upload({ project_id: w.team.id, file_name: 'shared.csv', file_content: b64('c,d\n') });
      assert.equal(viaPersonal.status, 200, JSON.stringify(viaPersonal.body));
      const teamFiles = await storedFiles(s().ctx, { type: 'team', id: w.team.id });
      assert.deepEqual(teamFiles.map((f) => [f.name, f.created_by]), [['shared.csv', w.seller.user.id], ['team.csv', '']]);
      assert.equal((await mine()).some((f) => f.name === 'team.csv' || f.name === 'shared.csv'), false);
    });
  });

  describe('400', () => {
    it('refuses a missing or non-string file_name or file_content', async () => {
      const before = (await mine()).length;
      for (const body of [{ file_content: b64('x') }, { file_name: 'x.txt' }, { file_name: 12, file_content: b64('x') }, { file_name: 'x.txt', file_content: ['eA=='] }]) {
        const res = await upload(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.error, 'Bad Request');
        assert.equal(typeof res.body.message, 'string');
      }
      assert.equal((await mine()).length, before);
    });

    it('refuses content that is not base64', async () => {
      for (const content of ['not base64!', 'QQ=A', 'Q', 'QR==', 'QUJD=', 'a+b-', '\u00e9t\u00e9']) {
        const res = await upload({ file_name: 'bad.bin', file_content: content });
        assert.equal(res.status, 400, content);
        assert.match(res.body.message, /base64/);
      }
      assert.equal((await mine()).some((f) => f.name === 'bad.bin'), false);
    });

    it('refuses names with a folder, a parent, a control character or a reserved word', async () => {
      for (const name of ['../etc/passwd', '..', '.', 'a/b.txt', '/abs.txt', 'c:\\windows\\x.txt', '..\\up.txt', 'nul\u0000.txt', 'tab\t.txt', ' padded.txt', '__proto__', 'constructor', 'x'.repeat(256)]) {
        const res = await upload({ file_name: name, file_content: b64('x') });
        assert.equal(res.status, 400, JSON.stringify(name));
        assert.equal(res.body.error, 'Bad Request');
      }
      const names = (await mine()).map((f) => f.name);
      assert.ok(!names.some((n) => n.includes('/') || n.includes('\\') || n === '..' || n === '__proto__'));
    });

    it('refuses a body with a __proto__ or constructor.prototype key', async () => {
      for (const raw of [
        `{"user_id":"${w.userId}","file_name":"p.txt","file_content":"eA==","__proto__":{"admin":true}}`,
        `{"user_id":"${w.userId}","file_name":"p.txt","file_content":"eA==","constructor":{"prototype":{"admin":true}}}`,
      ]) {
        const res = await s().client().post('/api/v1/upload_file', { raw: { body: raw, type: 'application/json' }, headers: { authorization: `Bearer ${w.key}` } });
        assert.equal(res.status, 400, raw);
        assert.equal(res.body.error, 'Bad Request');
      }
      assert.equal((await mine()).some((f) => f.name === 'p.txt'), false);
      assert.equal(({} as Record<string, unknown>).admin, undefined);
    });

    it('a team key needs user_id or its project_id', async () => {
      const res = await post(s(), 'upload_file', w.teamKey, { file_name: 'x.txt', file_content: b64('x') });
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'Bad Request');
    });
  });

  describe('401', () => {
    it('refuses a missing or unknown key', async () => {
      for (const key of [undefined, 'pk_nope']) {
        const res = await post(s(), 'upload_file', key, { user_id: w.userId, file_name: 'anon.txt', file_content: b64('x') });
        assert.equal(res.status, 401);
        assert.equal(res.body.error, 'Unauthorized');
      }
      assert.equal((await mine()).some((f) => f.name === 'anon.txt'), false);
    });
  });

  describe('403', () => {
    it("refuses another user's user_id, a team the owner is not in, and a read-only key", async () => {
      const cases = [
        await upload({ user_id: w.outsiderId, file_name: 'f.txt', file_content: b64('x') }),
        await upload({ project_id: 'not-my-team', file_name: 'f.txt', file_content: b64('x') }),
        await upload({ file_name: 'f.txt', file_content: b64('x') }, w.readKey),
        await post(s(), 'upload_file', w.teamKey, { user_id: w.outsiderId, file_name: 'f.txt', file_content: b64('x') }),
      ];
      for (const res of cases) {
        assert.equal(res.status, 403, JSON.stringify(res.body));
        assert.equal(res.body.error, 'Forbidden');
      }
      assert.equal((await mine()).some((f) => f.name === 'f.txt'), false);
    });
  });
});

describeEachDialect(
  'POST /api/v1/upload_file limits',
  (s) => {
    let w: Awaited<ReturnType<typeof fileWorld>>;
    before(async () => {
      w = await fileWorld(s());
    });

    describe('413', () => {
      it('refuses a file over TESSERA_FLOW_FILE_MAX_BYTES, and a body over what that allows', async () => {
        const over = await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: 'big.bin', file_content: b64(Buffer.alloc(2001)) });
        assert.equal(over.status, 413);
        assert.equal(over.body.error, 'Payload Too Large');
        assert.match(over.body.message, /2000 bytes/);
        const huge = await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: 'huge.bin', file_content: b64(Buffer.alloc(200_000)) });
        assert.equal(huge.status, 413);
        assert.equal(huge.body.error, 'Payload Too Large');
        assert.equal((await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: 'limit.bin', file_content: b64(Buffer.alloc(2000)) })).status, 200);
        const names = (await storedFiles(s().ctx, { type: 'user', id: w.seller.user.id })).map((f) => f.name);
        assert.deepEqual(names, ['limit.bin']);
      });

      it("refuses a file that would bring the account's files over TESSERA_FLOW_FILES_MAX_TOTAL_BYTES; replacing one counts the difference", async () => {
        for (const name of ['q1.bin', 'q2.bin']) assert.equal((await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: name, file_content: b64(Buffer.alloc(2000)) })).status, 200);
        // 6 000 bytes stored with limit.bin: one more byte is over.
        const full = await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: 'q3.bin', file_content: b64('x') });
        assert.equal(full.status, 413);
        assert.match(full.body.message, /6001 bytes, over the limit of 6000 bytes/);
        const replaced = await post(s(), 'upload_file', w.key, { user_id: w.userId, file_name: 'q1.bin', file_content: b64(Buffer.alloc(1500)) });
        assert.equal(replaced.status, 200);
        const files = await storedFiles(s().ctx, { type: 'user', id: w.seller.user.id });
        assert.deepEqual(files.map((f) => [f.name, f.size]), [['limit.bin', 2000], ['q1.bin', 1500], ['q2.bin', 2000]]);
      });
    });
  },
  FILE_LIMITS,
);
