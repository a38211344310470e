import assert from 'node:assert/strict';
import { uniqueEmail } from '../support/harness.js';
import { licensedProduct, purchase, verify } from './support/catalog.js';
import { browserWalk, openVisitor, saveScreenshots } from './support/browser.js';

/** Issue 7, test 2: the support walk, in a real browser. */
browserWalk('Browser walk: find a license by buyer email → rotate it', 'rotates the key found by email: the old key fails verify, the new one passes with the same uses', async ({ server, browser }) => {
  const { user, password } = await server.signUp();
  const product = await licensedProduct(server, user.id);
  const buyer = uniqueEmail('buyer');
  const sale = await purchase(server, user.id, product.id, buyer);
  await verify(server, product.id, sale.license_key);
  await verify(server, product.id, sale.license_key);

  const { page } = await openVisitor(browser, server.url);
  await page.goto('/products');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/products');

  await page.getByLabel('Find a license by key or buyer email').fill(buyer);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('1 sale found.').waitFor();
  const row = page.locator(`tr[data-sale="${sale.id}"]`);
  assert.equal(await row.locator('td[data-label="Uses"]').textContent(), '2');
  const revealed = row.locator('code.revealed');
  assert.equal(await revealed.isVisible(), false, 'the key is masked until revealed');
  await row.getByRole('button', { name: 'Reveal' }).click();
  assert.equal(await revealed.isVisible(), true);
  assert.equal(await revealed.textContent(), sale.license_key);

  await row.getByRole('button', { name: 'Rotate key' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('will stop verifying').waitFor();
  await dialog.getByRole('button', { name: 'Rotate key' }).click();
  await page.getByText('License key rotated').waitFor();
  await page.reload();
  await page.getByText('License key rotated').waitFor();
  const rotatedRow = page.locator(`tr[data-sale="${sale.id}"]`);
  await rotatedRow.getByRole('button', { name: 'Reveal' }).click();
  const newKey = (await rotatedRow.locator('code.revealed').textContent())!;
  assert.notEqual(newKey, sale.license_key);
  assert.match(newKey, /^[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}-[0-9A-F]{8}$/);

  const old = await verify(server, product.id, sale.license_key, false);
  assert.equal(old.status, 404);
  assert.equal(old.body.success, false);
  const fresh = await verify(server, product.id, newKey, false);
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.success, true);
  assert.equal(fresh.body.uses, 2);

  await saveScreenshots(page, 'walk-support');
});
