// Enrolment tokens in the dashboard (enrolment.js, #/enrolment), in headless Chromium against a real hub (in
// this process, over HTTPS, on SQLite and PostgreSQL): an admin creates a 2-use token in the page; the test
// takes the token from the dialog that shows it once and runs the real `pwbridge setup --enrol-token-file`
// with it, which enrols the machine; the list shows the use taken; the admin revokes it in the page (after a
// confirmation), and a second setup with the same token is refused with the revoked message. After the
// dialog closes the token is nowhere in the page. An operator has no link, and the API refuses them.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, logInAs } from '../helpers/browser';
import { REFUSAL_MESSAGES } from '../../src/hub/api/enrolment-routes';
import { HttpVault } from '../../src/vault/http.vault';
import { assertExit, runCli } from '../cli/cli';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { makeTempDir } from '../helpers/tmp';

const OP_PW = 'Operator-Pw-enrol-7c1d';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: enrolment tokens (${engine})`, function () {
    this.timeout(180_000);
    let t: TestHub;
    let browser: Browser;
    const dirs: Array<ReturnType<typeof makeTempDir>> = [];
    const errors: string[] = [];

    const logIn = (name: string, password: string): Promise<Page> => logInAs(browser, t.hub.url, name, password, errors);

    /** `pwbridge setup --enrol-token-file` in a fresh data dir, with the token in a 0600 file. */
    async function setup(token: string, machine: string) {
      const agentDir = makeTempDir(`pwbridge-enrol-ui-${machine}-`);
      dirs.push(agentDir);
      fs.writeFileSync(path.join(agentDir.dir, 'config.json'), JSON.stringify({ machine, reconcileInterval: '1h' }));
      const file = path.join(agentDir.dir, 'enrol.token');
      fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
      const r = await runCli(['setup', '--hub', t.hub.url, '--insecure-fingerprint', t.hub.certificate.fingerprint, '--enrol-token-file', file],
        { dataDir: agentDir.dir, stdin: '' });
      return { r, agentDir: agentDir.dir };
    }

    before(async () => {
      t = await startTestHub(engine);
      await t.addUser('olivia', 'operator', ['setup-ad-sync'], OP_PW);
      const admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
      for (const name of ['Acme', 'Globex']) {
        await admin.addClient({ name, windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' });
      }
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await t?.close();
      for (const d of dirs) d.cleanup();
    });

    it('an operator has no Enrolment tokens link, and the API refuses them', async () => {
      const page = await logIn('olivia', OP_PW);
      assert.equal(await page.getByRole('link', { name: 'Enrolment tokens' }).count(), 0);
      await page.context().close();
      const op = t.client(await t.token('olivia', OP_PW));
      try {
        const made = await op.request('POST', '/api/enrolment-tokens', { client: 'Acme' });
        assert.equal(made.status, 403);
        assert.match(made.body.error.message, /may not create an enrolment token for client "Acme" \(enrolment tokens are for admins\)/);
        assert.equal((await op.request('GET', '/api/enrolment-tokens')).status, 403);
      } finally {
        op.close();
      }
    });

    it('an admin creates a token in the page; setup with it enrols the machine; the list shows the use; revoked in the page, the token is refused', async () => {
      const page = await logIn(ADMIN, ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'Enrolment tokens' }).click();
      await page.getByRole('heading', { name: 'Enrolment tokens', level: 2 }).waitFor();
      const table = page.getByRole('table', { name: /Enrolment tokens/ });
      await table.getByText('No enrolment tokens yet.').waitFor();
      const form = page.locator('#enrolment-form');
      assert.equal(await form.getByLabel('Expires in (hours)').inputValue(), '24');
      assert.equal(await form.getByLabel('Uses').inputValue(), '1');
      // A value out of the API's range is refused saying which and why (the browser's own check is off, so the hub's is seen).
      await page.evaluate('document.getElementById("enrolment-form").noValidate = true');
      await form.getByLabel('Client').selectOption('Globex');
      await form.getByLabel('Uses').fill('10001');
      await form.getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('status').filter({ hasText: /^Not created: uses must be a whole number from 1 to 10000, got 10001$/ }).waitFor();

      await form.getByLabel('Uses').fill('2');
      await form.getByLabel('Expires in (hours)').fill('48');
      await form.getByRole('button', { name: 'Create token' }).click();
      const dialog = page.getByRole('dialog', { name: /^Enrolment token #\d+ for Globex$/ });
      await dialog.waitFor();
      const token = await dialog.getByLabel('Token', { exact: true }).inputValue();
      assert.match(token, /^pwe_/);
      const command = await dialog.getByLabel('Setup command').inputValue();
      assert.equal(command, `pwbridge setup --hub ${new URL(t.hub.url).origin} --insecure-fingerprint FINGERPRINT --enrol-token-file /root/enrol.token`);
      const row = table.locator('tr').filter({ hasText: 'Globex' });
      await row.filter({ hasText: '2 of 2' }).filter({ hasText: 'Active' }).waitFor();
      assert.match(await row.textContent() ?? '', new RegExp(`^#\\d+Globex${ADMIN}, `));

      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const html = await page.content();
      const values = await page.evaluate('[...document.querySelectorAll("input, textarea")].map((e) => e.value).join("\\n")') as string;
      assert.ok(!html.includes(token.slice(4)) && !values.includes(token.slice(4)), 'the token is not in the page once its dialog is closed');

      const first = await setup(token, 'WS41');
      assertExit(first.r, 0, 'setup with the token from the page');
      assert.match(first.r.stdout, /machine "WS41" enrolled into client "Globex"/);
      const agentToken = fs.readFileSync(path.join(first.agentDir, 'keys', 'agent.token'), 'utf8').trim();
      const agent = t.client(agentToken);
      try {
        assert.deepEqual((await agent.request('GET', '/api/me')).body, { agent: { client: 'Globex', machine: 'WS41' } });
      } finally {
        agent.close();
      }
      // The enrolment is an event, which redraws the view: the use taken shows without leaving it.
      await row.filter({ hasText: '1 of 2' }).waitFor();

      await row.getByRole('button', { name: /^Revoke enrolment token #\d+$/ }).click();
      const confirm = page.getByRole('dialog', { name: /^Revoke enrolment token #\d+\?$/ });
      await confirm.getByText(/1 of 2 use\(s\) left/).waitFor();
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });
      assert.equal(await row.getAttribute('data-state'), 'active', 'Cancel revokes nothing');
      await row.getByRole('button', { name: /^Revoke enrolment token #\d+$/ }).click();
      await confirm.getByRole('button', { name: 'Revoke' }).click();
      await row.filter({ hasText: new RegExp(`Revoked by ${ADMIN} at `) }).waitFor();
      assert.equal(await row.getByRole('button').count(), 0, 'a revoked token has no Revoke button');

      const second = await setup(token, 'WS42');
      assertExit(second.r, 1, 'setup with the revoked token');
      assert.ok(second.r.stderr.includes(`the hub refused to enrol machine "WS42": ${REFUSAL_MESSAGES.revoked}`), second.r.stderr);
      assert.ok(!second.r.stderr.includes(token) && !first.r.stdout.includes(token) && !first.r.stderr.includes(token), 'no output shows the token');
      await page.context().close();
      assert.deepEqual(errors, []);
    });
  });
}
