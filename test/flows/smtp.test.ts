import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { EMAIL_FLOW, apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';
import { describeEachDialectWith, type FlowServer } from './support/server.js';
import { CLI_ACTOR } from '../../src/context.js';
import { createProduct } from '../../src/catalog/product-service.js';
import { SEALED_SUBJECT } from '../../src/flows/sealed-outputs.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** A self-signed certificate for 127.0.0.1 (test only), trusted by the server through SMTP_TLS_CA. */
const CERT_FILE = path.join(here, 'support', 'smtp-test-cert.pem');
const KEY_FILE = path.join(here, 'support', 'smtp-test-key.pem');

interface Received {
  auth: string | null;
  /** AUTH arrived over TLS. */
  authOverTls: boolean;
  from: string;
  to: string;
  data: string;
}

/**
 * A tiny SMTP listener on 127.0.0.1 that records every command line and every message it
 * receives; RCPT to reject@… gets 550. With `starttls`, it offers STARTTLS and upgrades.
 */
function smtpListener(starttls: boolean) {
  const received: Received[] = [];
  const commands: string[] = [];
  const server = net.createServer((plain) => {
    let socket: net.Socket = plain;
    let secure = false;
    let buffer = '';
    let inData = false;
    const mail: Received = { auth: null, authOverTls: false, from: '', to: '', data: '' };
    const onData = (chunk: Buffer) => {
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
        commands.push(line);
        if (/^EHLO/i.test(line)) socket.write(starttls && !secure ? '250-test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n' : '250-test\r\n250 AUTH PLAIN\r\n');
        else if (/^STARTTLS/i.test(line) && starttls && !secure) {
          socket.write('220 go ahead\r\n');
          plain.removeListener('data', onData);
          const upgraded = new tls.TLSSocket(plain, { isServer: true, key: fs.readFileSync(KEY_FILE), cert: fs.readFileSync(CERT_FILE) });
          upgraded.on('data', onData);
          upgraded.on('error', () => undefined);
          socket = upgraded;
          secure = true;
          return;
        } else if (/^AUTH PLAIN /i.test(line)) {
          mail.auth = Buffer.from(line.slice(11), 'base64').toString('utf8');
          mail.authOverTls = secure;
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
        else socket.write('502 command not implemented\r\n');
      }
    };
    plain.write('220 test ESMTP\r\n');
    plain.on('data', onData);
    plain.on('error', () => undefined);
  });
  return { server, received, commands };
}

const withTls = smtpListener(true);
const withoutTls = smtpListener(false);
before(async () => {
  for (const sink of [withTls, withoutTls]) await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  for (const sink of [withTls, withoutTls]) await new Promise<void>((resolve) => sink.server.close(() => resolve()));
});
// The port is known only once listening; the flow settings read SMTP_URL when each server starts.
const port = (sink: { server: net.Server }) => (sink.server.address() as AddressInfo).port;
const smtpUrl = (sink: { server: net.Server }) => `smtp://flows%40shop.example:pa%3Ass@127.0.0.1:${port(sink)}`;

/** Starts EMAIL_FLOW (to, note; `subject` overrides the flow's) and returns the finished run. */
async function sendThroughFlow(s: FlowServer, to: string, note: string, subject?: string) {
  const seller = await s.signUp();
  const { api_key } = await createKey(seller.client);
  const userId = await apiUserId(seller.client);
  const definition = subject ? { ...EMAIL_FLOW, steps: [{ ...EMAIL_FLOW.steps[0]!, subject }] } : EMAIL_FLOW;
  const flow = await createFlow(seller.client, definition);
  const res = await s.client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, to, note }, headers: { authorization: `Bearer ${api_key}` } });
  return waitForRun(s.client(), { key: api_key, userId }, res.body.run_id);
}

/** Polls the outbox row until the worker has tried it (sent or failed). */
async function attempted(s: FlowServer, emailId: string) {
  for (let i = 0; i < 300; i++) {
    const row = await s.ctx.db.selectFrom('email_outbox').selectAll().where('id', '=', emailId).executeTakeFirstOrThrow();
    if (row.sent_at !== null || row.last_error !== null) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the worker never tried the email');
}

describeEachDialectWith('send_email delivery over SMTP', { processEnv: () => ({ SMTP_URL: smtpUrl(withTls), SMTP_FROM: 'flows@shop.example', SMTP_TLS_CA: CERT_FILE }) }, (s) => {
  it('the worker delivers the outbox with STARTTLS then AUTH PLAIN and marks the email sent; a refusal is kept for a retry', async () => {
    const ok = await sendThroughFlow(s(), 'buyer@example.com', 'Line one\n.\nLast line');
    const refused = await sendThroughFlow(s(), 'reject@example.com', 'never');
    const sent = await attempted(s(), ok.outputs.email_id);
    assert.ok(sent.sent_at, `delivered (${sent.last_error})`);
    const message = withTls.received.find((m) => m.to === '<buyer@example.com>')!;
    assert.equal(message.from, '<flows@shop.example>');
    assert.equal(message.auth, '\0flows@shop.example\0pa:ss');
    assert.equal(message.authOverTls, true, 'credentials only after STARTTLS');
    assert.match(message.data, /^Subject: Run [0-9A-Za-z]+\r?$/m);
    assert.match(message.data, /\r\n\r\nLine one\r\n\.\.\r\nLast line(\r\n)?$/, 'dot-stuffed body');
    const failed = await attempted(s(), refused.outputs.email_id);
    assert.equal(failed.sent_at, null);
    assert.equal(failed.attempts, 1);
    assert.match(failed.last_error!, /550 no such user/);
    assert.ok(failed.next_attempt_at > Date.now(), 'retried later');
  });

  it('a rotated key mailed by a flow is sealed in the stored email and in clear only in the mail sent', async () => {
    const seller = await s().signUp();
    const product = await createProduct(s().ctx, seller.user.id, { name: 'Pro plugin', price: '2500', is_licensed: 'true' }, CLI_ACTOR);
    const sale = (await recordPurchase(s().ctx, seller.user.id, { product: product.id, email: `rotated-${s().dialect}@example.com` }, CLI_ACTOR)) as unknown as { license_key: string; license_id: string };
    const { api_key } = await createKey(seller.client);
    const userId = await apiUserId(seller.client);
    const flow = await createFlow(seller.client, {
      name: 'Leaked key',
      inputs: [{ name: 'k', required: true }],
      steps: [
        { id: 'rotate', type: 'rotate_license', license_key: '{{ inputs.k }}', product_id: product.id },
        { id: 'mail', type: 'send_email', to: '{{ steps.rotate.email }}', subject: 'New key {{ steps.rotate.license_key }}', text: 'Your new key: {{ steps.rotate.license_key }}' },
      ],
      outputs: { email_id: '{{ steps.mail.email_id }}' },
    });
    const started = await s().client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, k: sale.license_key }, headers: { authorization: `Bearer ${api_key}` } });
    const run = await waitForRun(s().client(), { key: api_key, userId }, started.body.run_id);
    assert.equal(run.state, 'DONE', run.log.join('\n'));
    const license = await s().ctx.db.selectFrom('licenses').select('key_encrypted').where('external_id', '=', sale.license_id).executeTakeFirstOrThrow();
    const newKey = s().ctx.keys.decrypt(license.key_encrypted);
    assert.notEqual(newKey, sale.license_key);
    const row = await attempted(s(), run.outputs.email_id);
    assert.ok(row.sent_at, `delivered (${row.last_error})`);
    assert.ok(!JSON.stringify(row).includes(newKey), 'the stored email holds no key');
    assert.equal(row.subject, SEALED_SUBJECT);
    const message = withTls.received.find((m) => m.to === `<rotated-${s().dialect}@example.com>`)!;
    assert.match(message.data, new RegExp(`^Subject: New key ${newKey}\\r?$`, 'm'));
    assert.ok(message.data.includes(`Your new key: ${newKey}`), 'the mail sent carries the key');
  });

  it('encodes a non-ASCII subject as RFC 2047 and the body as UTF-8', async () => {
    const subject = 'Ihre Lizenz für Café Zürich ✓';
    const run = await sendThroughFlow(s(), 'utf8@example.com', 'Grüße', subject);
    const row = await attempted(s(), run.outputs.email_id);
    assert.ok(row.sent_at, `delivered (${row.last_error})`);
    const message = withTls.received.find((m) => m.to === '<utf8@example.com>')!;
    const header = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(message.data)![1]!;
    assert.ok(/^[\x20-\x7e\r\n\t]*$/.test(header), 'the header is ASCII');
    const words = [...header.matchAll(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi)];
    assert.ok(words.length > 0, `RFC 2047 encoded words: ${header}`);
    const decoded = words
      .map(([, enc, text]) =>
        enc!.toUpperCase() === 'B'
          ? Buffer.from(text!, 'base64')
          : Buffer.from(text!.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1'),
      )
      .reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0))
      .toString('utf8');
    assert.equal(decoded, subject);
    assert.match(message.data, /charset=utf-8/i);
  });
});

describeEachDialectWith('send_email delivery to a server without STARTTLS', { processEnv: () => ({ SMTP_URL: smtpUrl(withoutTls), SMTP_FROM: 'flows@shop.example' }) }, (s) => {
  it('refuses to send credentials in clear: nothing after EHLO but the STARTTLS attempt, the email fails clearly', async () => {
    const run = await sendThroughFlow(s(), 'clear@example.com', 'secret note');
    const row = await attempted(s(), run.outputs.email_id);
    assert.equal(row.sent_at, null);
    assert.equal(row.attempts, 1);
    assert.match(row.last_error!, /^SMTP: no TLS .*credentials are only sent over TLS, so nothing was sent$/);
    assert.ok(!row.last_error!.includes('pa:ss'));
    assert.equal(withoutTls.received.length, 0, 'no message');
    assert.ok(withoutTls.commands.length > 0, 'the server was reached');
    assert.deepEqual(
      withoutTls.commands.filter((c) => !/^(EHLO|STARTTLS|QUIT)\b/i.test(c)),
      [],
      `only EHLO / STARTTLS / QUIT were sent: ${withoutTls.commands.join(' | ')}`,
    );
    assert.ok(!withoutTls.commands.some((c) => /^AUTH/i.test(c)), 'no AUTH in clear');
  });
});
