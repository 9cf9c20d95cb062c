"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
// What pwbridge_filter.dll is, before anything runs it: the shared vectors through the CNG backend
// (codec_test.exe, native/tests/codec_test.c unchanged), the three undecorated exports LSA looks up, and an
// import table of system DLLs only (no C runtime, no mingw DLL), with ASLR and DEP on. And its sources as
// MSVC's dialect sees them (the build's clang check).
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const pe_1 = require("../helpers/pe");
const tmp_1 = require("../helpers/tmp");
const repo_root_1 = require("../vectors/repo-root");
const wine_1 = require("../helpers/wine");
/** The DLLs every Windows has and that the filter may use: nothing that ships with a compiler. */
const SYSTEM_DLLS = new Set(['KERNEL32.DLL', 'ADVAPI32.DLL', 'BCRYPT.DLL', 'CRYPT32.DLL']);
function nonSystemImports(file) {
    return [...(0, pe_1.readPe)(fs.readFileSync(file)).imports.keys()].filter((d) => !SYSTEM_DLLS.has(d.toUpperCase()));
}
describe('native/build-windows.sh on a machine without mingw-w64', () => {
    it('says plainly what is missing and how to get it, and exits 0 so npm install and npm run build go on', function () {
        if (process.platform === 'win32')
            this.skip();
        // A PATH with only what the script needs besides the compiler: no x86_64-w64-mingw32-gcc on it.
        const t = (0, tmp_1.makeTempDir)();
        try {
            for (const tool of ['dirname', 'cmake'])
                fs.symlinkSync(`/usr/bin/${tool}`, path.join(t.dir, tool));
            const r = (0, node_child_process_1.spawnSync)('/bin/sh', [path.join((0, repo_root_1.repoRoot)(), 'native', 'build-windows.sh')], { encoding: 'utf8', env: { PATH: t.dir } });
            node_assert_1.strict.equal(r.status, 0, r.stderr);
            node_assert_1.strict.match(r.stderr, /pwbridge_filter\.dll\) was NOT cross-built: this machine lacks mingw-w64\./);
            node_assert_1.strict.match(r.stderr, /apt-get install mingw-w64 && npm run build:native/);
        }
        finally {
            t.cleanup();
        }
    });
});
describe('the MSVC-dialect check of the filter sources (clang as x86_64-pc-windows-msvc, mingw-w64 headers)', function () {
    this.timeout(180_000);
    it('passes on every source the DLL is built from, and fails on a VLA and on a GNU __attribute__, naming each', function () {
        const have = (cmd) => (0, node_child_process_1.spawnSync)('sh', ['-c', `command -v ${cmd}`]).status === 0;
        if (process.platform === 'win32' || !have('x86_64-w64-mingw32-gcc') || !have('cmake'))
            this.skip(); // no cross build here
        if (!have('clang'))
            this.skip(); // the build skips the check too, and says so
        const t = (0, tmp_1.makeTempDir)();
        try {
            const vla = path.join(t.dir, 'bad_vla.c');
            const attr = path.join(t.dir, 'bad_attr.c');
            fs.writeFileSync(vla, '#include <windows.h>\nint pwb_sum(int n) { int a[n]; a[0] = n; return a[0]; }\n');
            fs.writeFileSync(attr, '#include <windows.h>\n__attribute__((noinline)) int pwb_one(void) { return 1; }\n');
            const native = path.join((0, repo_root_1.repoRoot)(), 'native');
            const build = path.join(t.dir, 'build');
            const conf = (0, node_child_process_1.spawnSync)('cmake', ['-S', path.join(native, 'lsa'), '-B', build, `-DCMAKE_TOOLCHAIN_FILE=${path.join(native, 'cmake', 'mingw-w64.cmake')}`,
                `-DPWB_DIALECT_ALSO=${vla};${attr}`], { encoding: 'utf8' });
            node_assert_1.strict.equal(conf.status, 0, conf.stderr);
            const r = (0, node_child_process_1.spawnSync)('cmake', ['--build', build, '--target', 'msvc_dialect_check', '--', '-k'], { encoding: 'utf8' });
            const out = `${r.stdout}${r.stderr}`;
            node_assert_1.strict.notEqual(r.status, 0, out);
            node_assert_1.strict.match(out, /bad_vla\.c:2:\d+: error: variable length array used/);
            node_assert_1.strict.match(out, /bad_attr\.c:2:1: error: unknown type name 'pwb_msvc_has_no___attribute__'/);
            for (const src of ['filter', 'kill_switch', 'worker', 'queue', 'pwb_crypto_bcrypt', 'pwb_client']) {
                node_assert_1.strict.ok(fs.existsSync(path.join(build, 'msvc-dialect', `${src}.ok`)), `${src}.c did not pass the check: ${out}`);
            }
        }
        finally {
            t.cleanup();
        }
    });
});
describe('pwbridge_filter.dll as built', function () {
    this.timeout(120_000);
    before(function () {
        const missing = (0, wine_1.windowsPartsMissing)();
        if (missing.fail)
            throw new Error(missing.fail);
        if (missing.skip)
            this.skip();
    });
    it('the CNG backend reproduces every shared vector byte for byte (codec_test.exe on test/vectors/frames.json)', function () {
        this.timeout(180_000);
        (0, wine_1.winePrefix)();
        const r = (0, wine_1.runWindows)(wine_1.CODEC_TEST_EXE, [(0, wine_1.winPath)((0, repo_root_1.vectorsPath)())]);
        node_assert_1.strict.equal(r.code, 0, r.out);
        const m = /ok: (\d+) checks, 0 failed \((\d+) frame vectors\)/.exec(r.out);
        node_assert_1.strict.ok(m && Number(m[1]) > 100 && Number(m[2]) >= 10, r.out);
    });
    it('codec_test.exe fails on a vector that was tampered with (it can fail)', () => {
        const v = JSON.parse(fs.readFileSync((0, repo_root_1.vectorsPath)(), 'utf8'));
        const f = v.frames.find((x) => x.type === 'CHANGE');
        f.fields.sealed_hex = f.fields.sealed_hex.slice(0, -2) + (f.fields.sealed_hex.endsWith('00') ? '01' : '00');
        const t = (0, tmp_1.makeTempDir)();
        try {
            const tampered = path.join(t.dir, 'frames.json');
            fs.writeFileSync(tampered, JSON.stringify(v));
            const r = (0, wine_1.runWindows)(wine_1.CODEC_TEST_EXE, [(0, wine_1.winPath)(tampered)]);
            node_assert_1.strict.equal(r.code, 1, r.out);
            node_assert_1.strict.match(r.out, /FAIL .*change_raw_utf8: sealed bytes differ from the vector/);
        }
        finally {
            t.cleanup();
        }
    });
    it('exports exactly InitializeChangeNotify, PasswordChangeNotify and PasswordFilter, undecorated', () => {
        const pe = (0, pe_1.readPe)(fs.readFileSync(wine_1.FILTER_DLL));
        node_assert_1.strict.equal(pe.machine, 0x8664, 'not an x64 image');
        node_assert_1.strict.deepEqual([...pe.exports].sort(), ['InitializeChangeNotify', 'PasswordChangeNotify', 'PasswordFilter']);
    });
    it('imports only system DLLs (KERNEL32, ADVAPI32, bcrypt, CRYPT32): no C runtime, no compiler DLL', () => {
        const pe = (0, pe_1.readPe)(fs.readFileSync(wine_1.FILTER_DLL));
        node_assert_1.strict.deepEqual(nonSystemImports(wine_1.FILTER_DLL), []);
        const all = [...pe.imports.values()].flat();
        for (const fn of ['BCryptEncrypt', 'CryptProtectData', 'GetNamedPipeServerProcessId', 'RegQueryValueExW']) {
            node_assert_1.strict.ok(all.includes(fn), `${fn} is not imported: is this the filter?`);
        }
        // The same check on harness.exe, a normal mingw/MSVC program, finds its C runtime: the check can fail.
        node_assert_1.strict.ok(nonSystemImports(wine_1.HARNESS_EXE).some((d) => /msvcrt|ucrt|api-ms-win-crt|vcruntime/i.test(d)), 'the import check found nothing in harness.exe');
        // objdump (mingw-w64), where there is one, reads the same table.
        const dump = (0, wine_1.peDump)(wine_1.FILTER_DLL);
        if (dump) {
            const names = [...dump.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]).sort();
            node_assert_1.strict.deepEqual(names, [...pe.imports.keys()].sort());
            node_assert_1.strict.match(dump, /\[\s*\d+\] InitializeChangeNotify/);
        }
    });
    it('is built with ASLR (high entropy) and DEP', () => {
        const { dllCharacteristics: c } = (0, pe_1.readPe)(fs.readFileSync(wine_1.FILTER_DLL));
        for (const [bit, name] of [[pe_1.DLLCHAR_DYNAMIC_BASE, 'DYNAMIC_BASE'], [pe_1.DLLCHAR_NX_COMPAT, 'NX_COMPAT'], [pe_1.DLLCHAR_HIGH_ENTROPY_VA, 'HIGH_ENTROPY_VA']]) {
            node_assert_1.strict.ok(c & bit, `${name} is off (DllCharacteristics 0x${c.toString(16)})`);
        }
    });
});
//# sourceMappingURL=lsa-build.test.js.map