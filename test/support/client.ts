import { CREDENTIAL_PATTERN } from '../../src/credentials/credential.js';

/** Every secret a response carried in this process: the harness checks none reached the logs. */
export const SECRET_LOG = new Set<string>();
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

/** A small HTTP client over fetch, with a cookie jar of one session. */
export class Client {
  cookie: string | undefined;

  constructor(readonly base: string) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (this.cookie) headers.cookie = this.cookie;
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.multipart) {
      const form = new FormData();
      for (const [k, v] of Object.entries(options.multipart)) form.append(k, v);
      body = form;
    } else if (options.raw) {
      headers['content-type'] = options.raw.type;
      body = options.raw.body as BodyInit;
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      if (pair!.startsWith('tessera_session=')) this.cookie = /=\s*$/.test(pair!) || /Expires=Thu, 01 Jan 1970/i.test(c) ? undefined : pair;
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    collectSecrets(parsed);
    return { status: res.status, headers: res.headers, body: parsed, text };
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
