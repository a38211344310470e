import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, uniqueEmail, type TestServer } from '../support/harness.js';
import { startSmtpSink, textPart } from '../support/smtp-sink.js';
import { fakeClock, totpCode } from '../accounts/support.js';
import { borrowBrowser, openVisitor, returnBrowser, saveScreenshots } from './support/browser.js';
import { assertAccessible } from './support/axe.js';

/**
 * Issue 18, browser walks: sign up → enable TOTP → sign out → sign in with a code; a passkey
 * registered and used with Chromium's virtual authenticator; a password reset through the email
 * a loopback SMTP server captured. One server (SMTP set) and one browser for the file. WebAuthn
 * needs a domain, not an IP, as its relying party: the server's public URL is http://localhost.
 */
describe('Browser walks: second factors and password reset', () => {
  let server: TestServer;
  let browser: Browser;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let base: string;
  let clock: ReturnType<typeof fakeClock>;

  before(async () => {
    sink = await startSmtpSink();
    server = await startServer('sqlite', { SMTP_URL: sink.url, SMTP_FROM: 'accounts@tessera.example', TESSERA_SIGNUP: 'open' });
    base = server.url.replace('127.0.0.1', 'localhost');
    server.ctx.config.publicUrl = base;
    clock = fakeClock(server.ctx);
    browser = await borrowBrowser();
  });
  after(async () => {
    await returnBrowser(browser);
    await server?.close();
    await sink?.close();
  });

  async function signUp(page: Page, email: string, password: string) {
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${base}/`);
  }

  async function logOutAndIn(page: Page, email: string, password: string) {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  it('sign up → enable TOTP (code computed from the key shown) → sign out → sign in with a code', async () => {
    const { page } = await openVisitor(browser, base);
    const email = uniqueEmail('walk-totp');
    const password = 'walk totp passphrase';
    await signUp(page, email, password);

    await page.goto('/settings');
    await page.getByRole('link', { name: 'Security' }).first().click();
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    await assertAccessible(page, 'security page');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.waitForURL('**/settings/security/totp');
    await assertAccessible(page, 'authenticator set-up');
    assert.ok(await page.getByRole('img', { name: /QR code of the authenticator key/ }).isVisible(), 'the QR code is shown');
    const secret = (await page.locator('#totp-secret').textContent())!.replace(/\s+/g, '');
    await page.getByLabel('Code from the app').fill(totpCode(secret, clock.at));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.waitForURL('**/settings/security/recovery-codes?**');
    const codes = (await page.locator('#recovery-codes').textContent())!.trim().split('\n');
    assert.equal(codes.length, 10);
    await saveScreenshots(page, 'walk-two-factor-recovery-codes');
    await page.reload();
    await page.getByText('Already shown').waitFor();
    assert.ok(!(await page.content()).includes(codes[0]!), 'the codes are not shown again');
    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByText('on', { exact: true }).first().waitFor();

    await logOutAndIn(page, email, password);
    await page.waitForURL('**/login/second-factor');
    clock.advance(30_000); // the next code of the app (a code works once)
    await page.getByLabel('Authentication code').fill(totpCode(secret, clock.at));
    await assertAccessible(page, 'second-factor page');
    await saveScreenshots(page, 'walk-two-factor-code');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    const user = await server.ctx.db.selectFrom('users').select(['id', 'second_factor_since']).where('email', '=', email).executeTakeFirstOrThrow();
    assert.ok(user.second_factor_since);
    const session = await server.ctx.db.selectFrom('sessions').select('second_factor_at').where('user_id', '=', user.id).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.ok(session.second_factor_at, 'the session proved its second factor');

    await page.goto('/settings/sessions');
    await page.getByRole('table', { name: 'Sessions' }).getByText('this session').waitFor();
    await assertAccessible(page, 'sessions page');
  });

  it('registers a passkey with the virtual authenticator and signs in with it', async () => {
    const { context, page } = await openVisitor(browser, base);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    const email = uniqueEmail('walk-passkey');
    const password = 'walk passkey passphrase';
    await signUp(page, email, password);

    await page.goto('/settings/security');
    await page.getByLabel('Passkey name').fill('Virtual key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.waitForURL('**/settings/security/recovery-codes?**');
    await page.getByText(/Passkey “Virtual key” added/).waitFor();
    await page.getByRole('link', { name: 'Done' }).click();
    await page.getByRole('table', { name: 'Passkeys' }).getByText('Virtual key').waitFor();
    await saveScreenshots(page, 'walk-two-factor-passkeys');
    const user = await server.ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    const stored = await server.ctx.db.selectFrom('passkeys').selectAll().where('user_id', '=', user.id).execute();
    assert.equal(stored.length, 1);

    await logOutAndIn(page, email, password);
    await page.waitForURL('**/login/second-factor');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(`${base}/`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    const used = await server.ctx.db.selectFrom('passkeys').select(['last_used_at', 'counter']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    assert.ok(used.last_used_at, 'the passkey signed this sign-in');
    const audit = await server.ctx.db.selectFrom('audit_events').select('metadata').where('user_id', '=', user.id).where('action', '=', 'second_factor.verified').execute();
    assert.equal(JSON.parse(audit.at(-1)!.metadata!).method, 'passkey');
  });

  it('resets a forgotten password through the captured email', async () => {
    const email = uniqueEmail('walk-reset');
    await server.signUp(email, 'the forgotten one');
    const { page } = await openVisitor(browser, base);
    await page.goto('/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByText('If an account exists for that address').waitFor();
    await server.ctx.mail.settled();
    const mail = sink.to(email).find((m) => /Reset your Tessera password/.test(m.data));
    assert.ok(mail, 'the SMTP server got the reset email');
    const link = /(http:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]{43})/.exec(textPart(mail.data))![1]!;
    assert.ok(link.startsWith(base), 'the link names the public URL');

    await page.goto(link);
    await page.getByLabel('New password').fill('remembered at last');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.waitForURL('**/login?done=reset');
    await page.getByText('Log in with the new password').waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('remembered at last');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/`);
    await saveScreenshots(page, 'walk-two-factor-reset');
  });
});
