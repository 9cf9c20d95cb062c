// The users dialog and two-factor sign-in in the dashboard, in headless Chromium driven by playwright-core,
// against a real hub over HTTPS (in this process, on SQLite and PostgreSQL) on an injected clock. An admin
// adds a user, changes their role, disables and enables them and resets their password to one the hub
// generates (shown once, and it logs in). That user sets up two-factor sign-in from the page (the key
// shown, a code from it turns it on), logs out, and logging in asks for the code: a wrong one is refused
// and counted like a wrong password, the right one logs in. On a hub with --require-mfa an admin without a
// second factor is sent to set it up at once.
//
// A missing browser is a failure, not a skip (as in dashboard.browser.test.ts).
import { strict as assert } from 'node:assert';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { userThrottleKey } from '../../src/hub/login-throttle';
import { TOTP_STEP_MS, totpAt, totpStep } from '../../src/hub/totp';
import { fromBase32 } from '../helpers/base32';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const UMA = 'uma';
const UMA_PW = 'Uma-Pw-canary-0a7c55';
const T0 = 1_900_000_015_000;

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: users and two-factor sign-in (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let strict: TestHub;
    let browser: Browser;
    let clock = T0;

    async function logIn(page: Page, origin: string, name: string, password: string): Promise<void> {
      await page.goto(`${origin}/`);
      await page.getByLabel('User', { exact: true }).fill(name);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
    }
    const loggedIn = (page: Page, name: string) => page.getByText(new RegExp(`^${name} \\((admin|operator|viewer)\\)$`)).waitFor();
    const failures = async (name: string) => {
      const rows = await t.hub.store.sql.all<{ failures: number }>('SELECT failures FROM hub_login_failures WHERE key = $1', [userThrottleKey(name)]);
      return rows.length ? Number(rows[0].failures) : 0;
    };

    before(async () => {
      t = await startTestHub(engine, { now: () => clock });
      strict = await startTestHub(engine, { now: () => clock, requireMfa: true });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await t?.close();
      await strict?.close();
    });

    let generated = '';

    it('an admin adds a user, changes the role, disables and enables them, and resets the password to a generated one', async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await logIn(page, t.hub.url, ADMIN, ADMIN_PASSWORD);
      await loggedIn(page, ADMIN);
      await page.getByRole('button', { name: 'Users' }).click();
      const dialog = page.getByRole('dialog', { name: 'Users' });
      const form = dialog.locator('#user-add-form');
      await form.getByLabel('Name').fill(UMA);
      await form.locator('select[name="role"]').selectOption('operator');
      await form.getByLabel('Password (12 or more characters)').fill(UMA_PW);
      await dialog.getByRole('button', { name: 'Add user' }).click();
      await dialog.getByText(`User ${UMA} added.`).waitFor();
      const row = dialog.locator(`tr[data-user="${UMA}"]`);
      await row.getByLabel(`Role: ${UMA}`).selectOption('viewer');
      await dialog.getByText(new RegExp(`^Role of ${UMA}`)).waitFor({ timeout: 10_000 });
      assert.equal(await page.locator('#users-message').textContent(), `Role of ${UMA}: done.`);
      const admin = t.client(await t.token());
      const listed = async () => ((await admin.request('GET', '/api/users')).body.users as any[]).find((u) => u.name === UMA); // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.equal((await listed()).role, 'viewer');
      await row.getByRole('button', { name: `Disable ${UMA}` }).click();
      await dialog.locator(`tr[data-user="${UMA}"] td`, { hasText: /^disabled$/ }).waitFor();
      assert.equal((await listed()).disabled, true);
      await dialog.getByRole('button', { name: `Enable ${UMA}` }).click();
      await dialog.locator(`tr[data-user="${UMA}"] td`, { hasText: /^enabled$/ }).waitFor();
      await dialog.getByRole('button', { name: `Reset password: ${UMA}` }).click();
      await dialog.getByText(/shown below this once/).waitFor();
      generated = (await page.locator('#users-password-value').textContent()) ?? '';
      assert.match(generated, /^[A-Za-z0-9]{24}$/);
      assert.equal((await t.login(UMA, UMA_PW)).status, 401, 'the old password no longer logs in');
      assert.equal((await t.login(UMA, generated)).status, 200, 'the generated one does');
      // The last admin stays: the refusal is said in the dialog.
      await dialog.getByRole('button', { name: `Disable ${ADMIN}` }).click();
      await dialog.getByText(/last enabled admin/).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      assert.equal(await page.locator('#users-password-value').textContent(), '', 'the password is gone from the page once closed');
      assert.deepEqual(errors, []);
      await context.close();
    });

    it('a user sets up two-factor sign-in; the next login asks for the code, refusing and counting a wrong one', async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await logIn(page, t.hub.url, UMA, generated);
      await loggedIn(page, UMA);
      assert.equal(await page.getByRole('button', { name: 'Users' }).isVisible(), false, 'a viewer has no Users button');
      await page.getByRole('button', { name: 'Two-factor sign-in' }).click();
      const dialog = page.getByRole('dialog', { name: 'Two-factor sign-in' });
      await dialog.getByText('Two-factor sign-in is off.').waitFor();
      await dialog.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      await dialog.getByLabel('Code').waitFor(); // shown once the key is in the page
      const shown = ((await page.locator('#mfa-secret-value').textContent()) ?? '').replace(/\s+/g, '');
      assert.match(shown, /^[A-Z2-7]{32}$/);
      assert.equal(new URL((await page.locator('#mfa-uri').getAttribute('href'))!).searchParams.get('secret'), shown);
      const secret = fromBase32(shown);
      await dialog.getByLabel('Code').fill(totpAt(secret, totpStep(clock) + 7));
      await dialog.getByRole('button', { name: 'Turn on' }).click();
      await dialog.getByText(/^wrong code/).waitFor();
      await dialog.getByLabel('Code').fill(totpAt(secret, totpStep(clock)));
      await dialog.getByRole('button', { name: 'Turn on' }).click();
      await dialog.getByText(/Two-factor sign-in is on: each login/).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'Log out' }).click();

      clock += TOTP_STEP_MS;
      await logIn(page, t.hub.url, UMA, generated);
      await page.getByText('Enter your password again, with the code from your authenticator app.').waitFor();
      const before = await failures(UMA);
      await page.getByLabel('Password', { exact: true }).fill(generated);
      await page.getByLabel('Code from your authenticator app').fill(totpAt(secret, totpStep(clock) + 5));
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText('wrong second-factor code').waitFor();
      assert.equal(await failures(UMA), before + 1, 'the wrong code is counted like a wrong password');
      await page.getByLabel('Password', { exact: true }).fill(generated);
      await page.getByLabel('Code from your authenticator app').fill(totpAt(secret, totpStep(clock)));
      await page.getByRole('button', { name: 'Log in' }).click();
      await loggedIn(page, UMA);
      assert.equal(await failures(UMA), 0);
      await context.close();
    });

    it('on a hub with --require-mfa an admin without a second factor is sent to set it up', async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await logIn(page, strict.hub.url, ADMIN, ADMIN_PASSWORD);
      const dialog = page.getByRole('dialog', { name: 'Two-factor sign-in' });
      await dialog.getByText(/requires admins to use two-factor sign-in/).waitFor();
      await page.getByText(/enrol one first/).first().waitFor();
      await dialog.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      await dialog.getByLabel('Code').waitFor(); // shown once the key is in the page
      const secret = fromBase32(((await page.locator('#mfa-secret-value').textContent()) ?? '').replace(/\s+/g, ''));
      await dialog.getByLabel('Code').fill(totpAt(secret, totpStep(clock)));
      await dialog.getByRole('button', { name: 'Turn on' }).click();
      await dialog.getByText(/Two-factor sign-in is on: each login/).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'Users' }).click();
      await page.getByRole('dialog', { name: 'Users' }).locator(`tr[data-user="${ADMIN}"] td`, { hasText: /^on$/ }).waitFor();
      await context.close();
    });
  });
}
