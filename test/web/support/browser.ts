import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type TestServer } from '../../support/harness.js';

/** Debian's chromium (CI installs the same package); CHROMIUM_PATH overrides it. */
const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/**
 * A headless chromium. Playwright's launch gives every browser a fresh temporary profile
 * (user-data-dir) and removes it on close.
 */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
}

/**
 * One chromium per test process, lent to each walk in turn: a shard runs its files one after
 * another, and a launch costs about a second of CPU. What a walk opens lives in browser contexts
 * (each with its own cookies, storage and cache), and returnBrowser closes every one of them, so
 * the next walk gets a browser holding nothing. A browser that died is launched again. The process
 * closes it after its last test.
 */
let shared: Promise<Browser> | undefined;
after(async () => {
  const browser = await shared?.catch(() => undefined);
  shared = undefined;
  await browser?.close();
});

export async function borrowBrowser(): Promise<Browser> {
  const browser = await shared?.catch(() => undefined);
  if (browser?.isConnected()) {
    // The walk before this one returned it empty (returnBrowser in its after).
    if (browser.contexts().length > 0) throw new Error('the shared chromium still holds a context of an earlier walk: call returnBrowser in its after');
    return browser;
  }
  shared = launchBrowser();
  return shared;
}

/** Closes every context the walk opened (its pages with them); the browser stays for the next walk. */
export async function returnBrowser(browser: Browser | undefined): Promise<void> {
  await Promise.all(browser?.contexts().map((context) => context.close()) ?? []);
}

/** A browser context for one visitor against the test server, clipboard allowed. */
export async function openVisitor(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  return { context, page };
}

/** Saves the page as test-results/<name>.png (desktop) and <name>-phone.png (phone width). */
export async function saveScreenshots(page: Page, name: string): Promise<void> {
  const dir = path.resolve('test-results');
  fs.mkdirSync(dir, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(dir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

/**
 * One browser walk: its own server (SQLite), started before and closed after, the shared
 * chromium, and a single test that gets both (`env`: the server's settings, if any).
 */
export function browserWalk(title: string, name: string, walk: (env: { server: TestServer; browser: Browser }) => Promise<void>, env: Record<string, string> = {}): void {
  describe(title, () => {
    let server: TestServer | undefined;
    let browser: Browser | undefined;
    before(async () => {
      server = await startServer('sqlite', env);
      browser = await borrowBrowser();
    });
    after(async () => {
      await returnBrowser(browser);
      await server?.close();
    });
    it(name, () => walk({ server: server!, browser: browser! }));
  });
}
