import fs from 'node:fs';
import net from 'node:net';
import nodemailer from 'nodemailer';

/**
 * Outbox delivery over SMTP with nodemailer. SMTP_URL: `smtp://` (STARTTLS when the server
 * offers it; `?starttls=off` never upgrades), `smtps://` (implicit TLS), optional
 * `user:password@`. Credentials are only ever sent over TLS: with them, a server that offers no
 * STARTTLS is refused before AUTH (the delivery fails, nothing is sent), and `starttls=off` with
 * credentials is refused outright. Headers are encoded by nodemailer (RFC 2047 subjects, RFC 5322
 * addresses), the body is dot-stuffed and sent quoted-printable or 8-bit as needed.
 */
export interface Mail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative of `text` (account emails); the plain-text part is always sent. */
  html?: string;
}

export interface SmtpOptions {
  /** SMTP_TLS_CA: a PEM file of the CA certificates to trust instead of the system's (a private relay). */
  caFile?: string | undefined;
  timeoutMs?: number;
}

/** A delivery that cannot be made safely as configured: fails before connecting. */
export class SmtpConfigError extends Error {}

export function transportOptions(smtpUrl: string, options: SmtpOptions = {}) {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new SmtpConfigError('SMTP_URL must start with smtp:// or smtps://');
  const implicitTls = url.protocol === 'smtps:';
  const credentials = url.username !== '';
  const starttlsOff = url.searchParams.get('starttls') === 'off';
  if (credentials && !implicitTls && starttlsOff) {
    throw new SmtpConfigError('SMTP_URL has credentials and starttls=off: credentials are only sent over TLS (use STARTTLS or smtps://)');
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    host,
    port: Number(url.port) || (implicitTls ? 465 : 587),
    secure: implicitTls,
    // With credentials: STARTTLS or no delivery (nodemailer fails before AUTH without it).
    requireTLS: credentials && !implicitTls,
    ignoreTLS: !credentials && starttlsOff,
    auth: credentials ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    tls: { ...(net.isIP(host) ? {} : { servername: host }), minVersion: 'TLSv1.2' as const, ...(options.caFile ? { ca: fs.readFileSync(options.caFile) } : {}) },
    name: 'tessera',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** Sends one message on its own connection; rejects with the server's reply (or the TLS refusal). */
export async function sendMail(smtpUrl: string, mail: Mail, options: SmtpOptions = {}): Promise<void> {
  const transport = nodemailer.createTransport(transportOptions(smtpUrl, options));
  try {
    await transport.sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject.replace(/[\r\n]+/g, ' '),
      text: mail.text,
      ...(mail.html === undefined ? {} : { html: mail.html }),
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'ETLS') {
      throw new Error(`SMTP: no TLS (${e.message ?? 'STARTTLS failed'}); credentials are only sent over TLS, so nothing was sent`);
    }
    throw err;
  } finally {
    transport.close();
  }
}
