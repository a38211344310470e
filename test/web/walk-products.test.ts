import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import type { TestServer } from '../support/harness.js';
import { createOfferCode } from '../../src/catalog/offer-code-service.js';
import { createVariantCategory } from '../../src/catalog/variant-service.js';
import { browserWalk, DESKTOP, openVisitor, PHONE, saveScreenshots } from './support/browser.js';
import { licensedProduct } from './support/catalog.js';

const XSS = '<script>alert("x")</script>';
const SYSTEM = { type: 'system' as const, id: null, ip: null };
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core run inside the page (evaluated over the DevTools protocol, so the dashboard's CSP
 * stays as it is): the serious and critical violations, in words.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ passes: unknown[]; violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document);
    if (result.passes.length === 0) throw new Error('axe checked nothing');
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

async function assertAccessible(page: Page, label: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page), [], `${label}: axe found serious or critical violations`);
}

/** The product's row as stored. */
const productsOf = (server: TestServer, userId: string) => server.ctx.db.selectFrom('products').selectAll().where('seller_id', '=', userId).orderBy('created_at').execute();

/**
 * Issue 15 (products by hand), in Chromium at one viewport: create a draft with a <script> name,
 * add a variant, add an offer code, publish, edit, delete after the confirmation dialog (cancel
 * first); reload after every form repeats nothing; axe on every product page.
 */
async function journey(server: TestServer, page: Page, userId: string, size: 'desktop' | 'phone'): Promise<void> {
  const name = `${XSS} ${size}`;
  const before = (await productsOf(server, userId)).length;
  await page.goto('/products');
  await page.getByRole('heading', { name: 'Products and licenses' }).waitFor();
  await assertAccessible(page, `${size} /products`);

  await page.getByRole('link', { name: 'New product' }).click();
  await page.getByRole('heading', { name: 'New product' }).waitFor();
  await assertAccessible(page, `${size} /products/new`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Price (optional)', { exact: true }).fill('19.99');
  await page.getByLabel('Seats per license key').fill('3');
  await page.getByLabel('License file lifetime').selectOption({ label: '7 days' });
  await page.getByRole('button', { name: 'Create product' }).click();
  await page.getByText('Product created.').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), name, 'the <script> name is shown as text');
  await page.reload();
  await page.getByText('Product created.').waitFor();
  const rows = await productsOf(server, userId);
  assert.equal(rows.length, before + 1, 'a reload creates no second product');
  const product = rows.at(-1)!;
  assert.deepEqual([product.name, product.price, product.published, product.is_licensed], [name, 1999, 0, 1]);
  await assertAccessible(page, `${size} product page`);

  await page.getByLabel('New category').fill('Edition');
  await page.getByRole('button', { name: 'Add category' }).click();
  await page.getByText('Variant category added.').waitFor();
  const edition = page.getByRole('group', { name: 'Edition' });
  await edition.getByText('Add an option to Edition').click();
  await edition.getByLabel('Option name').fill('Studio');
  await edition.getByLabel('Price difference').fill('10');
  await edition.getByRole('button', { name: 'Add option' }).click();
  await page.getByText('Option added.').waitFor();
  await page.getByRole('group', { name: 'Edition' }).getByText('+$10').waitFor();
  await page.reload();
  const options = await server.ctx.db.selectFrom('variants').innerJoin('variant_categories', 'variant_categories.id', 'variants.variant_category_id').select('variants.name').where('variant_categories.product_id', '=', product.id).execute();
  assert.deepEqual(options.map((o) => o.name), ['Studio'], 'a reload adds no second option');

  await page.getByLabel('Code', { exact: true }).fill(`LAUNCH${size.toUpperCase()}`);
  await page.getByLabel('Discount', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Add offer code' }).click();
  await page.getByText('Offer code added.').waitFor();
  await page.getByText('$5 off').waitFor();
  await page.reload();
  const codes = await server.ctx.db.selectFrom('offer_codes').select('name').where('product_id', '=', product.id).execute();
  assert.equal(codes.length, 1, 'a reload adds no second code');
  await assertAccessible(page, `${size} product page with a variant and a code`);

  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByText('Published: its page sells it now.').waitFor();
  assert.equal((await server.client().get(`/l/${product.unique_permalink}`)).status, 200);
  await page.reload();
  await page.getByRole('button', { name: 'Unpublish' }).waitFor();

  await page.getByRole('link', { name: 'Edit product' }).click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await assertAccessible(page, `${size} edit form`);
  await page.getByLabel('Price (optional)', { exact: true }).fill('24.99');
  await page.getByLabel('Seats per license key').fill('5');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByText('Changes saved.').waitFor();
  await page.getByText('seats 5 per key; license files valid 7 days').waitFor();
  assert.equal((await productsOf(server, userId)).at(-1)!.price, 2499);
  // Both sizes of the product page (saveScreenshots goes back to the desktop size after).
  if (size === 'desktop') await saveScreenshots(page, 'walk-products');

  await page.getByRole('button', { name: 'Delete product' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('leaves your products and its page stops selling at once').waitFor();
  await assertAccessible(page, `${size} delete dialog`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await productsOf(server, userId)).at(-1)!.deleted_at, null, 'cancel deletes nothing');
  await page.getByRole('button', { name: 'Delete product' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete product' }).click();
  await page.waitForURL('**/products?done=deleted');
  await page.getByText('Product deleted.').waitFor();
  assert.notEqual((await productsOf(server, userId)).at(-1)!.deleted_at, null);
  assert.equal(await page.getByRole('link', { name }).count(), 0, 'it left the list');
  await page.reload();
  await page.getByText('Product deleted.').waitFor();
  await assertAccessible(page, `${size} /products after the delete`);
}

browserWalk(
  'Browser walk: create product → add variant → add offer code → publish → edit → delete (desktop and phone)',
  'walks the product journey at 1280 px and at 390 × 844 with axe-core checking every product page',
  async ({ server, browser }) => {
    const { user, client } = await server.signUp();
    const { context, page } = await openVisitor(browser, server.url);
    const [name, value] = client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const alerts: string[] = [];
    page.on('dialog', (d) => {
      alerts.push(d.message());
      void d.dismiss();
    });

    await page.setViewportSize(DESKTOP);
    await journey(server, page, user.id, 'desktop');
    await page.setViewportSize(PHONE);
    await journey(server, page, user.id, 'phone');
    assert.deepEqual(alerts, [], 'no script from a product name ever ran');

    assert.ok((await productsOf(server, user.id)).every((r) => r.deleted_at !== null));

    // Without script the server asks instead, on confirmation pages: accessible at both sizes too.
    const product = await licensedProduct(server, user.id, 'Confirm me');
    const category = await createVariantCategory(server.ctx, user.id, product.id, 'Size', SYSTEM);
    const code = await createOfferCode(server.ctx, user.id, product.id, { name: 'ASK', amount_cents: '100' }, SYSTEM);
    const base = `/products/${encodeURIComponent(product.id)}`;
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      for (const path of [`${base}/delete`, `${base}/variant-categories/${encodeURIComponent(category.id)}/delete`, `${base}/offer-codes/${encodeURIComponent(code.id)}/delete`]) {
        await page.goto(path);
        await page.locator('#confirm-consequence').waitFor();
        await assertAccessible(page, `${viewport.width} px ${path}`);
      }
    }
  },
);
