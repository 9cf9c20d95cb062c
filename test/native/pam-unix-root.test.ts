// As root, against the real pam_unix and /etc/shadow: a throwaway user, and private PAM service files
// (pam_wrapper) so /etc/pam.d is never touched. pam_unix really changes the user's password; our module
// reports it; Change Password mode sets the vault's password back through chpasswd, whose own password
// stack (the private one, with our module in it) reports that change too, and the bridge recognises it
// as its own echo.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NewClient } from '../../src/domain/types';
import type { Platform } from '../../src/platform';
import { startHarness, type Harness } from '../helpers/bridge-harness';
import { mountNamespaceProblem } from '../helpers/machine-ns';
import { pamtester, requireModule, spooled, writeMatrixService } from '../helpers/pam';
import { createUser, isRoot, removeUser, setPasswordDirect } from '../platform/users';
import { skipBecause } from '../helpers/skip';

const PAM_UNIX = '/lib/x86_64-linux-gnu/security/pam_unix.so';
/** pamtester in a private mount namespace where /etc is read-only: pam_unix cannot store a new password
 * there (it cannot lock or rewrite /etc/shadow), a real failure in its update pass. The host's /etc and
 * every other process are untouched. */
const READ_ONLY_ETC = ['/usr/bin/unshare', '--mount', '--propagation', 'private', '/bin/sh', '-c',
  'mount --bind /etc /etc && mount -o remount,bind,ro /etc && exec "$@"', 'ro-etc'];
const acme: NewClient = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' };

/** chpasswd, the real binary, but reading its PAM stack from the private service folder. */
function chpasswdUnderWrapper(serviceDir: string) {
  return (name: string, password: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      const child = spawn('/usr/sbin/chpasswd', [], {
        stdio: ['pipe', 'ignore', 'pipe'],
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', LD_PRELOAD: 'libpam_wrapper.so', PAM_WRAPPER: '1', PAM_WRAPPER_SERVICE_DIR: serviceDir },
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd exit ${code}: ${err}`))));
      child.stdin.end(Buffer.concat([Buffer.from(`${name}:`), password, Buffer.from('\n')]));
    });
}

describe('pam_pwbridge.so with the real pam_unix and /etc/shadow (root, throwaway user)', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  let user: string | undefined;

  before(function () {
    if (!isRoot) skipBecause(this, 'needs root (CI is root)');
    requireModule();
  });
  afterEach(async () => {
    await h?.destroy();
    removeUser(user);
  });

  it('passwd-style change → vault; Change Password sets it back; the user logs in with the vault password; the echo is suppressed', async () => {
    user = createUser();
    setPasswordDirect(user, Buffer.from('local-start-1'));
    let serviceDir = '';
    h = await startHarness({
      clients: [acme],
      config: { client: 'Acme' },
      // Only the PAM config location differs from production: chpasswd is the real one.
      platform: (real: Platform): Platform => ({
        ...real,
        accounts: {
          machine: real.accounts.machine,
          listAccounts: () => real.accounts.listAccounts(),
          getAccount: (n) => real.accounts.getAccount(n),
          verifyPassword: (n, p) => real.accounts.verifyPassword(n, p),
          setPassword: (n, p) => chpasswdUnderWrapper(serviceDir)(n, p),
        },
      }),
    });
    serviceDir = path.join(h.dir, 'pam-services');
    fs.mkdirSync(serviceDir);
    const ours = `password optional ${requireModule()} dir=${h.dir}`;
    const stack = [`auth required ${PAM_UNIX}`, `account required ${PAM_UNIX}`, `password required ${PAM_UNIX} yescrypt`, ours, ''].join('\n');
    fs.writeFileSync(path.join(serviceDir, 'pwtest'), stack);
    fs.writeFileSync(path.join(serviceDir, 'chpasswd'), stack);

    // 1. A real change: root changing a user's password (pam_unix asks only for the new one, twice).
    const change = await pamtester({ serviceDir, service: 'pwtest', user, op: 'chauthtok', answers: ['Local-Changed-2', 'Local-Changed-2'] });
    assert.equal(change.code, 0, change.stderr);
    assert.equal(await h.install.platform.accounts.verifyPassword(user, Buffer.from('Local-Changed-2')), true, '/etc/shadow holds the new password');
    await h.bridge.drain();
    const username = `${h.config.machine}\\${user}`;
    const cred = await h.install.vault.findCredential('Acme', username);
    assert.ok(cred, `the vault has ${username}`);
    assert.equal((await h.install.vault.readPassword(cred.id)).toString(), 'Local-Changed-2');

    // 2. The vault's password differs and the credential is Change Password: reconcile sets it locally.
    await h.install.vault.updateCredential('Acme', username, { mode: 'change', password: Buffer.from('Vault-Chosen-3') });
    const report = await h.bridge.reconcileNow();
    assert.equal(report.set, 1, JSON.stringify(report));
    await h.bridge.drain();

    // 3. The user authenticates with the vault's password through pam_unix; the old one no longer works.
    const good = await pamtester({ serviceDir, service: 'pwtest', user, op: 'authenticate', answers: ['Vault-Chosen-3'] });
    assert.equal(good.code, 0, good.stderr);
    const old = await pamtester({ serviceDir, service: 'pwtest', user, op: 'authenticate', answers: ['Local-Changed-2'] });
    assert.notEqual(old.code, 0);

    // 4. chpasswd's stack ran our module, so the set came back as a capture: recognised as our own echo,
    //    no second vault write, no conflict.
    await h.install.events.flush();
    const echoes = await h.install.vault.queryEvents({ kind: 'echo-suppressed', account: user });
    assert.equal(echoes.length, 1, 'the echo of the set was captured and suppressed');
    const after = await h.install.vault.findCredential('Acme', username);
    assert.equal((await h.install.vault.readPassword(after!.id)).toString(), 'Vault-Chosen-3');
    assert.deepEqual(after!.flags, []);
  });
  it('a required pam_unix that fails still lets the stack run our line: the module sees /etc/shadow does not hold the password and sends nothing', async function () {
    const problem = mountNamespaceProblem();
    if (problem) skipBecause(this, problem);
    user = createUser();
    setPasswordDirect(user, Buffer.from('Before-Fail-1'));
    h = await startHarness({ clients: [acme], config: { client: 'Acme' } });
    const serviceDir = path.join(h.dir, 'pam-services');
    fs.mkdirSync(serviceDir);
    // The shape install now refuses, as an administrator may still write it by hand.
    fs.writeFileSync(path.join(serviceDir, 'pwtest'), [`password required ${PAM_UNIX} yescrypt`, `password optional ${requireModule()} dir=${h.dir} debug`, ''].join('\n'));

    // Under valgrind too: the check's crypt work area and shadow buffers are allocated, wiped and freed.
    const failed = await pamtester({ serviceDir, service: 'pwtest', user, op: 'chauthtok', answers: ['Never-Set-2', 'Never-Set-2'], prefix: READ_ONLY_ETC, valgrind: true, killAfterMs: 60_000 });
    assert.equal(failed.code, 1, `pam_unix was to fail on a read-only /etc (and valgrind to find nothing):\n${failed.stderr}`);
    assert.match(failed.stderr, /ERROR SUMMARY: 0 errors/);
    assert.equal(await h.install.platform.accounts.verifyPassword(user, Buffer.from('Before-Fail-1')), true, 'the old password is still the one in /etc/shadow');
    const log = failed.syslog.join('\n');
    assert.match(log, new RegExp(`change for ${user} NOT reported: ${user}'s hash in /etc/shadow does not verify the new password, so pam_unix did not store it`));
    assert.doesNotMatch(log, /delivered|spooled/);
    assert.deepEqual(spooled(h.dir), []);
    await h.bridge.drain();
    const username = `${h.config.machine}\\${user}`;
    assert.equal(await h.install.vault.findCredential('Acme', username), undefined, 'nothing reached the vault');
    // Every capture the bridge takes is a journal row, whatever became of it since.
    const journaled = () => h!.install.state.db.prepare('SELECT count(*) FROM journal WHERE account = ?').pluck().get(user);
    assert.equal(journaled(), 0, 'nothing reached the journal');

    // The same stack with a writable /etc: pam_unix stores it, the module confirms it and reports it.
    const ok = await pamtester({ serviceDir, service: 'pwtest', user, op: 'chauthtok', answers: ['Really-Set-3', 'Really-Set-3'] });
    assert.equal(ok.code, 0, ok.stderr);
    const confirmed = new RegExp(`change for ${user} confirmed in /etc/shadow \\((\\d+\\.\\d{3}) ms\\)`).exec(ok.syslog.join('\n'));
    assert.ok(confirmed, ok.syslog.join('\n'));
    // One crypt verify of the hash pam_unix just wrote (the cost of one login with it): about 0.1 s for
    // Debian's default yescrypt on a loaded 2-core machine; the bound catches a runaway, not CPU noise.
    assert.ok(Number(confirmed[1]) < 1000, `the check took ${confirmed[1]} ms`);
    await h.bridge.drain();
    const cred = await h.install.vault.findCredential('Acme', username);
    assert.ok(cred, 'the real change reached the vault');
    assert.equal((await h.install.vault.readPassword(cred.id)).toString(), 'Really-Set-3');
    assert.equal(journaled(), 1, 'the journal query sees a capture when there is one');
  });

  it('with no pam_unix before it (so nothing loaded libcrypt), the shadow check loads libcrypt itself and still tells a stored password from one that is not', async () => {
    // pam_matrix plays the password store and links no libcrypt: the module's check dlopens it on its own.
    // /etc/shadow is set beforehand to what the change will set, as pam_unix would have left it.
    user = createUser();
    setPasswordDirect(user, Buffer.from('Shadow-Holds-1'));
    h = await startHarness({ clients: [acme], config: { client: 'Acme' } });
    const svc = writeMatrixService(h.dir, 'pwtest', { [user]: 'matrix-old-1' }, [`dir=${h.dir}`, 'debug'], { shadowCheck: true });
    // Under valgrind: the dlopen'd crypt_rn's work area is wiped and freed, and the handle closed.
    const set = await pamtester({ serviceDir: svc.serviceDir, service: 'pwtest', user, op: 'chauthtok', answers: ['matrix-old-1', 'Shadow-Holds-1', 'Shadow-Holds-1'], valgrind: true, killAfterMs: 60_000 });
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stderr, /ERROR SUMMARY: 0 errors/);
    assert.match(set.syslog.join('\n'), new RegExp(`change for ${user} confirmed in /etc/shadow`));
    await h.bridge.drain();
    const cred = await h.install.vault.findCredential('Acme', `${h.config.machine}\\${user}`);
    assert.ok(cred, 'the confirmed change reached the vault');
    assert.equal((await h.install.vault.readPassword(cred.id)).toString(), 'Shadow-Holds-1');

    // /etc/shadow does not hold the next one: the same check, libcrypt loaded by it again, says so.
    const notSet = await pamtester({ serviceDir: svc.serviceDir, service: 'pwtest', user, op: 'chauthtok', answers: ['Shadow-Holds-1', 'Not-In-Shadow-2', 'Not-In-Shadow-2'] });
    assert.equal(notSet.code, 0, notSet.stderr);
    assert.match(notSet.syslog.join('\n'), new RegExp(`change for ${user} NOT reported: ${user}'s hash in /etc/shadow does not verify the new password`));
  });
});
