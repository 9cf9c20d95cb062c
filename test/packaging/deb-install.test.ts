// The Debian package installed for real, on a machine of its own: /etc, /usr and /var overlaid in a private
// mount namespace (test/helpers/overlay-machine.ts), so dpkg, its database, pam-auth-update, useradd and
// passwd write only the overlays. In order: `dpkg -i` of a lower version, then the package's own version
// over it (an upgrade: the data dir and keys stay); pam-auth-update has enabled the profile, so
// common-password holds the module; a `passwd` by a non-root throwaway user and a root `chpasswd` go
// through the real PAM stack to the packaged service and into the embedded vault; `dpkg -r` leaves
// /etc/pam.d byte for byte as it was before the install and keeps the data; `dpkg -P` deletes it. The
// host's /etc is the same before and after.
//
// systemd is not PID 1 here: the maintainer scripts then leave the service alone, as debhelper's do, so
// this test starts and stops the service itself, running exactly the ExecStart of the installed unit
// (stopping it before remove and around the upgrade, as prerm and postinst's restart would under systemd).
// That start/restart path through systemctl is not exercised here.
import { strict as assert } from 'node:assert';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pollUntil } from '../cli/cli';
import { buildDeb, debBuildProblem, hostArch, PACKAGE_VERSION } from '../helpers/deb';
import { overlayMachineProblem, startOverlayMachine, type OverlayMachine } from '../helpers/overlay-machine';
import { requireModule } from '../helpers/pam';
import { skipBecause } from '../helpers/skip';

const canary = (what: string) => `${what}-Canary-${randomBytes(8).toString('hex')}`;
/** Lower than the package's version in Debian's ordering ('~' sorts before anything): the one upgraded from. */
const PREVIOUS = `${PACKAGE_VERSION}~prev1`;

/** path → sha256 and mode of every file and symlink under `dir` (as the host reads it). A file that goes away
 * between the listing and the read (a lock file of someone else's useradd) is left out. */
function treeHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      try {
        if (e.isDirectory()) walk(p);
        else if (e.isSymbolicLink()) out.set(rel, `-> ${fs.readlinkSync(p)}`);
        else if (e.isFile()) out.set(rel, `${createHash('sha256').update(fs.readFileSync(p)).digest('hex')} ${(fs.lstatSync(p).mode & 0o7777).toString(8)}`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  };
  walk(dir);
  return out;
}

function differences(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((k) => before.get(k) !== after.get(k)).sort();
}

function sha256(p: string): string {
  return createHash('sha256').update(fs.readFileSync(p)).digest('hex');
}

describe('the Debian package installed on a machine of its own: dpkg -i, upgrade, passwd and chpasswd into the vault, dpkg -r, dpkg -P (overlay namespace, root)', function () {
  this.timeout(600_000);
  let m: OverlayMachine | undefined;
  let service: { child: ChildProcessWithoutNullStreams; err: () => string; done: Promise<number | null> } | undefined;
  let hostEtc = new Map<string, string>();
  let pamBefore = new Map<string, string>();
  let previousDeb = '';
  let currentDeb = '';
  let user = '';
  let keysAfterFirstStart = new Map<string, string>();
  const PW_START = canary('start');
  const PW_PASSWD = canary('passwd');
  const PW_CHPASSWD = canary('chpasswd');

  const ok = (argv: string[], input?: string) => {
    const r = m!.exec(argv, { input });
    assert.equal(r.status, 0, `${argv.join(' ')} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const dpkgStatus = () => m!.exec(['dpkg-query', '-W', '-f', '${Version} ${db:Status-Abbrev}', 'pwbridge']).stdout.trim();
  const at = (p: string) => m!.path(p);

  /** The installed unit's ExecStart, run as systemd would run it (its words are plain: no quoting to undo). */
  const startService = async () => {
    const unit = fs.readFileSync(at('/lib/systemd/system/pwbridge.service'), 'utf8');
    const exec = unit.match(/^ExecStart=(.*)$/m)?.[1];
    assert.ok(exec && !/["'\\$%]/.test(exec), `a plain ExecStart: ${exec}`);
    const child = m!.spawn(exec.split(' '));
    child.stdin.end();
    let err = '';
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.stdout.resume();
    const done = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    service = { child, err: () => err, done };
    await pollUntil('the packaged service to serve its socket', () => (/serving .*capture\.sock/.test(err) ? true : child.exitCode !== null ? assert.fail(`the service exited: ${err}`) : undefined), 30_000);
  };
  const stopService = async () => {
    if (!service) return;
    const s = service;
    service = undefined;
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM');
    assert.equal(await s.done, 0, `the service stops cleanly on SIGTERM: ${s.err()}`);
  };
  const credential = async (): Promise<{ id: number; username: string; version: number } | undefined> => {
    const r = ok(['pwbridge', 'vault', 'cred', 'list', '--client', 'local', '--json']);
    const all = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: number; username: string; version: number });
    return all.find((c) => c.username.endsWith(`\\${user}`));
  };
  /** The SHA-256 of the vault's current password for the credential, read inside the machine by the package's
   * own node and code (only the hash crosses: no password on any output). From the host, SQLite would resolve
   * /proc/PID/root back to the host's /var. */
  const vaultPasswordHash = (id: number): string => {
    const script = `const { createHash } = require('node:crypto');
      require('/usr/lib/pwbridge/dist/src/service/open.js').openVaultAt('/var/lib/pwbridge')
        .then(async (v) => { const pw = await v.readPassword(${Number(id)}); process.stdout.write(createHash('sha256').update(pw).digest('hex')); pw.fill(0); await v.close(); })`;
    return ok(['/usr/lib/pwbridge/node', '-e', script]).stdout.trim();
  };
  const sha256Of = (s: string) => createHash('sha256').update(s).digest('hex');
  const keyHashes = () => new Map(['capture.secret', 'bridge.pub', 'bridge.key'].map((k) => [k, sha256(at(`/var/lib/pwbridge/keys/${k}`))]));

  before(async function () {
    const problem = debBuildProblem() ?? overlayMachineProblem() ?? (fs.existsSync('/usr/sbin/pam-auth-update') ? undefined : 'pam-auth-update is missing (libpam-runtime)');
    if (problem) skipBecause(this, problem);
    requireModule();
    previousDeb = buildDeb(PREVIOUS);
    currentDeb = buildDeb();
    hostEtc = treeHashes('/etc');
    m = await startOverlayMachine('deb');
    // A fresh machine: pam-auth-update manages common-password (as on a new Debian 12), and one local account.
    ok(['pam-auth-update', '--package']);
    user = `pwbt_${randomBytes(5).toString('hex')}`;
    ok(['useradd', '-M', '-s', '/usr/sbin/nologin', user]);
    ok(['chpasswd'], `${user}:${PW_START}\n`);
    assert.ok(!fs.readFileSync('/etc/passwd', 'utf8').includes(`${user}:`), 'the account exists only on the machine');
    pamBefore = treeHashes(at('/etc/pam.d'));
  });

  after(async () => {
    await stopService().catch(() => undefined);
    await m?.stop();
  });

  it('dpkg -i: pam-auth-update enables the profile (common-password holds the module, optional, after pam_unix\'s block), the data dir is 0700, the unit is enabled', async () => {
    const r = ok(['dpkg', '-i', previousDeb]);
    assert.equal(dpkgStatus(), `${PREVIOUS} ii`);
    const common = fs.readFileSync(at('/etc/pam.d/common-password'), 'utf8');
    const lines = common.split('\n').filter((l) => /^password\s/.test(l));
    const ours = lines.findIndex((l) => /^password\s+optional\s+pam_pwbridge\.so\s*$/.test(l));
    assert.ok(ours >= 0, `common-password holds the module:\n${common}`);
    assert.ok(lines.slice(0, ours).some((l) => /pam_permit\.so/.test(l)) && lines.slice(0, ours).some((l) => /pam_unix\.so/.test(l)),
      `after pam_unix, pam_deny and pam_permit (where only a pam_unix success arrives):\n${lines.join('\n')}`);
    assert.match(fs.readFileSync(at('/var/lib/pam/seen'), 'utf8'), /^pwbridge$/m, 'pam-auth-update records the profile as seen');
    // The module libpam loads by bare name is the package's, in the multiarch folder.
    assert.ok(fs.existsSync(at(`/usr/lib/${hostArch().multiarch}/security/pam_pwbridge.so`)));
    const dataDir = fs.statSync(at('/var/lib/pwbridge'));
    assert.equal(dataDir.mode & 0o7777, 0o700);
    assert.equal(dataDir.uid, 0);
    assert.equal(fs.readlinkSync(at('/etc/systemd/system/multi-user.target.wants/pwbridge.service')), '/lib/systemd/system/pwbridge.service');
    assert.doesNotMatch(`${r.stdout}${r.stderr}`, /systemctl|Failed/i, 'no systemd action without systemd');
    // Nothing reached the host.
    assert.ok(!fs.existsSync('/usr/lib/pwbridge'), 'the host has no /usr/lib/pwbridge');
    assert.doesNotMatch(fs.readFileSync('/etc/pam.d/common-password', 'utf8'), /^password\s+optional\s+pam_pwbridge\.so\s*$/m);
  });

  it('the first start (the unit\'s ExecStart) makes the keys; the admin creates the client with `pwbridge vault client add`; status says the filter is active', async () => {
    ok(['pwbridge', 'vault', 'client', 'add', 'local', '--windows-sync', '--two-way-sync', '--auto-create', '--default-mode', 'report']);
    await startService();
    keysAfterFirstStart = keyHashes();
    const status = ok(['pwbridge', 'status', '--json']);
    assert.match(status.stdout, /"active"/, status.stdout);
    // The package owns the PAM line and the unit: the checkout's hand-made install refuses beside it.
    const manual = m!.exec(['pwbridge', 'install', '--dry-run']);
    assert.equal(manual.status, 2, `${manual.stdout}${manual.stderr}`);
    assert.match(manual.stderr, /\/usr\/share\/pam-configs\/pwbridge: exists: the pwbridge Debian package is installed/);
  });

  it(`upgrade to ${PACKAGE_VERSION}: the data dir and the keys stay, the new files run, the profile stays enabled`, async () => {
    await stopService(); // what postinst's restart does under systemd
    ok(['dpkg', '-i', currentDeb]);
    assert.equal(dpkgStatus(), `${PACKAGE_VERSION} ii`);
    assert.deepEqual(keyHashes(), keysAfterFirstStart, 'the same keys');
    assert.ok(fs.existsSync(at('/var/lib/pwbridge/vault.db')));
    assert.match(fs.readFileSync(at('/etc/pam.d/common-password'), 'utf8'), /^password\s+optional\s+pam_pwbridge\.so\s*$/m);
    assert.equal(JSON.parse(fs.readFileSync(at('/usr/lib/pwbridge/package.json'), 'utf8')).version, PACKAGE_VERSION);
    await startService();
    const clients = ok(['pwbridge', 'vault', 'client', 'list', '--json']).stdout;
    assert.match(clients, /"local"/, 'the client made before the upgrade is still there');
  });

  it('a passwd by the non-root user (old password, then the new one twice) reaches the vault', async () => {
    ok(['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', '/usr/bin/passwd'], `${PW_START}\n${PW_PASSWD}\n${PW_PASSWD}\n`);
    const c = await pollUntil('the credential to be created from the capture', credential, 20_000);
    assert.equal(vaultPasswordHash(c.id), sha256Of(PW_PASSWD), 'the vault holds the password passwd set');
  });

  it('a root chpasswd reaches the vault as the next version', async () => {
    const before = (await credential())!;
    ok(['chpasswd'], `${user}:${PW_CHPASSWD}\n`);
    const c = await pollUntil('the chpasswd change in the vault', async () => {
      const now = await credential();
      return now && now.version > before.version ? now : undefined;
    }, 20_000);
    assert.equal(vaultPasswordHash(c.id), sha256Of(PW_CHPASSWD), 'the vault holds the password chpasswd set');
    // The capture carried the passwords; nothing of them is in the service's output.
    for (const pw of [PW_PASSWD, PW_CHPASSWD, PW_START]) assert.ok(!service!.err().includes(pw), 'no password in the service output');
  });

  it('dpkg -r: /etc/pam.d is byte for byte what it was before the install, the files are gone, the data dir and keys stay', async () => {
    await stopService(); // prerm's stop under systemd
    ok(['dpkg', '-r', 'pwbridge']);
    assert.deepEqual(differences(pamBefore, treeHashes(at('/etc/pam.d'))), [], 'no file in /etc/pam.d differs');
    assert.match(dpkgStatus(), / rc$/, 'removed, its postrm purge still to run (the data dir is kept)');
    for (const gone of ['/usr/lib/pwbridge', '/usr/bin/pwbridge', '/lib/systemd/system/pwbridge.service', '/usr/share/pam-configs/pwbridge',
      `/usr/lib/${hostArch().multiarch}/security/pam_pwbridge.so`]) {
      assert.ok(!fs.existsSync(at(gone)), `${gone} is removed`);
    }
    assert.deepEqual(keyHashes(), keysAfterFirstStart, 'the keys are kept');
    assert.ok(fs.existsSync(at('/var/lib/pwbridge/vault.db')), 'the vault is kept');
    // A password change still works with the module gone from the stack.
    ok(['chpasswd'], `${user}:${PW_START}\n`);
  });

  it('dpkg -P: the data dir is deleted after saying so, and dpkg forgets the package', async () => {
    const r = ok(['dpkg', '-P', 'pwbridge']);
    assert.match(r.stderr, /deleting \/var\/lib\/pwbridge/);
    assert.ok(!fs.existsSync(at('/var/lib/pwbridge')), 'the data dir is gone');
    assert.ok(!fs.existsSync(at('/etc/systemd/system/multi-user.target.wants/pwbridge.service')), 'the enable symlink is gone');
    assert.equal(m!.exec(['dpkg-query', '-W', 'pwbridge']).status, 1, 'dpkg no longer knows pwbridge');
    assert.deepEqual(differences(pamBefore, treeHashes(at('/etc/pam.d'))), []);
  });

  it('the host\'s /etc is as it was, file for file (the account files: without the test\'s account)', async () => {
    // Other root tests on a shared machine add and remove their own throwaway accounts meanwhile: the account
    // databases are checked for this test's account only, every other file byte for byte.
    const ACCOUNT_FILES = /^(passwd|shadow|group|gshadow|subuid|subgid)-?$/;
    assert.deepEqual(differences(hostEtc, treeHashes('/etc')).filter((f) => !ACCOUNT_FILES.test(f)), [], 'files in the host\'s /etc that changed during the test');
    for (const f of ['passwd', 'shadow', 'group']) {
      assert.ok(!fs.readFileSync(path.join('/etc', f), 'utf8').split('\n').some((l) => l.startsWith(`${user}:`)), `${user} is not in the host's /etc/${f}`);
    }
    assert.ok(!fs.existsSync('/usr/lib/pwbridge') && !fs.existsSync('/var/lib/dpkg/info/pwbridge.list'), 'no trace on the host');
  });
});
