import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, startServer, DIALECTS, uniqueEmail } from '../support/harness.js';

describeEachDialect('POST /api/session', (s) => {
  describe('200', () => {
    it('logs in with email and password, sets an HTTP-only cookie and audits it', async () => {
      const { user, password } = await s().signUp();
      const c = s().client();
      const res = await c.post('/api/session', { json: { email: user.email, password } });
      assert.equal(res.status, 200);
      assert.equal(res.body.user.id, user.id);
      assert.match(res.headers.get('set-cookie')!, /tessera_session=tsr_ss_.*HttpOnly/i);
      const stored = await s().ctx.db.selectFrom('sessions').select('token_hash').where('user_id', '=', user.id).execute();
      const cookieValue = c.cookie!.split('=')[1]!;
      assert.ok(stored.every((r) => r.token_hash !== cookieValue), 'only the hash is stored');
      const events = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', user.id).execute();
      assert.ok(events.some((e) => e.action === 'session.created'));
    });
  });
  describe('400', () => {
    it('refuses a missing password', async () => {
      const res = await s().client().post('/api/session', { json: { email: 'a@b.co' } });
      assert.equal(res.status, 400);
      assert.match(res.body.message, /'password'/);
    });
  });
  describe('401', () => {
    it('refuses a wrong password and records the failure', async () => {
      const { user } = await s().signUp();
      const res = await s().client().post('/api/session', { json: { email: user.email, password: 'wrong password' } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error, 'invalid_login');
      const failed = await s().ctx.db.selectFrom('audit_events').selectAll().where('user_id', '=', user.id).where('action', '=', 'login.failed').execute();
      assert.equal(failed.length, 1);
      assert.ok(!String(failed[0]!.metadata).includes('wrong password'));
    });
    it('refuses an unknown email with the same message', async () => {
      const res = await s().client().post('/api/session', { json: { email: uniqueEmail('ghost'), password: 'whatever pw' } });
      assert.equal(res.status, 401);
      assert.equal(res.body.message, 'Wrong email or password.');
    });
  });
});

describeEachDialect('GET and DELETE /api/session', (s) => {
  it('401 without a session cookie', async () => {
    const res = await s().client().get('/api/session');
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'session_required');
  });
  it('logs out: the old cookie no longer works and the session row is gone', async () => {
    const { client } = await s().signUp();
    const saved = client.cookie;
    const res = await client.delete('/api/session');
    assert.equal(res.status, 200);
    const replay = s().client();
    replay.cookie = saved;
    assert.equal((await replay.get('/api/session')).status, 401);
  });
  it('403 for a cross-site state change', async () => {
    const { client } = await s().signUp();
    const res = await client.post('/api/applications', {
      json: { name: 'x', redirect_uri: 'http://127.0.0.1' },
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'cross_site_request');
  });
});

for (const dialect of DIALECTS) {
  describe(`login rate limit [${dialect}]`, () => {
    it('answers 429 with Retry-After after too many failures for one email, even with the right password', async () => {
      const server = await startServer(dialect, { TESSERA_LOGIN_LIMIT_PER_EMAIL: '3', TESSERA_LOGIN_LIMIT_PER_IP: '100' });
      try {
        const { user, password } = await server.signUp();
        for (let i = 0; i < 3; i++) {
          assert.equal((await server.client().post('/api/session', { json: { email: user.email, password: 'nope nope' } })).status, 401);
        }
        const res = await server.client().post('/api/session', { json: { email: user.email, password } });
        assert.equal(res.status, 429);
        assert.ok(Number(res.headers.get('retry-after')) > 0);
        assert.equal(res.body.error, 'rate_limited');
      } finally {
        await server.close();
      }
    });
    it('answers 429 after too many failures from one IP across emails', async () => {
      const server = await startServer(dialect, { TESSERA_LOGIN_LIMIT_PER_EMAIL: '100', TESSERA_LOGIN_LIMIT_PER_IP: '2' });
      try {
        for (let i = 0; i < 2; i++) await server.client().post('/api/session', { json: { email: uniqueEmail(), password: 'nope nope' } });
        const res = await server.client().post('/api/session', { json: { email: uniqueEmail(), password: 'nope nope' } });
        assert.equal(res.status, 429);
        assert.ok(res.headers.get('retry-after'));
      } finally {
        await server.close();
      }
    });
  });
}
