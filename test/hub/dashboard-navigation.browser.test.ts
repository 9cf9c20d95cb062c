// The dashboard's navigation (issue 12, item 2) in headless Chromium against a real hub (in this process, over
// HTTPS, on SQLite and PostgreSQL): the clients list with counts, a link to one client's page (its heading
// takes the focus, the address names it), its credentials a page at a time, a credential action from a page
// deep in the list, back and forward through the browser's history, a filter within the client, and a
// search by username across clients whose results link to their clients.
import { strict as assert } from 'node:assert';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { HttpVault } from '../../src/vault/http.vault';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type Engine, type TestHub } from '../helpers/hub';

const ACME = Array.from({ length: 60 }, (_, i) => `user${String(i).padStart(2, '0')}`);

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: clients → a client → a credential action → back, and a search (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let admin: HttpVault;
    let browser: Browser;
    const errors: string[] = [];

    before(async () => {
      t = await startTestHub(engine);
      admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
      await admin.addClient({ name: 'Acme', windowsSync: true, defaultMode: 'report' });
      await admin.addClient({ name: 'Globex', windowsSync: false, defaultMode: 'report' });
      await admin.addClient({ name: 'Initech' });
      for (const username of [...ACME, 'WS01\\alice']) {
        await admin.addCredential({ client: 'Acme', username, password: Buffer.from(`Example-${username}`), windowsSync: false, mode: 'report' });
      }
      for (const username of ['USER07', 'bob']) {
        await admin.addCredential({ client: 'Globex', username, password: Buffer.from(`Example-${username}`), windowsSync: false, mode: 'report' });
      }
      const user42 = await admin.findCredential('Acme', 'user42');
      await admin.setFlag(user42!.id, 'mismatch', true);
      const operator = t.client(await t.token());
      for (const [client, machine] of [['Acme', 'WS01'], ['Globex', 'GX01']]) {
        const r = await operator.request('POST', '/api/agents', { client, machine });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const agent = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, r.body.token);
        await agent.appendEvents([{ time: Date.now(), machine, kind: 'service-started', outcome: 'info', reason: `${machine} started` }]);
        await agent.close();
      }
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await admin?.close();
      await t?.close();
    });

    async function logIn(hash = ''): Promise<Page> {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|404)/.test(m.text())) errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${t.hub.url}/${hash}`);
      await page.getByLabel('User', { exact: true }).fill(ADMIN);
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText(/^admin \(admin\)$/).waitFor();
      return page;
    }
    const hash = (page: Page) => page.evaluate('location.hash') as Promise<string>;
    /** Until the focus is on element `id` (page.waitForFunction would eval in the page, which its CSP forbids). */
    async function focusOn(page: Page, id: string): Promise<void> {
      for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
        if (await page.evaluate('document.activeElement?.id') === id) return;
      }
      assert.equal(await page.evaluate('document.activeElement?.id'), id, 'the focus moved to the view\'s heading');
    }
    const rowHeaders = async (page: Page) => (await page.getByRole('table', { name: 'Credentials' }).getByRole('rowheader').allTextContents());

    it('clients → a client\'s page → a credential edited on page 2 → back to the clients and forward again', async () => {
      const page = await logIn();
      const clients = page.getByRole('table', { name: 'Clients' });
      const acmeRow = clients.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Acme', exact: true }) });
      await acmeRow.waitFor();
      // Name, counts (credentials, machines), flagged credentials.
      assert.match(await acmeRow.textContent() ?? '', /^Acme6111 mismatch/);
      assert.equal(await page.getByRole('table', { name: 'Credentials' }).count(), 0, 'the clients list loads no credential');
      assert.equal(await hash(page), '');

      await clients.getByRole('link', { name: 'Acme', exact: true }).click();
      await page.getByRole('heading', { name: 'Acme', exact: true, level: 2 }).waitFor();
      assert.equal(await hash(page), '#/clients/Acme');
      await focusOn(page, 'client-title');
      assert.match(await page.title(), /^Client Acme|^Acme/);
      assert.equal(await page.getByRole('heading', { name: 'Clients', exact: true, level: 2 }).count(), 0, 'the clients list is hidden');
      await page.getByText('61 credentials, 1 machine.').waitFor();
      // Its machines and its events only.
      await page.getByRole('table', { name: 'Machines' }).getByRole('rowheader', { name: 'WS01' }).waitFor();
      const log = page.getByRole('table', { name: 'Event log' });
      await log.getByRole('row').filter({ hasText: 'WS01 started' }).waitFor();
      assert.equal(await log.getByRole('row').filter({ hasText: 'GX01' }).count(), 0, 'no other client\'s machine in its log');
      // Credentials a page at a time.
      const range = page.locator('#credentials-range');
      await range.filter({ hasText: 'Credentials 1–50 of 61.' }).waitFor();
      assert.deepEqual((await rowHeaders(page)).slice(0, 2), ['user00', 'user01']);
      assert.equal((await rowHeaders(page)).length, 50);
      assert.equal(await page.getByRole('button', { name: 'Previous page' }).isDisabled(), true);
      await page.getByRole('button', { name: 'Next page' }).click();
      await range.filter({ hasText: 'Credentials 51–61 of 61.' }).waitFor();
      assert.deepEqual(await rowHeaders(page), [...ACME.slice(50), 'WS01\\alice']);
      assert.equal(await page.getByRole('button', { name: 'Next page' }).isDisabled(), true);

      // A credential action from page 2: edit user55's password; the page stays where it was.
      const table = page.getByRole('table', { name: 'Credentials' });
      await table.getByRole('button', { name: 'Edit user55 (Acme)', exact: true }).click();
      const edit = page.getByRole('dialog', { name: 'Edit user55 (Acme)' });
      await edit.getByLabel('New password', { exact: true }).fill('Example-new-55');
      await edit.getByLabel('Repeat new password').fill('Example-new-55');
      await edit.getByRole('button', { name: 'Save' }).click();
      await page.locator('#notice').filter({ hasText: 'user55 (Acme): password changed (version 2).' }).waitFor();
      const row55 = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'user55', exact: true }) });
      await row55.filter({ hasText: /Report Mismatches.*none2/ }).waitFor();
      await range.filter({ hasText: 'Credentials 51–61 of 61.' }).waitFor();
      assert.equal((await admin.findCredential('Acme', 'user55'))?.version, 2);
      // History and reveal hang on the rows of any page.
      assert.equal(await table.getByRole('button', { name: 'History: user55 (Acme)', exact: true }).count(), 1);
      assert.equal(await table.getByRole('button', { name: 'Reveal password: user55 (Acme)', exact: true }).count(), 1);

      // Back: the clients list again, its heading focused; forward: Acme again.
      await page.goBack();
      await page.getByRole('heading', { name: 'Clients', exact: true, level: 2 }).waitFor();
      assert.equal(await hash(page), '');
      await focusOn(page, 'clients-title');
      await page.goForward();
      await page.getByRole('heading', { name: 'Acme', exact: true, level: 2 }).waitFor();
      await focusOn(page, 'client-title');
      await range.filter({ hasText: 'Credentials 1–50 of 61.' }).waitFor();

      // A filter within the client.
      await page.getByLabel('Filter usernames').fill('USER5');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await range.filter({ hasText: 'Credentials 1–10.' }).waitFor();
      assert.deepEqual(await rowHeaders(page), ACME.slice(50));
      await page.getByRole('button', { name: 'Show all' }).click();
      await range.filter({ hasText: 'Credentials 1–50 of 61.' }).waitFor();
      assert.deepEqual(errors, [], 'no script error and no CSP violation in the page');
      await page.context().close();
    });

    it('a search by username across clients, then a result\'s client; a link to a client that does not exist says so', async () => {
      const page = await logIn('#/clients/Globex');
      // A link straight to a client's page works after the login.
      await page.getByRole('heading', { name: 'Globex', exact: true, level: 2 }).waitFor();
      const search = page.getByRole('search', { name: 'Search credentials by username' });
      await search.getByLabel('Username').fill('user0');
      await search.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: 'Usernames containing “user0”', level: 2 }).waitFor();
      assert.equal(await hash(page), '#/search?q=user0');
      await focusOn(page, 'search-title');
      await page.locator('#credentials-range').filter({ hasText: 'Credentials 1–11.' }).waitFor();
      const table = page.getByRole('table', { name: 'Credentials' });
      const found = (await table.getByRole('row').allTextContents()).slice(1).map((r) => r.replace(/(Acme|Globex)(user\d\d|USER\d\d).*/i, '$1 $2'));
      // Byte order of the folded name, then id: Acme's user07 was made before Globex's USER07.
      assert.deepEqual(found, [...ACME.slice(0, 8).map((u) => `Acme ${u}`), 'Globex USER07', ...ACME.slice(8, 10).map((u) => `Acme ${u}`)]);
      // Prefix, with a machine credential's backslash and another case.
      await search.getByLabel('Username').fill('ws01\\A');
      await search.getByLabel('Match').selectOption('prefix');
      await search.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('heading', { name: 'Usernames starting with “ws01\\A”', level: 2 }).waitFor();
      await page.locator('#credentials-range').filter({ hasText: 'Credentials 1–1.' }).waitFor();
      assert.deepEqual(await rowHeaders(page), ['WS01\\alice']);
      // A result's client is a link to its page.
      await table.getByRole('link', { name: 'Acme' }).click();
      await page.getByRole('heading', { name: 'Acme', exact: true, level: 2 }).waitFor();
      // Back to the search, as it was.
      await page.goBack();
      await page.getByRole('heading', { name: 'Usernames starting with “ws01\\A”', level: 2 }).waitFor();
      await search.getByLabel('Username').fill('nobody-has-this');
      await search.getByLabel('Match').selectOption('substring');
      await search.getByRole('button', { name: 'Search' }).click();
      await table.getByText('No username matches.').waitFor();
      await page.goto(`${t.hub.url}/#/clients/Nope`);
      await page.getByRole('heading', { name: 'No client named Nope', level: 2 }).waitFor();
      assert.deepEqual(errors, [], 'no script error and no CSP violation in the page');
      await page.context().close();
    });
  });
}
