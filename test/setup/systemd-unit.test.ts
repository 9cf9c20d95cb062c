// The unit's sandbox, checked by systemd's own tools (verify; security --offline, which needs no systemd
// as PID 1), and the capability bounding set checked against the real chpasswd: run under exactly that
// bounding set on a throwaway account in a private copy of /etc, and under that set less each capability.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { READ_ONLY_ETC, renderUnit, SERVICE_CAPABILITIES } from '../../src/platform/linux/systemd-unit';
import { verifyCryptAsync } from '../../src/platform/linux/crypt';
import { assertExit, jsonLines, runCli } from '../cli/cli';
import { makeMachine, mountNamespaceProblem, shadowHash, shadowLine, type Machine } from '../helpers/machine-ns';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

const ANALYZE = '/usr/bin/systemd-analyze';
const SETPRIV = '/usr/bin/setpriv';
/** Measured for this unit with systemd 252 (lower is better; 0 is a fully locked down unit, 10 none). */
const EXPOSURE_AT_MOST = 2.3;
const MAIN_JS = path.resolve(__dirname, '../../src/cli/main.js');

describe('setup: the systemd unit\'s sandbox', function () {
  this.timeout(60_000);
  let t: { dir: string; cleanup(): void };
  let unitFile: string;
  const dataDir = '/var/lib/pwbridge';
  const unit = renderUnit({ nodePath: process.execPath, mainJs: MAIN_JS, dataDir });
  const lines = unit.split('\n');

  before(() => {
    t = makeTempDir('pwbridge-unit-');
    unitFile = path.join(t.dir, 'pwbridge.service');
    fs.writeFileSync(unitFile, unit);
  });
  after(() => t.cleanup());

  it('says what the sandbox is: capabilities, strict file system with the data dir and /etc writable, no core, syscall filter', () => {
    for (const l of [
      `CapabilityBoundingSet=${SERVICE_CAPABILITIES.join(' ')}`, 'NoNewPrivileges=yes', 'LimitCORE=0',
      'ProtectSystem=strict', `ReadWritePaths=${dataDir} /etc`, `ReadOnlyPaths=${READ_ONLY_ETC.map((p) => `-${p}`).join(' ')}`,
      'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes', 'ProtectKernelTunables=yes', 'ProtectKernelModules=yes',
      'ProtectKernelLogs=yes', 'ProtectControlGroups=yes', 'LockPersonality=yes', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
      'SystemCallFilter=@system-service', 'SystemCallErrorNumber=EPERM',
    ]) assert.ok(lines.includes(l), l);
    assert.doesNotMatch(unit, /^MemoryDenyWriteExecute/m, 'V8 needs W+X memory');
    assert.doesNotMatch(unit, /^ProcSubset=pid/m, 'the service reads /proc/sys/kernel/random/boot_id');
  });

  it('a socket outside the data dir: its directory is writable too', () => {
    const other = renderUnit({ nodePath: process.execPath, mainJs: MAIN_JS, dataDir, socketPath: '/srv/pwbridge-run/capture.sock' });
    assert.ok(other.split('\n').includes(`ReadWritePaths=${dataDir} /srv/pwbridge-run /etc`));
    const inside = renderUnit({ nodePath: process.execPath, mainJs: MAIN_JS, dataDir, socketPath: `${dataDir}/run/capture.sock` });
    assert.ok(inside.split('\n').includes(`ReadWritePaths=${dataDir} /etc`));
  });

  it('systemd-analyze verify takes it', function () {
    if (!fs.existsSync(ANALYZE)) skipBecause(this, 'systemd-analyze is not installed');
    const r = spawnSync(ANALYZE, ['verify', unitFile], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    // verify warns (exit 0) about directives it does not know or cannot parse: there must be none.
    assert.doesNotMatch(r.stderr, /Unknown key|Failed to parse|Invalid|ignoring/i, r.stderr);
  });

  it(`systemd-analyze security --offline rates its exposure at most ${EXPOSURE_AT_MOST}`, function () {
    if (!fs.existsSync(ANALYZE)) skipBecause(this, 'systemd-analyze is not installed');
    const r = spawnSync(ANALYZE, ['security', '--offline=yes', unitFile], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    const score = Number(/Overall exposure level for pwbridge\.service: ([\d.]+)/.exec(r.stdout)?.[1]);
    assert.ok(Number.isFinite(score), r.stdout);
    console.log(`      exposure: ${score}`);
    assert.ok(score <= EXPOSURE_AT_MOST, `exposure ${score} > ${EXPOSURE_AT_MOST}:\n${r.stdout.split('\n').filter((l) => l.startsWith('✗')).join('\n')}`);
  });

  describe('the bounding set against the real chpasswd (root, a private /etc)', () => {
    let m: Machine;
    const user = `pwcap${process.pid % 100000}`;
    const setprivCaps = (caps: readonly string[]) => ['-all', ...caps.map((c) => `+${c.replace(/^CAP_/, '').toLowerCase()}`)].join(',');
    /** chpasswd as the service runs it, with only `caps` in its bounding set; true when the shadow line changed. */
    const chpasswdWith = (caps: readonly string[]): { changed: boolean; detail: string } => {
      const shadow = path.join(m.etc, 'shadow');
      const before = shadowLine(shadow, user);
      const r = m.exec([SETPRIV, `--bounding-set=${setprivCaps(caps)}`, '--inh-caps=-all', '/usr/sbin/chpasswd'], `${user}:Pw-${Date.now()}-${Math.random()}\n`);
      return { changed: r.status === 0 && shadowLine(shadow, user) !== before, detail: `exit ${r.status}: ${r.stderr.trim()}` };
    };

    before(function () {
      const problem = mountNamespaceProblem();
      if (problem || !fs.existsSync(SETPRIV)) {
        skipBecause(this, problem ?? `${SETPRIV} is missing`);
      }
      m = makeMachine('caps');
      const r = m.exec(['/usr/sbin/useradd', '-M', user]);
      assert.equal(r.status, 0, r.stderr);
    });
    after(() => m?.cleanup());

    it('the unit\'s capabilities are enough; without CAP_CHOWN chpasswd fails', () => {
      const all = chpasswdWith(SERVICE_CAPABILITIES);
      assert.ok(all.changed, all.detail);
      const noChown = chpasswdWith(SERVICE_CAPABILITIES.filter((c) => c !== 'CAP_CHOWN'));
      assert.ok(!noChown.changed, `without CAP_CHOWN it still worked: ${noChown.detail}`);
      assert.match(noChown.detail, /manipulation error|not changed/);
    });

    it('pwbridge itself under the unit\'s bounding set and NoNewPrivileges: a reconcile pass sets a local password (and not without CAP_CHOWN)', async () => {
      const data = makeTempDir('pwbridge-unit-data-');
      try {
        const dataDir = path.join(data.dir, 'data');
        fs.mkdirSync(dataDir, { mode: 0o700 });
        fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ machine: 'TESTHOST', reconcileInterval: '1h', pamDir: path.join(data.dir, 'no-pam.d') }));
        const cli = (args: string[], stdin?: string, prefix?: readonly string[]) => runCli(args, { dataDir, stdin, prefix });
        assertExit(await cli(['vault', 'client', 'add', 'Acme', '--windows-sync']), 0, 'client add');
        assertExit(await cli(['vault', 'cred', 'add', '--client', 'Acme', '--user', `TESTHOST\\${user}`, '--mode', 'change'], 'vault-pass-1\n'), 0, 'cred add');
        const sandboxed = (caps: readonly string[]) => [...m.prefix, SETPRIV, `--bounding-set=${setprivCaps(caps)}`, '--inh-caps=-all', '--no-new-privs'];
        const pass = async (caps: readonly string[], exit: number) => {
          const r = await cli(['reconcile', '--once', '--json', '--client', 'Acme'], undefined, sandboxed(caps));
          assertExit(r, exit, 'reconcile --once'); // 1: a credential failed
          return jsonLines<{ set: number; failed: number }>(r)[0];
        };
        const without = await pass(SERVICE_CAPABILITIES.filter((c) => c !== 'CAP_CHOWN'), 1);
        assert.deepEqual([without.set, without.failed], [0, 1], 'without CAP_CHOWN the set fails (the bounding set is in force)');
        const within = await pass(SERVICE_CAPABILITIES, 0);
        assert.equal(within.set, 1, JSON.stringify(within));
        assert.ok(await verifyCryptAsync(Buffer.from('vault-pass-1'), await shadowHash(path.join(m.etc, 'shadow'), user)), 'the machine\'s shadow has the vault\'s password');
      } finally {
        data.cleanup();
      }
    });

    it('a shadow file of mode 0000 (Fedora, RHEL): enough with CAP_DAC_READ_SEARCH, not without', () => {
      fs.chmodSync(path.join(m.etc, 'shadow'), 0o000);
      const all = chpasswdWith(SERVICE_CAPABILITIES);
      assert.ok(all.changed, all.detail);
      const without = chpasswdWith(SERVICE_CAPABILITIES.filter((c) => c !== 'CAP_DAC_READ_SEARCH'));
      assert.ok(!without.changed, `without CAP_DAC_READ_SEARCH it still worked: ${without.detail}`);
    });
  });
});
