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
exports.windowsModules = windowsModules;
exports.windowsApp = windowsApp;
exports.sharedWindowsApp = sharedWindowsApp;
// pwbridge's compiled JavaScript laid out for the Windows node.exe: a copy of dist/ next to a node_modules
// installed as a Windows x64 machine gets it (npm --os=win32 --cpu=x64, so koffi's optional binary is
// @koromix/koffi-win32-x64; --ignore-scripts, so nothing is built for this Linux machine: better-sqlite3's
// JavaScript is there but not its addon, and loads only when a database is opened). The modules are
// installed once from package-lock.json, every version the locked one, into packaging/cache (gitignored).
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const repo_root_1 = require("../vectors/repo-root");
const wine_1 = require("./wine");
function cacheDir() {
    const root = (0, repo_root_1.repoRoot)();
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const key = (0, node_crypto_1.createHash)('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).update(JSON.stringify(pkg.dependencies))
        .digest('hex').slice(0, 16);
    return path.join(root, 'packaging', 'cache', `win32-test-modules-${key}`);
}
/** The folder whose node_modules holds the Windows builds of the production dependencies (installed on first use). */
function windowsModules() {
    const dest = cacheDir();
    if (fs.existsSync(path.join(dest, 'node_modules', '@koromix', 'koffi-win32-x64')))
        return dest;
    const root = (0, repo_root_1.repoRoot)();
    const tmp = `${dest}.${(0, node_crypto_1.randomBytes)(4).toString('hex')}.tmp`;
    fs.mkdirSync(tmp, { recursive: true });
    try {
        fs.copyFileSync(path.join(root, 'package.json'), path.join(tmp, 'package.json'));
        fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(tmp, 'package-lock.json'));
        (0, node_child_process_1.execFileSync)('npm', ['install', '--os=win32', '--cpu=x64', '--omit=dev', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
        fs.rmSync(dest, { recursive: true, force: true });
        fs.renameSync(tmp, dest);
    }
    catch (e) {
        fs.rmSync(tmp, { recursive: true, force: true });
        throw e;
    }
    return dest;
}
/** A fresh copy of dist/ beside the Windows node_modules, so node.exe resolves `require('koffi')` to the Windows build. */
function windowsApp() {
    const modules = windowsModules();
    const root = path.join(modules, `app-${process.pid}-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`);
    fs.cpSync(path.join((0, repo_root_1.repoRoot)(), 'dist'), path.join(root, 'dist'), { recursive: true });
    // repo-root.ts finds the repository by its package.json; the copy's own makes it find the copy.
    fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "pwbridge-windows-test-copy", "private": true }\n');
    return {
        root,
        mainJs: (0, wine_1.winPath)(path.join(root, 'dist', 'src', 'cli', 'main.js')),
        file: (rel) => (0, wine_1.winPath)(path.join(root, ...rel.split('/'))),
        remove: () => fs.rmSync(root, { recursive: true, force: true }),
    };
}
let shared;
/** One copy for the whole test run (tests only read it), removed when the process exits. */
function sharedWindowsApp() {
    if (shared)
        return shared;
    const app = windowsApp();
    process.once('exit', () => app.remove());
    shared = app;
    return app;
}
//# sourceMappingURL=windows-app.js.map