import net from 'node:net';
import type { TestServer } from '../support/harness.js';
import { setOwner } from '../../src/accounts/store.js';

/** A fresh account made an instance owner (through the admin store, as `tessera admin grant` does). */
export async function newOwner(s: TestServer) {
  const owner = await s.signUp();
  await setOwner(s.ctx.db, owner.user.id, true);
  return owner;
}

/** The stored account row. */
export const accountRow = (s: TestServer, id: string) =>
  s.ctx.db.selectFrom('users').select(['id', 'email', 'is_owner', 'disabled_at', 'licenses_stopped_at']).where('id', '=', id).executeTakeFirst();

/** The account's audit actions, oldest first. */
export const auditActions = async (s: TestServer, userId: string) =>
  (await s.ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', userId).orderBy('occurred_at').execute()).map((e) => e.action);

/** The invitation token of a sign-up link. */
export const tokenOf = (link: string) => new URL(link).searchParams.get('invitation')!;

/** A loopback SMTP sink: accepts every message (no TLS, no auth) and keeps it. */
export async function smtpSink() {
  const messages: { to: string; data: string }[] = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let to = '';
    socket.write('220 sink\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push({ to, data: buffer.slice(0, end) });
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 queued\r\n');
          continue;
        }
        const i = buffer.indexOf('\r\n');
        if (i < 0) return;
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (/^(EHLO|HELO)/i.test(line)) socket.write('250 sink\r\n');
        else if (/^RCPT TO:/i.test(line)) {
          to = line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1');
          socket.write('250 ok\r\n');
        } else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (/^QUIT/i.test(line)) {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `smtp://127.0.0.1:${port}?starttls=off`, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}
