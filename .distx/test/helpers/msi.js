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
exports.PACKAGE_VERSION = exports.BUILD_MSI = void 0;
exports.runBuildMsi = runBuildMsi;
exports.buildMsi = buildMsi;
// The MSI as `npm run package:msi` builds it (packaging/windows/build-msi.sh), built once per version per
// test run and shared by the table checks and the install tests.
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const repo_root_1 = require("../vectors/repo-root");
exports.BUILD_MSI = path.join((0, repo_root_1.repoRoot)(), 'packaging', 'windows', 'build-msi.sh');
exports.PACKAGE_VERSION = JSON.parse(fs.readFileSync(path.join((0, repo_root_1.repoRoot)(), 'package.json'), 'utf8')).version;
let outDir;
const built = new Map();
/** Run build-msi.sh with `args`: its exit status and everything it printed. */
function runBuildMsi(args) {
    const r = (0, node_child_process_1.spawnSync)('bash', [exports.BUILD_MSI, ...args], { encoding: 'utf8', timeout: 600_000 });
    return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
/** The path of the MSI for `version` (default: package.json's), built on first use. Throws with the
 * build's output when it fails. */
function buildMsi(version = exports.PACKAGE_VERSION) {
    const done = built.get(version);
    if (done)
        return done;
    if (!outDir) {
        outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwbridge-msi-'));
        const dir = outDir;
        process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    const out = path.join(outDir, version);
    const r = runBuildMsi(['--version', version, '--out', out]);
    const msi = path.join(out, `pwbridge-${version}-x64.msi`);
    if (r.code !== 0 || !fs.existsSync(msi))
        throw new Error(`build-msi.sh failed (exit ${r.code}):\n${r.out}`);
    built.set(version, msi);
    return msi;
}
//# sourceMappingURL=msi.js.map