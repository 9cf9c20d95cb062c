// The Debian package as built (packaging/debian/build-deb.sh): what it holds, who owns it, what it depends on,
// that its unit and command come from the same source as `pwbridge install`'s, that its manual page covers
// every command of the CLI, and that lintian finds no error in it. Installing it runs in deb-install.test.ts.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { bashCompletionScript } from '../../src/cli/completion/bash';
import { renderUnit, SERVICE_NODE_FLAGS } from '../../src/platform/linux/systemd-unit';
import { pamModuleVersion } from '../../src/platform/linux/capture-module';
import { buildDeb, debBuildProblem, hostArch, PACKAGE_VERSION, runBuildDeb } from '../helpers/deb';
import { makeTempDir } from '../helpers/tmp';
import { repoRoot } from '../vectors/repo-root';
import { skipBecause } from '../helpers/skip';

const PINS = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'packaging', 'node-runtimes.json'), 'utf8')) as Record<string, { version: string }>;
const PACKAGED = { nodePath: '/usr/lib/pwbridge/node', mainJs: '/usr/lib/pwbridge/dist/src/cli/main.js', dataDir: '/var/lib/pwbridge' };
/** The warnings lintian gives today, each explained in docs/linux.md ("Install with the Debian package"); a new one fails here so it gets explained too. */
const KNOWN_WARNINGS = new Set(['embedded-javascript-library', 'hardening-no-pie']);

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function commandNames(): string[] {
  const names: string[] = [];
  const walk = (cmd: ReturnType<typeof buildProgram>, prefix: string) => {
    for (const c of cmd.commands) {
      names.push(`${prefix} ${c.name()}`);
      walk(c, `${prefix} ${c.name()}`);
    }
  };
  walk(buildProgram(), 'pwbridge');
  return names;
}

describe('the Debian package: packaging/debian/build-deb.sh (npm run package:deb)', function () {
  this.timeout(600_000);
  let deb = '';
  let tree: ReturnType<typeof makeTempDir>;
  const { arch, multiarch } = process.platform === 'linux' ? hostArch() : { arch: '', multiarch: '' };

  before(function () {
    const problem = debBuildProblem();
    if (problem) skipBecause(this, problem);
    deb = buildDeb();
    tree = makeTempDir('pwbridge-deb-tree-');
    run('dpkg-deb', ['-x', deb, tree.dir]);
  });
  after(() => tree?.cleanup());

  it(`is pwbridge_${PACKAGE_VERSION}_<this machine's architecture>.deb, every file and folder owned by root and none writable by others`, () => {
    assert.equal(path.basename(deb), `pwbridge_${PACKAGE_VERSION}_${arch}.deb`);
    const listing = run('dpkg-deb', ['-c', deb]).trim().split('\n');
    assert.ok(listing.length > 100, 'the package lists its files');
    for (const line of listing) {
      const [mode, owner] = line.split(/\s+/);
      assert.equal(owner, 'root/root', line);
      assert.ok(!/^.{8}w/.test(mode) || mode.startsWith('l'), `writable by others: ${line}`);
      assert.ok(!/^.{5}w/.test(mode) || mode.startsWith('l'), `writable by the group: ${line}`);
    }
  });

  it('holds the pinned Node 22, the compiled CLI, linux production modules with koffi\'s glibc binary and no better-sqlite3, the module in the multiarch security folder, the unit, the profile and the manual page', () => {
    const at = (p: string) => path.join(tree.dir, p);
    const nodeVersion = spawnSync(at('usr/lib/pwbridge/node'), ['-p', 'process.version + " " + typeof require("node:sqlite").DatabaseSync'], { encoding: 'utf8' });
    assert.equal(nodeVersion.stdout.trim(), `v${PINS['linux-x64'].version} function`, nodeVersion.stderr);
    for (const f of ['usr/lib/pwbridge/dist/src/cli/main.js', 'usr/lib/pwbridge/package.json', 'usr/bin/pwbridge',
      `usr/lib/${multiarch}/security/pam_pwbridge.so`, 'lib/systemd/system/pwbridge.service', 'usr/share/pam-configs/pwbridge',
      'usr/share/man/man8/pwbridge.8.gz', 'usr/share/doc/pwbridge/copyright', 'usr/share/doc/pwbridge/changelog.gz',
      'usr/share/bash-completion/completions/pwbridge',
      'usr/lib/pwbridge/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node', 'usr/lib/pwbridge/node_modules/rxjs/package.json']) {
      assert.ok(fs.existsSync(at(f)), `${f} is in the package`);
    }
    assert.ok(!fs.existsSync(at('usr/lib/pwbridge/node_modules/better-sqlite3')), 'no better-sqlite3: Node 22 has node:sqlite');
    assert.ok(!fs.existsSync(at('var/lib/pwbridge')), 'the data dir is made by postinst (0700), not shipped');
    const addons = run('find', [at('usr/lib/pwbridge'), '-name', '*.node']).trim().split('\n').map((f) => path.relative(tree.dir, f));
    assert.deepEqual(addons, ['usr/lib/pwbridge/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node'], 'one compiled module, for glibc');
    for (const f of fs.readdirSync(at('usr/lib/pwbridge/dist/src'), { recursive: true }) as string[]) {
      assert.ok(!f.endsWith('.map') && !/(^|\/)test\//.test(f), `${f}: no source maps or tests`);
    }
    // The packaged CLI runs from the unpacked tree on its own node, with koffi loading its binary.
    const lib = at('usr/lib/pwbridge');
    const koffi = spawnSync(path.join(lib, 'node'), ['-e', 'const k = require("koffi"); process.stdout.write(typeof k.load)'], { cwd: lib, encoding: 'utf8' });
    assert.equal(koffi.stdout, 'function', koffi.stderr);
  });

  it('the bash completion is the CLI\'s own (pwbridge completion bash), where bash-completion loads it by the command\'s name', () => {
    const packaged = fs.readFileSync(path.join(tree.dir, 'usr/share/bash-completion/completions/pwbridge'), 'utf8');
    assert.equal(packaged, bashCompletionScript(buildProgram()));
    assert.match(packaged, /^complete -F _pwbridge pwbridge$/m);
  });

  it('the packaged PAM module carries the package\'s version (its ELF note survives the package build\'s strip)', () => {
    const packaged = fs.readFileSync(path.join(tree.dir, `usr/lib/${multiarch}/security/pam_pwbridge.so`));
    assert.deepEqual(pamModuleVersion(packaged), { version: PACKAGE_VERSION });
  });

  it('depends on what the binaries link (libc6, libpam0g, Nettle, libcrypt1, libstdc++6) and on libpam-runtime for pam-auth-update', () => {
    const depends = run('dpkg-deb', ['-f', deb, 'Depends']);
    for (const pkg of ['libc6', 'libpam0g', 'libnettle8', 'libhogweed6', 'libgmp10', 'libcrypt1', 'libstdc++6', 'libpam-runtime']) {
      assert.match(depends, new RegExp(`(^|, )${pkg.replace(/\+/g, '\\+')}( |,|$)`), `Depends names ${pkg}: ${depends}`);
    }
    assert.doesNotMatch(depends, /nodejs/, 'not the system\'s Node');
    assert.doesNotMatch(depends, /libssl/, 'the PAM module seals with Nettle, not OpenSSL');
    assert.equal(run('dpkg-deb', ['-f', deb, 'Architecture']).trim(), arch);
  });

  it('the unit is renderUnit\'s with the packaged paths, and /usr/bin/pwbridge runs the same node with the same flags', () => {
    const unit = fs.readFileSync(path.join(tree.dir, 'lib/systemd/system/pwbridge.service'), 'utf8');
    const body = (text: string) => text.slice(text.indexOf('[Unit]'));
    assert.equal(body(unit), body(renderUnit(PACKAGED)), 'one source for both units');
    assert.match(unit, /^# Installed by the pwbridge Debian package/);
    assert.ok(unit.includes(`ExecStart=${PACKAGED.nodePath} ${SERVICE_NODE_FLAGS.join(' ')} ${PACKAGED.mainJs} run --data-dir /var/lib/pwbridge\n`));
    const launcher = fs.readFileSync(path.join(tree.dir, 'usr/bin/pwbridge'), 'utf8');
    assert.ok(launcher.includes(`\nexec ${PACKAGED.nodePath} ${SERVICE_NODE_FLAGS.join(' ')} ${PACKAGED.mainJs} "$@"\n`), launcher);
    assert.doesNotMatch(fs.readFileSync(path.join(tree.dir, 'usr/lib/pwbridge/dist/src/cli/main.js'), 'utf8').split('\n')[0], /^#!/, 'main.js is not runnable on the system\'s node');
  });

  it('the PAM profile puts pam_pwbridge.so in the Additional password block, optional', () => {
    const profile = fs.readFileSync(path.join(tree.dir, 'usr/share/pam-configs/pwbridge'), 'utf8');
    assert.match(profile, /^Default: yes$/m);
    assert.match(profile, /^Password-Type: Additional$/m);
    assert.match(profile, /^Password:\n\s+optional\s+pam_pwbridge\.so\s*$/m);
  });

  it('pwbridge(8) has every command and subcommand of the CLI, and man renders it without warnings', () => {
    const page = path.join(tree.dir, 'usr/share/man/man8/pwbridge.8.gz');
    const r = spawnSync('man', ['--warnings', '-l', page], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '200', LC_ALL: 'C.UTF-8', MAN_KEEP_FORMATTING: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), '', 'groff warnings');
    const text = r.stdout.replace(/.\x08/g, '');
    const names = commandNames();
    assert.ok(names.includes('pwbridge vault client add'), 'the walk reaches subcommands');
    for (const n of names) assert.ok(text.includes(n), `the manual page covers "${n}"`);
    assert.match(text, /--data-dir/);
  });

  it('lintian: no errors, and only the warnings docs/linux.md explains', function () {
    if (spawnSync('sh', ['-c', 'command -v lintian']).status !== 0) skipBecause(this, 'lintian is not installed (apt-get install lintian)');
    const r = spawnSync('lintian', ['--fail-on', 'error', deb], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const tags = r.stdout.split('\n').filter((l) => /^[EW]: /.test(l));
    assert.deepEqual(tags.filter((l) => l.startsWith('E: ')), [], 'lintian errors');
    assert.equal(r.status, 0, `lintian exit ${r.status}: ${r.stderr}`);
    const warnings = tags.filter((l) => l.startsWith('W: ')).map((l) => l.split(/\s+/)[2]);
    assert.deepEqual(warnings.filter((w) => !KNOWN_WARNINGS.has(w)), [], `new lintian warnings: ${tags.join('\n')}`);
  });

  it('refuses a version Debian cannot order and a module that is not a PAM module, building nothing', () => {
    const t = makeTempDir('pwbridge-deb-refused-');
    try {
      const bad = runBuildDeb(['--version', '1.0-rc1', '--out', t.dir]);
      assert.equal(bad.code, 1, bad.out);
      assert.match(bad.out, /version "1\.0-rc1" is not a Debian native version/);
      const notPam = path.join(t.dir, 'not-pam.so');
      fs.copyFileSync(path.join(tree.dir, 'usr/lib/pwbridge/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node'), notPam);
      const wrong = runBuildDeb(['--module', notPam, '--out', t.dir]);
      assert.equal(wrong.code, 1, wrong.out);
      assert.match(wrong.out, /not-pam\.so is not a PAM module linked against libpam/);
      assert.deepEqual(fs.readdirSync(t.dir), ['not-pam.so'], 'no package, no stage left behind');
    } finally {
      t.cleanup();
    }
  });
});
