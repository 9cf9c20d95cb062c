import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../src/cli/errors';
import { ConfigError } from '../../src/config/config-error';
import { renderUnit, sandboxProblem, serviceArgv, systemdWord } from '../../src/platform/linux/systemd-unit';
import { findSecurityDir, moduleSource, runInstall } from '../../src/setup/install';
import { requireRoot } from '../../src/setup/plan';
import { runUninstall } from '../../src/setup/uninstall';
import { makeTempDir } from '../helpers/tmp';

describe('setup: install and uninstall pieces', () => {
  let t: { dir: string; cleanup(): void };
  beforeEach(() => { t = makeTempDir('pwbridge-setup-'); });
  afterEach(() => t.cleanup());

  describe('root', () => {
    it('refuses a uid other than 0, naming root, the uid and --dry-run; a dry run or root passes', () => {
      assert.throws(() => requireRoot('install', 1000, false), (e: Error) => e instanceof UsageError
        && /install: must be run as root \(uid 0; this is uid 1000\)/.test(e.message) && /--dry-run/.test(e.message));
      requireRoot('install', 1000, true);
      requireRoot('install', 0, false);
    });

    it('install and uninstall refuse a non-root uid before touching anything', async () => {
      const dataDir = path.join(t.dir, 'data');
      const out: string[] = [];
      await assert.rejects(runInstall({ dataDir, dryRun: false, start: false, uid: 1000, out: (l) => out.push(l) }), /install: must be run as root/);
      await assert.rejects(runUninstall({ dataDir, dryRun: false, uid: 1000, out: (l) => out.push(l) }), /uninstall: must be run as root/);
      assert.deepEqual(out, []);
      assert.deepEqual(fs.readdirSync(t.dir), []);
    });
  });

  it('the module not built: says so, and how to build it', () => {
    const built = path.join(t.dir, 'native', 'build', 'pam', 'pam_pwbridge.so');
    assert.throws(() => moduleSource(undefined, built), (e: Error) => e instanceof UsageError
      && e.message.startsWith(`the PAM module was not built: ${built} does not exist`)
      && e.message.includes('npm run build:native') && /libpam0g-dev, libssl-dev, libcrypt-dev and cmake/.test(e.message) && e.message.includes('--module PATH'));
    fs.mkdirSync(path.dirname(built), { recursive: true });
    fs.writeFileSync(built, 'x');
    assert.equal(moduleSource(undefined, built), built);
  });

  it('the security dir: the first candidate holding pam_unix.so, else a refusal naming them', () => {
    const [a, b] = [path.join(t.dir, 'a'), path.join(t.dir, 'b')];
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    assert.throws(() => findSecurityDir(undefined, [a, b]), (e: Error) => e instanceof ConfigError && e.message.includes(`no pam_unix.so in ${a}, ${b}`) && /--security-dir/.test(e.message));
    fs.writeFileSync(path.join(b, 'pam_unix.so'), '');
    assert.equal(findSecurityDir(undefined, [a, b]), b);
    assert.equal(findSecurityDir(a, [a, b]), a);
  });

  describe('the unit', () => {
    const o = { nodePath: '/usr/bin/node', mainJs: '/opt/pwbridge/dist/src/cli/main.js', dataDir: '/var/lib/pwbridge' };
    const unit = renderUnit(o);

    it('runs node with the service\'s V8 flags, restarts on failure, owner-only umask, wanted by multi-user', () => {
      assert.match(unit, /^ExecStart=\/usr\/bin\/node --max-semi-space-size=4 --max-old-space-size=256 \/opt\/pwbridge\/dist\/src\/cli\/main\.js run --data-dir \/var\/lib\/pwbridge$/m);
      for (const l of ['Restart=on-failure', 'RestartSec=2', 'RestartPreventExitStatus=2 65', 'UMask=0077', 'WantedBy=multi-user.target']) assert.ok(unit.split('\n').includes(l), l);
    });

    it('hardening that still lets it write /etc/shadow and run V8 (the full sandbox: systemd-unit.test.ts)', () => {
      const lines = unit.split('\n');
      for (const l of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/pwbridge /etc', 'ProtectHome=yes', 'PrivateTmp=yes', 'PrivateDevices=yes',
        'ProtectKernelTunables=yes', 'ProtectKernelModules=yes', 'ProtectControlGroups=yes', 'ProtectClock=yes', 'ProtectHostname=yes',
        'RestrictNamespaces=yes', 'RestrictRealtime=yes', 'LockPersonality=yes', 'RestrictSUIDSGID=yes', 'LimitCORE=0',
        'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6', 'SystemCallArchitectures=native']) {
        assert.ok(lines.includes(l), l);
      }
      assert.doesNotMatch(unit, /^MemoryDenyWriteExecute/m);
      assert.doesNotMatch(unit, /^ReadOnlyPaths=.*\/etc(\s|$)/m, '/etc itself stays writable (chpasswd renames over /etc/shadow)');
    });

    it('quotes and escapes words systemd would split or expand', () => {
      assert.equal(systemdWord('/opt/pwbridge'), '/opt/pwbridge');
      assert.equal(systemdWord('/opt/pw bridge'), '"/opt/pw bridge"');
      assert.equal(systemdWord('/opt/100%'), '/opt/100%%');
      assert.equal(systemdWord('/opt/$HOME'), '/opt/$$HOME');
      assert.equal(systemdWord('a"b'), '"a\\"b"');
      assert.deepEqual(serviceArgv(o).slice(-3), ['run', '--data-dir', '/var/lib/pwbridge']);
    });

    it('names a path the sandbox would hide or make read-only', () => {
      assert.equal(sandboxProblem('/var/lib/pwbridge', true), undefined);
      assert.match(sandboxProblem('/tmp/x', true) ?? '', /PrivateTmp/);
      assert.match(sandboxProblem('/var/tmp/x/main.js', false) ?? '', /PrivateTmp/);
      assert.match(sandboxProblem('/home/me/pw', true) ?? '', /ProtectHome=yes/);
      assert.match(sandboxProblem('/home/me/pwbridge/dist/src/cli/main.js', false) ?? '', /ProtectHome=yes hides/, 'hidden, not only read-only');
      assert.match(sandboxProblem('/root/.nvm/bin/node', false) ?? '', /ProtectHome/);
      // ProtectSystem=strict, but ReadWritePaths names the data dir wherever it is.
      assert.equal(sandboxProblem('/usr/local/pw', true), undefined);
      assert.match(sandboxProblem('/etc/pam.d/pw', true) ?? '', /read-only/);
      assert.equal(sandboxProblem('/etc/pam.d/x', false), undefined);
      assert.equal(sandboxProblem('/tmpfoo', true), undefined);
    });
  });
});
