import http from 'node:http';
import { CREDENTIAL_PATTERN } from '../../src/credentials/credential.js';

/**
 * Every secret a response carried in this process (tests add the ones they see elsewhere: CLI
 * output, redirect URLs). When a test server closes, the harness checks that none of the secrets
 * seen while it ran reached its logs. A shard runs many files in one process, one at a time: each
 * server is checked against its own lifetime's secrets (every server alive then, any file), not
 * every secret of every file before it.
 */
class SecretLog {
  private seq = 0;
  /** Each secret and when it was last seen (a counter, not a clock). */
  private readonly lastSeen = new Map<string, number>();
  add(secret: string): this {
    this.lastSeen.set(secret, ++this.seq);
    return this;
  }
  /** A mark to pass to since(): secrets seen after it. */
  mark(): number {
    return this.seq;
  }
  *since(mark: number): Generator<string> {
    for (const [secret, seen] of this.lastSeen) if (seen > mark) yield secret;
  }
}
export const SECRET_LOG = new SecretLog();
const SECRET_FIELDS = /^(access_token|refresh_token|client_secret|license_key|api_key|key|token|code|device_code|password)$/;

function collectSecrets(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if ((SECRET_FIELDS.test(key) && value.length >= 8) || CREDENTIAL_PATTERN.test(value)) SECRET_LOG.add(value);
  } else if (Array.isArray(value)) value.forEach((v) => collectSecrets(v, key));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collectSecrets(v, k);
}

export interface Response {
  status: number;
  headers: Headers;
  body: any;
  text: string;
  /** The body's bytes as received (binary downloads). */
  bytes: Buffer;
}

export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  multipart?: Record<string, string | Blob>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Raw body with its content type, for malformed-input tests. */
  raw?: { body: string | Buffer; type: string };
}

/**
 * One keep-alive agent for every client of the process (connections to a server are reused, as
 * fetch would). node:http rather than fetch: the suite makes tens of thousands of requests, and
 * undici's fetch machinery (streams, Request and Response objects) cost several times what the
 * request itself does.
 */
const AGENT = new http.Agent({ keepAlive: true, scheduling: 'lifo' });
/** What fetch sends on its own, so servers see the same requests as before. */
const DEFAULT_HEADERS = { accept: '*/*', 'user-agent': 'node' };

/** A small HTTP client over node:http, with a cookie jar of one session. */
export class Client {
  cookie: string | undefined;

  constructor(readonly base: string) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(path.startsWith('/') ? this.base + path : path);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...DEFAULT_HEADERS, ...lowerCased(options.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | Buffer | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.multipart) {
      const form = new FormData();
      for (const [k, v] of Object.entries(options.multipart)) form.append(k, v);
      // The multipart encoding (boundary and all) as fetch would send it.
      const encoded = new Request('http://x/', { method: 'POST', body: form });
      headers['content-type'] = encoded.headers.get('content-type')!;
      body = Buffer.from(await encoded.arrayBuffer());
    } else if (options.raw) {
      headers['content-type'] = options.raw.type;
      body = options.raw.body;
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const res = await send(url, method, headers, body);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      if (pair!.startsWith('tessera_session=')) this.cookie = /=\s*$/.test(pair!) || /Expires=Thu, 01 Jan 1970/i.test(c) ? undefined : pair;
    }
    const text = res.bytes.toString('utf8');
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    collectSecrets(parsed);
    return { status: res.status, headers: res.headers, body: parsed, text, bytes: res.bytes };
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }
  post(path: string, options?: RequestOptions) {
    return this.request('POST', path, options);
  }
  put(path: string, options?: RequestOptions) {
    return this.request('PUT', path, options);
  }
  patch(path: string, options?: RequestOptions) {
    return this.request('PATCH', path, options);
  }
  delete(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, options);
  }
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/**
 * One request; a body is sent whatever the method (Gumroad clients send `curl -X GET -d …`, so
 * tests do too). A kept-alive connection the server closed while idle fails the first write with
 * ECONNRESET before the server read anything: sent again once on a new connection, as fetch does.
 */
function send(url: URL, method: string, headers: Record<string, string>, body: string | Buffer | undefined, retried = false): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: AGENT }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        const raw = res.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) h.append(raw[i]!, raw[i + 1]!);
        resolve({ status: res.statusCode!, headers: h, bytes: Buffer.concat(chunks) });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) resolve(send(url, method, headers, body, true));
      else reject(err);
    });
    req.end(body);
  });
}
