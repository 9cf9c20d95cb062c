// The capture's version has one home, package.json (issue 14, item 5): native/package-version.cmake reads it
// for the PAM module, the LSA filter and the pipe addon. A copy of native/ beside a package.json of another
// version configures with that version in PWB_CAPTURE_VERSION, and a version the HELLO cannot carry stops
// the configure with a message naming package.json. (cmake configure only: no compile.)
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeTempDir } from '../helpers/tmp';
import { repoRoot } from '../vectors/repo-root';
import { skipBecause } from '../helpers/skip';

const NATIVE = path.join(repoRoot(), 'native');

/** A copy of native/ (sources only) under a folder whose package.json says `version`; the configure's output. */
function configureWith(version: string): { code: number | null; out: string; flags: string } {
  const t = makeTempDir('pwbridge-native-version-');
  try {
    fs.writeFileSync(path.join(t.dir, 'package.json'), JSON.stringify({ name: 'pwbridge', version }));
    fs.cpSync(NATIVE, path.join(t.dir, 'native'), { recursive: true, filter: (src) => !/\/native\/build[^/]*$/.test(src) });
    const build = path.join(t.dir, 'build');
    const r = spawnSync('cmake', ['-S', path.join(t.dir, 'native'), '-B', build, '-DCMAKE_BUILD_TYPE=Release'], { encoding: 'utf8', timeout: 120_000 });
    const flagsFile = path.join(build, 'CMakeFiles', 'pam_pwbridge.dir', 'flags.make');
    return { code: r.status, out: `${r.stdout}${r.stderr}`, flags: fs.existsSync(flagsFile) ? fs.readFileSync(flagsFile, 'utf8') : '' };
  } finally {
    t.cleanup();
  }
}

describe('the capture\'s version comes from package.json (native/package-version.cmake)', function () {
  this.timeout(240_000);
  before(function () {
    if (spawnSync('cmake', ['--version']).status !== 0 || !fs.existsSync('/usr/include/security/pam_modules.h')) skipBecause(this, 'cmake or the PAM headers are missing (apt-get install cmake libpam0g-dev)');
  });

  it('package.json 3.4.5 → the module is built with PWB_CAPTURE_VERSION 0x30405', () => {
    const r = configureWith('3.4.5');
    assert.equal(r.code, 0, r.out);
    assert.match(r.flags, /-DPWB_CAPTURE_VERSION=0x30405\b/, r.flags);
    // The version text the module's ELF note carries (native/pam/version_note.c; pwbridge --version reads it).
    assert.match(r.flags, /-DPWB_PACKAGE_VERSION=\\"3\.4\.5\\"/, r.flags);
  });

  it('the checkout\'s own build carries package.json\'s version', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string };
    const [a, b, c] = version.split('.').map(Number);
    const flags = fs.readFileSync(path.join(NATIVE, 'build', 'CMakeFiles', 'pam_pwbridge.dir', 'flags.make'), 'utf8');
    assert.match(flags, new RegExp(`-DPWB_CAPTURE_VERSION=0x${((a << 16) | (b << 8) | c).toString(16).toUpperCase()}\\b`, 'i'), flags);
  });

  it('a version the HELLO cannot carry (not X.Y.Z, or a part over 255) stops the configure, naming package.json', () => {
    for (const [bad, why] of [['1.2', /is not major\.minor\.patch/], ['1.256.0', /does not fit capture_version/]] as const) {
      const r = configureWith(bad);
      assert.notEqual(r.code, 0, `${bad}: ${r.out}`);
      assert.match(r.out, /package\.json/);
      assert.match(r.out.replace(/\s+/g, ' '), why);
    }
  });
});
