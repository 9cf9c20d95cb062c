// The "done when", on this machine as root: `pwbridge install` into the real /etc/pam.d and PAM
// module folder, a real `passwd` for a throwaway user, the new password in the vault and the change in
// `pwbridge events`, then `pwbridge uninstall` leaves /etc/pam.d byte for byte as it was.
//
// It changes the machine's real password stack for the length of the test (an `optional` line, so a
// failure cannot break logins), and skips itself where pwbridge is really installed.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openVaultAt } from '../../src/service/open';
import { runCli } from '../cli/cli';
import { requireModule } from '../helpers/pam';
import { makeTempDir } from '../helpers/tmp';
import { createUser, isRoot, removeUser } from '../platform/users';
import { skipBecause } from '../helpers/skip';

const PAM_DIR = '/etc/pam.d';
const UNIT = '/etc/systemd/system/pwbridge.service';

/** Every file under /etc/pam.d with its mode and owner: what "as it was" means. */
function snapshot(dir: string): string {
  const h = createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    h.update(`${name} ${st.mode} ${st.uid} ${st.gid}\n`);
    if (st.isFile()) h.update(fs.readFileSync(p));
  }
  return h.digest('hex');
}

function securityDir(): string {
  const d = ['/lib/x86_64-linux-gnu/security', '/lib/security', '/usr/lib/x86_64-linux-gnu/security'].find((x) => fs.existsSync(path.join(x, 'pam_unix.so')));
  assert.ok(d, 'pam_unix.so not found');
  return d;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('pwbridge install → passwd → vault → uninstall, on the real PAM stack (root)', function () {
  this.timeout(120_000);
  let tmp: { dir: string; cleanup(): void } | undefined;
  let user: string | undefined;
  let installed = false;

  before(function () {
    if (!isRoot || !fs.existsSync(path.join(PAM_DIR, 'common-password'))) skipBecause(this, `needs root and ${PAM_DIR}/common-password (Debian's PAM layout)`);
    // A machine where pwbridge is installed for real is not a test bench.
    if (fs.readFileSync(path.join(PAM_DIR, 'common-password'), 'utf8').includes('pam_pwbridge') || fs.existsSync(UNIT)) skipBecause(this, 'pwbridge is installed on this machine for real');
    requireModule();
  });
  after(async () => {
    if (installed && tmp) await runCli(['uninstall'], { dataDir: tmp.dir, timeoutMs: 60_000 }); // a failed test must not leave the line behind
    removeUser(user);
    tmp?.cleanup();
  });

  it('captures a real passwd, shows it in events, and uninstall restores /etc/pam.d exactly', async () => {
    const before = snapshot(PAM_DIR);
    tmp = makeTempDir();
    const dataDir = path.join(tmp.dir, 'data');

    const inst = await runCli(['install'], { dataDir, timeoutMs: 60_000 });
    installed = true;
    assert.equal(inst.code, 0, inst.stdout + inst.stderr);
    assert.match(inst.stdout, /active/i, 'install reports the filter state as active once the module is in the stack');
    assert.ok(fs.existsSync(path.join(securityDir(), 'pam_pwbridge.so')));
    assert.match(fs.readFileSync(path.join(PAM_DIR, 'common-password'), 'utf8'), new RegExp(`^password\\s+optional\\s+pam_pwbridge\\.so dir=${dataDir}$`, 'm'));

    // The user's side: passwd, exactly as an administrator types it (it reads the new password twice).
    user = createUser();
    const passwd = spawnSync('/usr/bin/passwd', [user], { input: 'Installed-Pass-1\nInstalled-Pass-1\n', encoding: 'utf8' });
    assert.equal(passwd.status, 0, passwd.stderr);

    const vault = await openVaultAt(dataDir);
    try {
      const cred = await until('the credential', async () =>
        (await vault.listCredentials('local')).find((c) => c.username.endsWith(`\\${user}`)));
      assert.equal((await vault.readPassword(cred.id)).toString(), 'Installed-Pass-1');
    } finally {
      await vault.close();
    }
    const events = await runCli(['events', '--limit', '50'], { dataDir });
    assert.equal(events.code, 0, events.stderr);
    assert.match(events.stdout, new RegExp(`credential-created\\s+ok\\s+${user}`));
    assert.ok(!events.stdout.includes('Installed-Pass-1'));

    const un = await runCli(['uninstall'], { dataDir, timeoutMs: 60_000 });
    installed = un.code !== 0;
    assert.equal(un.code, 0, un.stdout + un.stderr);
    assert.equal(snapshot(PAM_DIR), before, '/etc/pam.d is exactly as it was');
    assert.ok(!fs.existsSync(path.join(securityDir(), 'pam_pwbridge.so')), 'the module is gone');
    assert.ok(!fs.existsSync(UNIT), 'the unit is gone');
    // The service is stopped: the socket no longer answers, and a passwd now changes nothing in the vault.
    const again = spawnSync('/usr/bin/passwd', [user], { input: 'After-Uninstall-2\nAfter-Uninstall-2\n', encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(execFileSync('/usr/bin/find', [dataDir, '-name', '*.chg'], { encoding: 'utf8' }).trim(), '', 'nothing spooled: the module is out of the stack');
  });
});
