import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachDialect } from '../support/harness.js';
import { apiUserId, createFlow, createKey, waitForRun } from './support/fixtures.js';
import { describeEachDialectWith, type FlowServer } from './support/server.js';
import { startTarget } from './support/target.js';

async function runOnce(server: FlowServer | { client(): any; signUp(): Promise<any> }, definition: Record<string, unknown>, inputs: Record<string, unknown> = {}) {
  const seller = await server.signUp();
  const { api_key } = await createKey(seller.client);
  const userId = await apiUserId(seller.client);
  const flow = await createFlow(seller.client, definition);
  const started = await server.client().post('/api/v1/start_pipeline', { json: { user_id: userId, saved_item_id: flow.id, ...inputs }, headers: { authorization: `Bearer ${api_key}` } });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  return waitForRun(server.client(), { key: api_key, userId }, started.body.run_id);
}

let target: Awaited<ReturnType<typeof startTarget>>;
before(async () => {
  target = await startTarget();
});
after(async () => target.close());

describeEachDialectWith('http_request step', { env: { TESSERA_ALLOW_PRIVATE_TARGETS: '1' } }, (s) => {
  describe('DONE', () => {
    it('templates URL, headers and JSON body from inputs and earlier outputs', async () => {
      const run = await runOnce(s(), {
        name: 'Chain',
        inputs: [{ name: 'sku', required: true }, { name: 'token', required: true }],
        steps: [
          { id: 'create', type: 'http_request', method: 'POST', url: `${target.url}/echo`, headers: { Authorization: 'Bearer {{ inputs.token }}' }, body: { sku: '{{ inputs.sku }}', n: 3 } },
          { id: 'fetch', type: 'http_request', url: `${target.url}/items/{{ steps.create.body.id | urlencode }}` },
        ],
        outputs: { id: '{{ steps.fetch.body.id }}', price: '{{ steps.fetch.body.price }}', echoed: '{{ steps.create.body.received }}' },
      }, { sku: 'A-1', token: 'secret-token-value' });
      assert.equal(run.state, 'DONE', run.log.join('\n'));
      assert.deepEqual(run.outputs, { id: 'item 42', price: 1000, echoed: { sku: 'A-1', n: 3 } });
      const call = target.calls.find((c) => c.url === '/echo' && c.body.includes('A-1'))!;
      assert.equal(call.headers.authorization, 'Bearer secret-token-value');
      assert.equal(call.headers['content-type'], 'application/json');
      assert.ok(target.calls.some((c) => c.url === '/items/item%2042'));
      assert.equal(run.log.length, 3);
      assert.match(run.log[0], /^\[1\/2\] create \(http_request\): POST http:\/\/127\.0\.0\.1:\d+\/echo answered 201 in \d+ ms$/);
      assert.match(run.log[2], /^Run finished in \d+ ms\.$/);
      assert.ok(!run.log.join(' ').includes('secret-token-value'), 'header values stay out of the log');
    });

    it('keeps a text answer as text and a 4xx when allowed', async () => {
      const run = await runOnce(s(), {
        name: 'Text',
        steps: [
          { id: 't', type: 'http_request', url: `${target.url}/text` },
          { id: 'missing', type: 'http_request', url: `${target.url}/nothing`, allow_error_status: true },
        ],
        outputs: { text: '{{ steps.t.body }}', status: '{{ steps.missing.status }}' },
      });
      assert.equal(run.state, 'DONE');
      assert.deepEqual(run.outputs, { text: 'plain words', status: 404 });
    });
  });

  describe('FAILED', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a 500 answer', { id: 'call', type: 'http_request', method: 'POST', url: `{{ inputs.base }}/fail`, body: {} }, /^\[1\/2\] call \(http_request\) failed: POST http:\/\/127\.0\.0\.1:\d+\/fail answered 500 in \d+ ms\. Run failed\.$/],
      ['a timeout', { id: 'slow', type: 'http_request', url: '{{ inputs.base }}/hang', timeout_ms: 200 }, /slow \(http_request\) failed: GET .*\/hang timed out after 200 ms\. Run failed\./],
      ['an oversized response', { id: 'big', type: 'http_request', url: '{{ inputs.base }}/big', max_response_bytes: 1000 }, /the response is larger than 1000 bytes/],
      ['a refused connection', { id: 'closed', type: 'http_request', url: 'http://127.0.0.1:1/' }, /closed \(http_request\) failed: GET http:\/\/127\.0\.0\.1:1\/ failed: ECONNREFUSED/],
      ['a URL that is not one', { id: 'bad', type: 'http_request', url: 'not a url {{ inputs.base }}' }, /is not an absolute URL/],
      ['another scheme', { id: 'file', type: 'http_request', url: 'file:///etc/passwd' }, /only http and https URLs are allowed, not file:/],
    ];
    for (const [what, first, log] of cases) {
      it(`ends FAILED on ${what}, skipping later steps`, async () => {
        const run = await runOnce(s(), {
          name: 'Fails',
          inputs: [{ name: 'base' }],
          steps: [first, { id: 'after', type: 'send_email', to: 'never@example.com', subject: 's', text: 't' }],
        }, { base: target.url });
        assert.equal(run.state, 'FAILED');
        assert.equal(run.log.length, 1, run.log.join('\n'));
        assert.match(run.log[0], log);
        assert.deepEqual(run.outputs, {});
        assert.ok(run.finished_ts);
        const mails = await s().ctx.db.selectFrom('email_outbox').select('id').where('run_id', '=', run.run_id).execute();
        assert.equal(mails.length, 0, 'the next step never ran');
      });
    }
  });
});

describeEachDialect('http_request step without TESSERA_ALLOW_PRIVATE_TARGETS', (s) => {
  for (const [what, url] of [
    ['a loopback name', 'http://localhost:{{ inputs.port }}/echo'],
    ['a loopback IP', 'http://127.0.0.1:{{ inputs.port }}/echo'],
    ['an IPv6 loopback', 'http://[::1]:{{ inputs.port }}/echo'],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:{{ inputs.port }}/echo'],
    ['a private address', 'http://10.0.0.1:{{ inputs.port }}/echo'],
    ['the link-local metadata address', 'http://169.254.169.254/latest/meta-data'],
  ] as const) {
    it(`refuses ${what}: the run fails without any request`, async () => {
      const before = target.calls.length;
      const run = await runOnce(s(), { name: 'SSRF', inputs: [{ name: 'port' }], steps: [{ id: 'peek', type: 'http_request', url, timeout_ms: 1000 }] }, { port: new URL(target.url).port });
      assert.equal(run.state, 'FAILED');
      assert.match(run.log[0], /peek \(http_request\) failed: .*(private or loopback address|refused)/);
      assert.equal(target.calls.length, before);
    });
  }
});
