import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect, uniqueEmail } from '../support/harness.js';

// Many sign-ups on one server: TESSERA_SIGNUP=open here (test/admin/signup-policy.test.ts tests invite and closed).
describeEachDialect('POST /api/users', (s) => {
  describe('201', () => {
    it('creates the account with an argon2 hash and logs it in', async () => {
      const email = uniqueEmail();
      const client = s().client();
      const res = await client.post('/api/users', { json: { email: email.toUpperCase(), password: 'long enough pw' } });
      assert.equal(res.status, 201);
      assert.equal(res.body.user.email, email);
      assert.ok(client.cookie, 'session cookie set');
      assert.match(res.headers.get('set-cookie')!, /HttpOnly/i);
      assert.match(res.headers.get('set-cookie')!, /SameSite=Lax/i);
      const row = await s().ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^\$argon2id\$/);
      const me = await client.get('/api/session');
      assert.equal(me.body.user.id, res.body.user.id);
    });
  });
  describe('400', () => {
    it('refuses a short password, a bad email and a non-JSON mess', async () => {
      const c = s().client();
      const short = await c.post('/api/users', { json: { email: uniqueEmail(), password: 'short' } });
      assert.equal(short.status, 400);
      assert.equal(short.body.success, false);
      assert.match(short.body.message, /password/);
      const bad = await c.post('/api/users', { json: { email: 'not-an-email', password: 'long enough pw' } });
      assert.equal(bad.status, 400);
      const junk = await c.post('/api/users', { raw: { body: '{"email":', type: 'application/json' } });
      assert.equal(junk.status, 400);
      assert.equal(junk.body.success, false);
      const wrongType = await c.post('/api/users', { json: { email: ['a@b.c'], password: 12345678 } });
      assert.equal(wrongType.status, 400);
      const count = await s().ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('email', '=', 'not-an-email').executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });
  });
  describe('409', () => {
    it('refuses an email already taken, whatever its case', async () => {
      const { user } = await s().signUp();
      const res = await s().client().post('/api/users', { json: { email: user.email.toUpperCase(), password: 'another long pw' } });
      assert.equal(res.status, 409);
      assert.equal(res.body.error, 'email_taken');
    });
  });
  describe('415', () => {
    it('refuses an unsupported body type', async () => {
      const res = await s().client().post('/api/users', { raw: { body: '<xml/>', type: 'application/xml' } });
      assert.equal(res.status, 415);
      assert.equal(res.body.success, false);
    });
  });
}, { TESSERA_SIGNUP: 'open' });
