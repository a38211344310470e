import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ALL_SCOPES } from '../../src/auth/scopes.js';
import type { Client, Response } from '../support/client.js';
import { createApp, generateToken } from '../support/fixtures.js';
import { describeEachDialect, uniqueEmail, type TestServer } from '../support/harness.js';
import { EMAIL_FLOW, addMember, apiUserId, createFlow, createKey, createTeam, waitForRun } from '../flows/support/fixtures.js';

/**
 * Issue 11, isolation: for every operation of the served /openapi.json that takes an id (in its
 * path or as a parameter), another seller's valid credentials on this seller's ids answer exactly
 * as an unknown id would (same status, same body once the id itself is blanked out) and change
 * nothing stored outside the caller's own rows. Driven from /openapi.json: a new operation is
 * covered as soon as it is served, and one taking an id this file cannot name fails the test.
 */

interface Operation {
  method: string;
  path: string;
  /** Parameters that name something: path parameters, and query or body parameters known as ids. */
  ids: { name: string; where: 'path' | 'param'; kind: string; required: boolean }[];
  /** Body fields the schema requires (not ids): given plausible values. */
  required: { name: string; type: string }[];
}

/** What each id names, by parameter name (path `id` by the segment before it). */
const KIND_BY_NAME: Record<string, string> = {
  product_id: 'product',
  product: 'product',
  product_permalink: 'permalink',
  license_key: 'licenseKey',
  license_id: 'license',
  instance_id: 'instance',
  variant_category_id: 'variantCategory',
  invitationId: 'invitation',
  userId: 'user',
  runId: 'run',
  run_id: 'run',
  applicationId: 'application',
  delivery_id: 'delivery',
  saved_item_id: 'flow',
  workbook_id: 'workbook',
  team_id: 'team',
  project_id: 'team',
  user_id: 'apiUser',
  key_id: 'apiKey',
  target_id: 'target',
  triggerId: 'trigger',
};
const KIND_BY_SEGMENT: Record<string, string> = {
  applications: 'application',
  tokens: 'token',
  teams: 'team',
  invitations: 'invitation',
  'api-keys': 'apiKey',
  flows: 'flow',
  products: 'product',
  offer_codes: 'offerCode',
  variant_categories: 'variantCategory',
  variants: 'variant',
  custom_fields: 'customField',
  sales: 'sale',
  subscribers: 'subscriber',
  resource_subscriptions: 'resourceSubscription',
};

/**
 * Operations outside the matrix, each for a reason: they take no seller's credentials (the key or
 * the token itself is what names the object), or they are the sign-in itself.
 */
const PUBLIC = [
  /^POST \/v2\/licenses\/(verify|file)$/, // the license key is the credential
  /^POST \/v1\/licenses\//, // Lemon Squeezy's license API: the license key is the credential
  /^\w+ \/oauth\//, // client credentials and tokens, no ids (other clients' tokens: test/oauth/introspect, revoke)
  /^POST \/api\/(users|session)$/,
  // The instance owner's API: every other account gets 404 on every operation, whatever the id
  // (test/admin/disable, delete, capabilities, signup-policy test it per route).
  /^\w+ \/api\/admin\//,
];

function operations(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const label = `${method.toUpperCase()} ${path}`;
      if (PUBLIC.some((p) => p.test(label))) continue;
      const params = (op.parameters ?? []) as { in: string; name: string }[];
      const schema = op.requestBody?.content?.['application/json']?.schema ?? {};
      const required = new Set<string>(schema.required ?? []);
      const ids: Operation['ids'] = [];
      const segments = path.split('/');
      for (const p of params.filter((p) => p.in === 'path')) {
        const before = segments[segments.indexOf(`{${p.name}}`) - 1]!;
        const kind = p.name === 'id' || p.name === 'name' ? KIND_BY_SEGMENT[before] : KIND_BY_NAME[p.name];
        assert.ok(kind, `${label}: no seeded id for the path parameter '${p.name}' (add it to this file)`);
        ids.push({ name: p.name, where: 'path', kind, required: true });
      }
      const named = [...params.filter((p) => p.in === 'query').map((p) => p.name), ...Object.keys(schema.properties ?? {})];
      for (const name of new Set(named)) if (KIND_BY_NAME[name]) ids.push({ name, where: 'param', kind: KIND_BY_NAME[name]!, required: required.has(name) });
      if (ids.length === 0) continue;
      const fields = Object.entries<any>(schema.properties ?? {}).filter(([name]) => required.has(name) && !KIND_BY_NAME[name]);
      ops.push({ method: method.toUpperCase(), path, ids, required: fields.map(([name, s]) => ({ name, type: String(s.type ?? 'string') })) });
    }
  }
  return ops;
}

interface Seller {
  client: Client;
  userId: string;
  password: string;
  token: string;
  apiKey: string;
  /** Ids by kind (see KIND_BY_NAME). */
  ids: Record<string, string>;
}

/** A seller with one of everything that has an id, made through the API as a seller would. */
async function seedSeller(s: TestServer): Promise<Seller> {
  const seller = await s.signUp();
  const { client } = seller;
  const { application } = await createApp(client, { scopes: ALL_SCOPES.join(' ') });
  const token = await generateToken(client, application.id);
  const tokens = await client.get('/api/tokens');
  const v2 = async (method: string, path: string, params: Record<string, string> = {}) => {
    const res = method === 'GET' ? await s.client().get(path, { query: { access_token: token, ...params } }) : await s.client().request(method, path, { form: { access_token: token, ...params } });
    assert.equal(res.body.success, true, `${method} ${path}: ${res.text}`);
    return res.body;
  };
  const product = (await v2('POST', '/v2/products', { name: 'Isolated', price: '500', is_licensed: 'true' })).product;
  const p = `/v2/products/${encodeURIComponent(product.id)}`;
  const offerCode = (await v2('POST', `${p}/offer_codes`, { name: `OFF${Date.now()}`, amount_off: '100' })).offer_code;
  const category = (await v2('POST', `${p}/variant_categories`, { title: 'Size' })).variant_category;
  const variant = (await v2('POST', `${p}/variant_categories/${encodeURIComponent(category.id)}/variants`, { name: 'Large' })).variant;
  const field = (await v2('POST', `${p}/custom_fields`, { name: `Company ${Date.now() % 100000}`, type: 'text' })).custom_field;
  const subscribed = (await v2('PUT', '/v2/resource_subscriptions', { resource_name: 'sale', post_url: 'https://hooks.example.com/sale' })).resource_subscription;
  const sale = (await v2('POST', '/v2/purchases', { product_id: product.id, email: 'buyer@example.com' })).sale;
  const monthly = (await v2('POST', '/v2/products', { name: 'Monthly', price: '900', subscription_duration: 'monthly' })).product;
  await v2('POST', '/v2/purchases', { product_id: monthly.id, email: 'subscriber@example.com' });
  const subscriber = (await v2('GET', `/v2/products/${encodeURIComponent(monthly.id)}/subscribers`)).subscribers[0];
  const deliveries = (await v2('GET', `/v2/resource_subscriptions/${encodeURIComponent(subscribed.id)}/deliveries`)).deliveries;
  const activated = await s.client().post('/v1/licenses/activate', { form: { license_key: sale.license_key, instance_name: 'laptop' } });
  assert.equal(activated.status, 200, activated.text);

  const team = await createTeam(client);
  const invited = await client.post(`/api/teams/${team.id}/members`, { json: { email: uniqueEmail('invitee'), role: 'member' } });
  assert.equal(invited.status, 201, invited.text);
  const key = await createKey(client, { scopes: ['flows:read', 'flows:run'] });
  const flow = await createFlow(client, EMAIL_FLOW);
  const api = { key: key.api_key, userId: await apiUserId(client) };
  const started = await s.client().post('/api/v1/start_pipeline', { json: { user_id: api.userId, saved_item_id: flow.id, to: 'buyer@example.com' }, headers: { authorization: `Bearer ${api.key}` } });
  assert.equal(started.status, 200, started.text);
  await waitForRun(s.client(), api, started.body.run_id);
  const trigger = await client.post(`/api/flows/${encodeURIComponent(flow.id)}/triggers`, { json: { kind: 'event', event: 'sale' } });
  assert.equal(trigger.status, 201, trigger.text);
  return {
    client,
    userId: seller.user.id,
    password: seller.password,
    token,
    apiKey: api.key,
    ids: {
      application: application.id,
      token: tokens.body.tokens[0].id,
      product: product.id,
      permalink: product.short_url.split('/').pop(),
      offerCode: offerCode.id,
      variantCategory: category.id,
      variant: variant.id,
      customField: field.name,
      sale: sale.id,
      license: sale.license_id,
      licenseKey: sale.license_key,
      instance: activated.body.instance.id,
      subscriber: subscriber.id,
      resourceSubscription: subscribed.id,
      delivery: deliveries[0].id,
      team: team.id,
      invitation: invited.body.invitation.id,
      user: seller.user.id,
      apiKey: key.key.id,
      apiUser: api.userId,
      flow: flow.id,
      workbook: flow.workbook_id,
      run: started.body.run_id,
      trigger: trigger.body.trigger.id,
      target: application.id,
    },
  };
}

/** A well-formed id that names nothing: one character of the real one changed within its class. */
function unknownLike(id: string): string {
  const chars = [...id];
  for (let k = 0; k < chars.length; k++) {
    const i = (Math.floor(chars.length / 2) + k) % chars.length;
    const c = chars[i]!;
    const next = /[0-8]/.test(c) ? String(Number(c) + 1) : c === '9' ? '0' : /[a-y]/.test(c) || /[A-Y]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 1) : c === 'z' ? 'a' : c === 'Z' ? 'A' : null;
    if (next === null) continue;
    chars[i] = next;
    return chars.join('');
  }
  throw new Error(`cannot vary ${id}`);
}

/** Values for the fields an operation needs besides its ids, so that only the id can make it fail. */
function plausible(op: Operation, caller: Seller): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { name, type } of op.required) {
    values[name] = name === 'email' ? uniqueEmail('matrix') : name === 'password' ? caller.password : name === 'definition' ? EMAIL_FLOW : name === 'role' ? 'admin' : type === 'integer' || type === 'number' ? 1 : type === 'boolean' ? true : 'Isolation';
  }
  if (op.path === '/api/flows/{id}') values.definition = EMAIL_FLOW;
  if (op.path.startsWith('/api/v1/start_pipeline')) values.to = 'buyer@example.com';
  if (op.path === '/v2/purchases') values.email = 'buyer@example.com';
  if (op.path === '/v2/subscribers/{id}/update') values.quantity = 2;
  return values;
}

/** Sends one request of `op` as `caller`, with `ids` (by parameter name) in the path and the parameters. */
function send(s: TestServer, op: Operation, caller: Seller, ids: Record<string, string>): Promise<Response> {
  let path = op.path;
  const params: Record<string, unknown> = plausible(op, caller);
  for (const [name, value] of Object.entries(ids)) {
    if (path.includes(`{${name}}`)) path = path.replace(`{${name}}`, encodeURIComponent(value));
    else params[name] = value;
  }
  const text = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : JSON.stringify(x)]));
  const anonymous = s.client();
  if (op.path.startsWith('/v2/')) {
    const all = text({ access_token: caller.token, ...params });
    return op.method === 'GET' ? anonymous.get(path, { query: all }) : anonymous.request(op.method, path, { form: all });
  }
  if (op.path.startsWith('/api/v1/')) {
    const headers = { authorization: `Bearer ${caller.apiKey}` };
    const all = { user_id: caller.ids.apiUser, ...params };
    return op.method === 'GET' ? anonymous.get(path, { query: text(all), headers }) : anonymous.request(op.method, path, { json: all, headers });
  }
  if (op.method === 'GET' || op.method === 'DELETE') return caller.client.request(op.method, path, { query: text(params) });
  return caller.client.request(op.method, path, { json: params });
}

type Snapshot = Map<string, string>;

/**
 * Every stored row that is not the caller's own (no column holds one of `own`), by table: what
 * a request with foreign ids must leave as it was.
 */
async function snapshot(s: TestServer, own: Set<string>): Promise<Snapshot> {
  const tables = (await s.ctx.db.introspection.getTables()).map((t) => t.name);
  let rows: { t: string; r: Record<string, unknown> }[];
  if (s.dialect === 'postgres') {
    // One round trip for the whole database (some sixty tables, read a few hundred times).
    const union = tables.map((t) => `select '${t}' as t, row_to_json(x)::text as r from "${t}" x`).join(' union all ');
    const result = await sql<{ t: string; r: string }>`${sql.raw(union)}`.execute(s.ctx.db);
    rows = result.rows.map(({ t, r }) => ({ t, r: JSON.parse(r) as Record<string, unknown> }));
  } else {
    rows = [];
    for (const t of tables) for (const r of await s.ctx.db.selectFrom(t as 'users').selectAll().execute()) rows.push({ t, r });
  }
  const out: Snapshot = new Map(tables.map((t) => [t, '']));
  const kept = rows.filter(({ r }) => !Object.values(r).some((v) => own.has(String(v)))).map(({ t, r }) => [t, JSON.stringify(r)] as const);
  for (const t of tables) out.set(t, kept.filter(([table]) => table === t).map(([, r]) => r).sort().join('\n'));
  return out;
}

function changed(before: Snapshot, after: Snapshot): string[] {
  return [...after].filter(([table, rows]) => before.get(table) !== rows).map(([table]) => table);
}

describeEachDialect('isolation: another seller on this seller\'s ids', (s) => {
  let a: Seller;
  let b: Seller;
  /** Values that mark a row as the caller's own. */
  let own: Set<string>;
  before(async () => {
    a = await seedSeller(s());
    b = await seedSeller(s());
    const user = await s().ctx.db.selectFrom('users').select(['id', 'external_id']).where('id', '=', b.userId).executeTakeFirstOrThrow();
    own = new Set([user.id, user.external_id, b.ids.apiUser]);
  });

  it('answers every operation taking an id as for an unknown id, and changes nothing', async () => {
    const doc = (await s().client().get('/openapi.json')).body;
    const ops = operations(doc);
    assert.ok(ops.length > 60, `only ${ops.length} operations take an id`);
    // The detector itself: a change to one of the other seller's rows is seen.
    const unchanged = await snapshot(s(), own);
    await s().ctx.db.updateTable('products').set({ name: 'Changed' }).where('external_id', '=', a.ids.product!).execute();
    assert.ok(changed(unchanged, await snapshot(s(), own)).includes('products'));
    await s().ctx.db.updateTable('products').set({ name: 'Isolated' }).where('external_id', '=', a.ids.product!).execute();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let variants = 0;
    for (const op of ops) {
      const label = `${op.method} ${op.path}`;
      // Each id in turn is the other seller's (the caller's own in the other places), then all at once.
      const cases = op.ids.map((tested) => [tested]);
      if (op.ids.length > 1) cases.push(op.ids);
      for (const tested of cases) {
        const context: Record<string, string> = {};
        for (const id of op.ids) if (id.required || id.kind === 'apiUser') context[id.name] = b.ids[id.kind]!;
        const foreign = { ...context, ...Object.fromEntries(tested.map((id) => [id.name, a.ids[id.kind]!])) };
        const unknown = { ...context, ...Object.fromEntries(tested.map((id) => [id.name, unknownLike(a.ids[id.kind]!)])) };
        const what = `${label} [${tested.map((id) => id.name).join('+')}]`;
        const before = await snapshot(s(), own);
        const onForeign = await send(s(), op, b, foreign);
        const touched = changed(before, await snapshot(s(), own));
        if (touched.length > 0) failures.push(`${what}: changed ${touched.join(', ')}`);
        const onUnknown = await send(s(), op, b, unknown);
        let foreignText = onForeign.text;
        let unknownText = onUnknown.text;
        for (const id of tested) {
          foreignText = foreignText.split(a.ids[id.kind]!).join('<id>');
          unknownText = unknownText.split(unknownLike(a.ids[id.kind]!)).join('<id>');
        }
        if (onForeign.status !== onUnknown.status || foreignText !== unknownText) {
          failures.push(`${what}: foreign ${onForeign.status} ${foreignText.slice(0, 160)} ≠ unknown ${onUnknown.status} ${unknownText.slice(0, 160)}`);
        }
        if (process.env.MATRIX_DEBUG) console.log(what, onForeign.status, foreignText.slice(0, 100));
        statuses.set(onForeign.status, (statuses.get(onForeign.status) ?? 0) + 1);
        variants++;
      }
    }
    console.log(`isolation [${s().dialect}]: operations=${ops.length} cases=${variants} statuses=${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.deepEqual(failures, []);
  });
});

/**
 * A team key acts only for accepted members: for an account whose invitation is pending, one that
 * left and one that was removed, every /api/v1 operation answers as for an account never invited
 * (403) and starts, kills or changes nothing.
 */
describeEachDialect('isolation: a team key and the accounts that are not (or no longer) members', (s) => {
  it('answers every /api/v1 operation for a pending, a departed and a removed account as for an outsider', async () => {
    const owner = await s().signUp();
    const team = await createTeam(owner.client);
    const key = await createKey(owner.client, { name: 'team', team_id: team.id, scopes: ['flows:read', 'flows:run'] });
    const flow = await createFlow(owner.client, EMAIL_FLOW, { team_id: team.id });
    const ownerApiId = await apiUserId(owner.client);
    const started = await s().client().post('/api/v1/start_pipeline', { json: { user_id: ownerApiId, project_id: team.id, saved_item_id: flow.id, to: 'buyer@example.com' }, headers: { authorization: `Bearer ${key.api_key}` } });
    assert.equal(started.status, 200, started.text);
    await waitForRun(s().client(), { key: key.api_key, userId: ownerApiId, projectId: team.id }, started.body.run_id);

    const account = async () => {
      const seller = await s().signUp();
      return { ...seller, apiUser: await apiUserId(seller.client) };
    };
    const [pending, departed, removed, member, outsider] = [await account(), await account(), await account(), await account(), await account()];
    const invited = await owner.client.post(`/api/teams/${team.id}/members`, { json: { email: pending.user.email, role: 'member' } });
    assert.equal(invited.status, 201);
    for (const who of [departed, removed, member]) await addMember(owner.client, team.id, who);
    assert.equal((await departed.client.delete(`/api/teams/${team.id}/members/${departed.user.id}`)).status, 200);
    assert.equal((await owner.client.delete(`/api/teams/${team.id}/members/${removed.user.id}`)).status, 200);

    const doc = (await s().client().get('/openapi.json')).body;
    const ops = Object.entries<Record<string, unknown>>(doc.paths).filter(([path]) => path.startsWith('/api/v1/')).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })));
    assert.ok(ops.length >= 8, `only ${ops.length} /api/v1 operations`);
    const send = (op: { method: string; path: string }, apiUser: string) => {
      const params: Record<string, string> = { user_id: apiUser, project_id: team.id, saved_item_id: flow.id, workbook_id: flow.workbook_id, run_id: started.body.run_id, to: 'buyer@example.com' };
      const headers = { authorization: `Bearer ${key.api_key}` };
      return op.method === 'GET' ? s().client().get(op.path, { query: params, headers }) : s().client().request(op.method, op.path, { json: params, headers });
    };
    // The key's own row (last use) may change; nothing else may.
    const own = new Set([key.key.id]);
    const failures: string[] = [];
    for (const op of ops) {
      const reference = await send(op, outsider.apiUser);
      assert.equal(reference.status, 403, `${op.method} ${op.path} for an outsider: ${reference.text}`);
      for (const [label, who] of [['pending', pending], ['departed', departed], ['removed', removed]] as const) {
        const before = await snapshot(s(), own);
        const res = await send(op, who.apiUser);
        const touched = changed(before, await snapshot(s(), own));
        if (touched.length > 0) failures.push(`${op.method} ${op.path} for a ${label} account changed ${touched.join(', ')}`);
        if (res.status !== reference.status || res.text.split(who.apiUser).join('<user>') !== reference.text.split(outsider.apiUser).join('<user>')) {
          failures.push(`${op.method} ${op.path} for a ${label} account: ${res.status} ${res.text.slice(0, 160)} ≠ outsider's ${reference.status} ${reference.text.slice(0, 160)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
    // The same requests do work for an accepted member: the refusals above are about membership alone.
    assert.equal((await send({ method: 'GET', path: '/api/v1/list_saved_items' }, member.apiUser)).status, 200);
    assert.equal((await send({ method: 'GET', path: '/api/v1/get_pl_run' }, member.apiUser)).status, 200);
  });
});
