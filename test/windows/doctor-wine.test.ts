// `pwbridge doctor` for real under Wine: the compiled CLI in the pinned Windows node.exe, in a Wine prefix
// of its own, after `pwbridge install --no-start` with the real filter DLL (as install-wine.test.ts). The
// Windows adapters answer for real: Notification Packages and System32 (capture-module), the boot time and
// InstalledAt (filter-loaded: reboot required), the service manager (service), the key files' owner and
// DACL (key-files). The service is not started (it needs SQLite, which this Windows node_modules lacks).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedWindowsApp, type WindowsApp } from '../helpers/windows-app';
import { runWindowsNode, type WindowsNodeResult } from '../helpers/windows-node';
import { FILTER_DLL, MESSAGES_DLL, hostPathIn, privateWinePrefix, windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';
import { LINK_IDS, type LinkResult } from '../../src/doctor/link';
import type { DoctorReport } from '../../src/doctor/run-doctor';

describe('pwbridge doctor under Wine (Windows node.exe, after a real install)', function () {
  this.timeout(600_000);
  let prefix: ReturnType<typeof privateWinePrefix>;
  let app: WindowsApp;
  let report: DoctorReport;
  let text: WindowsNodeResult;
  const pwbridge = (args: string[]): Promise<WindowsNodeResult> =>
    runWindowsNode([app.mainJs, ...args], { env: { WINEPREFIX: prefix.dir }, timeoutMs: 180_000 });
  const link = (id: string): LinkResult => report.links.find((l) => l.id === id)!;

  before(async function () {
    const missing = windowsPartsMissing();
    if (process.platform === 'win32' || missing.skip) skipBecause(this, 'on Windows the MSI test installs for real');
    if (missing.fail) throw new Error(missing.fail);
    prefix = privateWinePrefix();
    app = sharedWindowsApp();
    const r = await pwbridge(['install', '--no-start', '--module', winPath(FILTER_DLL), '--event-messages', winPath(MESSAGES_DLL)]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const j = await pwbridge(['doctor', '--json']);
    assert.equal(j.code, 1, `${j.stdout}\n${j.stderr}`);
    report = JSON.parse(j.stdout) as DoctorReport;
    text = await pwbridge(['doctor']);
  });
  after(() => prefix?.remove());

  it('walks every link in order on win32 and exits 1, the text naming each', () => {
    assert.equal(report.os, 'win32');
    assert.deepEqual(report.links.map((l) => l.id), [...LINK_IDS]);
    assert.equal(text.code, 1, text.stderr);
    for (const id of LINK_IDS) assert.match(text.stdout, new RegExp(`^\\S+( checked)? +${id}: `, 'm'));
  });

  it('capture-module ok: pwbridge_filter registered and its 64-bit DLL in System32', () => {
    const l = link('capture-module');
    assert.equal(l.state, 'ok', JSON.stringify(l));
    assert.match(l.evidence.join('\n'), /Notification Packages: pwbridge_filter/);
  });

  it('filter-loaded broken: reboot required (installed after this boot began), fix: shutdown /r /t 0', () => {
    const l = link('filter-loaded');
    assert.equal(l.state, 'broken', JSON.stringify(l));
    assert.match(l.summary, /^reboot required/);
    assert.equal(l.fix, 'shutdown /r /t 0');
  });

  it('service broken: the service manager says it is not running, fix: sc start pwbridge', () => {
    const l = link('service');
    assert.equal(l.state, 'broken', JSON.stringify(l));
    assert.match(l.evidence.join('\n'), /the service manager says pwbridge is not running/);
    assert.equal(l.fix, 'sc start pwbridge');
  });

  it('key-files ok through the Windows owner-and-DACL check; journal and vault broken until the service first runs', () => {
    const k = link('key-files');
    assert.equal(k.state, 'ok', JSON.stringify(k));
    assert.match(k.evidence.join('\n'), /capture\.secret: owner and ACL let in only SYSTEM, Administrators and the service account/);
    assert.equal(link('journal').state, 'broken');
    assert.match(link('vault').summary, /no embedded vault yet/);
    assert.equal(link('vault').fix, 'sc start pwbridge');
  });

  it('a key file others may read (Wine: the DACL follows the Unix mode, so 0644 gives Everyone read): key-files broken, fix: icacls', async () => {
    const secret = path.join(hostPathIn(prefix.dir, 'C:\\ProgramData\\pwbridge'), 'keys', 'capture.secret');
    fs.chmodSync(secret, 0o644);
    try {
      const r = await pwbridge(['doctor', '--json']);
      assert.equal(r.code, 1, r.stderr);
      const k = (JSON.parse(r.stdout) as DoctorReport).links.find((l) => l.id === 'key-files')!;
      assert.equal(k.state, 'broken', JSON.stringify(k));
      assert.match(k.summary, /open to more than the install's own accounts/);
      assert.match(k.fix ?? '', /^icacls .*capture\.secret.* \/inheritance:r \/grant:r \*S-1-5-18:F \*S-1-5-32-544:F/);
    } finally {
      fs.chmodSync(secret, 0o600);
    }
  });
});
