// pwbridge doctor, the real CLI, against a real install: `pwbridge install` (from this checkout, the real
// PAM module) inside an overlay machine (test/helpers/overlay-machine.ts: /etc, /usr and /var are overlays
// in a private mount namespace), so it edits the machine's own /etc/pam.d/common-password, copies the module
// beside pam_unix.so, and starts the real service (detached: systemd is not PID 1 here) on the default data
// dir /var/lib/pwbridge. Healthy first, then each link broken in turn and put back: doctor must name that
// link, say broken, and give its fix.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isServiceOf, processAlive } from '../../src/platform/linux/service-control';
import type { DoctorReport } from '../../src/doctor/run-doctor';
import { LINK_IDS } from '../../src/doctor/link';
import { defaultPamModuleDirs } from '../../src/platform/linux/pam-module-dirs';
import { overlayMachineProblem, startOverlayMachine, type OverlayMachine } from '../helpers/overlay-machine';
import { skipBecause } from '../helpers/skip';
import { assertExit, REPO, runCli, type CliResult } from './cli';

const MODULE = path.join(REPO, 'native', 'build', 'pam', 'pam_pwbridge.so');
const DATA_DIR = '/var/lib/pwbridge';
const PAM_FILE = '/etc/pam.d/common-password';

function report(r: CliResult): DoctorReport {
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1, `--json prints one line:\n${r.stdout}`);
  return JSON.parse(lines[0]) as DoctorReport;
}

const link = (rep: DoctorReport, id: string) => {
  const l = rep.links.find((x) => x.id === id);
  assert.ok(l, `no link ${id} in ${JSON.stringify(rep)}`);
  return l;
};

describe('pwbridge doctor (a real install in an overlay machine, a real service)', function () {
  this.timeout(120_000);
  let m: OverlayMachine | undefined;
  let pid: number | undefined;
  const inMachine = () => ['/usr/bin/nsenter', `--mount=/proc/${m!.pid}/ns/mnt`, '--'];
  const cli = (args: string[]) => runCli(args, { dataDir: DATA_DIR, prefix: inMachine() });
  const doctor = (...more: string[]) => cli(['doctor', ...more]);
  /** doctor --json: exit 1, and `id` broken with a fix matching `fix`; the text output names it too. */
  const expectBroken = async (id: string, summary: RegExp, fix: RegExp) => {
    const r = await doctor('--json');
    assertExit(r, 1, `doctor with ${id} broken`);
    const rep = report(r);
    const l = link(rep, id);
    assert.equal(l.state, 'broken', `${id}: ${JSON.stringify(l)}`);
    assert.match(l.summary, summary);
    assert.match(l.fix ?? '', fix);
    assert.equal(rep.ok, false);
    const text = await doctor();
    assertExit(text, 1, 'doctor (text)');
    assert.match(text.stdout, new RegExp(`^BROKEN +${id}: `, 'm'));
    return rep;
  };
  /** The service's pid as install recorded it, if that process is still this install's service. */
  const servicePid = (): number | undefined => {
    const file = m!.path(path.join(DATA_DIR, 'pwbridge.pid'));
    const p = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : undefined;
    return p !== undefined && processAlive(p) && isServiceOf(p, DATA_DIR) ? p : undefined;
  };

  before(async function () {
    const problem = overlayMachineProblem() ?? (fs.existsSync(MODULE) ? undefined : `${MODULE} is not built (npm run build:native)`);
    if (problem) skipBecause(this, problem);
    m = await startOverlayMachine('doctor');
    const r = await cli(['install', '--module', MODULE]);
    assertExit(r, 0, 'install');
    pid = servicePid();
    assert.ok(pid, 'install started no service');
    assertExit(await cli(['reconcile', '--once']), 0, 'reconcile --once');
  });
  after(async () => {
    // Only the service this test's install started, by its pid; then the machine (its namespace) goes.
    const p = m && servicePid();
    if (p !== undefined) process.kill(p, 'SIGKILL');
    await m?.stop();
  });

  it('a healthy install: every link ok, in chain order, exit 0; --json has the documented shape', async () => {
    const r = await doctor('--json');
    assertExit(r, 0, 'doctor --json');
    const rep = report(r);
    assert.deepEqual(Object.keys(rep).sort(), ['at', 'client', 'dataDir', 'links', 'machine', 'notes', 'ok', 'os']);
    assert.deepEqual(rep.links.map((l) => l.id), [...LINK_IDS]);
    for (const l of rep.links) {
      assert.equal(l.state, 'ok', `${l.id}: ${JSON.stringify(l)}`);
      assert.ok(Array.isArray(l.evidence));
      assert.equal(l.fix, undefined, `${l.id} is ok but has a fix`);
    }
    assert.equal(rep.ok, true);
    assert.deepEqual(rep.notes, []);
    assert.equal(rep.dataDir, DATA_DIR);
    assert.match(link(rep, 'service').summary, /proved this install's secret/);
    assert.match(link(rep, 'capture-module').evidence.join('\n'), new RegExp(`pam_pwbridge\\.so is 'optional' in ${PAM_FILE}`));
    assert.match(link(rep, 'key-files').evidence.join('\n'), /capture\.secret: mode 0600, uid 0/);
    const text = await doctor();
    assertExit(text, 0, 'doctor');
    assert.match(text.stdout, /^every link is ok$/m);
    for (const id of LINK_IDS) assert.match(text.stdout, new RegExp(`^ok +${id}: `, 'm'));
  });

  it('module removed from the stack: capture-module broken, fix: install', async () => {
    const file = m!.path(PAM_FILE);
    const installed = fs.readFileSync(file, 'utf8');
    assert.match(installed, /pam_pwbridge\.so/);
    fs.writeFileSync(file, installed.split('\n').filter((l) => !l.includes('pam_pwbridge.so')).join('\n'));
    try {
      await expectBroken('capture-module', /not in the password stack/, /^sudo pwbridge install$/);
    } finally {
      fs.writeFileSync(file, installed);
    }
  });

  it('a failed pam_unix no longer ends the stack (pam_deny made optional): capture-module warning, the path named', async () => {
    const file = m!.path(PAM_FILE);
    const installed = fs.readFileSync(file, 'utf8');
    assert.match(installed, /^password\s+requisite\s+pam_deny\.so$/m);
    fs.writeFileSync(file, installed.replace(/^password(\s+)requisite(\s+)pam_deny\.so$/m, 'password$1optional$2pam_deny.so'));
    try {
      const r = await doctor('--json');
      assertExit(r, 1, 'doctor');
      const l = link(report(r), 'capture-module');
      assert.equal(l.state, 'warning', JSON.stringify(l));
      assert.match(l.evidence.join('\n'), /when pam_unix\.so fails, the stack still goes on to pam_pwbridge\.so \(lines \d+ → \d+ → \d+ → \d+\)/);
      assert.match(l.fix ?? '', /make a failed pam_unix\.so end the stack/);
    } finally {
      fs.writeFileSync(file, installed);
    }
  });

  it('module file missing: capture-module broken, the path named', async () => {
    const file = defaultPamModuleDirs().map((d) => m!.path(path.join(d, 'pam_pwbridge.so'))).find((f) => fs.existsSync(f));
    assert.ok(file, 'install put no pam_pwbridge.so where PAM looks');
    const aside = `${file}.aside`;
    fs.renameSync(file, aside);
    try {
      const rep = await expectBroken('capture-module', /cannot run: .*module file is missing/, /^sudo pwbridge install$/);
      assert.match(link(rep, 'capture-module').evidence.join('\n'), /module file is missing/);
    } finally {
      fs.renameSync(aside, file);
    }
  });

  it('key file loosened: key-files broken, fix: chmod 0600 that file; the service link says what it could not check', async () => {
    const inside = path.join(DATA_DIR, 'keys', 'capture.secret');
    const secret = m!.path(inside);
    const bytes = fs.readFileSync(secret);
    fs.chmodSync(secret, 0o644);
    try {
      const rep = await expectBroken('key-files', /open to more than/, new RegExp(`chmod 0600 ${inside.replace(/[.]/g, '\\.')}`));
      assert.match(link(rep, 'key-files').evidence.join('\n'), /mode 0644 is looser than 0600/);
      assert.equal(link(rep, 'service').state, 'not-checked');
      // Whatever it read, doctor never prints a key (hex or base64).
      const all = JSON.stringify(rep);
      assert.ok(!all.includes(bytes.toString('hex')) && !all.includes(bytes.toString('base64')), 'the install secret is in doctor\'s output');
    } finally {
      fs.chmodSync(secret, 0o600);
    }
  });

  it('client\'s Windows Sync off: client broken, fix: vault client set … --windows-sync on', async () => {
    assertExit(await cli(['vault', 'client', 'set', 'local', '--windows-sync', 'off']), 0, 'windows sync off');
    try {
      await expectBroken('client', /Windows Sync is off for client local/, /^sudo pwbridge vault client set local --windows-sync on$/);
    } finally {
      assertExit(await cli(['vault', 'client', 'set', 'local', '--windows-sync', 'on']), 0, 'windows sync on');
    }
  });

  it('after each repair, healthy again (exit 0)', async () => {
    assertExit(await doctor(), 0, 'doctor');
  });

  it('without root: the links it cannot see are not-checked with the reason, the PAM stack is still judged, exit 1', async () => {
    const r = await runCli(['doctor', '--json'], { dataDir: DATA_DIR, prefix: [...inMachine(), '/usr/bin/setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'] });
    assertExit(r, 1, 'doctor as nobody');
    const rep = report(r);
    assert.match(rep.notes.join('\n'), /may not read \/var\/lib\/pwbridge \(EACCES\): config\.json was not read/);
    assert.equal(link(rep, 'capture-module').state, 'ok', 'the PAM stack is world-readable');
    for (const id of ['service', 'key-files', 'journal', 'spool', 'vault', 'client', 'reconcile', 'filter-loaded']) {
      const l = link(rep, id);
      assert.equal(l.state, 'not-checked', `${id}: ${JSON.stringify(l)}`);
    }
    assert.match(link(rep, 'service').summary, /run doctor as root \(sudo\)/);
    assert.match(link(rep, 'key-files').summary, /run doctor as root/);
  });

  it('service stopped: service broken, fix: start it (install again, for a detached service)', async () => {
    assert.equal(servicePid(), pid);
    process.kill(pid!, 'SIGTERM');
    for (let i = 0; i < 100 && processAlive(pid!); i++) await new Promise((r) => setTimeout(r, 100));
    const rep = await expectBroken('service', /not running/, /^sudo pwbridge install$/);
    // The links after it are still judged: doctor stops at nothing.
    assert.equal(link(rep, 'key-files').state, 'ok');
    assert.equal(link(rep, 'vault').state, 'ok');
  });

  it('bad arguments: exit 2', async () => {
    const r = await doctor('--nope');
    assertExit(r, 2, 'doctor --nope');
    assert.match(r.stderr, /unknown option '--nope'/);
  });
});
