import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';
import { describeEachDialectWith } from './support/server.js';

/** A tiny SMTP listener on 127.0.0.1 that records what it receives; RCPT to reject@… gets 550. */
function smtpListener() {
  const received: { auth: string | null; from: string; to: string; data: string }[] = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    const mail = { auth: null as string | null, from: '', to: '', data: '' };
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push({ ...mail });
          socket.write('250 queued\r\n');
          continue;
        }
        const i = buffer.indexOf('\r\n');
        if (i < 0) return;
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (/^EHLO/i.test(line)) socket.write('250-test\r\n250 AUTH PLAIN\r\n');
        else if (/^AUTH PLAIN /i.test(line)) {
          mail.auth = Buffer.from(line.slice(11), 'base64').toString('utf8');
          socket.write('235 ok\r\n');
        } else if (/^MAIL FROM:/i.test(line)) {
          mail.from = line.slice(10);
          socket.write('250 ok\r\n');
        } else if (/^RCPT TO:/i.test(line)) {
          mail.to = line.slice(8);
          socket.write(line.includes('reject@') ? '550 no such user\r\n' : '250 ok\r\n');
        } else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('500 what\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  return { server, received };
}

const smtp = smtpListener();
before(async () => new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve)));
after(async () => new Promise<void>((resolve) => smtp.server.close(() => resolve())));
// The port is known only once listening; the flow settings read SMTP_URL when each server starts.
const port = () => (smtp.server.address() as AddressInfo).port;

const processEnv = () => ({ SMTP_URL: `smtp://flows%40shop.example:pa%3Ass@127.0.0.1:${port()}`, SMTP_FROM: 'flows@shop.example' });

describeEachDialectWith('send_email delivery over SMTP', { processEnv }, (s) => {
  it('the worker delivers the outbox with AUTH PLAIN and marks the email sent; a refusal is kept for a retry', async () => {
    const seller = await s().signUp();
    const { api_key } = await createKey(seller.client);
    const userId = await apiUserId(seller.client);
    const flow = await createFlow(seller.client, EMAIL_FLOW);
    const start = async (to: string, note: string) => {
      const res = await s().client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, to, note }, headers: { authorization: `Bearer ${api_key}` } });
      return waitForRun(s().client(), { key: api_key, userId }, res.body.run_id);
    };
    const ok = await start('buyer@example.com', 'Line one\n.\nLast line');
    const refused = await start('reject@example.com', 'never');
    let sent;
    for (let i = 0; i < 200 && !(sent = await s().ctx.db.selectFrom('email_outbox').selectAll().where('id', '=', ok.outputs.email_id).where('sent_at', 'is not', null).executeTakeFirst()); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(sent, 'delivered');
    const message = smtp.received.find((m) => m.to === '<buyer@example.com>')!;
    assert.equal(message.from, '<flows@shop.example>');
    assert.equal(message.auth, '\0flows@shop.example\0pa:ss');
    assert.match(message.data, /^Subject: Run [0-9A-Za-z]+$/m);
    assert.match(message.data, /\r\n\r\nLine one\r\n\.\.\r\nLast line$/, 'dot-stuffed body');
    let failed;
    for (let i = 0; i < 200 && !(failed = await s().ctx.db.selectFrom('email_outbox').selectAll().where('id', '=', refused.outputs.email_id).where('last_error', 'is not', null).executeTakeFirst()); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(failed!.sent_at, null);
    assert.equal(failed!.attempts, 1);
    assert.match(failed!.last_error!, /550 no such user/);
    assert.ok(failed!.next_attempt_at > Date.now(), 'retried later');
  });
});
