import net from 'node:net';
import tls from 'node:tls';

/**
 * A small SMTP client (RFC 5321) for the outbox: `smtp://` (STARTTLS when the server offers it),
 * `smtps://` (implicit TLS), optional `user:password@` for AUTH PLAIN. One message per connection.
 */
export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
}

class Conversation {
  private buffer = '';
  private waiting: ((line: string) => void) | null = null;
  private lines: string[] = [];
  private failure: Error | null = null;

  constructor(public socket: net.Socket) {
    this.attach(socket);
  }

  attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, i).replace(/\r$/, ''));
        this.buffer = this.buffer.slice(i + 1);
      }
      this.flush();
    });
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('the SMTP server closed the connection')));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.flush();
  }

  private flush(): void {
    if (this.waiting && (this.lines.length || this.failure)) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(this.lines.shift() ?? '');
    }
  }

  private nextLine(): Promise<string> {
    if (this.lines.length) return Promise.resolve(this.lines.shift()!);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = (line) => (line === '' && this.failure ? reject(this.failure) : resolve(line));
    });
  }

  /** Reads one reply (possibly multi-line) and checks its code. */
  async reply(expected: number): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.nextLine();
      lines.push(line);
      if (line.length < 4 || line[3] !== '-') break;
    }
    const code = Number(lines[lines.length - 1]!.slice(0, 3));
    if (Math.floor(code / 100) !== Math.floor(expected / 100)) throw new Error(`SMTP: expected ${expected}, got "${lines.join(' ').slice(0, 200)}"`);
    return lines;
  }

  async command(line: string, expected: number): Promise<string[]> {
    this.socket.write(line + '\r\n');
    return this.reply(expected);
  }
}

function connect(url: URL, timeoutMs: number): Promise<net.Socket> {
  const port = Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587);
  return new Promise((resolve, reject) => {
    const socket = url.protocol === 'smtps:' ? tls.connect({ host: url.hostname, port, servername: url.hostname }) : net.connect({ host: url.hostname, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('SMTP timeout')));
    socket.once(url.protocol === 'smtps:' ? 'secureConnect' : 'connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function message(mail: Mail): string {
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${mail.subject.replace(/[\r\n]+/g, ' ')}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const body = mail.text.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..'); // dot-stuffing
  return headers.join('\r\n') + '\r\n\r\n' + body + '\r\n.';
}

export async function sendMail(smtpUrl: string, mail: Mail, timeoutMs = 15_000): Promise<void> {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const talk = new Conversation(await connect(url, timeoutMs));
  try {
    await talk.reply(220);
    let features = await talk.command('EHLO tessera', 250);
    if (url.protocol === 'smtp:' && features.some((l) => /STARTTLS/i.test(l)) && url.searchParams.get('starttls') !== 'off') {
      await talk.command('STARTTLS', 220);
      const secured = tls.connect({ socket: talk.socket, servername: url.hostname });
      await new Promise<void>((resolve, reject) => secured.once('secureConnect', resolve).once('error', reject));
      talk.socket.removeAllListeners('data');
      talk.attach(secured);
      features = await talk.command('EHLO tessera', 250);
    }
    if (url.username) {
      const plain = Buffer.from(`\0${decodeURIComponent(url.username)}\0${decodeURIComponent(url.password)}`).toString('base64');
      await talk.command(`AUTH PLAIN ${plain}`, 235);
    }
    await talk.command(`MAIL FROM:<${mail.from}>`, 250);
    await talk.command(`RCPT TO:<${mail.to}>`, 250);
    await talk.command('DATA', 354);
    await talk.command(message(mail), 250);
    await talk.command('QUIT', 221).catch(() => undefined);
  } finally {
    talk.socket.destroy();
  }
}
