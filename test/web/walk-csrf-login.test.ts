import assert from 'node:assert/strict';
import { browserWalk, openVisitor, saveScreenshots } from './support/browser.js';

/** Issue 7, test 4: a logged-out visitor is sent to login; a CSRF-less form post is refused. */
browserWalk('Browser walk: logged-out redirect and CSRF refusal', 'sends a logged-out visitor to login and back, then refuses a form stripped of its CSRF token', async ({ server, browser }) => {
  const { user, password } = await server.signUp();
  const { page } = await openVisitor(browser, server.url);

  await page.goto('/audit?action=session.');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/audit?action=session.');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/audit?action=session.');
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  assert.ok((await page.locator('table[aria-label="Audit events"] code').allTextContents()).every((a) => a.startsWith('session.')));

  await page.goto('/settings/advanced');
  await page.getByLabel('Name', { exact: true }).fill('Forged');
  await page.getByLabel('Redirect URI').fill('http://127.0.0.1');
  await page.locator('form[aria-label="Create application"] input[name="_csrf"]').evaluate((input) => input.remove());
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Create application' }).click(),
  ]);
  assert.equal(response.status(), 403);
  await page.getByText('This form has expired or did not come from Tessera').waitFor();
  const stored = await server.ctx.db.selectFrom('applications').select('id').where('owner_id', '=', user.id).execute();
  assert.equal(stored.length, 0);

  await saveScreenshots(page, 'walk-csrf-login');
});
