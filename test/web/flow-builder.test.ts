import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TriggerScheduler } from '../../src/flows/trigger-scheduler.js';
import { describeEachDialect } from '../support/harness.js';
import { follow, sessionCsrf } from './support/forms.js';

const T0 = Date.UTC(2030, 0, 1, 10, 2, 0);

/** The dashboard's step editor and trigger forms: every action a POST answered 303, refusals shown at their field. */
describeEachDialect(
  'Dashboard: flow step editor and triggers',
  (s) => {
    before(() => {
      s().ctx.triggers = new TriggerScheduler(s().ctx, { clock: () => T0 });
    });
    const definitionOf = async (id: string) => JSON.parse((await s().ctx.db.selectFrom('flows').select('definition').where('id', '=', id).executeTakeFirstOrThrow()).definition);
    const stepIds = async (id: string) => (await definitionOf(id)).steps.map((st: { id: string }) => st.id);

    async function builtFlow() {
      const seller = await s().signUp();
      const csrf = await sessionCsrf(seller.client, '/flows/new');
      const res = await seller.client.post('/flows', { form: { _csrf: csrf, builder: 'steps', name: 'Welcome', type: 'delay', 'p.delay.ms': '10' } });
      assert.equal(res.status, 303, res.text);
      const flowId = decodeURIComponent(res.headers.get('location')!.split('/')[2]!.split('?')[0]!);
      return { ...seller, csrf, flowId };
    }

    describe('POST /flows (Build with forms)', () => {
      it('303: a name and a first step make a flow without JSON, audited', async () => {
        const { client, flowId, user } = await builtFlow();
        assert.deepEqual(await definitionOf(flowId), { name: 'Welcome', steps: [{ id: 'delay', type: 'delay', ms: 10 }] });
        const page = await client.get(`/flows/${flowId}?done=flow-created`);
        assert.match(page.text, /Flow created\./);
        assert.match(page.text, /data-step="delay"/);
        const audit = await s().ctx.db.selectFrom('audit_events').select('action').where('user_id', '=', user.id).where('action', '=', 'flow.created').execute();
        assert.equal(audit.length, 1);
      });

      it('303: "Show its fields" keeps what was typed and shows the chosen type; a refused field is explained next to it; nothing is saved', async () => {
        const { client, user } = await s().signUp();
        const csrf = await sessionCsrf(client, '/flows/new');
        const chosen = await follow(client, await client.post('/flows', { form: { _csrf: csrf, builder: 'steps', name: 'Mail', type: 'send_email', action: 'choose' } }));
        assert.match(chosen.text, /<fieldset class="step-fields" data-step-type="send_email">/, 'the chosen type is enabled and shown');
        assert.match(chosen.text, /<fieldset class="step-fields" data-step-type="delay" hidden disabled>/);
        assert.match(chosen.text, /id="b-name"[^>]*value="Mail"/);
        const refused = await follow(
          client,
          await client.post('/flows', { form: { _csrf: csrf, builder: 'steps', name: 'Mail', type: 'send_email', 'p.send_email.to': 'x', 'p.send_email.subject': 'Hi', 'p.send_email.text': '' } }),
        );
        assert.match(refused.text, /id="new-send_email-to"[^>]*aria-invalid="true"/);
        assert.match(refused.text, /<p class="field-error" id="new-send_email-to-error">The flow is not valid: steps\[0\] \(send_email\)\.to must NOT have fewer than 3 characters\.<\/p>/);
        assert.match(refused.text, /id="new-send_email-subject"[^>]*value="Hi"/, 'what was typed is kept');
        assert.equal(await s().ctx.db.selectFrom('flows').select('id').where('created_by', '=', user.id).executeTakeFirst(), undefined);
      });
    });

    describe('POST /flows/:id/steps', () => {
      it('303: adds a step with its fields converted (numbers, lists, JSON); a reload of the page adds nothing', async () => {
        const { client, csrf, flowId } = await builtFlow();
        const res = await client.post(`/flows/${flowId}/steps`, {
          form: { _csrf: csrf, type: 'http_request', id: 'call', 'p.http_request.url': 'https://example.com/hook', 'p.http_request.method': 'POST', 'p.http_request.headers': 'X-Token: abc', 'p.http_request.body': '{"a": 1}', 'p.http_request.timeout_ms': '5000', 'p.http_request.allow_error_status': 'on' },
        });
        assert.equal(res.status, 303);
        assert.equal(res.headers.get('location'), `/flows/${flowId}?done=step-added#step-call`);
        const page = await client.get(res.headers.get('location')!);
        assert.match(page.text, /Step added\./);
        await client.get(res.headers.get('location')!);
        const def = await definitionOf(flowId);
        assert.deepEqual(def.steps[1], { id: 'call', type: 'http_request', url: 'https://example.com/hook', method: 'POST', headers: { 'X-Token': 'abc' }, body: { a: 1 }, timeout_ms: 5000, allow_error_status: true });
        assert.equal(def.steps.length, 2, 'the reload added nothing');
        const again = await client.post(`/flows/${flowId}/steps`, { form: { _csrf: csrf, type: 'delay', 'p.delay.ms': '0' } });
        assert.equal(again.status, 303);
        assert.deepEqual(await stepIds(flowId), ['delay', 'call', 'delay_2'], 'a fresh id when the type name is taken');
      });

      const REFUSED: [string, Record<string, string>, string, RegExp][] = [
        ['a word where a number goes', { type: 'delay', 'p.delay.ms': 'soon' }, 'add-delay-ms', /steps\[1\] \(delay_2\)\.ms must be integer/],
        ['a number out of range', { type: 'delay', 'p.delay.ms': '90000' }, 'add-delay-ms', /ms must be &lt;= 60000/],
        ['an undeclared input in a template', { type: 'send_email', 'p.send_email.to': '{{ inputs.who }}', 'p.send_email.subject': 's', 'p.send_email.text': 't' }, 'add-send_email-to', /names the undeclared input &quot;who&quot;/],
        ['a header line without a colon', { type: 'http_request', 'p.http_request.url': 'https://example.com', 'p.http_request.headers': 'nonsense' }, 'add-http_request-headers', /headers: &quot;nonsense&quot; is not a &quot;Name: value&quot; line/],
        ['broken JSON in a body', { type: 'http_request', 'p.http_request.url': 'https://example.com', 'p.http_request.body': '{"a": ' }, 'add-http_request-body', /body is not valid JSON/],
      ];
      for (const [what, fields, fieldId, message] of REFUSED) {
        it(`303: ${what} is explained next to its field, the values kept, and the flow unchanged`, async () => {
          const { client, csrf, flowId } = await builtFlow();
          const page = await follow(client, await client.post(`/flows/${flowId}/steps`, { form: { _csrf: csrf, ...fields } }));
          assert.match(page.text, new RegExp(`id="${fieldId}"[^>]*aria-invalid="true"`));
          const error = new RegExp(`<p class="field-error" id="${fieldId}-error">([^<]*)</p>`).exec(page.text);
          assert.ok(error, `an error next to ${fieldId}`);
          assert.match(error[1]!, message);
          assert.deepEqual(await stepIds(flowId), ['delay']);
        });
      }

      it('303: the rule "exactly one of" is said at the top of the add form', async () => {
        const { client, csrf, flowId } = await builtFlow();
        const page = await follow(client, await client.post(`/flows/${flowId}/steps`, { form: { _csrf: csrf, type: 'create_offer_codes', 'p.create_offer_codes.product_id': 'p', 'p.create_offer_codes.count': '2' } }));
        assert.match(page.text, /role="alert">The flow is not valid: steps\[1\] \(create_offer_codes\): give exactly one of amount_cents, percent_off\./);
      });
    });

    describe('POST /flows/:id/steps/:stepId, /move, /delete', () => {
      it('saves a step’s fields, moves it up and down, and a move that breaks a reference is refused at that step', async () => {
        const { client, csrf, flowId } = await builtFlow();
        await client.post(`/flows/${flowId}/steps`, { form: { _csrf: csrf, type: 'send_email', id: 'mail', 'p.send_email.to': 'a@example.com', 'p.send_email.subject': 'Waited {{ steps.delay.waited_ms }}', 'p.send_email.text': 'x' } });
        const saved = await client.post(`/flows/${flowId}/steps/delay`, { form: { _csrf: csrf, 'p.ms': '25' } });
        assert.equal(saved.headers.get('location'), `/flows/${flowId}?done=step-saved#step-delay`);
        assert.equal((await definitionOf(flowId)).steps[0].ms, 25);
        // mail reads steps.delay: moving it first is refused, at mail's form.
        const refused = await follow(client, await client.post(`/flows/${flowId}/steps/mail/move`, { form: { _csrf: csrf, direction: 'up' } }));
        assert.match(refused.text, /<details open><summary>Fields of mail<\/summary>/);
        assert.match(refused.text, /id="step-mail-subject-error">The flow is not valid: steps\[0\] \(mail\): &quot;\{\{ steps.delay.waited_ms \}\}&quot; names &quot;delay&quot;, which is not an earlier step/);
        assert.deepEqual(await stepIds(flowId), ['delay', 'mail']);
        await client.post(`/flows/${flowId}/steps/mail`, { form: { _csrf: csrf, 'p.to': 'a@example.com', 'p.subject': 'Hello', 'p.text': 'x' } });
        const moved = await client.post(`/flows/${flowId}/steps/mail/move`, { form: { _csrf: csrf, direction: 'up' } });
        assert.equal(moved.headers.get('location'), `/flows/${flowId}?done=step-moved#steps`);
        assert.deepEqual(await stepIds(flowId), ['mail', 'delay']);
        await client.get(moved.headers.get('location')!);
        assert.deepEqual(await stepIds(flowId), ['mail', 'delay'], 'a reload moves nothing');
        await client.post(`/flows/${flowId}/steps/mail/move`, { form: { _csrf: csrf, direction: 'down' } });
        assert.deepEqual(await stepIds(flowId), ['delay', 'mail']);
      });

      it('removing a step asks first (a confirmation page without script), then removes it; the last step cannot go', async () => {
        const { client, csrf, flowId } = await builtFlow();
        await client.post(`/flows/${flowId}/steps`, { form: { _csrf: csrf, type: 'delay', id: 'second', 'p.delay.ms': '1' } });
        const ask = await follow(client, await client.post(`/flows/${flowId}/steps/second/delete`, { form: { _csrf: csrf } }));
        assert.match(ask.text, /The step second \(delay\) and its fields will be removed from the flow/);
        assert.deepEqual(await stepIds(flowId), ['delay', 'second']);
        const done = await client.post(`/flows/${flowId}/steps/second/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
        assert.equal(done.headers.get('location'), `/flows/${flowId}?done=step-removed#steps`);
        assert.deepEqual(await stepIds(flowId), ['delay']);
        const last = await follow(client, await client.post(`/flows/${flowId}/steps/delay/delete`, { form: { _csrf: csrf, confirmed: 'yes' } }));
        assert.match(last.text, /A flow needs at least one step/);
        assert.deepEqual(await stepIds(flowId), ['delay']);
      });

      it("404: another account's flow and steps read as missing and nothing changes", async () => {
        const { flowId } = await builtFlow();
        const other = await s().signUp();
        const csrf = await sessionCsrf(other.client);
        for (const [path, form] of [
          [`/flows/${flowId}/steps`, { type: 'delay', 'p.delay.ms': '1' }],
          [`/flows/${flowId}/steps/delay`, { 'p.ms': '2' }],
          [`/flows/${flowId}/steps/delay/move`, { direction: 'down' }],
          [`/flows/${flowId}/steps/delay/delete`, { confirmed: 'yes' }],
          [`/flows/${flowId}/triggers`, { kind: 'event', event: 'sale' }],
        ] as const) {
          assert.equal((await other.client.post(path, { form: { _csrf: csrf, ...form } })).status, 404, path);
        }
        assert.deepEqual(await definitionOf(flowId), { name: 'Welcome', steps: [{ id: 'delay', type: 'delay', ms: 10 }] });
        assert.equal((await s().ctx.db.selectFrom('flow_triggers').select('id').where('flow_id', '=', flowId).execute()).length, 0);
      });
    });

    describe('triggers', () => {
      it('previews a schedule’s next three due times, refuses a bad cron next to its field, adds one, lists it', async () => {
        const { client, csrf, flowId } = await builtFlow();
        const page = await client.get(`/flows/${flowId}`);
        assert.match(page.text, new RegExp(`href="/flows/${flowId}/triggers/new">Add trigger</a>`));
        const preview = await follow(client, await client.post(`/flows/${flowId}/triggers`, { form: { _csrf: csrf, kind: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Berlin', action: 'preview' } }));
        assert.match(preview.location, /\/triggers\/new\?cron=0\+9\+\*\+\*\+1&timezone=Europe%2FBerlin#schedule$/);
        for (const at of ['2030-01-07T08:00:00.000Z', '2030-01-14T08:00:00.000Z', '2030-01-21T08:00:00.000Z']) assert.ok(preview.text.includes(`datetime="${at}"`), at);
        const bad = await follow(client, await client.post(`/flows/${flowId}/triggers`, { form: { _csrf: csrf, kind: 'schedule', cron: '0 25 * * *', timezone: 'UTC' } }));
        assert.match(bad.text, /id="t-cron-error">&quot;0 25 \* \* \*&quot; is not a valid cron expression: Constraint error, got value 25 expected range 0-23\.<\/p>/);
        assert.match(bad.text, /id="t-cron"[^>]*value="0 25 \* \* \*"/);
        const tz = await follow(client, await client.post(`/flows/${flowId}/triggers`, { form: { _csrf: csrf, kind: 'schedule', cron: '0 9 * * *', timezone: 'Moon/Base' } }));
        assert.match(tz.text, /id="t-timezone-error">&quot;Moon\/Base&quot; is not a timezone/);
        assert.equal((await s().ctx.db.selectFrom('flow_triggers').select('id').where('flow_id', '=', flowId).execute()).length, 0);

        const added = await client.post(`/flows/${flowId}/triggers`, { form: { _csrf: csrf, kind: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Berlin' } });
        assert.equal(added.headers.get('location'), `/flows/${flowId}?done=trigger-added#triggers`);
        const listed = await client.get(added.headers.get('location')!);
        await client.get(added.headers.get('location')!);
        assert.match(listed.text, /Trigger added\./);
        assert.match(listed.text, /On schedule <code>0 9 \* \* 1<\/code> <span class="muted">\(Europe\/Berlin\)<\/span>/);
        assert.ok(listed.text.includes('datetime="2030-01-07T08:00:00.000Z"'));
        assert.equal((await s().ctx.db.selectFrom('flow_triggers').select('id').where('flow_id', '=', flowId).execute()).length, 1, 'a reload adds nothing');
        const event = await client.post(`/flows/${flowId}/triggers`, { form: { _csrf: csrf, kind: 'event', event: 'license_rotated' } });
        assert.equal(event.status, 303);
        assert.match((await client.get(`/flows/${flowId}`)).text, /When: License rotated \(license_rotated\)/);
      });

      it('deleting a trigger asks first, naming what stops, then deletes it', async () => {
        const { client, csrf, flowId } = await builtFlow();
        await client.post(`/flows/${flowId}/triggers`, { form: { _csrf: csrf, kind: 'schedule', cron: '*/10 * * * *', timezone: 'UTC' } });
        const [row] = await s().ctx.db.selectFrom('flow_triggers').select('id').where('flow_id', '=', flowId).execute();
        const ask = await follow(client, await client.post(`/flows/${flowId}/triggers/${row!.id}/delete`, { form: { _csrf: csrf } }));
        assert.match(ask.text, /The schedule \*\/10 \* \* \* \* \(UTC\) will stop starting Welcome\. Its next due time, 2030-01-01 10:10 UTC, will not run\./);
        assert.equal((await s().ctx.db.selectFrom('flow_triggers').select('id').where('flow_id', '=', flowId).execute()).length, 1);
        const done = await client.post(`/flows/${flowId}/triggers/${row!.id}/delete`, { form: { _csrf: csrf, confirmed: 'yes' } });
        assert.equal(done.headers.get('location'), `/flows/${flowId}?done=trigger-deleted#triggers`);
        assert.equal((await s().ctx.db.selectFrom('flow_triggers').select('id').where('flow_id', '=', flowId).execute()).length, 0);
        const other = await s().signUp();
        const theirCsrf = await sessionCsrf(other.client);
        assert.equal((await other.client.get(`/flows/${flowId}/triggers/${row!.id}/delete`)).status, 404);
        assert.equal((await other.client.post(`/flows/${flowId}/triggers/${row!.id}/delete`, { form: { _csrf: theirCsrf, confirmed: 'yes' } })).status, 404);
      });
    });
  },
  { TESSERA_TRIGGERS: '0' },
);
