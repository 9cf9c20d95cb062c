// The dashboard's accessibility (issue 12): axe-core (the npm package, pinned in devDependencies) run in headless
// Chromium against a real hub (in this process, over HTTPS, SQLite) on every view and dialog: the login form,
// the clients list with its event log, one client's page (options, credentials, machines, events), the
// add-credential form, the edit, delete and Change Password dialogs, the password history, the rotation dialog, the enrolment
// tokens view (its token dialog and revoke confirmation), the import (with a dry run) and export dialogs, the conflicts
// section and its dialog, a search across clients, the users and two-factor dialogs, the reveal prompt and
// the revealed password, and a viewer's clients list and client page. No violation of impact serious or critical
// may remain. The same run saves a PNG of each main view (fixed viewport, locale and time zone; fake data, no real
// secret). They go to a temporary folder, checked and dropped; with PWBRIDGE_UPDATE_SCREENSHOTS=1 into
// docs/screenshots/, the README's (committed) images, so that an ordinary run does not rewrite committed files
// (each run's times differ, so would its PNGs).
//
// axe is put into the page with page.evaluate (the DevTools protocol's Runtime.evaluate), which the page's
// Content-Security-Policy does not govern: the page keeps its real CSP (no bypassCSP), so what axe checks is
// what an operator gets. An inline <script> (page.addScriptTag with content) is what that CSP forbids
// (script-src 'self', nothing inline); this way needs neither it nor bypassCSP.
//
// A missing browser is a failure, not a skip (as in dashboard.browser.test.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser';
import { HttpVault } from '../../src/vault/http.vault';
import { ADMIN, ADMIN_PASSWORD, startTestHub, type TestHub } from '../helpers/hub';

const VIEWPORT = { width: 1280, height: 800 };
// The repository's docs/screenshots, from dist/test/hub/ (where mocha runs the compiled test) or test/hub/.
const DOCS_SHOTS = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../docs/screenshots' : '../../docs/screenshots');
const UPDATE_DOCS = process.env.PWBRIDGE_UPDATE_SCREENSHOTS === '1';
const SHOTS = UPDATE_DOCS ? DOCS_SHOTS : fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-screenshots-'));
// Fake data only: these are shown nowhere but the revealed-password dialog, which is not photographed.
const OP = 'olivia';
const OP_PW = 'Operator-Pw-a11y-5b7e';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-a11y-9c2d';
const SHOWN = 'Example-Pw-a11y-1f3a';

interface AxeNode { target: unknown[]; failureSummary?: string }
interface AxeViolation { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe's serious and critical findings on the page as it is now, one line per element: its violations, and what
 * it could not decide and leaves to a person ("needs review"), which this test decides as a failure too.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const r = await page.evaluate(`axe.run(document, { resultTypes: ['violations', 'incomplete'] })
    .then((r) => ({ violations: r.violations, incomplete: r.incomplete }))`) as { violations: AxeViolation[]; incomplete: AxeViolation[] };
  const lines = (list: AxeViolation[], kind: string) => list.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}${kind} at ${JSON.stringify(n.target)}: ${v.help} (${v.helpUrl})`));
  return [...lines(r.violations, ''), ...lines(r.incomplete, ' (needs review)')];
}

async function assertAccessible(page: Page, view: string): Promise<void> {
  const found = await seriousViolations(page);
  assert.deepEqual(found, [], `${view}: ${found.length} serious or critical accessibility violation(s):\n  ${found.join('\n  ')}`);
}

/**
 * Contrast against the page of what axe does not measure (WCAG 1.4.11, non-text): an off switch's track and a
 * text field's edge. Each is [what, ratio].
 */
async function nonTextContrast(page: Page): Promise<Array<[string, number]>> {
  return page.evaluate(`(() => {
    const rgb = (c) => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
    const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return Math.round((x + 0.05) / (y + 0.05) * 100) / 100; };
    const page = getComputedStyle(document.body).backgroundColor === 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.documentElement).backgroundColor : getComputedStyle(document.body).backgroundColor;
    const off = document.querySelector('input[role=switch]:not(:checked)');
    const field = document.querySelector('#client-form input[name=name]');
    return [['off switch', ratio(getComputedStyle(off).backgroundColor, page)], ['text field edge', ratio(getComputedStyle(field).borderTopColor, page)]];
  })()`);
}

async function shoot(target: Page | Locator, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await target.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

describe('dashboard in headless Chromium: accessibility (axe-core) of every view, and the README\'s screenshots', function () {
  this.timeout(180_000);
  let t: TestHub;
  let admin: HttpVault;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  async function openAs(name: string, password: string): Promise<Page> {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: VIEWPORT, deviceScaleFactor: 1, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
    const p = await context.newPage();
    p.on('console', (m) => { if (m.type() === 'error' && !/status of (401|403)/.test(m.text())) errors.push(m.text()); });
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(t.hub.url);
    await p.getByRole('button', { name: 'Log in' }).waitFor();
    if (name) {
      await p.getByLabel('User', { exact: true }).fill(name);
      await p.getByLabel('Password', { exact: true }).fill(password);
      await p.getByRole('button', { name: 'Log in' }).click();
      await p.getByText(new RegExp(`^${name} \\((admin|operator|viewer)\\)$`)).waitFor();
      await p.getByRole('table', { name: 'Clients' }).getByRole('rowheader', { name: 'Globex' }).waitFor();
      await p.getByRole('table', { name: 'Event log' }).getByRole('row').nth(3).waitFor();
    }
    return p;
  }

  before(async () => {
    t = await startTestHub('sqlite');
    await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
    await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
    admin = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
    const operator = t.client(await t.token(OP, OP_PW));
    await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
    await admin.addClient({ name: 'Globex', windowsSync: false, twoWaySync: false, autoCreate: true, defaultMode: 'change' });
    for (const [client, machine, filterState, journalDepth] of [['Acme', 'WS01', 'active', 0], ['Acme', 'WS02', 'pending-reboot', 3], ['Globex', 'SRV01', 'active', 0]] as const) {
      const r = await operator.request('POST', '/api/agents', { client, machine });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const agent = HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, r.body.token);
      await agent.recordMachine({ name: machine, client, filterState, journalDepth });
      // What an agent sends at its start, so the event log has machines' lines and not only the hub's.
      await agent.appendEvents([{ time: Date.now(), machine, kind: 'service-started', outcome: 'info', reason: `client "${client}"; filter ${filterState}` }]);
      await agent.close();
    }
    await admin.addCredential({ client: 'Acme', username: 'WS01\\carol', password: Buffer.from('Example-Pw-a11y-0001'), windowsSync: true, mode: 'report' });
    await admin.addCredential({ client: 'Acme', username: 'erin', password: Buffer.from('Example-Pw-a11y-0002'), windowsSync: true, mode: 'change' });
    await admin.addCredential({ client: 'Globex', username: 'backup', password: Buffer.from(SHOWN), windowsSync: false, mode: 'report' });
    await admin.updateCredential('Acme', 'erin', { password: Buffer.from('Example-Pw-a11y-0003') });
    const carol = await admin.findCredential('Acme', 'WS01\\carol');
    await admin.setFlag(carol!.id, 'mismatch', true);
    // WS01's change older than the vault's password: a conflict with both sides (conflicts.js).
    await admin.recordConflict(carol!.id, { machine: 'WS01', capturedAt: Date.now() - 90_000, eventId: 'c0ffee'.padStart(32, '0') });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await admin?.close();
    await t?.close();
    if (!UPDATE_DOCS) fs.rmSync(SHOTS, { recursive: true, force: true });
  });

  it('the login form; and the check itself finds a broken element put into that page', async () => {
    const p = await openAs('', '');
    await assertAccessible(p, 'login form');
    await shoot(p, 'dashboard-login');
    // An unlabelled field and a light grey heading on white: the same check must name both, by rule and element.
    // (Set through the CSSOM, which the page's CSP allows; a <style> tag it would refuse.)
    await p.evaluate(`document.querySelector('#login-form').append(Object.assign(document.createElement('input'), { id: 'a11y-probe' }));
      document.querySelector('#login-title').style.color = '#bbbbbb'`);
    const found = await seriousViolations(p);
    assert.ok(found.some((l) => /^critical label at \["#a11y-probe"\]/.test(l)), found.join('\n'));
    assert.ok(found.some((l) => /^serious color-contrast at \["#login-title"\]/.test(l)), found.join('\n'));
    await p.context().close();
  });

  it('the admin\'s clients list (with counts) and every client\'s event log', async () => {
    page = await openAs(ADMIN, ADMIN_PASSWORD);
    await assertAccessible(page, 'clients list (admin)');
    for (const [what, ratio] of await nonTextContrast(page)) assert.ok(ratio >= 3, `${what}: contrast ${ratio}:1 against the page, under WCAG 1.4.11's 3:1`);
    await shoot(page, 'dashboard-main');
    await shoot(page.getByRole('region', { name: 'Clients' }), 'dashboard-clients');
    await shoot(page.getByRole('region', { name: 'Event log' }), 'dashboard-events');
  });

  it('one client\'s page: its options, credentials (paged), machines and events', async () => {
    await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme', exact: true }).click();
    await page.getByRole('heading', { name: 'Acme', level: 2 }).waitFor();
    await page.getByRole('table', { name: 'Machines' }).getByRole('rowheader', { name: 'WS02' }).waitFor();
    await page.getByRole('table', { name: 'Event log' }).getByRole('row').nth(2).waitFor();
    await page.getByRole('table', { name: 'Credentials' }).getByRole('rowheader', { name: 'erin' }).waitFor();
    await assertAccessible(page, 'client page (admin)');
    await shoot(page, 'dashboard-client');
    await shoot(page.getByRole('region', { name: 'Machines' }), 'dashboard-machines');
  });

  it('the add-credential form, filled, and the Change Password confirmation it asks for', async () => {
    const form = page.getByRole('region', { name: 'Add a credential' });
    await form.getByLabel('Client').selectOption('Acme');
    await form.getByLabel('Username').fill('dave');
    await form.getByRole('button', { name: 'Generate a password' }).click();
    await form.getByLabel('Mode').selectOption('change');
    await assertAccessible(page, 'add-credential form');
    await form.getByRole('button', { name: 'Add credential' }).click();
    const confirm = page.getByRole('dialog', { name: 'Switch to Change Password?' });
    await confirm.waitFor();
    await assertAccessible(page, 'Change Password confirmation');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    // Emptied again, so the screenshots behind the next dialogs show no half-filled form.
    for (const field of ['Username', 'Credential password', 'Repeat credential password']) await form.getByLabel(field, { exact: true }).fill('');
  });

  it('the edit and delete dialogs', async () => {
    const table = page.getByRole('table', { name: 'Credentials' });
    await table.getByRole('button', { name: 'Edit erin (Acme)', exact: true }).click();
    const edit = page.getByRole('dialog', { name: 'Edit erin (Acme)' });
    await edit.waitFor();
    await assertAccessible(page, 'edit dialog');
    await shoot(page, 'dashboard-credential-edit');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate('document.activeElement.getAttribute("aria-label")'), 'Edit erin (Acme)', 'focus goes back to the button that opened the dialog');
    await table.getByRole('button', { name: 'Delete erin (Acme)', exact: true }).click();
    const del = page.getByRole('dialog', { name: 'Delete this credential?' });
    await del.waitFor();
    await assertAccessible(page, 'delete dialog');
    await del.getByRole('button', { name: 'Cancel' }).click();
    await del.waitFor({ state: 'hidden' });
  });

  it('the password history dialog', async () => {
    await page.getByRole('button', { name: 'History: erin (Acme)', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Password history: erin (Acme)' });
    await dialog.getByRole('row').filter({ hasText: '2 (current)' }).waitFor();
    await assertAccessible(page, 'history dialog');
    await shoot(page, 'dashboard-history');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the rotation dialog', async () => {
    await page.getByRole('button', { name: 'Rotation: erin (Acme)', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotation: erin (Acme)' });
    await dialog.getByText('Not rotated: no policy for this credential or its client.').waitFor();
    await assertAccessible(page, 'rotation dialog');
    await shoot(page, 'dashboard-rotation');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('the import dialog with a dry run (created, updated, refused), and the export dialog with passwords', async () => {
    // Import and export are on the clients list.
    await page.getByRole('link', { name: 'All clients' }).click();
    await page.getByRole('heading', { name: 'Clients', level: 2, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Import from a file' }).click();
    const imp = page.getByRole('dialog', { name: 'Import credentials' });
    await imp.waitFor();
    await assertAccessible(page, 'import dialog');
    const file = ['client,username,password,windows sync,mode', 'Acme,WS02\\svc,Example-Pw-a11y-0004,on,change',
      'Acme,erin,Example-Pw-a11y-0005,,', 'Globex,WS01\\frank,Example-Pw-a11y-0006,,report', 'Initech,admin,Example-Pw-a11y-0007,on,change'].join('\r\n');
    await imp.getByLabel('File (CSV or encrypted export)').setInputFiles({ name: 'import.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await imp.getByRole('button', { name: 'Check (dry run)' }).click();
    await imp.getByRole('status').filter({ hasText: /^Dry run: 2 to create, 1 to update, 0 unchanged, 1 refused/ }).waitFor();
    await assertAccessible(page, 'import dialog with its dry run');
    await shoot(page, 'dashboard-import');
    await imp.getByRole('button', { name: 'Close' }).click();
    await imp.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const exp = page.getByRole('dialog', { name: 'Export credentials' });
    await exp.getByLabel('With passwords, encrypted with a passphrase (admins)').check();
    await exp.getByLabel('Passphrase', { exact: true }).waitFor();
    await assertAccessible(page, 'export dialog');
    await exp.getByRole('button', { name: 'Close' }).click();
    await exp.waitFor({ state: 'hidden' });
  });

  it('the conflicts section and the conflict dialog (both sides, the two choices)', async () => {
    await page.getByRole('table', { name: 'Conflicts' }).getByRole('rowheader', { name: 'WS01\\carol' }).waitFor();
    await page.getByRole('button', { name: 'Resolve: WS01\\carol (Acme) on WS01', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Conflict: WS01\\carol (Acme) on WS01' });
    await dialog.getByRole('button', { name: 'Take the machine\'s' }).waitFor();
    await assertAccessible(page, 'conflict dialog');
    await shoot(page, 'dashboard-conflict');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('a search by username across clients', async () => {
    const search = page.getByRole('search', { name: 'Search credentials by username' });
    await search.getByLabel('Username').fill('A');
    await search.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: 'Usernames containing “A”', level: 2 }).waitFor();
    await page.getByRole('table', { name: 'Credentials' }).getByRole('rowheader', { name: 'backup' }).waitFor();
    await assertAccessible(page, 'search results');
    await shoot(page, 'dashboard-search');
  });

  it('the reveal prompt (step-up) and the revealed password, from the search results', async () => {
    await page.getByRole('button', { name: 'Reveal password: backup (Globex)', exact: true }).click();
    const ask = page.getByRole('dialog', { name: 'Confirm it is you' });
    await ask.waitFor();
    await assertAccessible(page, 'reveal prompt');
    await ask.getByLabel('Your password').fill('not-the-password');
    await ask.getByRole('button', { name: 'Continue' }).click();
    await ask.getByRole('alert').filter({ hasText: /^wrong password/ }).waitFor();
    await assertAccessible(page, 'reveal prompt with its error');
    await ask.getByLabel('Your password').fill(ADMIN_PASSWORD);
    await ask.getByRole('button', { name: 'Continue' }).click();
    const shown = page.getByRole('dialog', { name: 'Password of backup (Globex)' });
    await shown.waitFor();
    await assertAccessible(page, 'revealed password');
    await shown.getByRole('button', { name: 'Hide' }).click();
    await shown.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('the alerts view (admins): settings, the secret shown once, recent deliveries', async () => {
    const p = await openAs(ADMIN, ADMIN_PASSWORD);
    await p.getByRole('link', { name: 'Alerts' }).click();
    await p.getByRole('heading', { name: 'Alerts', level: 2 }).waitFor();
    await assertAccessible(p, 'alerts view, not configured');
    const form = p.locator('#alerts-form');
    await form.getByLabel('Webhook URL').fill('https://alerts.example.com/pwbridge');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').filter({ hasText: /copy it to your receiver now/ }).waitFor();
    await form.getByRole('button', { name: 'Send test' }).click();
    await p.getByRole('table', { name: /Recent deliveries/ }).getByRole('row').filter({ hasText: 'Waiting' }).waitFor();
    await assertAccessible(p, 'alerts view with the secret and a delivery');
    // The secret is random: hidden before the picture, so the committed image does not change with each run.
    await p.getByRole('button', { name: 'I have copied it' }).click();
    await shoot(p.locator('#alerts-section'), 'dashboard-alerts');
    await p.context().close();
  });

  it('the users dialog and the two-factor sign-in dialog (users.js)', async () => {
    const p = await openAs(ADMIN, ADMIN_PASSWORD);
    await p.getByRole('button', { name: 'Users', exact: true }).click();
    const users = p.getByRole('dialog', { name: 'Users' });
    await users.getByRole('rowheader', { name: OP }).waitFor();
    await assertAccessible(p, 'users dialog');
    await shoot(p, 'dashboard-users');
    await users.getByRole('button', { name: 'Close' }).click();
    await users.waitFor({ state: 'hidden' });
    await p.getByRole('button', { name: 'Two-factor sign-in' }).click();
    const mfa = p.getByRole('dialog', { name: 'Two-factor sign-in' });
    await mfa.getByText('Two-factor sign-in is off.').waitFor();
    await assertAccessible(p, 'two-factor dialog');
    await shoot(p, 'dashboard-two-factor');
    await mfa.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await mfa.getByLabel('Code').waitFor();
    await assertAccessible(p, 'two-factor dialog with its key');
    await p.context().close();
  });

  it('the enrolment tokens view (admins): the form, the token shown once with its setup command, the list, the revoke confirmation', async () => {
    const p = await openAs(ADMIN, ADMIN_PASSWORD);
    await p.getByRole('link', { name: 'Enrolment tokens' }).click();
    await p.getByRole('heading', { name: 'Enrolment tokens', level: 2 }).waitFor();
    await assertAccessible(p, 'enrolment tokens view, no token');
    const form = p.locator('#enrolment-form');
    await form.getByLabel('Uses').fill('500');
    await form.getByLabel('Expires in (hours)').fill('48');
    await form.getByRole('button', { name: 'Create token' }).click();
    const dialog = p.getByRole('dialog', { name: /^Enrolment token #\d+ for Acme$/ });
    await dialog.waitFor();
    await assertAccessible(p, 'enrolment token dialog (the token shown once)');
    // The token is random: closed before the picture, so the committed image does not change with each run.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await form.getByLabel('Client').selectOption('Globex');
    await form.getByLabel('Uses').fill('1');
    await form.getByRole('button', { name: 'Create token' }).click();
    await p.getByRole('dialog', { name: /^Enrolment token #\d+ for Globex$/ }).getByRole('button', { name: 'Close' }).click();
    const table = p.getByRole('table', { name: /Enrolment tokens/ });
    await table.getByRole('button', { name: /^Revoke enrolment token #\d+$/ }).first().click();
    await p.getByRole('dialog', { name: /^Revoke enrolment token #\d+\?$/ }).getByRole('button', { name: 'Revoke' }).click();
    await table.getByText(/^Revoked by /).waitFor();
    await assertAccessible(p, 'enrolment tokens list (active and revoked)');
    await table.getByRole('button', { name: /^Revoke enrolment token #\d+$/ }).click();
    await p.getByRole('dialog', { name: /^Revoke enrolment token #\d+\?$/ }).waitFor();
    await assertAccessible(p, 'revoke enrolment token confirmation');
    await p.getByRole('dialog', { name: /^Revoke enrolment token #\d+\?$/ }).getByRole('button', { name: 'Cancel' }).click();
    await shoot(p.locator('#enrolment-section'), 'dashboard-enrolment');
    await p.context().close();
  });

  it('a viewer\'s page (every control disabled)', async () => {
    const p = await openAs(VIEWER, VIEWER_PW);
    await assertAccessible(p, 'viewer\'s clients list');
    await p.getByRole('table', { name: 'Clients' }).getByRole('link', { name: 'Acme', exact: true }).click();
    await p.getByRole('table', { name: 'Credentials' }).getByRole('rowheader', { name: 'erin' }).waitFor();
    await assertAccessible(p, 'viewer\'s client page');
    await p.context().close();
  });

  it('no script error and no CSP violation in any page; the screenshots are small', () => {
    assert.deepEqual(errors, []);
    const shots = fs.readdirSync(SHOTS).filter((n) => n.endsWith('.png')).sort();
    assert.deepEqual(shots, ['dashboard-alerts.png', 'dashboard-client.png', 'dashboard-clients.png', 'dashboard-conflict.png', 'dashboard-credential-edit.png', 'dashboard-enrolment.png',
      'dashboard-events.png', 'dashboard-history.png', 'dashboard-import.png', 'dashboard-login.png', 'dashboard-machines.png', 'dashboard-main.png',
      'dashboard-rotation.png', 'dashboard-search.png', 'dashboard-two-factor.png', 'dashboard-users.png']);
    for (const f of shots) {
      const size = fs.statSync(path.join(SHOTS, f)).size;
      assert.ok(size > 5_000 && size < 150_000, `${f}: ${size} bytes`);
    }
  });
});
