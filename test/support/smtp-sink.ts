import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CapturedMail {
  from: string;
  to: string;
  /** The message as received (headers and body, dot-unstuffed). */
  data: string;
}

/**
 * A loopback SMTP server that accepts every message without TLS or AUTH and keeps it: what an
 * account email looks like on the wire. `url` is the SMTP_URL for it (starttls=off).
 */
export async function startSmtpSink() {
  const received: CapturedMail[] = [];
  const waiters: Array<() => void> = [];
  const server = net.createServer((socket) => {
    let buffer = '';
    let inData = false;
    let mail: CapturedMail = { from: '', to: '', data: '' };
    socket.write('220 sink ESMTP\r\n');
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          received.push({ ...mail, data: buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.') });
          buffer = buffer.slice(end + 5);
          inData = false;
          mail = { from: '', to: '', data: '' };
          socket.write('250 queued\r\n');
          for (const wake of waiters.splice(0)) wake();
          continue;
        }
        const i = buffer.indexOf('\r\n');
        if (i < 0) return;
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (/^(EHLO|HELO)/i.test(line)) socket.write('250 sink\r\n');
        else if (/^MAIL FROM:/i.test(line)) (mail.from = line.slice(10)), socket.write('250 ok\r\n');
        else if (/^RCPT TO:/i.test(line)) (mail.to = line.slice(8)), socket.write('250 ok\r\n');
        else if (/^DATA/i.test(line)) (inData = true), socket.write('354 go on\r\n');
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}?starttls=off`,
    received,
    /** The messages to one address (`<a@b>` or `a@b`). */
    to(address: string) {
      return received.filter((m) => m.to.replace(/[<>]/g, '') === address);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text/plain part of a captured message (quoted-printable or not). */
export function textPart(data: string): string {
  const match = /Content-Type: text\/plain[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?(?:Content-Transfer-Encoding: ([^\r\n]+)\r\n)?(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)(?:\r\n--|$)/i.exec(data);
  if (!match) throw new Error(`no text/plain part in:\n${data.slice(0, 500)}`);
  const body = match[2]!;
  if ((match[1] ?? '').toLowerCase() !== 'quoted-printable') return body;
  return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}
