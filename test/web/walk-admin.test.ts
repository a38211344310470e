import assert from 'node:assert/strict';
import { uniqueEmail } from '../support/harness.js';
import { SECRET_LOG } from '../support/client.js';
import { assertAccessible } from './support/axe.js';
import { browserWalk, openVisitor, saveScreenshots } from './support/browser.js';

const PASSWORD = 'a long enough passphrase';

/** Issue 18.1: the instance owner's walk, in a real browser. */
browserWalk(
  'Browser walk: owner invites → invitee signs up through the link → owner disables them → their session is refused',
  'invites by email, the invitee signs up once through the link, and after the owner confirms the disable, the invitee is signed out',
  async ({ server, browser }) => {
    // The server's first account: its owner.
    const owner = await openVisitor(browser, server.url);
    await owner.page.goto('/signup');
    await owner.page.getByText('This is the first account on this server').waitFor();
    await owner.page.getByLabel('Email').fill(uniqueEmail('walkowner'));
    await owner.page.getByLabel('Password').fill(PASSWORD);
    await owner.page.getByRole('button', { name: 'Sign up' }).click();
    await owner.page.getByRole('heading', { name: 'Overview' }).waitFor();

    await owner.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await owner.page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    await assertAccessible(owner.page, 'admin page');
    const inviteeEmail = uniqueEmail('walkinvitee');
    await owner.page.getByLabel('Email to invite').fill(inviteeEmail);
    await owner.page.getByRole('button', { name: 'Send invitation' }).click();
    await owner.page.getByRole('heading', { name: `Invitation for ${inviteeEmail}` }).waitFor();
    const link = await owner.page.getByRole('textbox', { name: 'Invitation link' }).inputValue();
    SECRET_LOG.add(link);
    assert.match(link, /\/signup\?invitation=tsr_iv_/);
    await saveScreenshots(owner.page, 'walk-admin-invitation');

    // The invitee opens the link in a browser of their own.
    const invitee = await openVisitor(browser, server.url);
    await invitee.page.goto(link);
    await invitee.page.getByText(`Invitation for ${inviteeEmail}`).waitFor();
    assert.equal(await invitee.page.getByLabel('Email').inputValue(), inviteeEmail);
    await invitee.page.getByLabel('Password').fill(PASSWORD);
    await invitee.page.getByRole('button', { name: 'Sign up' }).click();
    await invitee.page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(await invitee.page.getByRole('link', { name: 'Admin' }).count(), 0, 'an invitee is no owner');

    // The link worked once.
    const other = await openVisitor(browser, server.url);
    await other.page.goto(link);
    await other.page.getByText('This invitation link is not valid any more').waitFor();
    await other.context.close();

    // The owner finds the invitee and disables them, after the dialog.
    await owner.page.goto('/admin');
    await owner.page.getByLabel('Search by email').fill(inviteeEmail);
    await owner.page.getByRole('button', { name: 'Search' }).click();
    await owner.page.getByRole('link', { name: inviteeEmail }).click();
    await owner.page.getByRole('heading', { name: inviteeEmail }).waitFor();
    await assertAccessible(owner.page, 'account page');
    await owner.page.getByRole('button', { name: 'Disable account' }).click();
    const dialog = owner.page.getByRole('dialog');
    await dialog.getByText(`${inviteeEmail} is signed out at once`).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await invitee.page.reload();
    await invitee.page.getByRole('heading', { name: 'Overview' }).waitFor();
    await owner.page.getByRole('button', { name: 'Disable account' }).click();
    await owner.page.getByRole('dialog').getByRole('button', { name: 'Disable account' }).click();
    await owner.page.getByText('Account disabled: its sessions, tokens and API keys are refused from now on.').waitFor();
    await saveScreenshots(owner.page, 'walk-admin-disabled');

    // The invitee's very next request is refused: back to the login page, where the password says why.
    await invitee.page.reload();
    await invitee.page.waitForURL('**/login**');
    await invitee.page.getByLabel('Email').fill(inviteeEmail);
    await invitee.page.getByLabel('Password').fill(PASSWORD);
    await invitee.page.getByRole('button', { name: 'Log in' }).click();
    await invitee.page.getByText('This account is disabled.').waitFor();
    const stored = await server.ctx.db.selectFrom('users').select('disabled_at').where('email', '=', inviteeEmail).executeTakeFirstOrThrow();
    assert.ok(stored.disabled_at);
  },
);
