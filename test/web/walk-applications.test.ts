import assert from 'node:assert/strict';
import { uniqueEmail } from '../support/harness.js';
import { PNG_1X1 } from '../support/fixtures.js';
import { browserWalk, openVisitor, saveScreenshots } from './support/browser.js';
import { licensedProduct } from './support/catalog.js';

/** The seed's own walk (issue 7, test 1), in a real browser. */
browserWalk('Browser walk: sign up → Settings → Advanced → application → access token → delete', 'creates an application, generates and copies a token that works, regenerates it and deletes the application', async ({ server, browser }) => {
  /** GET /v2/products with the token in the query string, as a seller's tool would. */
  const tryToken = (token: string) => server.client().get('/v2/products', { query: { access_token: token } });
  const { page } = await openVisitor(browser, server.url);
  const email = uniqueEmail('walk');

  await page.goto('/settings/advanced');
  assert.match(page.url(), /\/login\?next=%2Fsettings%2Fadvanced$/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/settings/advanced');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Settings → Advanced');
  const seller = await server.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const product = await licensedProduct(server, seller.id, 'Walk product');

  await page.getByLabel('Application icon').setInputFiles({ name: 'icon.png', mimeType: 'image/png', buffer: PNG_1X1 });
  await page.getByLabel('Name', { exact: true }).fill('My script');
  await page.getByLabel('Redirect URI').fill('http://127.0.0.1');
  await page.getByRole('button', { name: 'Create application' }).click();
  await page.getByText('Application created.').waitFor();
  const clientSecret = await page.getByRole('textbox', { name: 'Client secret' }).inputValue();
  assert.match(clientSecret, /^tsr_cs_/);
  const iconWidth = await page.locator('img.app-icon').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
  assert.equal(iconWidth, 1, 'the uploaded icon is served and shown');

  await page.getByRole('button', { name: 'Generate access token' }).click();
  await page.getByRole('textbox', { name: 'Your access token' }).waitFor();
  await page.locator('[data-copy="access-token"]').click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  const first = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(first, await page.getByRole('textbox', { name: 'Your access token' }).inputValue());
  assert.match(first, /^tsr_at_/);
  assert.ok((await page.locator('#curl-line').textContent())!.includes(`Authorization: Bearer ${first}`));
  await page.getByText('Generating a new token invalidates this one.').waitFor();

  const ok = await tryToken(first);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.success, true);
  assert.deepEqual(
    ok.body.products.map((p: { id: string; name: string }) => [p.id, p.name]),
    [[product.id, 'Walk product']],
  );

  await page.getByRole('button', { name: 'Generate access token' }).click();
  const ask = page.getByRole('dialog');
  await ask.getByText('will stop working at once').waitFor();
  await ask.getByRole('button', { name: 'Generate access token' }).click();
  await page.getByRole('textbox', { name: 'Your access token' }).waitFor();
  const second = await page.getByRole('textbox', { name: 'Your access token' }).inputValue();
  assert.notEqual(second, first);
  await saveScreenshots(page, 'walk-applications-token');
  assert.equal((await tryToken(first)).status, 401);
  assert.equal((await tryToken(second)).status, 200);
  await page.reload();
  await page.getByText('Already shown').waitFor();
  assert.equal((await tryToken(second)).status, 200, 'a reload generates no new token');

  await page.getByRole('button', { name: 'Delete application…' }).click();
  await page.getByRole('dialog').getByText('1 live access token will stop working at once.').waitFor();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await tryToken(second)).status, 200, 'cancel deletes nothing');
  await page.goto(page.url().replace(/\?.*$/, '') + '/delete');
  await page.getByText('1 live access token will stop working at once.').waitFor();
  await page.getByRole('button', { name: 'Delete application' }).click();
  await page.waitForURL('**/settings/advanced?deleted=1');
  await page.getByText('Application deleted. 1 access token revoked.').waitFor();
  assert.equal((await tryToken(second)).status, 401);

  await saveScreenshots(page, 'walk-applications');
});
