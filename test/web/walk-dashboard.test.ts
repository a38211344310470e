import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApplication, generateOwnerToken } from '../../src/applications/service.js';
import { createFlow } from '../../src/flows/service.js';
import { EXAMPLE_FLOW } from '../../src/web/pages/flow-editor.js';
import { startServer, type TestServer } from '../support/harness.js';
import { borrowBrowser, DESKTOP, PHONE, returnBrowser, saveScreenshots } from './support/browser.js';

const SYSTEM = { type: 'system' as const, id: null, ip: null };
const XSS = '<script>alert(1)</script>';
type Seller = Awaited<ReturnType<TestServer['signUp']>>;
type Size = { name: 'desktop' | 'phone'; viewport: { width: number; height: number } };
const SIZES: Size[] = [
  { name: 'desktop', viewport: DESKTOP },
  { name: 'phone', viewport: PHONE },
];

/**
 * Issue 15 in Chromium: the teams, webhooks, audit and navigation journeys at desktop and phone
 * sizes, reloading after every form and confirmation (nothing acts twice, secrets say "already
 * shown"), the confirmations with script (dialog) and without (page). axe-core on every
 * dashboard page at both sizes: walk-axe-desktop and walk-axe-phone (test/web/support/axe-sweep.ts).
 */
describe('Browser walk: the dashboard (teams, webhooks, audit, navigation)', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startServer('sqlite', { TESSERA_ALLOW_PRIVATE_TARGETS: '1', TESSERA_WEBHOOK_SENDER: '0' });
    browser = await borrowBrowser();
  });
  after(async () => {
    await returnBrowser(browser);
    await server?.close();
  });

  /** A browser context logged in as the seller (their session cookie), at a viewport. */
  async function visitor(seller: Seller, viewport: Size['viewport'], javaScript = true): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ baseURL: server.url, viewport, javaScriptEnabled: javaScript });
    const [name, value] = seller.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    return { context, page: await context.newPage() };
  }
  const db = () => server.ctx.db;

  async function teamsJourney(size: Size) {
    const owner = await server.signUp();
    const invitee = await server.signUp();
    const { context, page } = await visitor(owner, size.viewport);
    const guest = await visitor(invitee, size.viewport);
    try {
      await page.goto('/');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
      await page.getByLabel('Team name').fill(`${XSS} ${size.name}`);
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByText('Team created: you are its owner.').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), `Team ${XSS} ${size.name}`, 'the <script> name shows as text');
      await page.reload();
      const teams = await db().selectFrom('team_members').select('team_id').where('user_id', '=', owner.user.id).execute();
      assert.equal(teams.length, 1, 'a reload creates no second team');
      const teamId = teams[0]!.team_id;
      const invitations = () => db().selectFrom('team_invitations').select('id').where('team_id', '=', teamId).execute();

      // Invite, reload (no second invitation), cancel through the dialog.
      await page.getByLabel('Email').fill(invitee.user.email);
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByText('Invitation sent').waitFor();
      await page.reload();
      assert.equal((await invitations()).length, 1);
      await page.getByRole('button', { name: 'Cancel invitation' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(`The invitation of ${invitee.user.email}`).waitFor();
      await dialog.getByRole('button', { name: 'Cancel invitation' }).click();
      await page.getByText('Invitation cancelled.').waitFor();
      await page.reload();
      assert.equal((await invitations()).length, 0);

      // Invite again; the invitee accepts on their own Teams page and sees the team's flows.
      await page.getByLabel('Email').fill(invitee.user.email);
      await page.getByRole('button', { name: 'Send invitation' }).click();
      await page.getByText('Invitation sent').waitFor();
      const flow = await createFlow(server.ctx, owner.user.id, { team_id: teamId, definition: JSON.parse(EXAMPLE_FLOW) }, SYSTEM);
      await guest.page.goto('/teams');
      await guest.page.getByRole('button', { name: 'Accept' }).click();
      await guest.page.getByText('Invitation accepted').waitFor();
      await guest.page.reload();
      await guest.page.getByRole('link', { name: `${XSS} ${size.name}` }).click();
      await guest.page.getByRole('link', { name: 'Say hello' }).waitFor();
      assert.equal(await guest.page.getByText('Only owners and admins manage the team’s keys.').count(), 1);
      await guest.page.goto('/flows');
      assert.equal(await guest.page.locator(`a[href="/flows/${flow.id}"]`).count(), 1, 'a member sees the team flow');

      // A team key from the team page: shown once, a reload says already shown.
      await page.reload();
      await page.getByLabel('Key name').fill('Team bot');
      await page.getByRole('button', { name: /^Create key for / }).click();
      const key = await page.getByRole('textbox', { name: 'API key' }).inputValue();
      assert.match(key, /^tsr_tk_/);
      await page.reload();
      await page.getByText('Already shown').waitFor();
      assert.equal(await page.getByRole('textbox', { name: 'API key' }).count(), 0);

      // Remove the member: the dialog's Cancel removes nothing; without script, the confirmation page.
      const row = page.locator(`tr[data-member="${invitee.user.email}"]`);
      await row.getByRole('button', { name: 'Remove' }).click();
      await page.getByRole('dialog').getByText('they no longer see or run its flows').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      const role = () => db().selectFrom('team_members').select('role').where('team_id', '=', teamId).where('user_id', '=', invitee.user.id).executeTakeFirst();
      assert.equal((await role())?.role, 'member');
      const noScript = await visitor(owner, size.viewport, false);
      try {
        await noScript.page.goto(`/teams/${teamId}`);
        await noScript.page.locator(`tr[data-member="${invitee.user.email}"]`).getByRole('button', { name: 'Remove' }).click();
        await noScript.page.getByText('they no longer see or run its flows').waitFor();
        assert.equal((await role())?.role, 'member', 'the confirmation page acts on nothing');
        await noScript.page.getByRole('button', { name: 'Remove member' }).click();
        await noScript.page.getByText('Member removed.').waitFor();
        await noScript.page.reload();
        assert.equal(await role(), undefined);
      } finally {
        await noScript.context.close();
      }
      await saveScreenshots(page, `walk-dashboard-team-${size.name}`);
    } finally {
      await context.close();
      await guest.context.close();
    }
  }

  async function webhooksJourney(size: Size) {
    const seller = await server.signUp();
    const { application } = await createApplication(server.ctx, seller.user.id, { name: 'Shop backend', redirect_uri: 'http://127.0.0.1' }, SYSTEM);
    await generateOwnerToken(server.ctx, seller.user.id, application.id, { scopes: ['view_sales'], expires_in: null }, SYSTEM);
    const { context, page } = await visitor(seller, size.viewport);
    const subscriptions = () => db().selectFrom('resource_subscriptions').selectAll().where('user_id', '=', seller.user.id).where('deleted_at', 'is', null).execute();
    try {
      await page.goto('/webhooks');
      await page.getByLabel('Post URL').fill('http://127.0.0.1:9/hooks/tessera');
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const secret = await page.getByRole('textbox', { name: 'Secret of the sale webhook' }).inputValue();
      assert.match(secret, /^whsec_/);
      assert.ok(!page.url().includes('whsec_'), 'no secret in the address');
      await page.reload();
      await page.getByText('Already shown').waitFor();
      assert.equal(await page.getByRole('textbox', { name: 'Secret of the sale webhook' }).count(), 0);
      assert.equal((await subscriptions()).length, 1, 'a reload adds no second webhook');

      await page.getByRole('link', { name: 'Deliveries' }).click();
      await page.getByLabel('Old secret').selectOption('0');
      await page.getByRole('button', { name: 'Rotate signing secret' }).click();
      await page.getByRole('dialog').getByText('the receiver at http://127.0.0.1:9/hooks/tessera rejects every delivery').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Rotate signing secret' }).click();
      const rotated = await page.getByRole('textbox', { name: 'Secret of the sale webhook' }).inputValue();
      assert.notEqual(rotated, secret);
      await page.reload();
      await page.getByText('Already shown').waitFor();

      await page.getByRole('button', { name: 'Delete webhook' }).click();
      await page.getByRole('dialog').getByText('Tessera stops POSTing sale events').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      assert.equal((await subscriptions()).length, 1, 'cancel deletes nothing');
      const id = (await subscriptions())[0]!.external_id;
      await page.goto(`/webhooks/${id}/delete`);
      await page.getByText('Tessera stops POSTing sale events to http://127.0.0.1:9/hooks/tessera at once').waitFor();
      await page.getByRole('button', { name: 'Delete webhook' }).click();
      await page.getByText('Webhook deleted').waitFor();
      await page.reload();
      assert.equal((await subscriptions()).length, 0);

      // The audit log tells it in words, filtered by who.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
      await page.getByText('You rotated the signing secret of the webhook sale → http://127.0.0.1:9/hooks/tessera').waitFor();
      await page.getByLabel('Who').selectOption('system');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByText('Tessera created application “Shop backend”').waitFor();
      assert.equal(await page.getByText('You rotated').count(), 0);
      await saveScreenshots(page, `walk-dashboard-audit-${size.name}`);
    } finally {
      await context.close();
    }
  }

  for (const size of SIZES) {
    it(`teams by hand at ${size.name} size: create, invite, cancel, accept, team key, remove (dialog and page), reloads act on nothing`, () => teamsJourney(size));
    it(`webhooks at ${size.name} size: add, secret once, rotate, delete after asking; the audit log in words`, () => webhooksJourney(size));
  }

  it('phone navigation shows that it scrolls; a 404 is a page', async () => {
    const seller = await server.signUp();
    const { context, page } = await visitor(seller, PHONE);
    try {
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Main' });
      const row = nav.locator('ul');
      assert.ok(await row.evaluate((ul) => ul.scrollWidth > ul.clientWidth), 'the phone navigation overflows');
      assert.equal(await nav.getAttribute('data-more'), 'right');
      assert.equal(await nav.evaluate((el) => getComputedStyle(el, '::after').display), 'flex', 'a chevron says there is more to the right');
      await row.evaluate((ul) => ul.scrollTo({ left: ul.scrollWidth }));
      await page.waitForFunction(() => document.querySelector('.mainnav')!.getAttribute('data-more') === 'left');
      await page.goto('/settings/advanced');
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).getAttribute('aria-current'), 'page');
      const inView = await page.evaluate(() => {
        const link = document.querySelector('.mainnav [aria-current="page"]')!.getBoundingClientRect();
        return link.left >= 0 && link.right <= window.innerWidth;
      });
      assert.ok(inView, 'the current area is scrolled into view');
      const missing = await page.goto('/no/such/page');
      assert.equal(missing!.status(), 404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await page.getByRole('link', { name: 'Read the API reference' }).waitFor();
      await saveScreenshots(page, 'walk-dashboard-404');
    } finally {
      await context.close();
    }
  });
});
