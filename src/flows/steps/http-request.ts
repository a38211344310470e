import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Type } from 'typebox';
import { BlockedTargetError, guardedLookup, isPrivateAddress } from '../../http/net-guard.js';
import { StepError, type StepType } from './step.js';

interface HttpParams {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeout_ms?: number;
  max_response_bytes?: number;
  allow_error_status?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 1024 * 1024;

/** Where the log may say the request went: never the query string, which may carry secrets. */
function shown(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function parseTarget(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StepError(`"${text.slice(0, 200)}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new StepError(`only http and https URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw new StepError('credentials in the URL are not allowed; use an Authorization header');
  return url;
}

function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return Buffer.from(body);
  }
  headers['content-type'] ??= 'application/json';
  return Buffer.from(JSON.stringify(body));
}

function send(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, maxBytes: number, signal: AbortSignal, allowPrivate: boolean) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(url, { method, headers, signal, lookup: guardedLookup(allowPrivate) as never });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          request.destroy(new StepError(`the response is larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes: Buffer.concat(chunks) }));
    });
    request.end(body);
  });
}

function decode(bytes: Buffer, contentType: string | undefined): unknown {
  const text = bytes.toString('utf8');
  if (/json/i.test(contentType ?? '')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Calls an HTTP endpoint. Loopback, private and link-local targets are refused after DNS
 * resolution unless TESSERA_ALLOW_PRIVATE_TARGETS is on; redirects are not followed; the
 * response is capped in size and time. A non-2xx answer fails the step unless allowed.
 */
export const httpRequestStep: StepType = {
  type: 'http_request',
  summary: 'Call an HTTP(S) endpoint; output {status, headers, body}',
  params: Type.Object({
    method: Type.Optional(Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m)))),
    url: Type.String({ minLength: 1, maxLength: 4000 }),
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }), Type.String({ maxLength: 8000 }))),
    body: Type.Optional(Type.Unknown({ description: 'JSON (sent as application/json) or a string.' })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 30000 })),
    max_response_bytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 * 1024 * 1024 })),
    allow_error_status: Type.Optional(Type.Boolean({ description: 'Do not fail on a 4xx/5xx answer.' })),
  }),
  async run(params: HttpParams, { ctx, signal }) {
    const url = parseTarget(params.url);
    const method = params.method ?? 'GET';
    const allowPrivate = ctx.config.allowPrivateTargets;
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(literal) && isPrivateAddress(literal) && !allowPrivate) {
      throw new StepError(`${method} ${shown(url)} refused: ${literal} is a private or loopback address`);
    }
    const headers: Record<string, string> = { 'user-agent': 'Tessera-Flows/1', ...Object.fromEntries(Object.entries(params.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) };
    const body = encodeBody(params.body, headers);
    const timeout = params.timeout_ms ?? DEFAULT_TIMEOUT_MS;
    const started = Date.now();
    let answer;
    try {
      answer = await send(url, method, headers, body, params.max_response_bytes ?? DEFAULT_MAX_BYTES, AbortSignal.any([signal, AbortSignal.timeout(timeout)]), allowPrivate);
    } catch (err) {
      if (err instanceof StepError) throw new StepError(`${method} ${shown(url)}: ${err.message}`);
      if (err instanceof BlockedTargetError) throw new StepError(`${method} ${shown(url)} refused: ${err.message}`);
      const e = err as Error & { code?: string };
      if (signal.aborted) throw new StepError(`${method} ${shown(url)} stopped: the run was stopped`);
      if (e.name === 'AbortError' || e.name === 'TimeoutError') throw new StepError(`${method} ${shown(url)} timed out after ${timeout} ms`);
      throw new StepError(`${method} ${shown(url)} failed: ${e.code ?? e.message}`);
    }
    const summary = `${method} ${shown(url)} answered ${answer.status} in ${Date.now() - started} ms`;
    if ((answer.status < 200 || answer.status > 299) && !params.allow_error_status) throw new StepError(summary);
    const output = { status: answer.status, headers: answer.headers as Record<string, unknown>, body: decode(answer.bytes, answer.headers['content-type']) };
    return { output, summary };
  },
};
