import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { Client } from '../support/client.js';
import { follow, sessionCsrf } from '../web/support/forms.js';
import { auditOf, fakeClock } from './support.js';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';

/** Issue 18.5: the account's sessions (device, IP, last seen), sign out one or all others, lifetime and idle timeout. */
describeEachDialect(
  'Signed-in sessions',
  (s) => {
    let clock: ReturnType<typeof fakeClock>;
    before(() => {
      clock = fakeClock(s().ctx);
    });

    /** A seller with a second session, signed in from Firefox on Windows. */
    async function withTwoSessions() {
      const seller = await s().signUp();
      const firefox = new Client(s().url);
      const res = await firefox.post('/api/session', { json: { email: seller.user.email, password: seller.password }, headers: { 'user-agent': FIREFOX } });
      assert.equal(res.status, 200);
      const rows = await s().ctx.db.selectFrom('sessions').selectAll().where('user_id', '=', seller.user.id).orderBy('created_at').execute();
      return { ...seller, firefox, firefoxSession: rows.find((r) => r.user_agent === FIREFOX)! };
    }

    describe('GET /settings/sessions', () => {
      it('200: lists each session with its device, address and last seen, marking this one', async () => {
        const seller = await withTwoSessions();
        const page = await seller.client.get('/settings/sessions');
        assert.equal(page.status, 200);
        assert.match(page.text, /Firefox 128 on Windows/);
        assert.match(page.text, /127\.0\.0\.1/);
        assert.equal((page.text.match(/badge badge-ok">this session/g) ?? []).length, 1);
        assert.match(page.text, /lasts 7 days, or ends after 2 days without use/);
      });
    });

    describe('POST /settings/sessions/:id/delete', () => {
      it('303: unconfirmed, it asks first (the confirmation names the device); confirmed, that session ends at once', async () => {
        const seller = await withTwoSessions();
        const csrf = await sessionCsrf(seller.client, '/settings/sessions');
        const path = `/settings/sessions/${seller.firefoxSession.id}/delete`;
        const asked = await seller.client.post(path, { form: { _csrf: csrf } });
        assert.equal(asked.status, 303);
        assert.equal(asked.headers.get('location'), path);
        const confirm = await seller.client.get(path);
        assert.match(confirm.text, /Sign out Firefox 128 on Windows\?/);
        assert.equal((await seller.firefox.get('/api/session')).status, 200, 'still signed in while asked');
        const done = await follow(seller.client, await seller.client.post(path, { form: { _csrf: csrf, confirmed: 'yes' } }));
        assert.match(done.text, /Session signed out\./);
        assert.equal((await seller.firefox.get('/api/session')).status, 401, 'the other browser is signed out');
        assert.equal((await seller.client.get('/api/session')).status, 200);
        const audit = await auditOf(s().ctx, seller.user.id, 'session.deleted');
        assert.equal(audit.at(-1)!.target_id, seller.firefoxSession.id);
      });

      it("404: another account's session is not found, and stays", async () => {
        const seller = await withTwoSessions();
        const intruder = await s().signUp();
        const csrf = await sessionCsrf(intruder.client, '/settings/sessions');
        const res = await intruder.client.post(`/settings/sessions/${seller.firefoxSession.id}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
        assert.equal(res.status, 404);
        assert.equal((await intruder.client.get(`/settings/sessions/${seller.firefoxSession.id}/delete`)).status, 404);
        assert.equal((await seller.firefox.get('/api/session')).status, 200);
      });

      it('403: without the CSRF token nothing ends', async () => {
        const seller = await withTwoSessions();
        const res = await seller.client.post(`/settings/sessions/${seller.firefoxSession.id}/delete`, { form: { confirmed: 'yes' } });
        assert.equal(res.status, 403);
        assert.equal((await seller.firefox.get('/api/session')).status, 200);
      });
    });

    describe('POST /settings/sessions/others', () => {
      it('303: signs out every other session, keeps this one', async () => {
        const seller = await withTwoSessions();
        const third = new Client(s().url);
        await third.post('/api/session', { json: { email: seller.user.email, password: seller.password } });
        const csrf = await sessionCsrf(seller.client, '/settings/sessions');
        const asked = await seller.client.post('/settings/sessions/others', { form: { _csrf: csrf } });
        assert.equal(asked.status, 303);
        assert.match((await seller.client.get('/settings/sessions/others')).text, /2 other sessions will be signed out at once/);
        const done = await follow(seller.client, await seller.client.post('/settings/sessions/others', { form: { _csrf: csrf, confirmed: 'yes' } }));
        assert.match(done.text, /2 other sessions signed out\./);
        assert.equal((await seller.firefox.get('/api/session')).status, 401);
        assert.equal((await third.get('/api/session')).status, 401);
        assert.equal((await seller.client.get('/api/session')).status, 200);
        const rows = await s().ctx.db.selectFrom('sessions').select('id').where('user_id', '=', seller.user.id).execute();
        assert.equal(rows.length, 1);
      });
    });

    describe('lifetime, idle timeout and last seen', () => {
      it('writes last seen at most once a minute per session, in a batch off the request', async () => {
        const seller = await s().signUp();
        const row = async () => s().ctx.db.selectFrom('sessions').select(['id', 'last_seen_at']).where('user_id', '=', seller.user.id).executeTakeFirstOrThrow();
        const start = (await row()).last_seen_at!;
        clock.advance(30_000);
        await seller.client.get('/api/session');
        await s().ctx.sessionsSeen.flush();
        assert.equal((await row()).last_seen_at, start, 'within the minute: no write');
        clock.advance(31_000);
        await seller.client.get('/api/session');
        assert.equal((await row()).last_seen_at, start, 'not written by the request itself');
        await s().ctx.sessionsSeen.flush();
        assert.equal((await row()).last_seen_at, clock.at, 'written by the batch');
      });

      it('401: a session unused for longer than TESSERA_SESSION_IDLE_TIMEOUT ends; one in use lives on', async () => {
        const idle = await s().signUp();
        const busy = await s().signUp();
        for (let day = 0; day < 3; day++) {
          clock.advance(24 * 3600_000);
          assert.equal((await busy.client.get('/api/session')).status, 200, `busy, day ${day + 1}`);
          await s().ctx.sessionsSeen.flush();
        }
        assert.equal((await idle.client.get('/api/session')).status, 401, 'idle for three days, past the two-day timeout');
        const page = await idle.client.get('/settings/sessions');
        assert.equal(page.status, 303);
        assert.match(page.headers.get('location')!, /^\/login/);
      });

      it('401: every session ends at TESSERA_SESSION_LIFETIME, however busy', async () => {
        const seller = await s().signUp();
        for (let day = 0; day < 6; day++) {
          clock.advance(24 * 3600_000);
          assert.equal((await seller.client.get('/api/session')).status, 200);
          await s().ctx.sessionsSeen.flush();
        }
        clock.advance(24 * 3600_000 + 1000);
        // Seen daily, but the lifetime (7 days here) is over.
        assert.equal((await seller.client.get('/api/session')).status, 401);
      });
    });
  },
  { TESSERA_SESSION_LIFETIME: String(7 * 24 * 3600), TESSERA_SESSION_IDLE_TIMEOUT: String(2 * 24 * 3600) },
);
