import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TestServer } from '../support/harness.js';
import { assertAccessible } from './support/axe.js';
import { browserWalk, DESKTOP, openVisitor, PHONE, saveScreenshots } from './support/browser.js';

const flowsOf = (server: TestServer, userId: string) => server.ctx.db.selectFrom('flows').selectAll().where('created_by', '=', userId).orderBy('created_at').execute();
const stepIdsOf = async (server: TestServer, flowId: string) =>
  (JSON.parse((await server.ctx.db.selectFrom('flows').select('definition').where('id', '=', flowId).executeTakeFirstOrThrow()).definition) as { steps: { id: string }[] }).steps.map((s) => s.id);
const triggersOf = (server: TestServer, flowId: string) => server.ctx.db.selectFrom('flow_triggers').selectAll().where('flow_id', '=', flowId).execute();

/**
 * Issue 15 item 8 in Chromium at one viewport: build a flow with the step editor (no JSON), add
 * and reorder steps, see a refusal at its field, add a schedule trigger after previewing its due
 * times, delete it after the dialog (cancel first). A reload after each form repeats nothing.
 */
async function journey(server: TestServer, page: Page, userId: string, size: 'desktop' | 'phone'): Promise<void> {
  const name = `Welcome mail ${size}`;
  await page.goto('/flows/new');
  await page.getByRole('heading', { name: 'Build with forms' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.locator('#new-type').selectOption('send_email');
  assert.equal(await page.locator('fieldset[data-step-type="send_email"]').isVisible(), true, 'choosing a type shows its fields at once');
  assert.equal(await page.locator('fieldset[data-step-type="http_request"]').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Show its fields' }).isVisible(), false, 'the no-script button is hidden');
  await assertAccessible(page, `${size} /flows/new`);
  await page.locator('#new-send_email-to').fill('buyer@example.com');
  await page.locator('#new-send_email-subject').fill('Thanks');
  await page.locator('#new-send_email-text').fill('Welcome aboard.');
  await page.getByRole('button', { name: 'Create flow', exact: true }).click();
  await page.getByText('Flow created.').waitFor();
  const flow = (await flowsOf(server, userId)).at(-1)!;
  assert.equal(flow.name, name);
  await page.reload();
  assert.equal((await flowsOf(server, userId)).filter((f) => f.name === name).length, 1, 'a reload creates nothing');
  await assertAccessible(page, `${size} flow page`);

  // Add a step; a refused value is shown at its field, the typed values kept.
  const add = page.getByRole('form', { name: 'Add a step' });
  await add.locator('#add-type').selectOption('delay');
  await add.locator('#add-id').fill('pause');
  await add.locator('#add-delay-ms').fill('soon');
  await add.getByRole('button', { name: 'Add step' }).click();
  await page.locator('#add-delay-ms-error').getByText('ms must be integer').waitFor();
  assert.equal(await page.locator('#add-delay-ms').inputValue(), 'soon');
  assert.deepEqual(await stepIdsOf(server, flow.id), ['send_email']);
  await page.locator('#add-delay-ms').fill('5');
  await page.getByRole('form', { name: 'Add a step' }).getByRole('button', { name: 'Add step' }).click();
  await page.getByText('Step added.').waitFor();
  await page.reload();
  assert.deepEqual(await stepIdsOf(server, flow.id), ['send_email', 'pause'], 'added once');

  await page.getByRole('button', { name: 'Move pause up' }).click();
  await page.getByText('Step moved.').waitFor();
  assert.deepEqual(await stepIdsOf(server, flow.id), ['pause', 'send_email']);
  await page.reload();
  assert.deepEqual(await stepIdsOf(server, flow.id), ['pause', 'send_email'], 'a reload moves nothing');
  assert.equal(await page.locator('li.step-card').first().getAttribute('data-step'), 'pause');
  if (size === 'desktop') await saveScreenshots(page, 'walk-flow-builder-steps');

  // Add Trigger, beside Webhook.
  const header = page.locator('.page-header .actions');
  assert.ok(await header.getByRole('link', { name: 'Webhook', exact: true }).isVisible());
  await header.getByRole('link', { name: 'Add trigger' }).click();
  await page.getByRole('heading', { name: 'On a schedule' }).waitFor();
  await page.getByLabel('Cron expression').fill('*/15 * * * *');
  await page.getByLabel('Timezone').fill('Europe/Berlin');
  await page.getByRole('button', { name: 'Show next due times' }).click();
  await page.locator('#t-preview').waitFor();
  assert.equal(await page.locator('#t-preview li').count(), 3, 'the next three due times');
  await assertAccessible(page, `${size} add trigger`);
  await page.getByRole('button', { name: 'Add schedule' }).click();
  await page.getByText('Trigger added.').waitFor();
  const row = page.locator('tr[data-trigger]');
  await row.getByText('*/15 * * * *').waitFor();
  assert.equal(await row.locator('time').count(), 3, 'the list shows the next due times');
  await page.reload();
  assert.equal((await triggersOf(server, flow.id)).length, 1, 'a reload adds nothing');
  if (size === 'desktop') await saveScreenshots(page, 'walk-flow-builder-triggers');

  await row.getByRole('button', { name: 'Delete trigger' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('will stop starting').waitFor();
  await assertAccessible(page, `${size} delete trigger dialog`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await triggersOf(server, flow.id)).length, 1, 'cancel deletes nothing');
  await row.getByRole('button', { name: 'Delete trigger' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete trigger' }).click();
  await page.getByText('Trigger deleted.').waitFor();
  assert.equal((await triggersOf(server, flow.id)).length, 0);
  await page.reload();
  await page.getByText('Trigger deleted.').waitFor();
  assert.equal(await page.locator('tr[data-trigger]').count(), 0);
}

browserWalk(
  'Browser walk: a flow built with the step editor, reordered, a schedule trigger added and deleted (desktop and phone)',
  'builds, reorders, adds and deletes a trigger at 1280 px and at 390 × 844, axe-core on each page',
  async ({ server, browser }) => {
    const { user, client } = await server.signUp();
    const { context, page } = await openVisitor(browser, server.url);
    const [cookie, value] = client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name: cookie, value, url: server.url }]);
    await page.setViewportSize(DESKTOP);
    await journey(server, page, user.id, 'desktop');
    await page.setViewportSize(PHONE);
    await journey(server, page, user.id, 'phone');
  },
);
