// Import and export in the dashboard (transfer.js), in headless Chromium against a real hub (in this process,
// over HTTPS, on SQLite and PostgreSQL): an operator chooses a CSV, sees the dry run as a table (created,
// updated, unchanged, refused with the reason), cannot import while a row is refused, chooses a fixed file and
// imports it; the credentials appear in the page and in the vault. The same operator exports without passwords
// (the downloaded file has every credential and no password) and cannot choose the export with passwords; an
// admin exports with passwords after re-entering their own password, and the downloaded file opens with the
// passphrase. A viewer cannot open the import.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, logInAs } from '../helpers/browser';
import { HttpVault } from '../../src/vault/http.vault';
import { open as openSealed } from '../../src/vault/transfer/sealed-file';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const canary = (what: string) => `${what}-canary-${randomBytes(8).toString('hex')}`;
const HEADER = 'client,username,password,windows sync,mode';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: import (dry run, then for real) and export (${engine})`, function () {
    this.timeout(120_000);
    const OP_PW = canary('operator');
    const VIEWER_PW = canary('viewer');
    const OLD = canary('old');
    const NEW = canary('new');
    const SVC = canary('svc');
    const SHARED = canary('shared');
    let t: TestHub;
    let admin: HttpVault;
    let browser: Browser;
    const errors: string[] = [];

    const logIn = (name: string, password: string): Promise<Page> => logInAs(browser, t.hub.url, name, password, errors, { acceptDownloads: true });

    const passwordOf = async (client: string, username: string) => {
      const c = await admin.findCredential(client, username);
      return c ? (await admin.readPassword(c.id)).toString() : undefined;
    };

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser('olivia', 'operator', [], OP_PW);
      await t.addUser('victor', 'viewer', [], VIEWER_PW);
      admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
      await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
      await admin.addCredential({ client: 'Acme', username: 'WS01\\bob', password: Buffer.from(OLD), windowsSync: true, mode: 'report' });
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await admin?.close();
      await t?.close();
    });

    it('an operator checks a CSV (dry run), cannot import it while a row is refused, then imports a fixed one; the credentials appear', async () => {
      const page = await logIn('olivia', OP_PW);
      await page.getByRole('button', { name: 'Import from a file' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import credentials' });
      await dialog.waitFor();
      const rows = [`Acme,WS01\\svc,${SVC},on,change`, `Acme,WS01\\bob,${NEW},,`, `Nope,x,${canary('nope')},on,report`];
      await dialog.getByLabel('File (CSV or encrypted export)').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...rows].join('\r\n')) });
      await dialog.getByRole('button', { name: 'Check (dry run)' }).click();
      const status = dialog.getByRole('status');
      await status.filter({ hasText: 'Dry run: 1 to create, 1 to update, 0 unchanged, 1 refused; nothing was changed.' }).waitFor();
      const table = dialog.getByRole('table', { name: 'Dry run' });
      const cells = async () => (await table.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
      assert.deepEqual(await cells(), [
        ['2', 'Create', 'Acme', 'WS01\\svc', 'mode Change Password, Windows Sync on'],
        ['3', 'Update', 'Acme', 'WS01\\bob', 'changes: password'],
        ['4', 'Refused', '', '', 'client: names no client of the vault; add the client first'],
      ]);
      const apply = dialog.getByRole('button', { name: 'Import 2 credentials' });
      assert.equal(await apply.isDisabled(), true, 'a file with a refused row can be imported');
      assert.equal(await admin.findCredential('Acme', 'WS01\\svc'), undefined, 'the dry run wrote');

      // The fixed file: the refused row goes, a shared credential comes.
      const fixed = [rows[0], rows[1], `Acme,backup,${SHARED},off,report`];
      await dialog.getByLabel('File (CSV or encrypted export)').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from([HEADER, ...fixed].join('\r\n')) });
      await dialog.getByRole('button', { name: 'Check (dry run)' }).click();
      await status.filter({ hasText: 'Dry run: 2 to create, 1 to update, 0 unchanged, 0 refused' }).waitFor();
      const apply3 = dialog.getByRole('button', { name: 'Import 3 credentials' });
      assert.equal(await apply3.isDisabled(), false);
      await apply3.click();
      await status.filter({ hasText: 'Imported: 2 created, 1 updated, 0 unchanged.' }).waitFor();
      assert.equal(await passwordOf('Acme', 'WS01\\svc'), SVC);
      assert.equal(await passwordOf('Acme', 'WS01\\bob'), NEW);
      assert.equal(await passwordOf('Acme', 'backup'), SHARED);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      // The event log of every client is on the clients list, where the import is; the credentials are on the client's page.
      await page.getByRole('table', { name: 'Event log' }).getByText(/^import by user "olivia" \(operator\) of a file of 3 row\(s\)/).waitFor({ timeout: 15_000 });
      await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme', exact: true }).click();
      const creds = page.getByRole('table', { name: 'Credentials' });
      for (const u of ['WS01\\svc', 'backup']) await creds.getByRole('rowheader', { name: u, exact: true }).waitFor({ timeout: 15_000 });
      await page.context().close();
    });

    it('an operator exports without passwords (the downloaded file has every credential and no password) and may not choose passwords', async () => {
      const page = await logIn('olivia', OP_PW);
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Export credentials' });
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel('With passwords, encrypted with a passphrase (admins)').isDisabled(), true);
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
      assert.match(download.suggestedFilename(), /^pwbridge-vault-.*\.csv$/);
      const file = fs.readFileSync((await download.path())!);
      const text = file.toString();
      assert.deepEqual(text.trimEnd().split('\r\n').sort(), [HEADER, 'Acme,WS01\\bob,,on,report', 'Acme,WS01\\svc,,on,change', 'Acme,backup,,off,report'].sort());
      for (const secret of [OLD, NEW, SVC, SHARED]) assert.ok(!text.includes(secret), 'a password in the export without passwords');
      await dialog.getByRole('status').filter({ hasText: /^Exported 3 credentials to pwbridge-vault-.*\.csv \(without passwords\)\.$/ }).waitFor();
      await page.context().close();
    });

    it('an admin exports with passwords after re-entering their password; the download opens with the passphrase', async () => {
      const PASS = canary('passphrase');
      const page = await logIn(ADMIN, ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Export credentials' });
      await dialog.getByLabel('With passwords, encrypted with a passphrase (admins)').check();
      await dialog.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await dialog.getByLabel('Repeat passphrase').fill(`${PASS}x`);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByRole('status').filter({ hasText: 'The two passphrases differ.' }).waitFor();
      await dialog.getByLabel('Repeat passphrase').fill(PASS);
      await dialog.getByRole('button', { name: 'Export', exact: true }).click();
      await dialog.getByRole('status').filter({ hasText: 'Exporting passwords needs your own hub password' }).waitFor();
      await dialog.getByLabel('Your own hub password').fill(ADMIN_PASSWORD);
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export', exact: true }).click()]);
      assert.match(download.suggestedFilename(), /^pwbridge-vault-.*\.sealed$/);
      const sealed = fs.readFileSync((await download.path())!);
      for (const secret of [NEW, SVC, SHARED]) assert.ok(!sealed.includes(Buffer.from(secret)), 'a password in the clear in the encrypted export');
      const plain = openSealed(sealed, Buffer.from(PASS)).toString();
      assert.ok(plain.includes(`Acme,WS01\\svc,"${SVC}",on,change`), plain.replace(/"[^"]*"/g, '"…"'));
      assert.throws(() => openSealed(sealed, Buffer.from(`${PASS}x`)), /does not open with this passphrase/);
      assert.equal(await dialog.getByLabel('Passphrase', { exact: true }).inputValue(), '', 'the passphrase is cleared');
      await page.context().close();
    });

    it('a viewer cannot open the import', async () => {
      const page = await logIn('victor', VIEWER_PW);
      assert.equal(await page.getByRole('button', { name: 'Import from a file' }).isDisabled(), true);
      await page.context().close();
    });

    it('no script error in any page', () => {
      assert.deepEqual(errors, []);
    });
  });
}
