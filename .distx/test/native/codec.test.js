"use strict";
// The C side of the protocol, run from the mocha suite: the codec against the shared vectors (the same
// frames.json the TypeScript codec is checked against), and the built module's shape.
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
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const pam_1 = require("../helpers/pam");
const repo_root_1 = require("../vectors/repo-root");
const BUILD = path.join((0, repo_root_1.repoRoot)(), 'native', 'build');
function runTool(name, args) {
    const exe = path.join(BUILD, name);
    node_assert_1.strict.ok(fs.existsSync(exe), `${exe} is missing: npm run build:native (needs libcjson-dev for codec_test)`);
    const r = (0, node_child_process_1.spawnSync)(exe, args, { encoding: 'utf8' });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
describe('native codec and module', () => {
    it('the C codec reproduces every shared vector byte for byte and refuses the header-level refusals', () => {
        const r = runTool('codec_test', [(0, repo_root_1.vectorsPath)()]);
        node_assert_1.strict.equal(r.code, 0, r.out);
        const m = /ok: (\d+) checks, 0 failed \((\d+) frame vectors\)/.exec(r.out);
        node_assert_1.strict.ok(m, r.out);
        node_assert_1.strict.ok(Number(m[1]) > 100 && Number(m[2]) >= 10, r.out);
    });
    it('the C codec test fails on a vector that was tampered with (it can fail)', () => {
        const v = JSON.parse(fs.readFileSync((0, repo_root_1.vectorsPath)(), 'utf8'));
        const f = v.frames.find((x) => x.type === 'CHANGE');
        f.frame_hex = f.frame_hex.slice(0, -2) + (f.frame_hex.endsWith('00') ? '01' : '00');
        const tampered = path.join(fs.mkdtempSync('/tmp/pwbridge-vec-'), 'frames.json');
        fs.writeFileSync(tampered, JSON.stringify(v));
        const r = runTool('codec_test', [tampered]);
        fs.rmSync(path.dirname(tampered), { recursive: true });
        node_assert_1.strict.equal(r.code, 1, r.out);
        node_assert_1.strict.match(r.out, /FAIL .*change_raw_utf8: frame bytes differ from the vector/);
    });
    it('the module loads with dlopen and exports only pam_sm_chauthtok', () => {
        const r = runTool('dlopen_test', [(0, pam_1.requireModule)()]);
        node_assert_1.strict.equal(r.code, 0, r.out);
        const exported = (0, node_child_process_1.execFileSync)('nm', ['-D', '--defined-only', pam_1.PAM_MODULE], { encoding: 'utf8' })
            .split('\n').filter(Boolean).map((l) => l.split(' ').pop());
        node_assert_1.strict.deepEqual(exported, ['pam_sm_chauthtok']);
    });
    it('the module is built hardened: full RELRO, no executable stack, stack protector, fortify', () => {
        const dyn = (0, node_child_process_1.execFileSync)('readelf', ['-d', '-l', '-W', pam_1.PAM_MODULE], { encoding: 'utf8' });
        node_assert_1.strict.match(dyn, /GNU_RELRO/);
        node_assert_1.strict.match(dyn, /BIND_NOW|FLAGS_1.*NOW/);
        node_assert_1.strict.match(dyn, /GNU_STACK\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+RW /, 'the stack must not be executable');
        const syms = (0, node_child_process_1.execFileSync)('nm', ['-D', '--undefined-only', pam_1.PAM_MODULE], { encoding: 'utf8' });
        node_assert_1.strict.match(syms, /__stack_chk_fail/);
        node_assert_1.strict.match(syms, /__\w+_chk@/, 'no _FORTIFY_SOURCE checked call');
        const needed = [...dyn.matchAll(/NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]).sort();
        // libcrypt for the /etc/shadow check: pam_unix links it too, so every PAM host has it loaded already.
        node_assert_1.strict.deepEqual(needed, ['libc.so.6', 'libcrypt.so.1', 'libcrypto.so.3', 'libpam.so.0']);
    });
});
describe('native/build.sh on a machine without the PAM headers', () => {
    it('says plainly what is missing and how to get it, and exits 0 so the install goes on', () => {
        const empty = fs.mkdtempSync('/tmp/pwbridge-noinc-');
        const r = (0, node_child_process_1.spawnSync)('sh', [path.join((0, repo_root_1.repoRoot)(), 'native', 'build.sh')], { encoding: 'utf8', env: { ...process.env, PWB_INCLUDE_DIR: empty } });
        fs.rmSync(empty, { recursive: true });
        node_assert_1.strict.equal(r.status, 0, r.stderr);
        node_assert_1.strict.match(r.stderr, /pam_pwbridge\.so\) was NOT built: this machine lacks libpam0g-dev libssl-dev libcrypt-dev/);
        node_assert_1.strict.match(r.stderr, /installs and runs without it/);
        node_assert_1.strict.match(r.stderr, /apt-get install libpam0g-dev libssl-dev libcrypt-dev && npm run build:native/);
    });
});
//# sourceMappingURL=codec.test.js.map