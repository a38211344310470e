import assert from 'node:assert/strict';
import { createApiKey } from '../../../src/apikeys/service.js';
import { createApplication, generateOwnerToken } from '../../../src/applications/service.js';
import { createFlow } from '../../../src/flows/service.js';
import { startRun } from '../../../src/flows/start-run.js';
import { acceptInvitation, inviteMember } from '../../../src/teams/invitations.js';
import { createTeam } from '../../../src/teams/service.js';
import { EXAMPLE_FLOW } from '../../../src/web/pages/flow-editor.js';
import { createWebhooks } from '../../../src/webhooks/dashboard-service.js';
import type { TestServer } from '../../support/harness.js';
import { assertAccessible } from './axe.js';
import { browserWalk } from './browser.js';
import { licensedProduct, purchase } from './catalog.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };
const XSS = '<script>alert(1)</script>';

/** A seller with one of everything (names carrying a <script>), and every dashboard page that shows it. */
async function seedEveryPage(server: TestServer) {
  const member = await server.signUp();
  const seller = await server.signUp();
  const userId = seller.user.id;
  const { application } = await createApplication(server.ctx, userId, { name: `App ${XSS}`, redirect_uri: 'http://127.0.0.1' }, SYSTEM);
  await generateOwnerToken(server.ctx, userId, application.id, { scopes: ['view_sales'], expires_in: null }, SYSTEM);
  const product = await licensedProduct(server, userId, `Product ${XSS}`);
  const sale = await purchase(server, userId, product.id, 'buyer@example.com');
  const flow = await createFlow(server.ctx, userId, { definition: JSON.parse(EXAMPLE_FLOW) }, SYSTEM);
  const { run } = await startRun(server.ctx, { owner: { type: 'user', id: userId }, flowId: flow.id, userId, apiKeyId: null, inputs: {} });
  const { key } = await createApiKey(server.ctx, userId, { name: `Key ${XSS}`, scopes: ['flows:run'] }, SYSTEM);
  const team = await createTeam(server.ctx, userId, { name: `Team ${XSS}` }, SYSTEM);
  const invitation = await inviteMember(server.ctx, userId, team.id, { email: member.user.email }, SYSTEM);
  await acceptInvitation(server.ctx, member.user, invitation.id, SYSTEM);
  const pending = await inviteMember(server.ctx, userId, team.id, { email: 'later@example.com' }, SYSTEM);
  const [webhook] = await createWebhooks(server.ctx, userId, { application_id: application.id, post_url: 'http://127.0.0.1:9/hook', resources: ['sale'] }, SYSTEM);
  const app = `/settings/advanced/applications/${application.id}`;
  const pages = [
    '/',
    '/settings',
    '/settings/advanced',
    app,
    `${app}/secret`,
    `${app}/token`,
    `${app}/delete`,
    '/api-keys',
    `/api-keys/${key.id}/regenerate`,
    `/api-keys/${key.id}/revoke`,
    '/settings/authorized-applications',
    '/settings/security',
    '/products',
    '/products/new',
    `/products/${product.id}`,
    `/products/${product.id}/edit`,
    `/products/${product.id}/delete`,
    '/sales',
    '/licenses',
    `/licenses/${sale.license_id}/activations`,
    `/licenses/${sale.license_id}/rotate`,
    `/licenses/${sale.license_id}/reset`,
    '/flows',
    '/flows/new',
    `/flows/${flow.id}`,
    `/flows/${flow.id}/webhook`,
    `/flows/${flow.id}/runs/${run.id}`,
    `/flows/${flow.id}/delete`,
    '/webhooks',
    `/webhooks/${webhook!.id}`,
    `/webhooks/${webhook!.id}/rotate`,
    `/webhooks/${webhook!.id}/delete`,
    '/teams',
    `/teams/${team.id}`,
    `/teams/${team.id}/members/${member.user.id}/remove`,
    `/teams/${team.id}/invitations/${pending.id}/cancel`,
    '/audit',
    '/no/such/page',
  ];
  return { seller, member, team, pages };
}

/**
 * Issue 15's accessibility sweep at one viewport: axe-core on every dashboard page, on a
 * destructive action's dialog and on the logged-out pages, with no serious or critical
 * violation; and no name's <script> ran into any page. One file per size (walk-axe-desktop,
 * walk-axe-phone), so the two sweeps run side by side.
 */
export function axeSweep(size: { name: string; viewport: { width: number; height: number } }): void {
  browserWalk(
    `Browser walk: axe-core on every dashboard page at ${size.name} size`,
    `axe-core: no serious or critical violation on any dashboard page, at ${size.name} size`,
    async ({ server, browser }) => {
      const { seller, member, team, pages } = await seedEveryPage(server);
      const context = await browser.newContext({ baseURL: server.url, viewport: size.viewport });
      const [name, value] = seller.client.cookie!.split('=') as [string, string];
      await context.addCookies([{ name, value, url: server.url }]);
      const page = await context.newPage();
      try {
        for (const path of pages) {
          const res = await page.goto(path);
          assert.equal(res!.status(), path === '/no/such/page' ? 404 : 200, `${path} answers`);
          assert.equal(await page.locator('script:not([src])').count(), 0, `${path}: no <script> from a name ran into the page`);
          await assertAccessible(page, `${size.name} ${path}`);
        }
        // The logged-out pages, and the dialog of a destructive action.
        await page.goto(`/teams/${team.id}`);
        await page.locator(`tr[data-member="${member.user.email}"]`).getByRole('button', { name: 'Remove' }).click();
        await page.getByRole('dialog').waitFor();
        await assertAccessible(page, `${size.name} the confirmation dialog`);
        await context.clearCookies();
        for (const path of ['/login', '/signup', '/password/forgot']) {
          assert.equal((await page.goto(path))!.status(), 200, path);
          await assertAccessible(page, `${size.name} ${path}`);
        }
      } finally {
        await context.close();
      }
    },
    { TESSERA_ALLOW_PRIVATE_TARGETS: '1', TESSERA_WEBHOOK_SENDER: '0' },
  );
}
