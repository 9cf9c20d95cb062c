// Webhook alerts in the dashboard (alerts.js, #/alerts), in headless Chromium against a real hub (in this
// process, over HTTPS, on SQLite and PostgreSQL) and a real webhook receiver started here: an admin saves
// the webhook, copies the secret shown once, sends a test alert; the receiver gets it signed and the test
// verifies the signature with the secret taken from the page. With the receiver down, the delivery shows as
// waiting with its error; once the receiver is back and the retry is due (the hub's injected clock; the hub's
// alert loop is driven by tick(), no wall-clock waits) it shows as delivered. An operator has no Alerts link.
import { strict as assert } from 'node:assert';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, logInAs } from '../helpers/browser';
import { RETRY_FIRST_MS } from '../../src/hub/alerts';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';
import { WebhookReceiver, verifies } from '../helpers/webhook-receiver';

const OP_PW = 'Operator-Pw-alerts-2b9c';

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: webhook alerts (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let browser: Browser;
    let offset = 0;
    const receiver = new WebhookReceiver();
    const errors: string[] = [];

    const logIn = (name: string, password: string): Promise<Page> => logInAs(browser, t.hub.url, name, password, errors);

    /** Back to the alerts view, which loads the deliveries afresh. */
    async function reopen(page: Page): Promise<void> {
      await page.getByRole('link', { name: 'All clients' }).click();
      await page.getByRole('heading', { name: 'Clients', level: 2 }).waitFor();
      await page.getByRole('link', { name: 'Alerts' }).click();
      await page.getByRole('heading', { name: 'Alerts', level: 2 }).waitFor();
    }

    before(async () => {
      await receiver.up();
      t = await startTestHub(engine, { now: () => Date.now() + offset, alertEveryMs: 0 });
      await t.addUser('olivia', 'operator', [], OP_PW);
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await t?.close();
      await receiver.down();
    });

    it('an operator has no Alerts link', async () => {
      const page = await logIn('olivia', OP_PW);
      assert.equal(await page.getByRole('link', { name: 'Alerts' }).count(), 0);
      await page.context().close();
    });

    it('an admin saves the webhook, copies the secret shown once, sends a test; the receiver verifies it; a delivery that waited for a receiver that was down shows as delivered', async () => {
      const page = await logIn(ADMIN, ADMIN_PASSWORD);
      await page.getByRole('link', { name: 'Alerts' }).click();
      await page.getByRole('heading', { name: 'Alerts', level: 2 }).waitFor();
      const form = page.locator('#alerts-form');
      await form.getByText('Not configured yet').waitFor();
      // A refusal says what is wrong, in the page.
      await form.getByLabel('Webhook URL').fill('http://alerts.example.com/hook');
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByRole('status').filter({ hasText: /^Not saved: url must be https:\/\/ unless/ }).waitFor();
      await form.getByLabel('Webhook URL').fill(receiver.url);
      await form.getByRole('button', { name: 'Save' }).click();
      await form.getByRole('status').filter({ hasText: /copy it to your receiver now/ }).waitFor();
      const secret = await page.getByLabel(/^Signing secret/).inputValue();
      assert.match(secret, /^whsec_/);

      await form.getByRole('button', { name: 'Send test' }).click();
      await form.getByRole('status').filter({ hasText: /^Test alert #\d+ queued/ }).waitFor();
      await t.hub.alerts.tick();
      assert.equal(receiver.received.length, 1);
      assert.ok(verifies(receiver.received[0], secret), 'signed with the secret the page showed');
      assert.ok(!verifies(receiver.received[0], secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')), 'a wrong secret does not verify');
      assert.equal(receiver.received[0].json.test, true);

      // Leaving the view drops the secret from the page: it was shown once.
      await reopen(page);
      assert.equal(await page.getByLabel(/^Signing secret/).isVisible(), false);
      assert.equal(await form.getByLabel('Webhook URL').inputValue(), receiver.url, 'the form shows the saved settings');
      const table = page.getByRole('table', { name: /Recent deliveries/ });
      await table.getByRole('row').filter({ hasText: 'Delivered' }).waitFor();

      await receiver.down();
      await form.getByRole('button', { name: 'Send test' }).click();
      const queued = await form.getByRole('status').filter({ hasText: /^Test alert #\d+ queued/ }).textContent();
      const id = /#(\d+)/.exec(queued ?? '')![1];
      await t.hub.alerts.tick();
      await reopen(page);
      const row = table.locator(`tr[data-id="${id}"]`);
      await row.filter({ hasText: 'Waiting' }).filter({ hasText: /1 attempt\(s\), last: .*ECONNREFUSED/ }).waitFor();
      await receiver.up();
      offset += RETRY_FIRST_MS;
      await t.hub.alerts.tick();
      await reopen(page);
      await row.filter({ hasText: 'Delivered' }).waitFor();
      assert.equal(receiver.received.length, 2);
      assert.equal(String(receiver.received[1].json.id), id);
      assert.ok(verifies(receiver.received[1], secret));
      await page.context().close();
      assert.deepEqual(errors, []);
    });
  });
}
