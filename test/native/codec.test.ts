// The C side of the protocol, run from the mocha suite: the codec against the shared vectors (the same
// frames.json the TypeScript codec is checked against), and the built module's shape.

import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PAM_MODULE, requireModule } from '../helpers/pam';
import { repoRoot, vectorsPath } from '../vectors/repo-root';

const BUILD = path.join(repoRoot(), 'native', 'build');

function runTool(name: string, args: string[]): { code: number | null; out: string } {
  const exe = path.join(BUILD, name);
  assert.ok(fs.existsSync(exe), `${exe} is missing: npm run build:native (needs libcjson-dev for codec_test)`);
  const r = spawnSync(exe, args, { encoding: 'utf8' });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('native codec and module', () => {
  it('the C codec reproduces every shared vector byte for byte and refuses the header-level refusals', () => {
    const r = runTool('codec_test', [vectorsPath()]);
    assert.equal(r.code, 0, r.out);
    const m = /ok: (\d+) checks, 0 failed \((\d+) frame vectors\)/.exec(r.out);
    assert.ok(m, r.out);
    assert.ok(Number(m[1]) > 100 && Number(m[2]) >= 10, r.out);
  });

  it('the C codec test fails on a vector that was tampered with (it can fail)', () => {
    const v = JSON.parse(fs.readFileSync(vectorsPath(), 'utf8'));
    const f = v.frames.find((x: { type: string }) => x.type === 'CHANGE');
    f.frame_hex = f.frame_hex.slice(0, -2) + (f.frame_hex.endsWith('00') ? '01' : '00');
    const tampered = path.join(fs.mkdtempSync('/tmp/pwbridge-vec-'), 'frames.json');
    fs.writeFileSync(tampered, JSON.stringify(v));
    const r = runTool('codec_test', [tampered]);
    fs.rmSync(path.dirname(tampered), { recursive: true });
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /FAIL .*change_raw_utf8: frame bytes differ from the vector/);
  });

  it('the module loads with dlopen and exports only pam_sm_chauthtok', () => {
    const r = runTool('dlopen_test', [requireModule()]);
    assert.equal(r.code, 0, r.out);
    const exported = execFileSync('nm', ['-D', '--defined-only', PAM_MODULE], { encoding: 'utf8' })
      .split('\n').filter(Boolean).map((l) => l.split(' ').pop());
    assert.deepEqual(exported, ['pam_sm_chauthtok']);
  });

  it('the module is built hardened: full RELRO, no executable stack, stack protector, fortify', () => {
    const dyn = execFileSync('readelf', ['-d', '-l', '-W', PAM_MODULE], { encoding: 'utf8' });
    assert.match(dyn, /GNU_RELRO/);
    assert.match(dyn, /BIND_NOW|FLAGS_1.*NOW/);
    assert.match(dyn, /GNU_STACK\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+RW /, 'the stack must not be executable');
    const syms = execFileSync('nm', ['-D', '--undefined-only', PAM_MODULE], { encoding: 'utf8' });
    assert.match(syms, /__stack_chk_fail/);
    assert.match(syms, /__\w+_chk@/, 'no _FORTIFY_SOURCE checked call');
    const needed = [...dyn.matchAll(/NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]).sort();
    // Nettle (hogweed on GMP) for the sealing, not libcrypto: no global initialisation per process.
    // Not libcrypt: the /etc/shadow check dlopens it (pam_unix, before the module, has it loaded already),
    // so a process that makes one change maps one library fewer at pam_start.
    assert.deepEqual(needed, ['libc.so.6', 'libgmp.so.10', 'libhogweed.so.6', 'libnettle.so.8', 'libpam.so.0']);
    assert.match(syms, /\bdlopen@/, 'the shadow check opens libcrypt itself');
  });
});

describe('native/build.sh on a machine without the PAM headers', () => {
  it('says plainly what is missing and how to get it, and exits 0 so the install goes on', () => {
    const empty = fs.mkdtempSync('/tmp/pwbridge-noinc-');
    const r = spawnSync('sh', [path.join(repoRoot(), 'native', 'build.sh')], { encoding: 'utf8', env: { ...process.env, PWB_INCLUDE_DIR: empty } });
    fs.rmSync(empty, { recursive: true });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /pam_pwbridge\.so\) was NOT built: this machine lacks libpam0g-dev nettle-dev libcrypt-dev/);
    assert.match(r.stderr, /installs and runs without it/);
    assert.match(r.stderr, /apt-get install libpam0g-dev nettle-dev libcrypt-dev && npm run build:native/);
  });
});
