import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, type TestServer } from '../support/harness.js';

/** Issue 11.6: a slow body and a silent connection are closed after the configured timeouts. */
const REQUEST_MS = 400;
const CONNECTION_MS = 400;

/** Resolves with what the server sent before it closed the socket, and when (ms after connect). */
function watch(socket: net.Socket, started: number): Promise<{ received: string; closedAfter: number }> {
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  return new Promise((resolve) => socket.on('close', () => resolve({ received, closedAfter: Date.now() - started })));
}

describe('HTTP timeouts [sqlite]', () => {
  let s: TestServer;
  before(async () => {
    s = await startServer('sqlite', {
      TESSERA_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
      TESSERA_CONNECTION_TIMEOUT_MS: String(CONNECTION_MS),
      TESSERA_KEEP_ALIVE_TIMEOUT_MS: '300',
    });
  });
  after(() => s.close());
  const port = () => Number(new URL(s.url).port);

  describe('408', () => {
    it('closes a request whose body arrives one byte at a time past the request timeout', async () => {
      const started = Date.now();
      const socket = net.connect(port(), '127.0.0.1');
      const closed = watch(socket, started);
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      socket.write('POST /v2/licenses/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n');
      let sent = 0;
      // One byte every 50 ms keeps the socket busy (the idle timeout never fires); 1000 bytes
      // would take 50 s. The timer stops as soon as the server closes.
      const drip = setInterval(() => {
        if (!socket.destroyed && socket.writable) {
          socket.write('a');
          sent++;
        }
      }, 50);
      const { received, closedAfter } = await closed;
      clearInterval(drip);
      assert.ok(sent < 1000, 'the whole body was sent');
      assert.ok(closedAfter >= REQUEST_MS - 50, `closed too early: ${closedAfter} ms`);
      assert.ok(closedAfter < REQUEST_MS * 4 + 1000, `closed late: ${closedAfter} ms`);
      assert.match(received, /^HTTP\/1\.1 408/);
    });
  });

  describe('connection closed', () => {
    it('closes a connection that never sends anything', async () => {
      const started = Date.now();
      const socket = net.connect(port(), '127.0.0.1');
      socket.on('error', () => {});
      const { closedAfter } = await watch(socket, started);
      assert.ok(closedAfter < CONNECTION_MS * 4 + 1000, `held for ${closedAfter} ms`);
    });

    it('closes an idle keep-alive connection after the keep-alive timeout, and the server still answers', async () => {
      const started = Date.now();
      const socket = net.connect(port(), '127.0.0.1');
      const closed = watch(socket, started);
      socket.on('error', () => {});
      await new Promise((r) => socket.once('connect', r));
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      const { received, closedAfter } = await closed;
      assert.match(received, /^HTTP\/1\.1 200/);
      assert.ok(closedAfter < 300 * 4 + 1000, `keep-alive held for ${closedAfter} ms`);
      const res = await s.client().get('/healthz');
      assert.equal(res.status, 200);
    });
  });
});
