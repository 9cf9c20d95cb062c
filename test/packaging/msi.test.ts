// The Windows installer: packaging/windows/build-msi.sh builds it here, on Linux, with wixl, from real
// Windows parts (the cross-built DLLs and addon, the pinned node.exe, the win32-x64 production
// dependencies), and these tests read its tables back with msidump and its files with msiextract. What it
// does when installed runs in test/windows/msi-install.test.ts (under Wine) and in
// .github/workflows/windows.yml (on Windows).

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildMsi, BUILD_MSI, PACKAGE_VERSION as VERSION, runBuildMsi } from '../helpers/msi';
import { filesUnder, makeTempDir } from '../helpers/tmp';
import { repoRoot } from '../vectors/repo-root';
import { skipBecause } from '../helpers/skip';

const ROOT = repoRoot();
const WXS = path.join(ROOT, 'packaging', 'windows', 'pwbridge.wxs');
const REAL_DLL = path.join(ROOT, 'native', 'build-win', 'pwbridge_filter.dll');
const REAL_MESSAGES = path.join(ROOT, 'native', 'build-win', 'pwbridge_messages.dll');
const PINS = JSON.parse(fs.readFileSync(path.join(ROOT, 'packaging', 'node-runtimes.json'), 'utf8')) as Record<string, { sha256: string }>;
/** Pinned: a package with another UpgradeCode would install next to an older pwbridge instead of replacing it. */
const UPGRADE_CODE = '{69CECF01-1292-4DAF-A93F-53F2B1ED0D37}';

/** The options the silent-deployment properties become, in PwbInstall's command line (pwbridge.wxs). */
const DEPLOYMENT_ARGS = ['PWB_ARG_ACCOUNT', 'PWB_ARG_ACCOUNT_PW', 'PWB_ARG_HUB', 'PWB_ARG_CLIENT', 'PWB_ARG_FP', 'PWB_ARG_CA', 'PWB_ARG_ENROL', 'PWB_ARG_ENROL_TOKEN'];

// Custom action type bits (msidbCustomActionType*).
const EXE_FROM_FILE = 18;
const CONTINUE = 64;
const ROLLBACK = 256;
const IN_SCRIPT = 1024;
const NO_IMPERSONATE = 2048;

type Row = Record<string, string>;
interface Package { msi: string; tables: Map<string, Row[]>; }

function runWithPath(args: string[], env: NodeJS.ProcessEnv, bash: string) {
  const r = spawnSync(bash, [BUILD_MSI, ...args], { encoding: 'utf8', env });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stderr: r.stderr };
}

function extract(p: Package, into: string): string[] {
  fs.mkdirSync(into);
  const r = spawnSync('msiextract', ['-C', into, p.msi], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return filesUnder(into);
}

function requireTool(tool: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  assert.equal(r.status, 0, `${tool} is missing: apt-get install --no-install-recommends wixl msitools (.ci/run installs them)`);
}

/** Every table of the package, through msidump's .idt files (name, types and keys lines, then rows). */
function readPackage(msi: string, scratch: string): Package {
  const dir = fs.mkdtempSync(path.join(scratch, 'dump-'));
  const r = spawnSync('msidump', ['-d', dir, msi], { encoding: 'utf8' });
  assert.equal(r.status, 0, `msidump: ${r.stderr}`);
  const tables = new Map<string, Row[]>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.idt'))) {
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split(/\r?\n/).filter((l) => l !== '');
    const cols = lines[0].split('\t');
    tables.set(f.slice(0, -4), lines.slice(3).map((l) => {
      const v = l.split('\t');
      return Object.fromEntries(cols.map((c, i) => [c, v[i] ?? '']));
    }));
  }
  return { msi, tables };
}

function rows(p: Package, table: string): Row[] {
  return p.tables.get(table) ?? [];
}

function one(p: Package, table: string, key: string, value: string): Row {
  const found = rows(p, table).filter((r) => r[key] === value);
  assert.equal(found.length, 1, `${table}: expected one row with ${key} = ${value}, found ${found.length}`);
  return found[0];
}

/** Where a Directory row ends up: a standard folder (System64Folder, ProgramFiles64Folder) and the names below it. */
function dirPath(p: Package, id: string): string {
  const parts: string[] = [];
  for (let d: string | undefined = id; d && d !== 'TARGETDIR';) {
    const row = one(p, 'Directory', 'Directory', d);
    const name = row.DefaultDir.split(':')[0].split('|').pop() ?? '';
    const parent: string = row.Directory_Parent;
    if (parent === 'TARGETDIR') { parts.unshift(d); break; }
    if (name !== '.') parts.unshift(name);
    d = parent;
  }
  return parts.join('/');
}

/** The installed path of every file: "System64Folder/pwbridge_filter.dll", "ProgramFiles64Folder/pwbridge/bin/pwbridge", … */
const installedCache = new WeakMap<Package, Map<string, Row>>();
function installedFiles(p: Package): Map<string, Row> {
  const cached = installedCache.get(p);
  if (cached) return cached;
  const out = new Map<string, Row>();
  for (const f of rows(p, 'File')) {
    const comp = one(p, 'Component', 'Component', f.Component_);
    out.set(`${dirPath(p, comp.Directory_)}/${f.FileName.split('|').pop()}`, f);
  }
  installedCache.set(p, out);
  return out;
}

function seq(p: Package, action: string): number {
  return Number(one(p, 'InstallExecuteSequence', 'Action', action).Sequence);
}

// The checks, as functions, so the "can fail" test runs the very same ones on a broken package.

function checkFilterInSystem32(p: Package): void {
  const dll = installedFiles(p).get('System64Folder/pwbridge_filter.dll');
  assert.ok(dll, `pwbridge_filter.dll is not installed into System64Folder; files: ${[...installedFiles(p).keys()].filter((k) => /pwbridge_filter/.test(k))}`);
  const comp = one(p, 'Component', 'Component', dll.Component_);
  assert.ok(Number(comp.Attributes) & 256, 'the DLL\'s component must be 64-bit (msidbComponentAttributes64bit), or it lands in SysWOW64');
  assert.equal(comp.KeyPath, dll.File);
  assert.equal(one(p, 'Directory', 'Directory', 'System64Folder').Directory_Parent, 'TARGETDIR');
}

function checkInstallStep(p: Package): void {
  const ca = one(p, 'CustomAction', 'Action', 'PwbInstall');
  assert.equal(Number(ca.Type), EXE_FROM_FILE | IN_SCRIPT | NO_IMPERSONATE, 'PwbInstall: deferred, as LocalSystem, failure fails the install');
  assert.equal(one(p, 'File', 'File', ca.Source).FileName, 'node.exe');
  const launcher = installedFiles(p).get('ProgramFiles64Folder/pwbridge/bin/pwbridge');
  assert.ok(launcher, 'bin/pwbridge is not installed');
  const dll = one(p, 'File', 'FileName', 'pwbridge_filter.dll');
  const target = `"[#${launcher.File}]" install --module "[#${dll.File}]" --event-messages "[#`;
  assert.ok(ca.Target.startsWith(target) && new RegExp(`^\\w+\\]"${DEPLOYMENT_ARGS.map((a) => `\\[${a}\\]`).join('')}$`).test(ca.Target.slice(target.length)),
    `PwbInstall runs ${ca.Target}`);
  const s = one(p, 'InstallExecuteSequence', 'Action', 'PwbInstall');
  assert.equal(s.Condition, 'NOT REMOVE~="ALL"', 'install runs on install, repair and upgrade, never on removal');
  assert.ok(Number(s.Sequence) > seq(p, 'InstallFiles') && Number(s.Sequence) > seq(p, 'StartServices')
    && Number(s.Sequence) < seq(p, 'InstallFinalize'), `PwbInstall at ${s.Sequence}: must run after the files are in place, inside the script`);
}

/** The message DLL in Program Files\pwbridge, and the install step names that file for the event source. */
function checkEventMessages(p: Package): void {
  const messages = installedFiles(p).get('ProgramFiles64Folder/pwbridge/pwbridge_messages.dll');
  assert.ok(messages, `pwbridge_messages.dll is not installed into Program Files\\pwbridge; files: ${[...installedFiles(p).keys()].filter((k) => /_m/.test(k))}`);
  assert.ok(one(p, 'CustomAction', 'Action', 'PwbInstall').Target.includes(` --event-messages "[#${messages.File}]"`));
}

function checkUninstallStep(p: Package): void {
  const ca = one(p, 'CustomAction', 'Action', 'PwbUninstall');
  assert.equal(Number(ca.Type), EXE_FROM_FILE | IN_SCRIPT | NO_IMPERSONATE);
  assert.equal(one(p, 'File', 'File', ca.Source).FileName, 'node.exe');
  assert.match(ca.Target, /^"\[#\w+\]" uninstall$/);
  const s = one(p, 'InstallExecuteSequence', 'Action', 'PwbUninstall');
  assert.equal(s.Condition, 'REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE AND NOT PWB_SKIP_UNINSTALL_STEP',
    'uninstall runs on a full removal only: not when a newer version replaces this one');
  assert.ok(Number(s.Sequence) > seq(p, 'InstallInitialize') && Number(s.Sequence) < seq(p, 'StopServices')
    && Number(s.Sequence) < seq(p, 'RemoveFiles'), `PwbUninstall at ${s.Sequence}: must run while node.exe and the service are still there`);
}

describe('packaging: the Windows MSI (wixl, checked with msidump)', function () {
  this.timeout(120_000);
  let t: { dir: string; cleanup(): void };
  let pkg: Package;
  let extractedFiles: string[] | undefined;
  const packageFiles = () => (extractedFiles ??= extract(pkg, path.join(t.dir, 'extract')));

  before(function () {
    if (process.platform === 'win32') skipBecause(this, 'the Windows workflow builds and installs the package there');
    this.timeout(600_000);
    for (const tool of ['wixl', 'wixl-heat', 'msibuild', 'msiinfo', 'msidump', 'msiextract']) requireTool(tool);
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js')), 'run npm run build first');
    assert.ok(fs.existsSync(REAL_DLL) && fs.existsSync(REAL_MESSAGES), 'native/build-win has no DLLs: npm run build:native (mingw-w64)');
    t = makeTempDir('pwbridge-msi-');
    pkg = readPackage(buildMsi(), t.dir);
  });
  after(() => t?.cleanup());

  it('refuses to build from parts that are not Windows x64, naming each, and builds nothing', () => {
    const out = path.join(t.dir, 'strict');
    const r = runBuildMsi(['--dll', '/bin/ls', '--node-exe', '/bin/sh', '--pipe-addon', '/bin/true', '--out', out]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /the filter: \/bin\/ls is not a Windows x64 dll/);
    assert.match(r.out, /node\.exe: \/bin\/sh is not a Windows x64 executable/);
    assert.match(r.out, /the named-pipe addon: \/bin\/true is not a Windows x64 dll/);
    assert.deepEqual(fs.readdirSync(out).filter((f) => f.endsWith('.msi')), []);
  });

  it('says which tools are missing, and how to get them, when wixl is not there (exit 2)', () => {
    const bin = path.join(t.dir, 'bin-without-wixl');
    fs.mkdirSync(bin);
    fs.symlinkSync(spawnSync('sh', ['-c', 'command -v dirname'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'dirname'));
    const bash = spawnSync('sh', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();
    const r = runWithPath(['--out', path.join(t.dir, 'nowixl')], { PATH: bin }, bash);
    assert.equal(r.code, 2, r.out);
    assert.match(r.stderr, /lacks wixl wixl-heat msibuild msiinfo node npm tar/);
    assert.match(r.stderr, /apt-get install --no-install-recommends wixl msitools/);
  });

  it('puts pwbridge_filter.dll into System32 as a 64-bit component, with the built bytes', () => {
    checkFilterInSystem32(pkg);
    const found = packageFiles().filter((f) => path.basename(f) === 'pwbridge_filter.dll');
    assert.equal(found.length, 1, `extracted: ${found}`);
    assert.ok(fs.readFileSync(found[0]).equals(fs.readFileSync(REAL_DLL)), 'the packaged DLL differs from native/build-win');
  });

  it('puts pwbridge_messages.dll under Program Files\\pwbridge, with the built bytes, and install names it for the event source', () => {
    checkEventMessages(pkg);
    const found = packageFiles().filter((f) => path.basename(f) === 'pwbridge_messages.dll');
    assert.equal(found.length, 1, `extracted: ${found}`);
    assert.ok(fs.readFileSync(found[0]).equals(fs.readFileSync(REAL_MESSAGES)), 'the packaged message DLL differs from native/build-win');
  });

  it('puts the service under Program Files\\pwbridge: the pinned node.exe, the launcher, dist/src, the pipe addon, and Windows production dependencies only', () => {
    const files = [...installedFiles(pkg).keys()];
    const app = 'ProgramFiles64Folder/pwbridge/';
    for (const f of ['node.exe', 'bin/pwbridge', 'bin/pwbridge.cmd', 'package.json', 'dist/src/cli/main.js', 'addons/pwbridge_pipe.node',
      'node_modules/koffi/package.json', 'node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node', 'node_modules/rxjs/package.json',
      'node_modules/pino/package.json', 'node_modules/commander/package.json', 'node_modules/pg/package.json']) {
      assert.ok(files.includes(app + f), `${f} is not installed`);
    }
    const compiled = filesUnder(path.join(ROOT, 'dist', 'src')).filter((f) => !f.endsWith('.map'));
    assert.equal(files.filter((f) => f.startsWith(`${app}dist/src/`)).length, compiled.length, 'every compiled service file, and nothing else');
    const unwanted = files.filter((f) => !f.startsWith(app) && f !== 'System64Folder/pwbridge_filter.dll'
      || /\/node_modules\/(mocha|typescript|fast-check|@types|playwright-core|better-sqlite3)\//.test(f) || /\/dist\/(test|bench)\//.test(f)
      || /\.map$|\.d\.ts$/.test(f) || /koffi-linux/.test(f));
    assert.deepEqual(unwanted, []);
    const addons = files.filter((f) => f.endsWith('.node'));
    assert.deepEqual(addons.sort(), [`${app}addons/pwbridge_pipe.node`, `${app}node_modules/@koromix/koffi-win32-x64/win32_x64/koffi.node`]);
    for (const c of rows(pkg, 'Component')) assert.ok(Number(c.Attributes) & 256, `component ${c.Component} is not 64-bit`);
    assert.ok(rows(pkg, 'Component').every((c) => /^\{[0-9A-F-]{36}\}$/.test(c.ComponentId)), 'every component has a GUID');
    const nodeExe = packageFiles().find((f) => path.basename(f) === 'node.exe');
    assert.ok(nodeExe, 'node.exe is not in the package');
    const sum = spawnSync('sha256sum', [nodeExe], { encoding: 'utf8' }).stdout.split(' ')[0];
    assert.equal(sum, PINS['win32-x64'].sha256, 'the packaged node.exe is not the pinned one');
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(path.dirname(nodeExe)), 'pwbridge', 'package.json'), 'utf8')
      ) as { version: string; dependencies: Record<string, string> };
    assert.equal(manifest.version, VERSION);
    assert.equal(manifest.dependencies['better-sqlite3'], undefined, 'the package says it needs better-sqlite3');
  });

  it('runs pwbridge install as a deferred LocalSystem step after the files, on install, repair and upgrade', () => {
    checkInstallStep(pkg);
  });

  it('asks for a reboot after a first install or an upgrade and makes none, with or without /norestart (exit 3010)', () => {
    const s = one(pkg, 'InstallExecuteSequence', 'Action', 'ScheduleReboot');
    assert.equal(s.Condition, 'NOT Installed AND NOT REMOVE~="ALL"');
    assert.ok(Number(s.Sequence) > seq(pkg, 'InstallFinalize'), 'after the transaction: a failed install asks for nothing');
    assert.equal(rows(pkg, 'InstallExecuteSequence').filter((r) => r.Action === 'ForceReboot').length, 0, 'never a forced reboot');
    assert.equal(one(pkg, 'Property', 'Property', 'REBOOT').Value, 'ReallySuppress', 'no reboot even without /norestart');
  });

  it('silent deployment: each PWB_* property given becomes its install option, set before the script is written, and reaches the elevated session', () => {
    const props: Record<string, [string, string]> = {
      PWB_ARG_ACCOUNT: ['PWB_SERVICE_ACCOUNT', '--service-account'], PWB_ARG_ACCOUNT_PW: ['PWB_SERVICE_PASSWORD_FILE', '--service-password-file'],
      PWB_ARG_HUB: ['PWB_HUB', '--hub'], PWB_ARG_CLIENT: ['PWB_CLIENT', '--client'], PWB_ARG_FP: ['PWB_FINGERPRINT', '--insecure-fingerprint'],
      PWB_ARG_CA: ['PWB_CA_FILE', '--ca'], PWB_ARG_ENROL: ['PWB_ENROL_FILE', '--enrol-file'],
      PWB_ARG_ENROL_TOKEN: ['PWB_ENROL_TOKEN_FILE', '--enrol-token-file'],
    };
    const secure = one(pkg, 'Property', 'Property', 'SecureCustomProperties').Value.split(';');
    for (const arg of DEPLOYMENT_ARGS) {
      const [property, option] = props[arg];
      const ca = rows(pkg, 'CustomAction').find((r) => r.Source === arg);
      assert.ok(ca, `no action sets ${arg}`);
      assert.equal(Number(ca.Type) & 0x3f, 51, `${ca.Action}: sets a property (type 51)`);
      assert.equal(Number(ca.Type) & IN_SCRIPT, 0, `${ca.Action}: immediate, so the deferred step sees its value`);
      assert.equal(ca.Target, ` ${option} "[${property}]"`);
      const s = one(pkg, 'InstallExecuteSequence', 'Action', ca.Action);
      assert.equal(s.Condition, property, `${ca.Action} runs only when ${property} is given`);
      assert.ok(Number(s.Sequence) < seq(pkg, 'InstallInitialize'), `${ca.Action} before the script is written`);
      assert.ok(secure.includes(property), `${property} is not in SecureCustomProperties (${secure.join(';')})`);
    }
    assert.ok(secure.includes('WIX_UPGRADE_DETECTED'), 'wixl\'s own secure properties are kept');
  });

  it('runs pwbridge uninstall on REMOVE="ALL" before the service is stopped and the files go, but not during an upgrade', () => {
    checkUninstallStep(pkg);
  });

  it('each step has a rollback action that undoes it, scheduled right before it', () => {
    const ir = one(pkg, 'CustomAction', 'Action', 'PwbInstallRollback');
    assert.equal(Number(ir.Type), EXE_FROM_FILE | CONTINUE | ROLLBACK | IN_SCRIPT | NO_IMPERSONATE);
    assert.match(ir.Target, / uninstall$/);
    assert.equal(seq(pkg, 'PwbInstallRollback'), seq(pkg, 'PwbInstall') - 1);
    assert.equal(one(pkg, 'InstallExecuteSequence', 'Action', 'PwbInstallRollback').Condition,
      'NOT REMOVE~="ALL" AND NOT Installed AND NOT WIX_UPGRADE_DETECTED', 'only a first install is undone as a whole');
    const ur = one(pkg, 'CustomAction', 'Action', 'PwbUninstallRollback');
    assert.equal(Number(ur.Type), EXE_FROM_FILE | CONTINUE | ROLLBACK | IN_SCRIPT | NO_IMPERSONATE);
    // It puts back what uninstall took away: the install step without the deployment options (the enrolment
    // file is gone by then, and the account and the enrolment are kept in the data dir).
    assert.equal(`${ur.Target}${DEPLOYMENT_ARGS.map((a) => `[${a}]`).join('')}`, one(pkg, 'CustomAction', 'Action', 'PwbInstall').Target);
    assert.equal(seq(pkg, 'PwbUninstallRollback'), seq(pkg, 'PwbUninstall') - 1);
    assert.equal(one(pkg, 'InstallExecuteSequence', 'Action', 'PwbUninstallRollback').Condition,
      one(pkg, 'InstallExecuteSequence', 'Action', 'PwbUninstall').Condition);
  });

  it('stops the pwbridge service before its files are replaced or removed (ServiceControl)', () => {
    const sc = one(pkg, 'ServiceControl', 'Name', 'pwbridge');
    assert.equal(Number(sc.Event) & (2 | 32), 2 | 32, 'stop on install and on uninstall');
    assert.equal(Number(sc.Event) & (1 | 16), 0, 'never started by the package (install starts it)');
    assert.equal(sc.Component_, one(pkg, 'File', 'FileName', 'node.exe').Component_);
    assert.ok(seq(pkg, 'StopServices') < seq(pkg, 'RemoveFiles') && seq(pkg, 'StopServices') < seq(pkg, 'InstallFiles'));
    assert.deepEqual(rows(pkg, 'ServiceInstall'), [], 'the service is installed by pwbridge install, with its own account');
  });

  it('is x64, per machine, version = package.json, with the pinned UpgradeCode and a major upgrade', () => {
    const prop = (name: string) => one(pkg, 'Property', 'Property', name).Value;
    assert.equal(prop('UpgradeCode'), UPGRADE_CODE);
    assert.equal(prop('Manufacturer'), 'pwbridge');
    assert.equal(prop('ProductName'), 'pwbridge');
    assert.equal(prop('ProductVersion'), VERSION);
    assert.equal(prop('ALLUSERS'), '1');
    assert.equal(one(pkg, '_SummaryInformation', 'PropertyId', '7').Value, 'x64;1033');
    const upgrades = rows(pkg, 'Upgrade');
    assert.ok(upgrades.length >= 2 && upgrades.every((u) => u.UpgradeCode === UPGRADE_CODE));
    assert.ok(upgrades.some((u) => u.VersionMax === VERSION && u.ActionProperty === 'WIX_UPGRADE_DETECTED'), 'older versions are found');
    assert.ok(upgrades.some((u) => u.VersionMin === VERSION && u.ActionProperty === 'WIX_DOWNGRADE_DETECTED'), 'newer versions are found');
    assert.ok(seq(pkg, 'RemoveExistingProducts') > seq(pkg, 'InstallInitialize')
      && seq(pkg, 'RemoveExistingProducts') < seq(pkg, 'PwbUninstall'), 'the older version goes first, as a whole');
  });

  it('launch conditions: administrator, 64-bit Windows 10 / Server 2016 or later, LSA protection off (or overridden), downgrade refused', () => {
    const cond = (c: string) => rows(pkg, 'LaunchCondition').find((r) => r.Condition === c);
    assert.ok(cond('Privileged'));
    assert.ok(cond('Installed OR VersionNT64'));
    assert.match(cond('Installed OR PWB_WIN10 OR PWB_NTVERSION = "10.0"')?.Description ?? '', /Windows 10 or Windows Server 2016.*Node\.js 22/);
    const win10 = one(pkg, 'RegLocator', 'Signature_', one(pkg, 'AppSearch', 'Property', 'PWB_WIN10').Signature_);
    assert.equal(win10.Key, 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion');
    assert.equal(win10.Name, 'CurrentMajorVersionNumber', 'a value that exists only on Windows 10 / Server 2016 and later');
    assert.ok(cond('NOT WIX_DOWNGRADE_DETECTED'));
    const conds = rows(pkg, 'LaunchCondition').map((r) => r.Condition);
    assert.ok(conds.includes('Installed OR PWB_IGNORE_LSA_PROTECTION OR NOT (PWB_RUNASPPL = "#1" OR PWB_RUNASPPL = "#2")'));
    const search = one(pkg, 'AppSearch', 'Property', 'PWB_RUNASPPL');
    const loc = one(pkg, 'RegLocator', 'Signature_', search.Signature_);
    assert.equal(loc.Key, 'SYSTEM\\CurrentControlSet\\Control\\Lsa');
    assert.equal(loc.Name, 'RunAsPPL');
    assert.equal(Number(loc.Root), 2, 'HKLM');
    assert.equal(Number(loc.Type), 2 | 16, 'a raw value, from the 64-bit registry');
  });

  it('these checks fail on a package built from a broken source (they can fail)', () => {
    const broken = path.join(t.dir, 'broken.wxs');
    const src = fs.readFileSync(WXS, 'utf8');
    const edits: Array<[string, string]> = [
      ['<Directory Id="System64Folder">', '<Directory Id="SystemFolder">'],
      ['<Custom Action="PwbInstall" Sequence="6510">', '<Custom Action="PwbInstall" Sequence="1530">'],
      ['Name="pwbridge_messages.dll"', 'Name="pwbridge_msg.dll"'],
      ['<Custom Action="PwbUninstall" Sequence="1520">REMOVE~="ALL" AND NOT UPGRADINGPRODUCTCODE', '<Custom Action="PwbUninstall" Sequence="1520">REMOVE~="ALL"'],
    ];
    let text = src;
    for (const [from, to] of edits) {
      assert.ok(text.includes(from), `the source no longer has ${from}: update this test`);
      text = text.replace(from, to);
    }
    fs.writeFileSync(broken, text);
    const r = runBuildMsi(['--wxs', broken, '--out', path.join(t.dir, 'broken')]);
    assert.equal(r.code, 0, r.out);
    const bad = readPackage(path.join(t.dir, 'broken', `pwbridge-${VERSION}-x64.msi`), t.dir);
    assert.throws(() => checkFilterInSystem32(bad), /not installed into System64Folder/);
    assert.throws(() => checkInstallStep(bad), /must run after the files are in place/);
    assert.throws(() => checkEventMessages(bad), /pwbridge_messages\.dll is not installed into Program Files/);
    assert.throws(() => checkUninstallStep(bad), /not when a newer version replaces this one/);
  });
});
