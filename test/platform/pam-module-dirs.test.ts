// Where PAM modules live comes from where libpam lives, not from a list of x86_64 paths (issue 14, item 4):
// the libc folder of the running process (from its /proc/self/maps), kept when libpam.so.0 is beside it.
// Fake maps files name real folders made here, e.g. an aarch64 layout; and on this machine, the answer holds
// pam_unix.so and agrees with dpkg-architecture's multiarch triplet.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pamModuleDirs } from '../../src/platform/linux/pam-module-dirs';
import { makeTempDir } from '../helpers/tmp';
import { skipBecause } from '../helpers/skip';

function mapsLine(file: string): string {
  return `7f7b98c89000-7f7b98caf000 r--p 00000000 fe:00 339380                     ${file}`;
}

describe('pamModuleDirs: the security folder beside libpam', () => {
  let t: ReturnType<typeof makeTempDir>;
  beforeEach(() => { t = makeTempDir('pwbridge-pamdirs-'); });
  afterEach(() => t.cleanup());

  it('an aarch64 multiarch layout: libc and libpam in <root>/usr/lib/aarch64-linux-gnu → its security folder first', () => {
    const lib = path.join(t.dir, 'usr', 'lib', 'aarch64-linux-gnu');
    fs.mkdirSync(lib, { recursive: true });
    fs.writeFileSync(path.join(lib, 'libc.so.6'), '');
    fs.writeFileSync(path.join(lib, 'libpam.so.0'), '');
    const maps = path.join(t.dir, 'maps');
    fs.writeFileSync(maps, [mapsLine('/usr/bin/node'), mapsLine(path.join(lib, 'libc.so.6')), mapsLine('[vdso]'), ''].join('\n'));
    assert.deepEqual(pamModuleDirs(maps), [path.join(lib, 'security'), '/lib/security', '/usr/lib/security']);
  });

  it('a libc folder without libpam.so.0 is not taken; no maps at all leaves the plain folders', () => {
    const lib = path.join(t.dir, 'lib64');
    fs.mkdirSync(lib);
    const maps = path.join(t.dir, 'maps');
    fs.writeFileSync(maps, `${mapsLine(path.join(lib, 'libc.so.6'))}\n`);
    assert.deepEqual(pamModuleDirs(maps), ['/lib/security', '/usr/lib/security']);
    assert.deepEqual(pamModuleDirs(path.join(t.dir, 'no-such-maps')), ['/lib/security', '/usr/lib/security']);
  });

  it('on this machine the first folder holds pam_unix.so and is the multiarch one dpkg-architecture names', function () {
    const dirs = pamModuleDirs();
    assert.ok(fs.existsSync(path.join(dirs[0], 'pam_unix.so')), `pam_unix.so in ${dirs[0]}`);
    const q = spawnSync('dpkg-architecture', ['-qDEB_HOST_MULTIARCH'], { encoding: 'utf8' });
    if (q.status !== 0) skipBecause(this, 'dpkg-architecture is missing (dpkg-dev)');
    assert.equal(path.basename(path.dirname(dirs[0])), q.stdout.trim());
  });
});
