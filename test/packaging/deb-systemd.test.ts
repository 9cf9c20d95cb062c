// The maintainer scripts on a machine where systemd runs. systemd cannot be PID 1 here, so this machine
// plays one at the thinnest boundary: /run (overlaid) has /run/systemd/system, which is how the scripts, like
// debhelper's, tell that systemd runs, and `deb-systemd-invoke` and `systemctl` are two recording scripts
// in the machine's /usr/sbin (first on dpkg's PATH) that write down what they were asked. Everything else is
// real: dpkg, deb-systemd-helper, pam-auth-update and the package. What it shows: a first install starts the
// service, an upgrade restarts it (on the new files, after daemon-reload), a removal stops it before the PAM
// profile and the files go, and a purge completes. What it cannot show: systemd itself
// starting the unit (deb-install.test.ts runs the unit's ExecStart and sees the service serve).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { buildDeb, debBuildProblem, PACKAGE_VERSION } from '../helpers/deb';
import { overlayMachineProblem, startOverlayMachine, type OverlayMachine } from '../helpers/overlay-machine';
import { requireModule } from '../helpers/pam';
import { skipBecause } from '../helpers/skip';

const PREVIOUS = `${PACKAGE_VERSION}~prev1`;
const CALLS = '/run/pwbridge-test-systemd-calls';
/** A stand-in for a systemd command: it records its name and arguments, one call per line, and succeeds. */
const RECORDER = `#!/bin/sh\necho "$(basename "$0") $*" >> ${CALLS}\nexit 0\n`;

describe('the Debian package\'s maintainer scripts where systemd runs: start on install, restart on upgrade, stop on remove (overlay namespace, root)', function () {
  this.timeout(600_000);
  let m: OverlayMachine | undefined;

  const ok = (argv: string[], input?: string) => {
    const r = m!.exec(argv, { input });
    assert.equal(r.status, 0, `${argv.join(' ')} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  /** The calls recorded since the last read, and a fresh record. */
  const calls = (): string[] => {
    const file = m!.path(CALLS);
    const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    fs.rmSync(file, { force: true });
    return lines;
  };

  before(async function () {
    const problem = debBuildProblem() ?? overlayMachineProblem() ?? (fs.existsSync('/usr/sbin/pam-auth-update') ? undefined : 'pam-auth-update is missing (libpam-runtime)');
    if (problem) skipBecause(this, problem);
    requireModule();
    m = await startOverlayMachine('deb-systemd', { overlayRun: true });
    ok(['pam-auth-update', '--package']);
    ok(['mkdir', '-p', '/run/systemd/system']);
    for (const tool of ['deb-systemd-invoke', 'systemctl']) {
      ok(['sh', '-c', 'cat > "$1" && chmod 0755 "$1"', 'write', `/usr/sbin/${tool}`], RECORDER);
    }
    // The recorders are the machine's alone (Debian's deb-systemd-invoke and systemctl live in /usr/bin).
    assert.ok(!fs.existsSync('/usr/sbin/deb-systemd-invoke') && !fs.existsSync('/usr/sbin/systemctl'), 'the host has no recorder');
    calls();
  });

  after(async () => { await m?.stop(); });

  it('a first install reloads systemd and starts the service', () => {
    ok(['dpkg', '-i', buildDeb(PREVIOUS)]);
    const c = calls();
    assert.ok(c.includes('systemctl --system daemon-reload'), c.join('\n'));
    assert.ok(c.includes('deb-systemd-invoke start pwbridge.service'), c.join('\n'));
    assert.ok(!c.some((l) => /restart|stop/.test(l)), c.join('\n'));
    // With systemctl there, deb-systemd-helper enables through it (a preset), not by making the link itself.
    assert.ok(c.some((l) => /^systemctl .*(preset|enable) pwbridge\.service$/.test(l)), c.join('\n'));
    assert.ok(c.findIndex((l) => /preset|enable/.test(l)) < c.indexOf('deb-systemd-invoke start pwbridge.service'), 'enabled before it is started');
  });

  it('an upgrade restarts it on the new files, and does not stop it first (prerm leaves it running on upgrade)', () => {
    ok(['dpkg', '-i', buildDeb()]);
    const c = calls();
    assert.ok(c.includes('deb-systemd-invoke restart pwbridge.service'), c.join('\n'));
    assert.ok(!c.some((l) => /\b(start|stop) pwbridge/.test(l)), c.join('\n'));
    // daemon-reload comes before the restart, so systemd runs the new unit.
    assert.ok(c.indexOf('systemctl --system daemon-reload') < c.indexOf('deb-systemd-invoke restart pwbridge.service'), c.join('\n'));
  });

  it('a removal stops the service before the profile and the files go; a purge then completes', () => {
    ok(['dpkg', '-r', 'pwbridge']);
    const c = calls();
    assert.ok(c.includes('deb-systemd-invoke stop pwbridge.service'), c.join('\n'));
    assert.ok(!c.some((l) => /\b(start|restart) pwbridge/.test(l)), c.join('\n'));
    assert.doesNotMatch(fs.readFileSync(m!.path('/etc/pam.d/common-password'), 'utf8'), /pam_pwbridge/);
    ok(['dpkg', '-P', 'pwbridge']);
    assert.equal(m!.exec(['dpkg-query', '-W', 'pwbridge']).status, 1, 'dpkg no longer knows pwbridge');
  });
});
