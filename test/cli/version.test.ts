// `pwbridge --version` / `-V` / `--version --json`, run as a user runs it: the real CLI as a child process,
// as an unprivileged user and with no data dir, on a "machine" whose PAM module folder holds the module this
// checkout built (a private mount namespace, test/helpers/machine-ns.ts); and the Windows path: the pinned
// Windows node.exe under Wine, with the built filter DLL in the Wine prefix's System32.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VERSION as PROTOCOL_VERSION } from '../../src/protocol/constants';
import { defaultSqliteDriver } from '../../src/sqlite/drivers';
import { hostSecurityDir, makeMachine, mountNamespaceProblem, type Machine } from '../helpers/machine-ns';
import { runWindowsNode } from '../helpers/windows-node';
import { FILTER_DLL, hostPathIn, privateWinePrefix, windowsPartsMissing, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';
import { repoRoot } from '../vectors/repo-root';

const ROOT = repoRoot();
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const MAIN_JS = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PAM_MODULE = path.join(ROOT, 'native', 'build', 'pam', 'pam_pwbridge.so');
const NOBODY = 65534;
const NO_DATA_DIR = '/nonexistent/pwbridge-version-test';

/** The protocol version the C codec speaks (native/common/pwb_wire.h), which the TypeScript one must equal. */
function cProtocolVersion(): number {
  const m = /#define PWB_VERSION (\d+)/.exec(fs.readFileSync(path.join(ROOT, 'native', 'common', 'pwb_wire.h'), 'utf8'));
  assert.ok(m, 'pwb_wire.h defines PWB_VERSION');
  return Number(m[1]);
}

function sqliteVersionHere(): string {
  const db = defaultSqliteDriver().open(':memory:');
  try {
    return String(db.prepare('SELECT sqlite_version()').pluck().get());
  } finally {
    db.close();
  }
}

describe('pwbridge --version (Linux: as nobody, no data dir, the module in the machine\'s PAM folder)', function () {
  this.timeout(60_000);
  let machine: Machine;
  before(function () {
    if (process.platform !== 'linux') skipBecause(this, 'Linux only');
    const problem = mountNamespaceProblem();
    if (problem) skipBecause(this, `a private mount namespace is needed to place the module where PAM loads it: ${problem}`);
    if (!fs.existsSync(PAM_MODULE)) skipBecause(this, `${PAM_MODULE} is not built (npm run build:native)`);
    machine = makeMachine('version');
    fs.copyFileSync(PAM_MODULE, path.join(machine.security, 'pam_pwbridge.so'));
  });
  after(() => machine?.cleanup());

  const asNobody = (...args: string[]) => machine.exec(['/usr/bin/setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, MAIN_JS, ...args]);

  it('--version --json: pwbridge\'s version, the protocol, the module found and its version, Node and the SQLite driver', () => {
    const r = asNobody('--data-dir', NO_DATA_DIR, '--version', '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(report, {
      pwbridge: VERSION,
      protocol: cProtocolVersion(),
      captureModule: { kind: 'pam', path: path.join(hostSecurityDir(), 'pam_pwbridge.so'), version: VERSION },
      node: process.version,
      sqlite: report.sqlite,
    });
    assert.equal(PROTOCOL_VERSION, cProtocolVersion(), 'the TypeScript and C codecs speak one version');
    const sqlite = report.sqlite as { driver: string; sqliteVersion: string };
    assert.equal(sqlite.driver, defaultSqliteDriver().name);
    assert.equal(sqlite.sqliteVersion, sqliteVersionHere());
    assert.ok(!fs.existsSync(NO_DATA_DIR), 'no data dir was made');
  });

  it('-V and --version print the same lines for people, and the module is the one in this machine\'s folder only', () => {
    const short = asNobody('-V');
    const long = asNobody('--version');
    assert.equal(short.status, 0, short.stderr);
    assert.equal(short.stdout, long.stdout);
    const lines = short.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `pwbridge ${VERSION}`);
    assert.equal(lines[1], `capture protocol: ${PROTOCOL_VERSION}`);
    assert.equal(lines[2], `capture module: pam_pwbridge.so ${VERSION} (${path.join(hostSecurityDir(), 'pam_pwbridge.so')})`);
    assert.equal(lines[3], `node: ${process.version}`);
    assert.match(lines[4], new RegExp(`^sqlite: ${defaultSqliteDriver().name}( [0-9.]+)? \\(SQLite ${sqliteVersionHere().replace(/\./g, '\\.')}\\)$`));
    // Outside the machine's namespace the host's folder has no module (the test never installs one there).
    if (!fs.existsSync(path.join(hostSecurityDir(), 'pam_pwbridge.so'))) {
      const host = spawnSync(process.execPath, [MAIN_JS, '--version'], { encoding: 'utf8' });
      assert.match(host.stdout, /^capture module: pam_pwbridge\.so not installed \(no pam_pwbridge\.so in .+\)$/m);
    }
  });

  it('--version with a subcommand\'s --json still prints the report, and an unknown option is still refused (exit 2)', () => {
    const r = asNobody('status', '--json', '--version');
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { pwbridge: string }).pwbridge, VERSION);
    const bad = asNobody('--verison');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown option '--verison'/);
  });
});

describe('pwbridge --version on the Windows node.exe (under Wine): the filter DLL in System32', function () {
  this.timeout(240_000);
  let prefix: ReturnType<typeof privateWinePrefix>;
  before(function () {
    if (process.platform === 'win32') skipBecause(this, 'not on Windows (Wine stands in for it here)');
    const missing = windowsPartsMissing();
    if (missing.skip) skipBecause(this, missing.skip);
    if (missing.fail) throw new Error(missing.fail);
    prefix = privateWinePrefix();
  });
  after(() => prefix?.remove());

  it('names System32\\pwbridge_filter.dll and the version it carries, node:sqlite and Node 22; and "not installed" without it', async () => {
    const run = () => runWindowsNode([winPath(MAIN_JS), '--version', '--json'], { env: { ...prefix.env, NODE_SKIP_PLATFORM_CHECK: '1' } });
    const before = await run();
    assert.equal(before.code, 0, before.stderr);
    const absent = JSON.parse(before.stdout) as { captureModule: { kind: string; problem: string } };
    assert.equal(absent.captureModule.kind, 'lsa');
    assert.match(absent.captureModule.problem, /^not installed \(no C:\\windows\\system32\\pwbridge_filter\.dll\)$/i);

    fs.copyFileSync(FILTER_DLL, hostPathIn(prefix.dir, 'C:\\windows\\system32\\pwbridge_filter.dll'));
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { pwbridge: string; protocol: number; captureModule: { kind: string; path: string; version: string }; node: string; sqlite: { driver: string; sqliteVersion: string } };
    assert.equal(report.pwbridge, VERSION);
    assert.equal(report.protocol, cProtocolVersion());
    assert.equal(report.captureModule.kind, 'lsa');
    assert.match(report.captureModule.path, /^C:\\windows\\system32\\pwbridge_filter\.dll$/i);
    assert.equal(report.captureModule.version, VERSION);
    assert.match(report.node, /^v22\./);
    assert.equal(report.sqlite.driver, 'node:sqlite');
    assert.match(report.sqlite.sqliteVersion, /^3\.\d+\.\d+$/);
  });
});
