// What pwbridge_filter.dll is, before anything runs it: the shared vectors through the CNG backend
// (codec_test.exe, native/tests/codec_test.c unchanged), the three undecorated exports LSA looks up, and an
// import table of system DLLs only (no C runtime, no mingw DLL), with ASLR and DEP on. And its sources as
// MSVC's dialect sees them (the build's clang check).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DLLCHAR_DYNAMIC_BASE, DLLCHAR_HIGH_ENTROPY_VA, DLLCHAR_NX_COMPAT, readPe } from '../helpers/pe';
import { makeTempDir } from '../helpers/tmp';
import { repoRoot, vectorsPath } from '../vectors/repo-root';
import { CODEC_TEST_EXE, FILTER_DLL, HARNESS_EXE, peDump, runWindows, windowsPartsMissing, winePrefix, winPath } from '../helpers/wine';
import { skipBecause } from '../helpers/skip';

/** The DLLs every Windows has and that the filter may use: nothing that ships with a compiler. The API set
 * is where Windows 8 and later export WaitOnAddress (the queue's wake-up, native/lsa/queue.c). */
const SYSTEM_DLLS = new Set(['KERNEL32.DLL', 'ADVAPI32.DLL', 'BCRYPT.DLL', 'CRYPT32.DLL', 'API-MS-WIN-CORE-SYNCH-L1-2-0.DLL']);

function nonSystemImports(file: string): string[] {
  return [...readPe(fs.readFileSync(file)).imports.keys()].filter((d) => !SYSTEM_DLLS.has(d.toUpperCase()));
}

describe('native/build-windows.sh on a machine without mingw-w64', () => {
  it('says plainly what is missing and how to get it, and exits 0 so npm install and npm run build go on', function () {
    if (process.platform === 'win32') skipBecause(this, 'not on Windows (Wine stands in for it here; the Windows workflow runs the real thing)');
    // A PATH with only what the script needs besides the compiler: no x86_64-w64-mingw32-gcc on it.
    const t = makeTempDir();
    try {
      for (const tool of ['dirname', 'cmake']) fs.symlinkSync(`/usr/bin/${tool}`, path.join(t.dir, tool));
      const r = spawnSync('/bin/sh', [path.join(repoRoot(), 'native', 'build-windows.sh')], { encoding: 'utf8', env: { PATH: t.dir } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /pwbridge_filter\.dll\) was NOT cross-built: this machine lacks mingw-w64\./);
      assert.match(r.stderr, /apt-get install mingw-w64 && npm run build:native/);
    } finally {
      t.cleanup();
    }
  });
});

describe('the MSVC-dialect check of the filter sources (clang as x86_64-pc-windows-msvc, mingw-w64 headers)', function () {
  this.timeout(180_000);
  it('passes on every source the DLL is built from, and fails on a VLA and on a GNU __attribute__, naming each', function () {
    const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
    if (process.platform === 'win32' || !have('x86_64-w64-mingw32-gcc') || !have('cmake')) skipBecause(this, 'no cross build here');
    if (!have('clang')) skipBecause(this, 'the build skips the check too, and says so');
    const t = makeTempDir();
    try {
      const vla = path.join(t.dir, 'bad_vla.c');
      const attr = path.join(t.dir, 'bad_attr.c');
      fs.writeFileSync(vla, '#include <windows.h>\nint pwb_sum(int n) { int a[n]; a[0] = n; return a[0]; }\n');
      fs.writeFileSync(attr, '#include <windows.h>\n__attribute__((noinline)) int pwb_one(void) { return 1; }\n');
      const native = path.join(repoRoot(), 'native');
      const build = path.join(t.dir, 'build');
      const conf = spawnSync('cmake', ['-S', path.join(native, 'lsa'), '-B', build, `-DCMAKE_TOOLCHAIN_FILE=${path.join(native, 'cmake', 'mingw-w64.cmake')}`,
        `-DPWB_DIALECT_ALSO=${vla};${attr}`], { encoding: 'utf8' });
      assert.equal(conf.status, 0, conf.stderr);
      const r = spawnSync('cmake', ['--build', build, '--target', 'msvc_dialect_check', '--', '-k'], { encoding: 'utf8' });
      const out = `${r.stdout}${r.stderr}`;
      assert.notEqual(r.status, 0, out);
      assert.match(out, /bad_vla\.c:2:\d+: error: variable length array used/);
      assert.match(out, /bad_attr\.c:2:1: error: unknown type name 'pwb_msvc_has_no___attribute__'/);
      for (const src of ['filter', 'kill_switch', 'worker', 'queue', 'pwb_crypto_bcrypt', 'pwb_client']) {
        assert.ok(fs.existsSync(path.join(build, 'msvc-dialect', `${src}.ok`)), `${src}.c did not pass the check: ${out}`);
      }
    } finally {
      t.cleanup();
    }
  });
});

describe('pwbridge_filter.dll as built', function () {
  this.timeout(120_000);
  before(function () {
    const missing = windowsPartsMissing();
    if (missing.fail) throw new Error(missing.fail);
    if (missing.skip) skipBecause(this, missing.skip);
  });

  it('the CNG backend reproduces every shared vector byte for byte (codec_test.exe on test/vectors/frames.json)', function () {
    this.timeout(180_000);
    winePrefix();
    const r = runWindows(CODEC_TEST_EXE, [winPath(vectorsPath())]);
    assert.equal(r.code, 0, r.out);
    const m = /ok: (\d+) checks, 0 failed \((\d+) frame vectors\)/.exec(r.out);
    assert.ok(m && Number(m[1]) > 100 && Number(m[2]) >= 10, r.out);
  });

  it('codec_test.exe fails on a vector that was tampered with (it can fail)', () => {
    const v = JSON.parse(fs.readFileSync(vectorsPath(), 'utf8'));
    const f = v.frames.find((x: { type: string }) => x.type === 'CHANGE');
    f.fields.sealed_hex = f.fields.sealed_hex.slice(0, -2) + (f.fields.sealed_hex.endsWith('00') ? '01' : '00');
    const t = makeTempDir();
    try {
      const tampered = path.join(t.dir, 'frames.json');
      fs.writeFileSync(tampered, JSON.stringify(v));
      const r = runWindows(CODEC_TEST_EXE, [winPath(tampered)]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /FAIL .*change_raw_utf8: sealed bytes differ from the vector/);
    } finally {
      t.cleanup();
    }
  });

  it('exports exactly InitializeChangeNotify, PasswordChangeNotify and PasswordFilter, undecorated', () => {
    const pe = readPe(fs.readFileSync(FILTER_DLL));
    assert.equal(pe.machine, 0x8664, 'not an x64 image');
    assert.deepEqual([...pe.exports].sort(), ['InitializeChangeNotify', 'PasswordChangeNotify', 'PasswordFilter']);
  });

  it('imports only system DLLs (KERNEL32, ADVAPI32, bcrypt, CRYPT32, the synch API set): no C runtime, no compiler DLL', () => {
    const pe = readPe(fs.readFileSync(FILTER_DLL));
    assert.deepEqual(nonSystemImports(FILTER_DLL), []);
    const all = [...pe.imports.values()].flat();
    for (const fn of ['BCryptEncrypt', 'CryptProtectData', 'GetNamedPipeServerProcessId', 'RegQueryValueExW']) {
      assert.ok(all.includes(fn), `${fn} is not imported: is this the filter?`);
    }
    // The same check on harness.exe, a normal mingw/MSVC program, finds its C runtime: the check can fail.
    assert.ok(nonSystemImports(HARNESS_EXE).some((d) => /msvcrt|ucrt|api-ms-win-crt|vcruntime/i.test(d)), 'the import check found nothing in harness.exe');
    // objdump (mingw-w64), where there is one, reads the same table.
    const dump = peDump(FILTER_DLL);
    if (dump) {
      const names = [...dump.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]).sort();
      assert.deepEqual(names, [...pe.imports.keys()].sort());
      assert.match(dump, /\[\s*\d+\] InitializeChangeNotify/);
    }
  });

  it('is built with ASLR (high entropy) and DEP', () => {
    const { dllCharacteristics: c } = readPe(fs.readFileSync(FILTER_DLL));
    for (const [bit, name] of [[DLLCHAR_DYNAMIC_BASE, 'DYNAMIC_BASE'], [DLLCHAR_NX_COMPAT, 'NX_COMPAT'], [DLLCHAR_HIGH_ENTROPY_VA, 'HIGH_ENTROPY_VA']] as const) {
      assert.ok(c & bit, `${name} is off (DllCharacteristics 0x${c.toString(16)})`);
    }
  });
});
