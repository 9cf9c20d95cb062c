// Resolving a conflict both ways in the dashboard, end to end with real processes: `pwbridge hub` (SQLite),
// one machine set up with `pwbridge setup` and running `pwbridge run` (one-hour reconcile interval, so only
// push-down can explain what it does within seconds), a throwaway Linux user as the real local account
// (Report Mismatches), and headless Chromium (playwright-core) for the clicks. The local change reaches the
// agent as the PAM module sends it (a CaptureClient on the service's socket, sealed to the bridge key) with
// the time it was made: before the vault's password was set (a change made while the machine was away), so
// the agent flags a conflict and keeps the capture.
//
// 1. "Take the machine's": the agent sends the kept capture, it becomes the vault's password (recorded as a
//    capture on WS01 resolved by the admin), the flag clears, and the local account keeps its password.
// 2. "Keep the vault's": the agent sets the vault's password on the real account once, although the mode is
//    Report Mismatches, wipes its capture, and the flag clears.
//
// Root only (it makes a real user), like the other end-to-end tests; a missing browser is a failure.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { LinuxAccounts } from '../../src/platform/linux/linux.accounts';
import { dataPaths } from '../../src/config/paths';
import { Encoding } from '../../src/protocol/constants';
import { PUBLIC_FILE, SECRET_FILE } from '../../src/protocol/key-files';
import { CaptureClient } from '../helpers/capture-client';
import { pollUntil } from '../cli/cli';
import { startHubAgent, type HubAgent } from '../helpers/hub-agent';
import { createUser, isRoot, removeUser, setPasswordDirect } from '../platform/users';
import { skipBecause } from '../helpers/skip';

const MACHINE = 'WS01';
const canary = (what: string) => `${what}-canary-${randomBytes(8).toString('hex')}`;
const ADMIN_PW = canary('admin');
const VAULT1 = canary('vault1');
const LOCAL1 = canary('local1');
const VAULT2 = canary('vault2');
const LOCAL2 = canary('local2');
/** Well under the one-hour interval: only the push-down can bring it. */
const PUSH_BOUND_MS = 10_000;

describe('dashboard in headless Chromium: resolve a conflict both ways with a real agent and a real local account', function () {
  this.timeout(240_000);
  let a: HubAgent | undefined;
  let user: string | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let id: number;
  const username = () => `${MACHINE}\\${user}`;
  const accounts = new LinuxAccounts({ fingerprintKey: randomBytes(32) });
  const has = (pw: string) => async () => ((await accounts.verifyPassword(user!, Buffer.from(pw))) ? true : undefined);
  const vaultPassword = async () => { const b = await a!.admin().readPassword(id); const s = b.toString(); b.fill(0); return s; };
  const errors: string[] = [];

  /**
   * The user's change on the machine, made at `at`, reported as the PAM module reports it: its hello carries
   * this boot's id (what tells the service the module is loaded), its CHANGE the password sealed to the bridge key.
   */
  async function localChange(pw: string, at: number): Promise<string> {
    setPasswordDirect(user!, Buffer.from(pw));
    const keys = dataPaths(a!.agentDir).keysDir;
    const c = await CaptureClient.connect(path.join(a!.agentDir, 'run', 'capture.sock'), {
      secret: fs.readFileSync(path.join(keys, SECRET_FILE)), bridgePub: fs.readFileSync(path.join(keys, PUBLIC_FILE)), machine: MACHINE,
      bootId: Buffer.from(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, ''), 'hex'),
    });
    try {
      const sent = c.send({ account: user!, encoding: Encoding.raw, password: Buffer.from(pw), capturedAt: at });
      assert.equal((await sent.acked).status, 0, 'journaled');
      return sent.eventIdHex;
    } finally {
      c.destroy();
    }
  }

  /** The dashboard shows the conflict; the admin opens it and clicks `choice`. */
  async function resolveInPage(choice: string, vaultSide: RegExp): Promise<void> {
    await page.reload();
    await page.getByText(/^admin \(admin\)$/).waitFor();
    const table = page.getByRole('table', { name: 'Conflicts' });
    await table.getByRole('rowheader', { name: username() }).waitFor();
    await page.getByRole('button', { name: `Resolve: ${username()} (Acme) on ${MACHINE}`, exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Conflict: ${username()} (Acme) on ${MACHINE}` });
    await dialog.waitFor();
    assert.match(await dialog.locator('#conflict-machine-side').innerText(), new RegExp(`^captured on ${MACHINE} `));
    assert.match(await dialog.locator('#conflict-vault-side').innerText(), vaultSide);
    const text = await page.content();
    for (const pw of [VAULT1, LOCAL1, VAULT2, LOCAL2]) assert.ok(!text.includes(pw), 'no password in the page');
    await dialog.getByRole('button', { name: choice, exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: /^(Kept|Took) / }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
  }

  before(async function () {
    if (!isRoot) skipBecause(this, 'needs root (a throwaway local account; CI is root)');
    user = createUser();
    a = await startHubAgent({ adminPassword: ADMIN_PW, machine: MACHINE, client: 'Acme' });
    id = (await a.admin().addCredential({ client: 'Acme', username: username(), password: Buffer.from(VAULT1), windowsSync: true, mode: 'report' })).id;
    await a.startService();
    browser = await launchChromium();
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(a.url);
    await page.getByLabel('User', { exact: true }).fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PW);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText(/^admin \(admin\)$/).waitFor();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await a?.cleanup();
    removeUser(user);
  });

  it('"Take the machine\'s": the kept capture becomes the vault\'s password, recorded as resolved by the admin; the flag clears', async () => {
    const before = (await a!.admin().findCredential('Acme', username()))!;
    const eventId = await localChange(LOCAL1, before.passwordSetAt - 60_000);
    const [k] = await pollUntil('the conflict with the machine\'s side', async () => {
      const list = await a!.admin().listConflicts();
      return list.length ? list : undefined;
    }, 15_000);
    assert.equal(k.eventId, eventId);
    assert.equal(await vaultPassword(), VAULT1, 'the conflict wrote nothing');

    const asked = Date.now();
    await resolveInPage('Take the machine\'s', /^version 1, set .*, set by admin$/);
    await pollUntil('the machine\'s password in the vault', async () => ((await vaultPassword()) === LOCAL1 ? true : undefined), PUSH_BOUND_MS);
    assert.ok(Date.now() - asked < PUSH_BOUND_MS);
    const after = (await a!.admin().findCredential('Acme', username()))!;
    assert.ok(!after.flags.includes('conflict'), `flags ${after.flags.join(', ')}`);
    assert.deepEqual((await a!.admin().listPasswordHistory(id))[0].source, { kind: 'capture', machine: MACHINE, resolvedBy: 'admin' });
    assert.deepEqual(await a!.admin().listConflicts(), []);
    assert.ok(await has(LOCAL1)(), 'the local account keeps its password');
    const sent = await pollUntil('the agent\'s conflict-capture-sent', async () => (await a!.admin().queryEvents({ kind: 'conflict-capture-sent' }))[0], 10_000);
    assert.equal(sent.outcome, 'ok');
    assert.match((await a!.admin().queryEvents({ kind: 'conflict-resolved' }))[0].reason ?? '', /user "admin" \(admin\) chose "take the machine's"/);
    await page.getByRole('table', { name: 'Conflicts' }).waitFor({ state: 'hidden' });
  });

  it('"Keep the vault\'s": the vault\'s password is set on the real account once, in Report Mismatches mode; the flag clears', async () => {
    const beforeVault2 = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    await a!.admin().updateCredential('Acme', username(), { password: Buffer.from(VAULT2) });
    // The user's own change, made before the vault's new password (the machine was away): a conflict.
    await localChange(LOCAL2, beforeVault2);
    await pollUntil('the second conflict', async () => ((await a!.admin().listConflicts()).length ? true : undefined), 15_000);
    assert.ok(await has(LOCAL2)(), 'report mode: nothing set the account yet');

    const asked = Date.now();
    await resolveInPage('Keep the vault\'s', /^version 3, set .*, set by admin$/);
    await pollUntil('the vault\'s password on the real account', has(VAULT2), PUSH_BOUND_MS);
    assert.ok(Date.now() - asked < PUSH_BOUND_MS);
    assert.equal(await accounts.verifyPassword(user!, Buffer.from(LOCAL2)), false, 'the local change is undone, as chosen');
    assert.equal(await vaultPassword(), VAULT2, 'the vault keeps its password');
    await pollUntil('the conflict settled', async () => ((await a!.admin().listConflicts()).length === 0 ? true : undefined), 10_000);
    assert.ok(!(await a!.admin().findCredential('Acme', username()))!.flags.includes('conflict'));
    const kept = await pollUntil('the agent\'s conflict-vault-kept', async () => (await a!.admin().queryEvents({ kind: 'conflict-vault-kept' }))[0], 10_000);
    assert.match(kept.reason ?? '', /set on local account .* once \(mode report\); the conflicted capture was wiped/);
    const all = JSON.stringify(await a!.admin().queryEvents({}));
    for (const pw of [VAULT1, LOCAL1, VAULT2, LOCAL2]) assert.ok(!all.includes(pw), 'no password in any event');
    assert.deepEqual(errors, []);
  });
});
