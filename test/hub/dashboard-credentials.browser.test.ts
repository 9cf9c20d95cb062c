// The dashboard's credentials (issue 12, item 3), in headless Chromium against a real hub (in this process,
// over HTTPS, on SQLite and PostgreSQL) with two machines enrolled in client Acme (WS01, WS02; enrolled
// through the API, no agent runs: what is checked is what the page says and what the vault then holds).
// An operator adds a machine credential with a typed password and a shared one with a generated password,
// edits one, switches credentials and a client's default mode to Change Password (the confirmation names
// how many machines and which; cancel changes nothing, confirm changes it), and deletes one (the
// credential-deleted event shows in the page's event log). A viewer gets every control disabled.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import type { HubClient } from '../../src/vault/hub-client';
import { HttpVault } from '../../src/vault/http.vault';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const canary = (what: string) => `${what}-canary-${randomBytes(8).toString('hex')}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: credentials — add, edit, delete, confirm Change Password (${engine})`, function () {
    this.timeout(120_000);
    const OP_PW = canary('operator');
    const VIEWER_PW = canary('viewer');
    const TYPED = canary('typed');
    const TYPED2 = canary('typed2');
    let t: TestHub;
    let admin: HttpVault;
    let operator: HubClient;
    let browser: Browser;
    const errors: string[] = [];

    async function logIn(page: Page, name: string, password: string): Promise<void> {
      page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|400|404)/.test(m.text())) errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(t.hub.url);
      await page.getByLabel('User', { exact: true }).fill(name);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText(new RegExp(`^${name} \\((admin|operator|viewer)\\)$`)).waitFor();
      // The credentials are on the client's page.
      await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme', exact: true }).click();
      await page.getByRole('heading', { name: 'Acme', level: 2 }).waitFor();
    }

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser('olivia', 'operator', ['setup-ad-sync'], OP_PW);
      await t.addUser('victor', 'viewer', [], VIEWER_PW);
      admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
      operator = t.client(await t.token('olivia', OP_PW));
      await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
      await admin.addClient({ name: 'Globex', windowsSync: false, twoWaySync: false, autoCreate: false, defaultMode: 'report' });
      for (const machine of ['WS01', 'WS02']) {
        const r = await operator.request('POST', '/api/agents', { client: 'Acme', machine });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      await admin.addCredential({ client: 'Acme', username: 'WS01\\carol', password: Buffer.from(canary('c')), windowsSync: true, mode: 'report' });
      await admin.addCredential({ client: 'Acme', username: 'erin', password: Buffer.from(canary('e')), windowsSync: true, mode: 'report' });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await admin?.close();
      await t?.close();
    });

    it('an operator adds, edits, confirms Change Password (or cancels) and deletes credentials', async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      const requests: Array<{ path: string; body: string }> = [];
      page.on('request', (r) => requests.push({ path: new URL(r.url()).pathname + new URL(r.url()).search, body: r.postData() ?? '' }));
      await logIn(page, 'olivia', OP_PW);
      const form = page.getByRole('region', { name: 'Add a credential' });
      const added = (text: string) => form.getByRole('status').filter({ hasText: text }).waitFor({ timeout: 15_000 });
      const table = page.getByRole('table', { name: 'Credentials' });
      const notice = (text: string) => page.locator('#notice').filter({ hasText: text }).waitFor({ timeout: 15_000 });
      const confirm = page.getByRole('dialog', { name: 'Switch to Change Password?' });

      // A machine credential, typed password, Windows Sync on, Report Mismatches (the client's default).
      await form.getByLabel('Client').selectOption('Acme');
      assert.equal(await form.getByLabel('Mode').inputValue(), 'report', 'the mode starts at the client\'s default');
      await form.getByLabel('Username').fill('WS01\\alice');
      await form.getByLabel('Credential password', { exact: true }).fill(TYPED);
      await form.getByLabel('Repeat credential password').fill(TYPED);
      await form.getByLabel('Windows Sync').check();
      await form.getByRole('button', { name: 'Add credential' }).click();
      await added('Credential WS01\\alice (Acme) added.');
      const alice = await admin.findCredential('Acme', 'WS01\\alice');
      assert.deepEqual([alice?.mode, alice?.windowsSync, alice?.version], ['report', true, 1]);
      assert.equal((await admin.readPassword(alice!.id)).toString(), TYPED);
      assert.equal(await form.getByLabel('Credential password', { exact: true }).inputValue(), '', 'the password field is cleared');
      await table.getByRole('rowheader', { name: 'WS01\\alice', exact: true }).waitFor();

      // A shared credential with a generated password in Change Password mode: the page asks first. WS01 has
      // its own WS01\carol, so the shared carol reaches WS02 only.
      await form.getByLabel('Username').fill('carol');
      await form.getByRole('button', { name: 'Generate a password' }).click();
      const generated = await form.getByLabel('Credential password', { exact: true }).inputValue();
      assert.equal(generated.length, 20);
      assert.equal(await form.getByLabel('Repeat credential password').inputValue(), generated);
      for (const cls of [/[a-z]/, /[A-Z]/, /[2-9]/, /[!#$%&*+\-=?@^_~]/]) assert.match(generated, cls);
      await form.getByLabel('Mode').selectOption('change');
      await form.getByRole('button', { name: 'Add credential' }).click();
      await confirm.waitFor();
      assert.equal(await confirm.getByText(/^carol \(Acme\)/).textContent(),
        'carol (Acme): this will set the local password to the vault\'s on 1 machine (WS02). 1 other machine follows its own MACHINE\\carol instead (WS01).');
      await confirm.getByRole('button', { name: 'Switch to Change Password' }).click();
      await added('Credential carol (Acme) added.');
      const carol = await admin.findCredential('Acme', 'carol');
      assert.deepEqual([carol?.mode, carol?.windowsSync], ['change', true], 'the form kept Windows Sync from the last add');
      assert.equal((await admin.readPassword(carol!.id)).toString(), generated, 'the vault holds the generated password');
      const carrying = requests.filter((r) => r.body.includes(b64(generated)) || r.body.includes(generated) || r.path.includes(generated));
      assert.deepEqual(carrying.map((r) => r.path), ['/api/vault/addCredential'], 'the generated password went out once, in a POST body');

      // A client without Windows Sync: the switch is not offered, the credential gets it off.
      await form.getByLabel('Client').selectOption('Globex');
      assert.equal(await form.getByLabel('Windows Sync').isVisible(), false);
      await form.getByLabel('Username').fill('bob');
      await form.getByLabel('Credential password', { exact: true }).fill(TYPED);
      await form.getByLabel('Repeat credential password').fill(TYPED);
      await form.getByRole('button', { name: 'Add credential' }).click();
      await added('Credential bob (Globex) added.');
      assert.equal((await admin.findCredential('Globex', 'bob'))?.windowsSync, false);
      // A bad name is refused in the page, naming what is wrong; a duplicate by the hub.
      await form.getByLabel('Client').selectOption('Acme');
      await form.getByLabel('Username').fill('WS01\\');
      await form.getByLabel('Credential password', { exact: true }).fill(TYPED);
      await form.getByLabel('Repeat credential password').fill(TYPED);
      await form.getByRole('button', { name: 'Add credential' }).click();
      await added('Write MACHINE\\user with both parts');
      await form.getByLabel('Username').fill('ws01\\ALICE');
      await form.getByRole('button', { name: 'Add credential' }).click();
      await added('Not added: credential "ws01\\ALICE" already exists in client "Acme"');

      // Edit: a new typed password and Windows Sync off, in one save.
      await table.getByRole('button', { name: 'Edit WS01\\alice (Acme)', exact: true }).click();
      const edit = page.getByRole('dialog', { name: 'Edit WS01\\alice (Acme)' });
      await edit.waitFor();
      assert.equal(await edit.getByLabel('Mode').inputValue(), 'report');
      await edit.getByLabel('New password', { exact: true }).fill(TYPED2);
      await edit.getByLabel('Repeat new password').fill(TYPED2);
      await edit.getByLabel('Windows Sync').uncheck();
      await edit.getByRole('button', { name: 'Save' }).click();
      await notice('WS01\\alice (Acme): password changed (version 2), Windows Sync off.');
      assert.equal(await edit.isVisible(), false);
      const edited = await admin.findCredential('Acme', 'WS01\\alice');
      assert.deepEqual([edited?.version, edited?.windowsSync, edited?.mode], [2, false, 'report']);
      assert.equal((await admin.readPassword(edited!.id)).toString(), TYPED2);

      // The table's switch to Change Password: for WS01\alice, its one enrolled machine. Cancel, then confirm.
      const aliceSwitch = table.getByRole('switch', { name: 'Change Password: WS01\\alice (Acme)', exact: true });
      await aliceSwitch.click();
      await confirm.waitFor();
      assert.equal(await page.locator('#confirm-text').textContent(), 'WS01\\alice (Acme): this will set the local password to the vault\'s on 1 machine (WS01).');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });
      assert.equal(await aliceSwitch.isChecked(), false, 'cancel leaves the switch off');
      assert.equal((await admin.findCredential('Acme', 'WS01\\alice'))?.mode, 'report', 'and the vault unchanged');
      await aliceSwitch.click();
      await confirm.getByRole('button', { name: 'Switch to Change Password' }).click();
      await notice('WS01\\alice (Acme): Change Password.');
      assert.equal((await admin.findCredential('Acme', 'WS01\\alice'))?.mode, 'change');

      // A shared credential's switch: every machine of the client (Escape cancels too).
      const erinSwitch = table.getByRole('switch', { name: 'Change Password: erin (Acme)', exact: true });
      await erinSwitch.click();
      await confirm.waitFor();
      assert.equal(await page.locator('#confirm-text').textContent(), 'erin (Acme): this will set the local password to the vault\'s on 2 machines (WS01, WS02).');
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'hidden' });
      assert.equal(await erinSwitch.isChecked(), false);
      assert.equal((await admin.findCredential('Acme', 'erin'))?.mode, 'report');
      // The edit dialog asks the same before its save.
      await table.getByRole('button', { name: 'Edit erin (Acme)', exact: true }).click();
      const editErin = page.getByRole('dialog', { name: 'Edit erin (Acme)' });
      await editErin.getByLabel('Mode').selectOption('change');
      await editErin.getByRole('button', { name: 'Save' }).click();
      await confirm.waitFor();
      assert.match(await page.locator('#confirm-text').textContent() ?? '', /on 2 machines \(WS01, WS02\)/);
      await confirm.getByRole('button', { name: 'Switch to Change Password' }).click();
      await notice('erin (Acme): Change Password.');
      assert.equal((await admin.findCredential('Acme', 'erin'))?.mode, 'change');

      // A client's default mode: every machine of the client. Cancel puts the choice back.
      const defaultMode = page.getByRole('table', { name: 'Options' }).getByRole('combobox', { name: 'Default mode: Acme' });
      await defaultMode.selectOption('change');
      await confirm.waitFor();
      assert.equal(await page.locator('#confirm-text').textContent(),
        'Client Acme: credentials its machines create will be in Change Password mode. It has 2 enrolled machines (WS01, WS02).');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });
      assert.equal(await defaultMode.inputValue(), 'report');
      assert.equal((await admin.getClient('Acme'))?.defaultMode, 'report');

      // Delete: asked first (naming the shared carol that takes over on WS01); cancel keeps it, confirm deletes.
      const deleteDialog = page.getByRole('dialog', { name: 'Delete this credential?' });
      await table.getByRole('button', { name: 'Delete WS01\\carol (Acme)', exact: true }).click();
      await deleteDialog.waitFor();
      assert.match(await page.locator('#confirm-text').textContent() ?? '', /On WS01, the shared carol then governs the account \(Change Password\)\./);
      await deleteDialog.getByRole('button', { name: 'Cancel' }).click();
      assert.ok(await admin.findCredential('Acme', 'WS01\\carol'));
      await table.getByRole('button', { name: 'Delete WS01\\alice (Acme)', exact: true }).click();
      await deleteDialog.getByRole('button', { name: 'Delete credential' }).click();
      await notice('Credential WS01\\alice (Acme) deleted.');
      await table.getByRole('rowheader', { name: 'WS01\\alice', exact: true }).waitFor({ state: 'detached' });
      assert.equal(await admin.findCredential('Acme', 'WS01\\alice'), undefined);
      // The hub's event about a credential that is gone is no longer the client's (nothing ties it to the
      // client once the credential row is deleted): it is in the log of every client.
      await page.getByRole('link', { name: 'All clients' }).click();
      await page.getByRole('heading', { name: 'Clients', level: 2 }).waitFor();
      const logRow = page.getByRole('table', { name: 'Event log' }).getByRole('row')
        .filter({ hasText: 'credential-deleted' }).filter({ hasText: 'WS01\\alice' }).first();
      await logRow.waitFor({ timeout: 30_000 });
      assert.match(await logRow.textContent() ?? '', /deleted by user "olivia" \(operator\)/);

      for (const secret of [TYPED, TYPED2, generated]) {
        assert.ok(requests.every((r) => !r.path.includes(secret) && !r.path.includes(encodeURIComponent(b64(secret)))), 'no password in a URL');
      }
      assert.deepEqual(errors, [], 'no script error and no CSP violation in the page');
      await context.close();
    });

    it('a viewer sees the credentials with add, edit and delete disabled', async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await logIn(page, 'victor', VIEWER_PW);
      const table = page.getByRole('table', { name: 'Credentials' });
      await table.getByRole('rowheader', { name: 'erin', exact: true }).waitFor();
      assert.equal(await table.getByRole('button', { name: 'Edit erin (Acme)', exact: true }).isDisabled(), true);
      assert.equal(await table.getByRole('button', { name: 'Delete erin (Acme)', exact: true }).isDisabled(), true);
      const form = page.getByRole('region', { name: 'Add a credential' });
      assert.equal(await form.getByRole('button', { name: 'Add credential' }).isDisabled(), true);
      assert.equal(await form.getByRole('button', { name: 'Generate a password' }).isDisabled(), true);
      assert.deepEqual(errors, []);
      await context.close();
    });
  });
}
