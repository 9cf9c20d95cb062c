// Rotation in the dashboard, in headless Chromium driven by playwright-core, against a real hub over HTTPS (in
// this process, on SQLite and PostgreSQL, on the test's clock). An operator opens a credential's Rotation
// dialog, sets its own policy (every 30 days, after each read with a 10-minute grace, 16 characters), sees the
// next rotation; a rotation due on the test's clock happens and the history dialog says "rotated on schedule";
// Rotate now rotates at once; a reveal in the page asks for a rotation at the end of its grace (the dialog shows
// it), which happens once the test's clock is past it; a Report Mismatches credential says why it never rotates
// and its policy is refused with the hub's reason; a viewer sees the dialog with every control disabled.
//
// A missing browser is a failure, not a skip (as in dashboard.browser.test.ts).
import { strict as assert } from 'node:assert';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, logInAs } from '../helpers/browser';
import { DAY_MS } from '../../src/hub/rotation/policy';
import type { HubClient } from '../../src/vault/hub-client';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { ManualTimers } from '../helpers/manual-timers';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-c4d2';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-18ab';
const b64 = (s: string) => Buffer.from(s).toString('base64');

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: password rotation (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let browser: Browser;
    let admin: HubClient;
    let offset = 0;
    let aliceId = 0;
    const errors: string[] = [];

    // Expected: GET /api/me before the login (401), the first reveal before the step-up (403), the refused policy (400).
    const logIn = (name: string, password: string): Promise<Page> =>
      logInAs(browser, `${t.hub.url}/#/clients/Acme`, name, password, errors, { locale: 'en-US', timezoneId: 'UTC' });
    const version = async () => (await admin.request('POST', '/api/vault/findCredential', { client: 'Acme', username: 'alice' })).body.credential.version as number;
    const historySources = async () => (await admin.request('POST', '/api/vault/listPasswordHistory', { credentialId: aliceId })).body.history.map((e: any) => e.source); // eslint-disable-line @typescript-eslint/no-explicit-any

    before(async () => {
      t = await startTestHub(engine, { now: () => Date.now() + offset, rotation: { timers: new ManualTimers() } });
      await t.addUser(OP, 'operator', [], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      assert.equal((await admin.request('POST', '/api/vault/addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' } })).status, 200);
      for (const [username, mode] of [['alice', 'change'], ['bob', 'report']]) {
        const added = await admin.request('POST', '/api/vault/addCredential', { credential: { client: 'Acme', username, password: b64(`${username}-Pw-canary-1`), windowsSync: true, mode } });
        assert.equal(added.status, 200, JSON.stringify(added.body));
        if (username === 'alice') aliceId = added.body.credential.id;
      }
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await t?.close();
    });

    it('an operator sets a credential\'s policy, sees the next rotation, and the rotation due on the test\'s clock happens; Rotate now rotates at once', async () => {
      const page = await logIn(OP, OP_PW);
      await page.getByRole('button', { name: 'Rotation: alice (Acme)', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Rotation: alice (Acme)' });
      await dialog.getByText('Not rotated: no policy for this credential or its client.').waitFor();
      await dialog.getByLabel('Every').check();
      await dialog.getByLabel('days').fill('30');
      await dialog.getByLabel('After each password read, once this grace is over:').check();
      await dialog.getByLabel('minutes').fill('10');
      await dialog.getByLabel('Length').fill('16');
      await dialog.getByLabel('Symbols').uncheck();
      await dialog.getByRole('button', { name: 'Save policy' }).click();
      await dialog.getByRole('status').filter({ hasText: 'Policy saved.' }).waitFor();
      await dialog.getByText(/^Next rotation: .* \(its own policy\)\.$/).waitFor();
      const shown = await (await admin.request('POST', '/api/rotation/credential', { credentialId: aliceId })).body;
      assert.deepEqual(shown.own.policy, { everyDays: 30, afterRead: true, graceMinutes: 10, length: 16, classes: ['upper', 'lower', 'digit'] });
      assert.equal(shown.own.changedBy, OP);

      offset = 30 * DAY_MS + 60_000;
      assert.equal(await t.hub.rotation.runDue(), 1);
      assert.equal(await version(), 2);
      assert.deepEqual((await historySources())[0], { kind: 'rotation', trigger: 'schedule' });

      await dialog.getByRole('button', { name: 'Rotate now' }).click();
      await dialog.getByRole('status').filter({ hasText: /^Rotated: version 3;/ }).waitFor();
      assert.equal(await version(), 3);
      await dialog.getByRole('button', { name: 'Close' }).click();
      await page.getByRole('button', { name: 'History: alice (Acme)', exact: true }).click();
      const history = page.getByRole('dialog', { name: 'Password history: alice (Acme)' });
      await history.getByRole('row').filter({ hasText: '3 (current)' }).filter({ hasText: `rotated now by ${OP}` }).waitFor();
      await history.getByRole('row').filter({ hasText: 'rotated on schedule' }).waitFor();
      await history.getByRole('button', { name: 'Close' }).click();
      await page.context().close();
    });

    it('a reveal in the page asks for a rotation at the end of its grace, shown in the dialog; it happens once the test\'s clock is past it', async () => {
      const page = await logIn(OP, OP_PW);
      await page.getByRole('button', { name: 'Reveal password: alice (Acme)', exact: true }).click();
      const ask = page.getByRole('dialog', { name: 'Confirm it is you' });
      await ask.getByLabel('Your password').fill(OP_PW);
      await ask.getByRole('button', { name: 'Continue' }).click();
      const revealed = page.getByRole('dialog', { name: 'Password of alice (Acme)' });
      await revealed.waitFor();
      const read = await revealed.getByLabel('Password of alice (Acme)').textContent();
      assert.equal(read!.length, 16);
      await revealed.getByRole('button', { name: 'Hide' }).click();
      await revealed.waitFor({ state: 'detached' });

      const due = (await admin.request('POST', '/api/rotation/credential', { credentialId: aliceId })).body.nextRotationAt as number;
      const expected = Date.now() + offset + 10 * 60_000;
      assert.ok(Math.abs(due - expected) < 10_000, `due at the end of the grace (${(due - expected) / 1000} s off)`);
      await page.getByRole('button', { name: 'Rotation: alice (Acme)', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Rotation: alice (Acme)' });
      await dialog.getByText(`Next rotation: ${new Date(due).toLocaleString('en-US', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'UTC' })} (its own policy).`).waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();

      assert.equal(await t.hub.rotation.runDue(), 0, 'not within the grace');
      offset += 11 * 60_000;
      assert.equal(await t.hub.rotation.runDue(), 1);
      assert.equal(await version(), 4);
      assert.deepEqual((await historySources())[0], { kind: 'rotation', trigger: 'after-read' });
      await page.context().close();
    });

    it('a Report Mismatches credential says why it never rotates, and its policy is refused with the hub\'s reason; a viewer may only look', async () => {
      const page = await logIn(OP, OP_PW);
      await page.getByRole('button', { name: 'Rotation: bob (Acme)', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Rotation: bob (Acme)' });
      await dialog.getByLabel('Policy of').selectOption('client');
      await dialog.getByRole('button', { name: 'Save policy' }).click();
      await dialog.getByText(/^Not rotated \(its client's policy\): credential "bob" of client "Acme" is in Report Mismatches mode/).waitFor();
      await dialog.getByLabel('Policy of').selectOption('credential');
      await dialog.getByRole('button', { name: 'Save policy' }).click();
      await dialog.getByRole('status').filter({ hasText: /^Not saved: .*rotation needs Change Password mode/ }).waitFor();
      await page.context().close();

      const viewer = await logIn(VIEWER, VIEWER_PW);
      await viewer.getByRole('button', { name: 'Rotation: alice (Acme)', exact: true }).click();
      const seen = viewer.getByRole('dialog', { name: 'Rotation: alice (Acme)' });
      await seen.getByText(/^Next rotation: /).waitFor();
      assert.equal(await seen.getByRole('button', { name: 'Rotate now' }).isDisabled(), true);
      assert.equal(await seen.getByRole('button', { name: 'Save policy' }).isDisabled(), true);
      await viewer.context().close();
      assert.deepEqual(errors, []);
    });
  });
}
