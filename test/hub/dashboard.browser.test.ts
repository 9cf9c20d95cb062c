// The dashboard, issue 5's "done when", in headless Chromium driven by playwright-core, against real
// processes: `pwbridge hub`, and one machine's agent (`pwbridge setup` + `pwbridge run`, its own data dir)
// reconciling a real throwaway local account. The credential is in Report Mismatches mode and the vault's
// password differs from the account's, so the agent flags a mismatch. The admin logs in through the page,
// sees the flag on the credential and in the summary, flips the credential to Change Password with the
// page's switch, and sees, without a reload, the machine apply it (a password-set event in the log) and the
// flag clear. The account then has the vault's password.
//
// Root only (a real account), like the push-down test. A missing browser is a failure, not a skip: CI
// installs chromium (.ci/run), and a dashboard nobody opened would otherwise pass unnoticed.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { dataPaths } from '../../src/config/paths';
import { LinuxAccounts } from '../../src/platform/linux/linux.accounts';
import { HttpVault } from '../../src/vault/http.vault';
import { HubClient } from '../../src/vault/hub-client';
import { assertExit, pollUntil, runCli, startCli, type LiveCli } from '../cli/cli';
import { loginToken, startHubProcess } from '../helpers/hub-process';
import { freshPostgresSchema, type Engine } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';
import { createUser, isRoot, removeUser, setPasswordDirect } from '../platform/users';
import { skipBecause } from '../helpers/skip';

const canary = (what: string) => `${what}-canary-${randomBytes(8).toString('hex')}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function stop(live: LiveCli | undefined): Promise<void> {
  if (!live || live.child.exitCode !== null || live.child.signalCode !== null) return;
  live.child.kill('SIGTERM');
  await live.done;
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: flip a flagged credential to Change Password and watch it apply (${engine}; hub, setup, run)`, function () {
    this.timeout(240_000);
    const ADMIN_PW = canary('admin');
    const VAULT_PW = canary('vault');
    const LOCAL_PW = canary('local');
    const VIEWER_PW = canary('viewer');
    const NEW_PW = canary('new');
    const dirs: Array<ReturnType<typeof makeTempDir>> = [];
    let hub: LiveCli | undefined;
    let agent: LiveCli | undefined;
    let admin: HttpVault | undefined;
    let adminClient: HubClient | undefined;
    let browser: Browser | undefined;
    let schema: { url: string; drop(): Promise<void> } | undefined;
    let user: string | undefined;
    let url = '';
    const consoleErrors: string[] = [];

    async function logIn(page: Page, name: string, password: string): Promise<void> {
      await page.goto(url);
      await page.getByLabel('User', { exact: true }).fill(name);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText(new RegExp(`^${name} \\((admin|operator|viewer)\\)$`)).waitFor();
    }

    /** From the clients list to a client's page (its credentials, machines and event log). */
    async function openClient(page: Page, name: string): Promise<void> {
      await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { name, level: 2 }).waitFor();
    }

    before(async function () {
      if (!isRoot) skipBecause(this, 'needs root (CI is root)');
      user = createUser();
      setPasswordDirect(user, Buffer.from(LOCAL_PW));

      const hubDir = makeTempDir('pwbridge-dash-hub-');
      dirs.push(hubDir);
      schema = engine === 'postgres' ? await freshPostgresSchema('dash') : undefined;
      const started = await startHubProcess(hubDir.dir, ADMIN_PW, schema ? ['--db', schema.url] : [], 60_000);
      hub = started.live;
      url = started.url;
      const { fingerprint } = started;
      const token = await loginToken(started, 'admin', ADMIN_PW);
      admin = HttpVault.open({ url, fingerprint }, token);
      adminClient = new HubClient({ url, fingerprint }, token);
      await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' });
      await admin.addCredential({ client: 'Acme', username: user, password: Buffer.from(VAULT_PW), windowsSync: true, mode: 'report' });

      const agentDir = makeTempDir('pwbridge-dash-WS01-');
      const pamDir = makeTempDir('pwbridge-dash-pam-');
      dirs.push(agentDir, pamDir);
      fs.writeFileSync(path.join(agentDir.dir, 'config.json'), JSON.stringify({ machine: 'WS01', reconcileInterval: '1h', pamDir: pamDir.dir }));
      const r = await runCli(['setup', '--hub', url, '--insecure-fingerprint', fingerprint, '--client', 'Acme'], { dataDir: agentDir.dir, stdin: `admin\n${ADMIN_PW}\n` });
      assertExit(r, 0, 'setup WS01');
      agent = startCli(['run'], agentDir.dir, 230_000);
      await agent.waitFor('the service to start', (_o, err) => /serving .*capture\.sock/.test(err), 60_000);

      browser = await launchChromium();
    });

    after(async () => {
      await browser?.close().catch(() => undefined);
      await admin?.close();
      adminClient?.close();
      await stop(agent);
      await stop(hub);
      await schema?.drop();
      for (const d of dirs) d.cleanup();
      removeUser(user);
    });

    it('the admin logs in, sees the mismatch, flips the switch, and sees the machine apply it and the flag clear, live', async () => {
      const context = await browser!.newContext({ ignoreHTTPSErrors: true });
      const page: Page = await context.newPage();
      // The one expected error: GET /api/me before the login answers 401 (the page then shows the login form).
      page.on('console', (m) => { if (m.type() === 'error' && !/status of 401/.test(m.text())) consoleErrors.push(m.text()); });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      await logIn(page, 'admin', ADMIN_PW);
      await openClient(page, 'Acme');
      // From here on the page must update by itself: any navigation (a reload) fails the test.
      let navigations = 0;
      page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
      assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is out of the page\'s reach (HttpOnly)');

      const credentials = page.getByRole('table', { name: 'Credentials' });
      const row = credentials.getByRole('row').filter({ has: page.getByRole('rowheader', { name: user, exact: true }) });
      const flag = row.getByRole('listitem').filter({ hasText: /^mismatch$/ });
      const mismatches = page.getByLabel('Mismatch', { exact: true });
      const toChange = page.getByRole('switch', { name: `Change Password: ${user} (Acme)` });

      // The agent's first pass (on connect) verifies, finds the local password differs, flags it.
      await flag.waitFor({ timeout: 60_000 });
      await pollUntil('the summary to count one mismatch', async () => ((await mismatches.textContent()) === '1' ? true : undefined), 15_000);
      assert.equal(await toChange.isChecked(), false, 'Report Mismatches: the switch is off');
      assert.match(await row.textContent() ?? '', /Report Mismatches/);
      const machine = page.getByRole('table', { name: 'Machines' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'WS01', exact: true }) });
      await machine.waitFor();
      assert.match(await machine.textContent() ?? '', /Acme/);
      const log = page.getByRole('table', { name: 'Event log' });
      await log.getByRole('row').filter({ hasText: 'mismatch-flagged' }).filter({ hasText: user! }).first().waitFor({ timeout: 15_000 });
      if (process.env.PWBRIDGE_DASHBOARD_SCREENSHOT) await page.screenshot({ path: `${process.env.PWBRIDGE_DASHBOARD_SCREENSHOT}-${engine}-flagged.png`, fullPage: true });

      const flipped = Date.now();
      await toChange.click();
      // The page asks first, naming the machines it will touch (credentials.js; its own test has the cases).
      const confirm = page.getByRole('dialog', { name: 'Switch to Change Password?' });
      assert.match(await confirm.locator('#confirm-text').textContent() ?? '', /on 1 machine \(WS01\)\.$/);
      await confirm.getByRole('button', { name: 'Switch to Change Password' }).click();
      // Live: the machine applies the vault's password (push-down) and the page shows the event and the flag going.
      const applied = log.getByRole('row').filter({ hasText: 'password-set' }).filter({ hasText: user! }).filter({ hasText: 'WS01' }).first();
      await applied.waitFor({ timeout: 30_000 });
      const shownAfter = Date.now() - flipped;
      assert.match(await applied.textContent() ?? '', /local password set from vault version 1/);
      await flag.waitFor({ state: 'detached', timeout: 15_000 });
      await pollUntil('the summary to count no mismatch', async () => ((await mismatches.textContent()) === '0' ? true : undefined), 15_000);
      assert.equal(await toChange.isChecked(), true);
      assert.match(await row.textContent() ?? '', /Change Password/);
      await log.getByRole('row').filter({ hasText: 'mismatch-cleared' }).filter({ hasText: user! }).first().waitFor({ timeout: 15_000 });
      if (process.env.PWBRIDGE_DASHBOARD_SCREENSHOT) await page.screenshot({ path: `${process.env.PWBRIDGE_DASHBOARD_SCREENSHOT}-${engine}-applied.png`, fullPage: true });
      assert.equal(navigations, 0, 'the page updated without a reload');
      console.log(`      (${engine}) flip to password-set shown in the page: ${shownAfter} ms`);

      // The machine really did it: the local account now has the vault's password.
      assert.ok(await new LinuxAccounts({ fingerprintKey: randomBytes(32) }).verifyPassword(user!, Buffer.from(VAULT_PW)), 'the real account has the vault\'s password');
      const c = await admin!.findCredential('Acme', user!);
      assert.deepEqual([c!.mode, c!.flags], ['change', []]);
      // The page read no password: every read is audited, and the only reader is the agent.
      const reads = await admin!.queryEvents({ kind: 'password-read', limit: 1000 });
      assert.ok(reads.length > 0);
      for (const e of reads) assert.match(e.reason ?? '', /read by agent "WS01"/, JSON.stringify(e));
      assert.deepEqual(consoleErrors, [], 'no script error and no CSP violation in the page');
      await context.close();
    });

    it('the admin changes the password in the page\'s form: it goes only in a POST body, and the machine applies it', async () => {
      const context = await browser!.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const requests: Array<{ url: string; method: string; body: string }> = [];
      page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postData() ?? '' }));
      await logIn(page, 'admin', ADMIN_PW);
      await openClient(page, 'Acme');
      const form = page.getByRole('region', { name: 'Change a password in the vault' });
      await form.getByLabel('Credential').selectOption({ label: `${user} (Acme)` });
      await form.getByLabel('New password', { exact: true }).fill(NEW_PW);
      await form.getByLabel('Repeat new password').fill(NEW_PW);
      await form.getByRole('button', { name: 'Change password' }).click();
      await form.getByText(`The password of ${user} (Acme) is changed in the vault (version 2).`).waitFor();
      assert.equal(await form.getByLabel('New password', { exact: true }).inputValue(), '', 'the field is cleared');
      const log = page.getByRole('table', { name: 'Event log' });
      await log.getByRole('row').filter({ hasText: 'password-set' }).filter({ hasText: 'from vault version 2' }).first().waitFor({ timeout: 30_000 });
      assert.ok(await new LinuxAccounts({ fingerprintKey: randomBytes(32) }).verifyPassword(user!, Buffer.from(NEW_PW)), 'the real account has the new password');

      const carrying = requests.filter((r) => r.body.includes(b64(NEW_PW)) || r.body.includes(NEW_PW));
      assert.deepEqual(carrying.map((r) => [r.method, new URL(r.url).pathname]), [['POST', '/api/vault/updateCredential']]);
      assert.ok(requests.every((r) => !r.url.includes(NEW_PW) && !r.url.includes(encodeURIComponent(b64(NEW_PW)))), 'never in a URL');
      await context.close();
    });

    it('the admin adds a client in the page, edits its options and deletes it; the credential\'s Windows Sync switch is there only while its client syncs', async () => {
      const context = await browser!.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|400)/.test(m.text())) errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await logIn(page, 'admin', ADMIN_PW);
      const clients = page.getByRole('table', { name: 'Clients' });
      const sw = (label: string, client: string) => clients.getByRole('switch', { name: `${label}: ${client}`, exact: true });
      const noticeSays = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
      const globex = async () => admin!.getClient('Globex');

      // Create: the form starts at the defaults (Change Password, no shared writes); two options are ticked.
      const form = page.getByRole('region', { name: 'Add a client' });
      assert.equal(await form.getByLabel('Default mode').inputValue(), 'change', 'a new client defaults to Change Password');
      assert.equal(await form.getByLabel('Agents may write shared credentials').isChecked(), false);
      await form.getByLabel('Name').fill('Globex');
      await form.getByLabel('Two-Way Sync', { exact: true }).check();
      await form.getByLabel('Agents may write shared credentials').check();
      await form.getByRole('button', { name: 'Add client' }).click();
      await form.getByText('Client Globex added.').waitFor();
      await clients.getByRole('rowheader', { name: 'Globex', exact: true }).waitFor();
      assert.deepEqual(await globex(), { name: 'Globex', windowsSync: false, twoWaySync: true, autoCreate: false, defaultMode: 'change', agentsWriteShared: true });
      assert.deepEqual(await Promise.all(['Windows Sync', 'Two-Way Sync', 'Auto Create Users', 'Agents write shared'].map((l) => sw(l, 'Globex').isChecked())),
        [false, true, false, true]);
      assert.equal(await clients.getByRole('combobox', { name: 'Default mode: Globex' }).inputValue(), 'change');
      assert.equal(await form.getByLabel('Name').inputValue(), '', 'the form is cleared');

      // Edit: each switch and the mode choice is one updateClient; the page redraws from the hub's answer.
      await sw('Windows Sync', 'Globex').click();
      await noticeSays('Client Globex: Windows Sync on.');
      await sw('Agents write shared', 'Globex').click();
      await noticeSays('Client Globex: Agents write shared off.');
      await clients.getByRole('combobox', { name: 'Default mode: Globex' }).selectOption('report');
      await noticeSays('Client Globex: default mode Report Mismatches.');
      assert.deepEqual(await globex(), { name: 'Globex', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: false });
      assert.deepEqual([await sw('Windows Sync', 'Globex').isChecked(), await sw('Agents write shared', 'Globex').isChecked()], [true, false]);
      const log = page.getByRole('table', { name: 'Event log' });
      await log.getByRole('row').filter({ hasText: 'client-changed' }).filter({ hasText: 'defaultMode=report' }).first().waitFor({ timeout: 15_000 });

      // Delete: a client with a credential and a machine is refused, with the counts; the empty one goes.
      await clients.getByRole('button', { name: 'Delete client Acme', exact: true }).click();
      await noticeSays(/client "Acme" is not empty: it still has 1 credential, 1 machine/);
      assert.ok(await admin!.getClient('Acme'));
      await clients.getByRole('button', { name: 'Delete client Globex', exact: true }).click();
      await noticeSays('Client Globex deleted.');
      await clients.getByRole('rowheader', { name: 'Globex', exact: true }).waitFor({ state: 'detached' });
      assert.equal(await globex(), undefined);

      // A credential's Windows Sync switch exists only while its client has Windows Sync on: on the client's
      // page, with the client's own options.
      await openClient(page, 'Acme');
      const options = page.getByRole('table', { name: 'Options' });
      const optionSw = (label: string) => options.getByRole('switch', { name: `${label}: Acme`, exact: true });
      const credSync = page.getByRole('table', { name: 'Credentials' }).getByRole('switch', { name: `Windows Sync: ${user} (Acme)`, exact: true });
      const credRow = page.getByRole('table', { name: 'Credentials' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: user, exact: true }) });
      await credSync.waitFor();
      assert.equal(await credSync.count(), 1);
      await optionSw('Windows Sync').click();
      await noticeSays('Client Acme: Windows Sync off.');
      await credSync.waitFor({ state: 'detached' });
      assert.match(await credRow.textContent() ?? '', /off for the client/);
      await optionSw('Windows Sync').click();
      await noticeSays('Client Acme: Windows Sync on.');
      await credSync.waitFor();
      assert.equal(await credSync.isChecked(), true, 'the credential\'s own switch kept its value');
      assert.equal((await admin!.getClient('Acme'))?.windowsSync, true);
      assert.deepEqual(errors, [], 'no script error and no CSP violation in the page');
      await context.close();
    });

    it('a viewer sees the same pages with the switches and the password form disabled, and filters the event log', async () => {
      const created = await adminClient!.request('POST', '/api/users', { name: 'victor', role: 'viewer', password: b64(VIEWER_PW) });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const context = await browser!.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await logIn(page, 'victor', VIEWER_PW);
      const clients = page.getByRole('table', { name: 'Clients' });
      assert.equal(await clients.getByRole('switch', { name: 'Two-Way Sync: Acme', exact: true }).isDisabled(), true);
      assert.equal(await clients.getByRole('combobox', { name: 'Default mode: Acme' }).isDisabled(), true);
      assert.equal(await clients.getByRole('button', { name: 'Delete client Acme' }).isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Add client' }).isDisabled(), true);
      // The event log's filters: only the kind asked for, then everything again.
      const filters = page.getByRole('region', { name: 'Event log' });
      const rows = page.getByRole('table', { name: 'Event log' }).getByRole('row');
      await filters.getByLabel('Kind').fill('password-set');
      await filters.getByLabel('Account').fill(user!.toUpperCase());
      await filters.getByRole('button', { name: 'Filter', exact: true }).click();
      const kinds = await pollUntil('only password-set rows', async () => {
        const texts = (await rows.allTextContents()).slice(1);
        return texts.length === 2 && texts.every((t) => t.includes('password-set')) ? texts : undefined;
      }, 10_000);
      assert.ok(kinds.some((t) => /vault version 1/.test(t)) && kinds.some((t) => /vault version 2/.test(t)), kinds.join('\n'));
      await filters.getByRole('button', { name: 'Clear filters' }).click();
      await pollUntil('every kind again', async () => ((await rows.allTextContents()).some((t) => t.includes('agent-enrolled')) ? true : undefined), 10_000);
      // The client's page: its credentials' switches and the password form disabled, its machines.
      await openClient(page, 'Acme');
      const toReport = page.getByRole('switch', { name: `Change Password: ${user} (Acme)` });
      await toReport.waitFor();
      assert.equal(await toReport.isDisabled(), true);
      assert.equal(await page.getByRole('switch', { name: `Windows Sync: ${user} (Acme)` }).isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Change password' }).isDisabled(), true);
      assert.equal(await page.getByRole('table', { name: 'Options' }).getByRole('switch', { name: 'Two-Way Sync: Acme', exact: true }).isDisabled(), true);
      await page.getByRole('table', { name: 'Machines' }).getByRole('rowheader', { name: 'WS01', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      await context.close();
    });

    // After the viewer's test, which counts the password-set events of versions 1 and 2.
    it('the admin opens the credential\'s password history and restores version 1: the machine gets it back; a viewer may only look', async () => {
      const context = await browser!.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      const listings: string[] = [];
      page.on('response', (r) => { if (r.url().endsWith('/api/vault/listPasswordHistory')) void r.text().then((t) => listings.push(t)); });
      await logIn(page, 'admin', ADMIN_PW);
      await openClient(page, 'Acme');
      await page.getByRole('button', { name: `History: ${user} (Acme)`, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Password history: ${user} (Acme)` });
      await dialog.waitFor();
      const rows = dialog.getByRole('row');
      await rows.filter({ hasText: '2 (current)' }).waitFor();
      const texts = (await rows.allTextContents()).slice(1);
      assert.equal(texts.length, 2, texts.join('\n'));
      assert.match(texts[0], /^2 \(current\).*set by admin/);
      assert.match(texts[1], /^1.*set by admin/);
      assert.equal(await dialog.getByRole('button', { name: 'Restore version 2' }).count(), 0, 'the current password has no Restore');

      const asked = Date.now();
      await dialog.getByRole('button', { name: 'Restore version 1', exact: true }).click();
      await dialog.getByText('Version 1 restored as version 3; the machines get it like any vault change.').waitFor();
      await rows.filter({ hasText: /^3 \(current\).*restored from version 1 by admin/ }).waitFor();
      const log = page.getByRole('table', { name: 'Event log' });
      await log.getByRole('row').filter({ hasText: 'password-restored' }).filter({ hasText: 'version 1 of credential' }).first().waitFor({ timeout: 15_000 });
      await log.getByRole('row').filter({ hasText: 'password-set' }).filter({ hasText: 'from vault version 3' }).first().waitFor({ timeout: 30_000 });
      console.log(`      (${engine}) restore to password-set shown in the page: ${Date.now() - asked} ms`);
      assert.ok(await new LinuxAccounts({ fingerprintKey: randomBytes(32) }).verifyPassword(user!, Buffer.from(VAULT_PW)), 'the account has version 1\'s password again');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.ok(listings.length >= 2);
      for (const t of listings) for (const pw of [VAULT_PW, NEW_PW]) assert.ok(!t.includes(pw) && !t.includes(b64(pw)), 'no password in a listing');
      assert.deepEqual(errors, [], 'no script error and no CSP violation in the page');
      await context.close();

      // The viewer (made in the test before) sees the same history with Restore disabled.
      const viewerContext = await browser!.newContext({ ignoreHTTPSErrors: true });
      const viewerPage = await viewerContext.newPage();
      await logIn(viewerPage, 'victor', VIEWER_PW);
      await openClient(viewerPage, 'Acme');
      await viewerPage.getByRole('button', { name: `History: ${user} (Acme)`, exact: true }).click();
      const seen = viewerPage.getByRole('dialog', { name: `Password history: ${user} (Acme)` });
      await seen.getByRole('row').filter({ hasText: '3 (current)' }).waitFor();
      assert.equal(await seen.getByRole('button', { name: 'Restore version 1', exact: true }).isDisabled(), true);
      assert.equal((await admin!.findCredential('Acme', user!))?.version, 3);
      await viewerContext.close();
    });

    it('no password or canary in the hub\'s or the agent\'s output and log files', () => {
      for (const [name, live] of [['hub', hub], ['agent', agent]] as const) {
        const out = `${live!.stdout()}\n${live!.stderr()}`;
        for (const secret of [ADMIN_PW, VAULT_PW, LOCAL_PW, VIEWER_PW, NEW_PW]) assert.ok(!out.includes(secret), `${name} output holds a password`);
      }
      for (const d of [dirs[0].dir, dirs[1].dir]) {
        const logDir = dataPaths(d).logDir;
        for (const f of fs.existsSync(logDir) ? fs.readdirSync(logDir) : []) {
          const text = fs.readFileSync(path.join(logDir, f));
          for (const secret of [ADMIN_PW, VAULT_PW, LOCAL_PW, VIEWER_PW, NEW_PW]) assert.ok(!text.includes(secret), `${path.join(logDir, f)} holds a password`);
        }
      }
    });
  });
}
