import assert from 'node:assert/strict';
import { uniqueEmail } from '../support/harness.js';
import { browserWalk, openVisitor, saveScreenshots } from './support/browser.js';

/** Issue 7, test 3: the API key walk, in a real browser. */
browserWalk('Browser walk: team key → flow started through the API → run reaches DONE', 'creates a team key and a team flow, starts it with the key, and watches the run history reach DONE', async ({ server, browser }) => {
  const { page } = await openVisitor(browser, server.url);
  await page.goto('/signup');
  await page.getByLabel('Email').fill(uniqueEmail('flows'));
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API keys' }).click();
  await page.getByLabel('Team name').fill('Support');
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.getByText('Team created: you are its owner.').waitFor();
  const apiUserId = await page.getByRole('textbox', { name: 'Your user_id for the flows API' }).inputValue();
  const team = page.getByRole('region', { name: 'Team Support' });
  const teamId = (await team.locator('code').first().textContent())!;
  await team.getByLabel('Key name').fill('Team automation');
  await team.getByRole('button', { name: 'Create key for Support' }).click();
  await page.getByRole('heading', { name: 'New key: Team automation' }).waitFor();
  const teamKey = await page.getByRole('textbox', { name: 'API key' }).inputValue();
  assert.match(teamKey, /^tsr_tk_/);
  await page.reload();
  await page.getByText('Already shown').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'API key' }).count(), 0, 'a reload does not show the key again');
  await saveScreenshots(page, 'walk-flows-api-keys');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Flows' }).click();
  await page.getByRole('link', { name: 'New flow' }).click();
  const fromJson = page.getByRole('region', { name: 'Or write its JSON' });
  await fromJson.getByLabel('Owner').selectOption({ label: 'Team Support' });
  await fromJson.getByRole('button', { name: 'Create flow from JSON' }).click();
  await page.getByRole('heading', { name: 'Say hello' }).waitFor();
  const flowId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);

  await page.getByRole('link', { name: 'Webhook', exact: true }).click();
  await page.getByRole('button', { name: 'Use this key' }).click();
  await page.getByLabel("The key's secret").fill(teamKey);
  await page.getByRole('button', { name: 'Fill in the key' }).click();
  const triggerUrl = await page.getByRole('textbox', { name: 'Trigger URL', exact: true }).inputValue();
  assert.ok(triggerUrl.includes(`user_id=${encodeURIComponent(apiUserId)}`) && triggerUrl.includes(`api_key=${teamKey}`), triggerUrl);
  await page.getByRole('tab', { name: 'Python' }).click();
  assert.ok((await page.locator('#snippet-python-url').textContent())!.includes(`api_key=${teamKey}`));
  assert.equal(await page.locator('#snippet-python-header').isVisible(), false);
  await page.getByLabel('Send the key in the Authorization header instead of the URL').check();
  const python = (await page.locator('#snippet-python-header').textContent())!;
  assert.ok(python.includes(`"Authorization": "Bearer ${teamKey}"`) && !python.includes('api_key='));
  await saveScreenshots(page, 'walk-flows-webhook');

  const started = await server.client().post('/api/v1/start_pipeline', {
    json: { user_id: apiUserId, project_id: teamId, saved_item_id: flowId, who: 'Ada' },
    headers: { authorization: `Bearer ${teamKey}` },
  });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const runId = started.body.run_id as string;

  await page.goto(`/flows/${encodeURIComponent(flowId)}`);
  await page.locator(`tr[data-run="${runId}"] a`).click();
  await page.locator('#run-state').getByText('DONE').waitFor({ timeout: 30_000 });
  assert.match((await page.locator('#run-outputs').textContent())!, /"greeting": "Hello, Ada!"/);
  assert.match((await page.locator('#run-log').textContent())!, /waited 10 ms/);

  await saveScreenshots(page, 'walk-flows');
});
