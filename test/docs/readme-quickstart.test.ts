// The README's Linux quick start, run as written on a machine of its own: the ```sh block under
// "Quick start: Linux" is read from README.md and each of its commands is run as root, in the checkout, on
// an overlay machine (test/helpers/overlay-machine.ts: /etc, /usr and /var are overlays in a private mount
// namespace), with the checkout itself overlaid too, so `npm ci` and `npm run build` rewrite node_modules and
// dist only in a throwaway layer. Then pwbridge must work there: the service runs with the filter active,
// selftest passes, and a chpasswd goes through the real PAM stack into the vault. The host's /etc/pam.d,
// node_modules and dist are the same afterwards.
//
// It runs the commands for real, npm ci included (the registry or npm's cache, and better-sqlite3 compiled
// from source): several minutes on a busy 2-core machine.
import { strict as assert } from 'node:assert';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pollUntil } from '../cli/cli';
import { fencedBlockUnder } from '../helpers/markdown-blocks';
import { overlayMachineProblem, startOverlayMachine, type OverlayMachine } from '../helpers/overlay-machine';
import { skipBecause } from '../helpers/skip';
import { makeTempDir } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/**
 * Where the machine sees the checkout: install refuses a checkout that a non-root user could replace
 * (under /tmp, /home, …), and CI may clone anywhere; inside the machine the overlaid checkout is mounted
 * here, on a tmpfs of root's over /mnt (the host's /mnt is not touched: the mounts are the namespace's).
 */
const CHECKOUT = '/mnt/pwbridge-checkout';
const HEADING = 'Quick start: Linux';

/** The block's commands: one per line, a trailing `\` joining the next line, blank lines and whole-line comments left out. */
function commandsOf(block: string): string[] {
  return block.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** A hash of a file's bytes, or "missing". */
function fileHash(p: string): string {
  return fs.existsSync(p) ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'missing';
}

/** Run `argv` in the machine to its end, keeping the last 64 KiB of its output (npm ci and the build print a lot). */
function run(m: OverlayMachine, argv: string[], timeoutMs: number): Promise<{ code: number | null; out: string }> {
  const child: ChildProcessWithoutNullStreams = m.spawn(argv);
  child.stdin.end();
  let out = '';
  const keep = (b: Buffer) => { out = (out + b.toString()).slice(-65_536); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

describe('README: the Linux quick start runs as written on a fresh machine (overlay namespace, root)', function () {
  this.timeout(30 * 60_000);
  let m: OverlayMachine | undefined;
  let layers: { dir: string; cleanup(): void } | undefined;
  let block = '';
  const results: Array<{ command: string; code: number | null; out: string }> = [];
  const hostBefore = new Map<string, string>();
  const watched = ['/etc/pam.d/common-password', path.join(ROOT, 'node_modules/.package-lock.json'), path.join(ROOT, 'dist/src/cli/main.js')];

  const ok = (argv: string[], input?: string) => {
    const r = m!.exec(argv, { input });
    assert.equal(r.status, 0, `${argv.join(' ')} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const pwbridge = (...args: string[]) => ok(['/bin/sh', '-c', 'cd "$1" && shift && exec ./bin/pwbridge "$@"', 'pwbridge', CHECKOUT, ...args]);

  before(async function () {
    const problem = overlayMachineProblem()
      ?? (fs.readFileSync('/etc/pam.d/common-password', 'utf8').includes('pam_pwbridge') || fs.existsSync('/var/lib/pwbridge')
        ? 'pwbridge is installed on this machine for real (the quick start is for a fresh one)' : undefined);
    if (problem) skipBecause(this, problem);
    block = fencedBlockUnder(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), HEADING, 'sh');
    for (const f of watched) hostBefore.set(f, fileHash(f));
    m = await startOverlayMachine('quickstart');
    // The checkout, overlaid inside the machine only: what the block writes there lands in `layers`.
    layers = makeTempDir('pwbridge-quickstart-checkout-');
    for (const d of ['upper', 'work']) fs.mkdirSync(path.join(layers.dir, d));
    ok(['mount', '-t', 'tmpfs', '-o', 'mode=0755,size=1m', 'pwbridge-quickstart', '/mnt']);
    ok(['mkdir', CHECKOUT]);
    ok(['mount', '-t', 'overlay', 'overlay', '-o', `lowerdir=${ROOT},upperdir=${layers.dir}/upper,workdir=${layers.dir}/work`, CHECKOUT]);
    // What a fresh clone does not have: the builds of this checkout (CMake's caches name the host's path,
    // and the block's build must make its own). Removed in the overlay only, the host's stay.
    ok(['rm', '-rf', `${CHECKOUT}/native/build`, `${CHECKOUT}/native/build-win`, `${CHECKOUT}/dist`]);
    // Each command as a root shell in the checkout runs it (HOME for npm), up to the first that fails: one
    // `sh -c` per command, so a failure anywhere in `a && b` counts, which `sh -e` over the block would miss.
    for (const command of commandsOf(block)) {
      const r = await run(m, ['/usr/bin/env', 'HOME=/root', '/bin/sh', '-c', `cd "$0" && ${command}`, CHECKOUT], 20 * 60_000);
      results.push({ command, ...r });
      if (r.code !== 0) break;
    }
  });

  after(async () => {
    if (m) {
      // The install started the service as a detached process (systemd is not PID 1 here); uninstall stops it.
      m.exec(['/bin/sh', '-c', 'cd "$1" && ./bin/pwbridge uninstall', 'uninstall', CHECKOUT]);
      const pidFile = m.path('/var/lib/pwbridge/pwbridge.pid');
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : 0;
      if (pid > 0) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
      await m.stop();
    }
    layers?.cleanup();
  });

  it('the README has the block, and it installs and checks pwbridge', () => {
    for (const step of ['npm ci', './bin/pwbridge install', './bin/pwbridge status', './bin/pwbridge selftest']) {
      assert.ok(block.split('\n').some((l) => l.startsWith(step)), `the block runs ${step}:\n${block}`);
    }
  });

  it('every command of the block succeeds, as root, in the checkout', () => {
    const failed = results.find((r) => r.code !== 0);
    assert.equal(failed, undefined, failed && `\`${failed.command}\` failed (exit ${failed.code}); its output ends:\n${failed.out.slice(-8000)}`);
    assert.equal(results.length, commandsOf(block).length);
    const status = results.find((r) => r.command.startsWith('./bin/pwbridge status'))!;
    assert.match(status.out, /^service:\s+running/m, `status says the service runs:\n${status.out}`);
    assert.match(status.out, /^filter:\s+active/m, `status says the filter is active:\n${status.out}`);
  });

  it('then pwbridge works: status, selftest, and a chpasswd through the real PAM stack reaches the vault', async () => {
    const status = JSON.parse(pwbridge('status', '--json').stdout) as { serviceRunning: boolean; filter: { state: string } };
    assert.equal(status.serviceRunning, true);
    assert.equal(status.filter.state, 'active');
    pwbridge('selftest');
    assert.match(fs.readFileSync(m!.path('/etc/pam.d/common-password'), 'utf8'), /^password\s+optional\s+pam_pwbridge\.so dir=\/var\/lib\/pwbridge$/m);
    const user = `pwbt_${randomBytes(5).toString('hex')}`;
    const pw = `qs-Canary-${randomBytes(8).toString('hex')}`;
    ok(['useradd', '-M', '-s', '/usr/sbin/nologin', user]);
    ok(['chpasswd'], `${user}:${pw}\n`);
    const cred = await pollUntil('the credential auto-created from the capture', () => {
      const lines = pwbridge('vault', 'cred', 'list', '--client', 'local', '--json').stdout.trim().split('\n').filter(Boolean);
      return lines.map((l) => JSON.parse(l) as { username: string }).find((c) => c.username.endsWith(`\\${user}`));
    }, 30_000, 500);
    assert.ok(cred);
    assert.ok(!results.some((r) => r.out.includes(pw)));
  });

  it('the host is untouched: its PAM stack, node_modules and dist are as they were, and it has no data dir', () => {
    for (const [f, h] of hostBefore) assert.equal(fileHash(f), h, `${f} changed on the host`);
    assert.ok(!fs.existsSync('/var/lib/pwbridge'), 'the host has no /var/lib/pwbridge');
  });
});
