// Reveal and copy a password in the dashboard, in headless Chromium driven by playwright-core, against a real
// hub over HTTPS (in this process, on SQLite and PostgreSQL). An operator clicks Reveal, is asked for their
// own password first (the step-up), sees the password, copies it (the clipboard holds it), and after the
// page's reveal time it is gone: the dialog out of the page, the value in no DOM text, and (after a forced
// garbage collection) in no string of the page's JavaScript heap. A second reveal within the step-up asks
// for nothing. A viewer gets no Reveal button. The reveal time is shortened to 3 s with the page's
// `?revealMs=`, which only ever shortens it (asked for longer, the page keeps the 30 s that ships).
//
// A missing browser is a failure, not a skip (as in dashboard.browser.test.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { REVEAL_PATH, STEP_UP_PATH } from '../../src/hub/api/reveal-routes';
import type { HubClient } from '../../src/vault/hub-client';
import { startTestHub, type Engine, type TestHub } from '../helpers/hub';

const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-b2c4';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-3e9a';
const SECRET = 'Shown-Pw-canary-7d15';
const REVEAL_MS = 3_000;
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The page's JavaScript heap, after a full garbage collection, as the text of a heap snapshot. */
async function heapText(context: BrowserContext, page: Page): Promise<string> {
  const cdp = await context.newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e: { chunk: string }) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return chunks.join('');
}

for (const engine of ['sqlite', 'postgres'] as Engine[]) {
  describe(`dashboard in headless Chromium: reveal and copy a password (${engine})`, function () {
    this.timeout(120_000);
    let t: TestHub;
    let browser: Browser;
    let admin: HubClient;
    let origin = '';

    async function logIn(page: Page, name: string, password: string): Promise<void> {
      await page.goto(`${origin}/?revealMs=${REVEAL_MS}#/clients/Acme`); // the client's page, where its credentials are
      await page.getByLabel('User', { exact: true }).fill(name);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByText(new RegExp(`^${name} \\((admin|operator|viewer)\\)$`)).waitFor();
    }

    before(async () => {
      t = await startTestHub(engine);
      origin = t.hub.url;
      await t.addUser(OP, 'operator', [], OP_PW);
      await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
      admin = t.client(await t.token());
      assert.equal((await admin.request('POST', '/api/vault/addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'report' } })).status, 200);
      const added = await admin.request('POST', '/api/vault/addCredential', { credential: { client: 'Acme', username: 'alice', password: b64(SECRET), windowsSync: true, mode: 'report' } });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
      await t?.close();
    });

    it('an operator is asked for their password, sees the password, copies it, and it is gone from the page after the reveal time', async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
      const page = await context.newPage();
      const errors: string[] = [];
      // Expected: GET /api/me before the login (401) and the first reveal, before the step-up (403).
      page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|403)/.test(m.text())) errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(e.message));
      const calls: Array<[string, number]> = [];
      page.on('response', (r) => { const p = new URL(r.url()).pathname; if (p === STEP_UP_PATH || p === REVEAL_PATH) calls.push([p, r.status()]); });
      await logIn(page, OP, OP_PW);

      const revealButton = page.getByRole('button', { name: 'Reveal password: alice (Acme)', exact: true });
      await revealButton.click();
      const ask = page.getByRole('dialog', { name: 'Confirm it is you' });
      await ask.waitFor();
      assert.deepEqual(calls, [[REVEAL_PATH, 403]], 'asked for the password only once the hub said a step-up is needed');
      await ask.getByLabel('Your password').fill('not-my-password-at-all');
      await ask.getByRole('button', { name: 'Continue' }).click();
      await ask.getByRole('alert').filter({ hasText: /^wrong password/ }).waitFor();
      await ask.getByLabel('Your password').fill(OP_PW);
      await ask.getByRole('button', { name: 'Continue' }).click();

      const shown = page.getByRole('dialog', { name: 'Password of alice (Acme)' });
      await shown.waitFor();
      const shownAt = Date.now();
      assert.equal(await shown.getByLabel('Password of alice (Acme)').textContent(), SECRET);
      assert.deepEqual(calls, [[REVEAL_PATH, 403], [STEP_UP_PATH, 403], [STEP_UP_PATH, 200], [REVEAL_PATH, 200]]);
      await shown.getByRole('button', { name: 'Copy' }).click();
      await shown.getByRole('status').filter({ hasText: 'Copied to the clipboard.' }).waitFor();
      assert.equal(await page.evaluate('navigator.clipboard.readText()'), SECRET, 'the clipboard holds the password');
      // The copy read back for the check is the test's: overwritten, so the heap check below looks at the page's own copies.
      await page.evaluate('navigator.clipboard.writeText("something else")');

      await shown.waitFor({ state: 'detached', timeout: REVEAL_MS + 5_000 });
      const shownFor = Date.now() - shownAt;
      assert.ok(shownFor >= REVEAL_MS - 500, `hidden after ${shownFor} ms, not before ${REVEAL_MS} ms`);
      assert.equal(await page.getByRole('dialog').count(), 0);
      const dom = await page.evaluate('document.documentElement.outerHTML + document.body.innerText') as string;
      assert.ok(!dom.includes(SECRET), 'the password is in no DOM text');
      const heap = await heapText(context, page);
      assert.ok(heap.length > 100_000, `a heap snapshot (${heap.length} bytes)`);
      assert.ok(!heap.includes(SECRET) && !heap.includes(b64(SECRET)), 'the password is in no string of the page\'s heap');
      assert.ok(!heap.includes(OP_PW) && !heap.includes(b64(OP_PW)), 'nor the operator\'s own password');

      // Within the step-up's 5 minutes, a second reveal asks for nothing; Hide clears it at once.
      await revealButton.click();
      await shown.waitFor();
      assert.deepEqual(calls.slice(4), [[REVEAL_PATH, 200]]);
      await shown.getByRole('button', { name: 'Hide' }).click();
      await shown.waitFor({ state: 'detached' });
      assert.ok(!(await page.content()).includes(SECRET));
      // The address can only shorten the reveal time: asked for 10 minutes, it stays at what ships, 30 s.
      await page.goto(`${origin}/?revealMs=600000#/clients/Acme`);
      await revealButton.click();
      await shown.getByRole('status').filter({ hasText: 'Hidden again in 30 s.' }).waitFor();
      await shown.getByRole('button', { name: 'Hide' }).click();
      await shown.waitFor({ state: 'detached' });

      const reads = (await t.hub.vault.queryEvents({ kind: 'password-read' })).map((e) => e.reason);
      assert.deepEqual(reads, Array(3).fill('read by user "olivia" (operator), credential of client "Acme": revealed in the dashboard'));
      // The page's own event log shows the reads (never the password).
      await page.getByRole('table', { name: 'Event log' }).getByRole('row').filter({ hasText: 'revealed in the dashboard' }).first().waitFor({ timeout: 15_000 });
      assert.deepEqual(errors, [], 'no script error and no CSP violation in the page');
      await context.close();
    });

    it('a viewer has no Reveal button', async () => {
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const page = await context.newPage();
      await logIn(page, VIEWER, VIEWER_PW);
      const credentials = page.getByRole('table', { name: 'Credentials' });
      await credentials.getByRole('rowheader', { name: 'alice', exact: true }).waitFor();
      assert.equal(await credentials.getByRole('button', { name: /^Reveal/ }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /^Reveal/ }).count(), 0);
      assert.equal(await credentials.getByRole('columnheader', { name: 'Password', exact: true }).count(), 0);
      await context.close();
    });

    it('no password in the hub\'s log', () => {
      const log = fs.readFileSync(t.logFile, 'utf8');
      for (const s of [SECRET, OP_PW, VIEWER_PW]) assert.ok(!log.includes(s) && !log.includes(b64(s)), `hub.log holds ${s}`);
    });
  });
}
