import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { uniqueEmail, type TestServer } from '../support/harness.js';
import { browserWalk, openVisitor } from './support/browser.js';

/**
 * Issue 11.4 in a real Chromium: a `next` that a browser would turn into another host
 * (`/<TAB>/evil.example` becomes `//evil.example`, a backslash reads as a slash, CR and LF are
 * dropped) never takes the visitor off Tessera after logging in or signing up: not through
 * GET /login when already logged in, not through POST /login or POST /signup, even with the
 * hostile value put back into the form's hidden field.
 */
const HOSTILE = ['/\t/evil.example', '/\\evil.example', '\\\\evil.example', '/\r/evil.example', '/\n/evil.example', '\t//evil.example'];

/** Every request of the context to a host other than the test server is answered by a stand-in, and recorded. */
async function watchOffsite(context: BrowserContext, origin: string): Promise<string[]> {
  const offsite: string[] = [];
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      offsite.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' });
    },
  );
  return offsite;
}

async function visitor(browser: Browser, server: TestServer) {
  const { context, page } = await openVisitor(browser, server.url);
  const offsite = await watchOffsite(context, new URL(server.url).origin);
  return { context, page, offsite };
}

/** Submits the page's form with the hostile `next` written back into its hidden field. */
async function submitWith(page: Page, next: string, email: string, password: string): Promise<void> {
  await page.locator('input[name="next"]').evaluate((input, value) => ((input as HTMLInputElement).value = value), next);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

function assertStayed(page: Page, server: TestServer, offsite: string[], what: string): void {
  assert.deepEqual(offsite, [], `${what}: the browser asked another host`);
  assert.equal(new URL(page.url()).origin, new URL(server.url).origin, `${what}: landed on ${page.url()}`);
}

browserWalk('Browser walk: no open redirect after login or sign-up', 'keeps the visitor on Tessera for every TAB, backslash, CR and LF variant of next', async ({ server, browser }) => {
  const { user, password } = await server.signUp();
  // Logged in once; GET /login?next=… then redirects at once.
  const logged = await visitor(browser, server);
  await logged.page.goto('/login');
  await submitWith(logged.page, '/', user.email, password);
  assertStayed(logged.page, server, logged.offsite, 'plain login');
  const anonymous = await visitor(browser, server);

  for (const next of HOSTILE) {
    const label = JSON.stringify(next);
    const query = `next=${encodeURIComponent(next)}`;

    // GET /login (and /signup) while logged in: the redirect stays on this origin.
    for (const path of ['/login', '/signup']) {
      await logged.page.goto(`${path}?${query}`);
      assertStayed(logged.page, server, logged.offsite, `GET ${path} logged in, next=${label}`);
    }

    // POST /login from the form the query filled in, and again with the raw value put back. Each
    // visit starts with no cookie: one context, its cookies cleared (a new context per visit
    // starts a renderer each time, which made this walk one of the suite's slowest files).
    await anonymous.context.clearCookies();
    await anonymous.page.goto(`/login?${query}`);
    await anonymous.page.getByLabel('Email').fill(user.email);
    await anonymous.page.getByLabel('Password').fill(password);
    await Promise.all([anonymous.page.waitForNavigation(), anonymous.page.keyboard.press('Enter')]);
    assertStayed(anonymous.page, server, anonymous.offsite, `POST /login, next=${label}`);

    await anonymous.context.clearCookies();
    await anonymous.page.goto('/login');
    await submitWith(anonymous.page, next, user.email, password);
    assertStayed(anonymous.page, server, anonymous.offsite, `POST /login, hidden next=${label}`);

    // POST /signup, with the raw value in its hidden field.
    await anonymous.context.clearCookies();
    await anonymous.page.goto(`/signup?${query}`);
    await submitWith(anonymous.page, next, uniqueEmail('redirect'), 'correct horse battery');
    assertStayed(anonymous.page, server, anonymous.offsite, `POST /signup, next=${label}`);
    await anonymous.page.getByRole('link', { name: /log out|sign out/i }).or(anonymous.page.locator('form[action="/logout"]')).first().waitFor();
  }
  await anonymous.context.close();
  await logged.context.close();
}, { TESSERA_SIGNUP: 'open' }); // newcomers sign up without an invitation
