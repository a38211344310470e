import { it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fc from 'fast-check';
import { ALL_SCOPES } from '../../src/auth/scopes.js';
import { CLI_ACTOR } from '../../src/context.js';
import { recordPurchase } from '../../src/sales/record-purchase.js';
import { describeEachDialect, type TestServer } from '../support/harness.js';
import { createApp, generateToken } from '../support/fixtures.js';

/**
 * Issue 11.14: a deterministic fuzzer over every operation of the served /openapi.json. Each case
 * is a mutation of a plausible request (wrong types, missing and extra fields, broken JSON, every
 * content type, hostile strings, prototype keys, repeated and bracketed keys), sent with or
 * without valid credentials. It fails on any 5xx, any non-JSON 4xx, any hang, or a dead server.
 */
const SEED = 20261102;
const CASES_PER_OPERATION = Number(process.env.FUZZ_CASES ?? 14);
const REQUEST_TIMEOUT_MS = 15_000;

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: { name: string; type: string }[];
  bodyFields: { name: string; type: string; required: boolean }[];
}

interface Seeds {
  session: string;
  token: string;
  apiKey: string;
  basic: string;
  ids: Record<string, string>;
}

interface Raw {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

interface Outcome {
  status: number;
  type: string;
  text: string;
}

function operations(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters ?? []) as { in: string; name: string; schema?: { type?: string } }[];
      const schema = op.requestBody?.content?.['application/json']?.schema ?? {};
      const required = new Set<string>(schema.required ?? []);
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, type: String(p.schema?.type ?? 'string') })),
        bodyFields: Object.entries<any>(schema.properties ?? {}).map(([name, s]) => ({ name, type: String(s.type ?? 'string'), required: required.has(name) })),
      });
    }
  }
  // Operations that end the session, rotate a secret or delete a seeded object go last, so the
  // other operations are fuzzed with working credentials.
  const late = (op: Operation) => op.method === 'DELETE' || /session|secret|regenerate|revoke|kill/.test(op.path);
  return [...ops.filter((op) => !late(op)), ...ops.filter(late)];
}

/** Credentials of the route's family. */
function credentials(path: string, seeds: Seeds): Record<string, string> {
  if (path.startsWith('/v2/')) return { authorization: `Bearer ${seeds.token}` };
  if (path.startsWith('/api/v1/')) return { authorization: `Bearer ${seeds.apiKey}`, 'user-id': seeds.ids.user! };
  if (path.startsWith('/oauth/')) return { authorization: seeds.basic };
  if (path.startsWith('/api/')) return { cookie: seeds.session };
  return {};
}

function pathId(op: Operation, name: string, seeds: Seeds): string {
  const { ids } = seeds;
  if (name === 'product_id') return ids.product!;
  if (name === 'license_id') return ids.license!;
  if (name === 'userId') return ids.user!;
  if (name === 'applicationId') return ids.application!;
  if (name === 'id') {
    if (op.path.startsWith('/api/applications')) return ids.application!;
    if (op.path.startsWith('/api/api-keys')) return ids.apiKey!;
    if (op.path.startsWith('/api/teams')) return ids.team!;
    if (op.path.startsWith('/v2/products/{id}')) return ids.product!;
    if (op.path.startsWith('/v2/sales')) return ids.sale!;
  }
  return 'no-such-id';
}

const HOSTILE: readonly string[] = [
  'a\u0000b',
  '\u0000',
  '\u0001\u001f\u007f',
  '\ud800',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '../../../etc/passwd',
  '%00%ff',
  '𝕏'.repeat(50),
  'x'.repeat(70_000),
  '-1',
  '1e309',
  '99999999999999999999999',
  '',
  ' ',
];
const PROTO_KEYS: readonly string[] = ['__proto__[polluted]', 'constructor[prototype][polluted]', 'a[__proto__][polluted]', 'prototype', '__proto__'];
const WRONG: readonly unknown[] = [123, -1, 1.5, true, null, [], ['a', 'b'], {}, { $ne: 1 }, 'not-a-number'];

type Encoding = 'json' | 'urlencoded' | 'multipart' | 'text' | 'none' | 'query';
type Mutation = 'plausible' | 'wrong-types' | 'missing' | 'extra' | 'broken-json' | 'hostile' | 'proto' | 'repeated' | 'bracketed' | 'hostile-path' | 'invalid-utf8';

const caseArb = fc.record({
  mutation: fc.constantFrom<Mutation>('plausible', 'wrong-types', 'missing', 'extra', 'broken-json', 'hostile', 'proto', 'repeated', 'bracketed', 'hostile-path', 'invalid-utf8'),
  encoding: fc.constantFrom<Encoding>('json', 'urlencoded', 'multipart', 'text', 'none', 'query'),
  authenticated: fc.boolean(),
  pick: fc.nat(1000),
  hostile: fc.constantFrom(...HOSTILE),
  wrong: fc.constantFrom(...WRONG),
  proto: fc.constantFrom(...PROTO_KEYS),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function plausible(type: string, name: string, seeds: Seeds): unknown {
  if (/product_id|^product$/.test(name)) return seeds.ids.product;
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'array') return ['a'];
  if (type === 'object') return { a: 'b' };
  if (name.includes('email')) return 'buyer@example.com';
  if (name.includes('url') || name.includes('uri')) return 'https://example.com/x';
  return 'value';
}

/** The fields of a case, as pairs: a repeated key is two pairs. */
function fields(op: Operation, c: Case, seeds: Seeds): [string, unknown][] {
  const all = [...op.bodyFields, ...op.queryParams.map((q) => ({ ...q, required: false }))];
  let pairs: [string, unknown][] = all.map((f) => [f.name, plausible(f.type, f.name, seeds)]);
  const target = all.length > 0 ? all[c.pick % all.length]!.name : 'name';
  switch (c.mutation) {
    case 'wrong-types':
      pairs = pairs.map(([k, v], i) => [k, i % 2 === c.pick % 2 ? c.wrong : v]);
      break;
    case 'missing':
      pairs = pairs.filter((_, i) => i % 3 === c.pick % 3);
      break;
    case 'extra':
      pairs.push([`extra_${c.pick}`, 'x'], ['success', 'true'], ['id', 'x']);
      break;
    case 'hostile':
      pairs = pairs.map(([k, v]) => [k, k === target ? c.hostile : v]);
      if (pairs.length === 0) pairs.push(['name', c.hostile]);
      break;
    case 'proto':
      pairs.push([c.proto, 'yes']);
      break;
    case 'repeated':
      pairs.push([target, 'first'], [target, 'second']);
      break;
    case 'bracketed':
      pairs.push([`${target}[nested]`, 'x'], [`${target}[]`, 'y'], [`${target}[a][b]`, 'z']);
      break;
    default:
      break;
  }
  return pairs;
}

const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
/** Percent-encodes any string, lone surrogates included (as UTF-8 of U+FFFD, as a browser would). */
const enc = (v: string) => [...Buffer.from(v, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');

function buildRequest(op: Operation, c: Case, seeds: Seeds): Raw {
  let path = op.path;
  for (const name of op.pathParams) {
    const value = c.mutation === 'hostile-path' ? c.hostile.slice(0, 300) || 'x' : pathId(op, name, seeds);
    path = path.replace(`{${name}}`, enc(value));
  }
  const headers: Record<string, string> = c.authenticated ? { ...credentials(op.path, seeds) } : {};
  const pairs = fields(op, c, seeds);
  const form = pairs.map(([k, v]) => `${enc(k)}=${enc(text(v))}`).join('&');
  if (c.mutation === 'invalid-utf8') {
    headers['content-type'] = c.encoding === 'json' ? 'application/json' : 'application/x-www-form-urlencoded';
    const bytes = c.encoding === 'json' ? Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]) : Buffer.from('name=%FF%FE%C3&x=%E0%A4');
    return { method: op.method, path: `${path}?q=%FF%FE`, headers, body: bytes };
  }
  if (c.mutation === 'broken-json') {
    headers['content-type'] = 'application/json';
    const json = JSON.stringify(Object.fromEntries(pairs));
    return { method: op.method, path, headers, body: Buffer.from(json.slice(0, Math.max(1, (c.pick % json.length) - 1)) + (c.pick % 2 ? '' : ',,}')) };
  }
  switch (c.encoding) {
    case 'json': {
      headers['content-type'] = 'application/json';
      // JSON.stringify keeps a "__proto__" own key as text, as a hostile client would send it.
      const object: Record<string, unknown> = Object.create(null);
      for (const [k, v] of pairs) object[k] = v;
      return { method: op.method, path, headers, body: Buffer.from(JSON.stringify(object)) };
    }
    case 'urlencoded':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return { method: op.method, path, headers, body: Buffer.from(form) };
    case 'multipart': {
      const boundary = `fuzz${c.pick}`;
      const parts = pairs.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k.replace(/"/g, '')}"\r\n\r\n${text(v)}\r\n`).join('');
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
      return { method: op.method, path, headers, body: Buffer.from(`${parts}--${boundary}--\r\n`) };
    }
    case 'text':
      headers['content-type'] = 'text/plain';
      return { method: op.method, path, headers, body: Buffer.from(form || 'hello') };
    case 'none':
      return { method: op.method, path, headers, body: form ? Buffer.from(form) : undefined };
    default:
      return { method: op.method, path: form ? `${path}?${form}` : path, headers };
  }
}

function send(base: URL, raw: Raw): Promise<Outcome | 'hang' | 'reset'> {
  return new Promise((resolve) => {
    const headers = { ...raw.headers, ...(raw.body ? { 'content-length': String(raw.body.length) } : {}), connection: 'close' };
    const req = http.request({ host: base.hostname, port: base.port, method: raw.method, path: raw.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', () => resolve('reset'));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      resolve('hang');
      req.destroy();
    });
    req.on('error', () => resolve('reset'));
    req.end(raw.body);
  });
}

async function seed(s: TestServer): Promise<Seeds> {
  const seller = await s.signUp();
  const { application, client_secret } = await createApp(seller.client, { scopes: ALL_SCOPES.join(' ') });
  const token = await generateToken(seller.client, application.id);
  const bearer = { authorization: `Bearer ${token}` };
  const product = await s.client().post('/v2/products', { headers: bearer, form: { name: 'Fuzzed', price: '100', is_licensed: 'true' } });
  assert.equal(product.body.success, true, product.text);
  const sale = (await recordPurchase(s.ctx, seller.user.id, { product: product.body.product.id, email: 'buyer@example.com' }, CLI_ACTOR, {})) as unknown as { id: string; license_id: string };
  const key = await seller.client.post('/api/api-keys', { json: { name: 'fuzz' } });
  assert.equal(key.status, 201, key.text);
  const team = await seller.client.post('/api/teams', { json: { name: 'Fuzz team' } });
  return {
    session: seller.client.cookie!,
    token,
    apiKey: String(key.body.key ?? key.body.api_key ?? key.body.secret ?? ''),
    basic: `Basic ${Buffer.from(`${application.client_id}:${client_secret}`).toString('base64')}`,
    ids: {
      user: seller.user.id,
      application: application.id,
      product: product.body.product.id,
      sale: sale.id,
      license: sale.license_id,
      apiKey: String(key.body.api_key?.id ?? key.body.id ?? ''),
      team: String(team.body?.team?.id ?? team.body?.id ?? 'no-team'),
    },
  };
}

describeEachDialect('OpenAPI fuzzer', (s) => {
  it('answers every operation of /openapi.json without a 5xx, a non-JSON 4xx or a hang', async () => {
    const started = Date.now();
    const seeds = await seed(s());
    const doc = (await s().client().get('/openapi.json')).body;
    const ops = operations(doc);
    assert.ok(ops.length > 50, `only ${ops.length} operations`);
    const base = new URL(s().url);
    const failures: string[] = [];
    let requests = 0;
    let fiveXX = 0;
    let nonJson = 0;
    let hangs = 0;
    const check = (label: string, outcome: Outcome | 'hang' | 'reset', bigBody = false) => {
      requests++;
      if (outcome === 'hang') {
        hangs++;
        failures.push(`${label}: no answer within ${REQUEST_TIMEOUT_MS} ms`);
        return;
      }
      // A connection reset is acceptable only where the server refused a 10 MB body early.
      if (outcome === 'reset') {
        if (!bigBody) failures.push(`${label}: connection reset`);
        return;
      }
      if (outcome.status >= 500) {
        fiveXX++;
        failures.push(`${label}: ${outcome.status} ${outcome.text.slice(0, 200)}`);
      } else if (outcome.status >= 400 && !/json/.test(outcome.type)) {
        nonJson++;
        failures.push(`${label}: ${outcome.status} as ${outcome.type || 'no content type'} ${outcome.text.slice(0, 100)}`);
      }
    };

    for (const [index, op] of ops.entries()) {
      const cases = fc.sample(caseArb, { seed: SEED + index, numRuns: CASES_PER_OPERATION });
      // A few cases at a time: fast, and still deterministic (each case's request is fixed).
      for (let i = 0; i < cases.length; i += 4) {
        const batch = cases.slice(i, i + 4);
        const outcomes = await Promise.all(
          batch.map(async (c) => {
            const raw = buildRequest(op, c, seeds);
            const first = await send(base, raw);
            // A reset is retried once (a loaded machine); a second one counts.
            return first === 'reset' ? send(base, raw) : first;
          }),
        );
        outcomes.forEach((o, j) => check(`${op.method} ${op.path} [${batch[j]!.mutation}/${batch[j]!.encoding}/${batch[j]!.authenticated ? 'auth' : 'anon'}]`, o));
      }
    }

    // 10 MB bodies: a few requests only.
    const big = Buffer.alloc(10 * 1024 * 1024, 'a');
    for (const [method, path, type] of [
      ['POST', '/oauth/token', 'application/x-www-form-urlencoded'],
      ['POST', '/v2/licenses/verify', 'application/json'],
      ['POST', '/api/applications', 'multipart/form-data; boundary=x'],
    ] as const) {
      const outcome = await send(base, { method, path, headers: { 'content-type': type, ...credentials(path, seeds) }, body: big });
      check(`${method} ${path} [10 MB]`, outcome, true);
    }

    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    const alive = await send(base, { method: 'GET', path: '/healthz', headers: {} });
    const isAlive = alive !== 'hang' && alive !== 'reset' && alive.status === 200;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`fuzz [${s().dialect}]: operations=${ops.length} requests=${requests} 5xx=${fiveXX} non-json-4xx=${nonJson} hangs=${hangs} server-alive=${isAlive ? 'yes' : 'no'} (${seconds} s)`);
    assert.deepEqual(failures.slice(0, 30), [], `${failures.length} failures`);
    assert.ok(isAlive, 'the server died');
  });
});
