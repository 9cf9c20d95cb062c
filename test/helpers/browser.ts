// Headless Chromium for the dashboard's browser tests: the system's chromium (Debian's package; .ci/run
// installs it) driven by playwright-core, which downloads no browser of its own.
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PWBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts the browser, or says plainly what is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`headless Chromium is missing at ${CHROMIUM} (on Debian: apt-get install chromium; .ci/run installs it), or set PWBRIDGE_CHROMIUM to its path`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * Collects a page's script errors and console errors into `errors`, for a test that checks none happened.
 * The 4xx answers the tests provoke on purpose log a console error of their own; those are not counted.
 */
export function collectErrors(page: Page, errors: string[]): void {
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (400|401|403)/.test(m.text())) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
}

/** A new browser context logged in to the hub at `url` as `name`, its errors collected into `errors`. */
export async function logInAs(browser: Browser, url: string, name: string, password: string, errors: string[],
  options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...options });
  const page = await context.newPage();
  collectErrors(page, errors);
  await page.goto(url);
  await page.getByLabel('User', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText(new RegExp(`^${name} \\((admin|operator|viewer)\\)$`)).waitFor();
  return page;
}
