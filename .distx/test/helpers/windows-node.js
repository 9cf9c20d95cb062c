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
exports.windowsNodeExe = windowsNodeExe;
exports.runWindowsNode = runWindowsNode;
// The Windows node.exe (the pinned Node 22 of packaging/node-runtimes.json) under Wine, for tests that run
// pwbridge's own JavaScript as Windows runs it. Its stdout and stderr must be files, not pipes: under Wine
// Node dies at the first write to a pipe (EBADF), so runWindowsNode hands it files and reads them after.
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const repo_root_1 = require("../vectors/repo-root");
const tmp_1 = require("./tmp");
const wine_1 = require("./wine");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fetchNode } = require(path.join((0, repo_root_1.repoRoot)(), 'packaging', 'fetch-node.js'));
/** The pinned Windows node.exe, fetched and checked on first use. */
function windowsNodeExe() {
    return fetchNode('win32-x64');
}
/**
 * Run the Windows node.exe under Wine (directly on Windows) with `args`, to completion. `env` is added to
 * Wine's (a WINEPREFIX in it picks another prefix than the run's shared one); `stdin`, if given, is what
 * the program reads on its standard input (a file too: Wine's node.exe cannot read a pipe either).
 */
async function runWindowsNode(args, opts = {}) {
    if (!opts.env?.WINEPREFIX)
        (0, wine_1.winePrefix)();
    const { dir, cleanup } = (0, tmp_1.makeTempDir)('winnode-');
    const outFile = path.join(dir, 'stdout');
    const errFile = path.join(dir, 'stderr');
    const out = fs.openSync(outFile, 'w');
    const err = fs.openSync(errFile, 'w');
    let input = 'ignore';
    if (opts.stdin !== undefined) {
        fs.writeFileSync(path.join(dir, 'stdin'), opts.stdin);
        input = fs.openSync(path.join(dir, 'stdin'), 'r');
    }
    try {
        const child = (0, wine_1.spawnWindows)(windowsNodeExe(), args, { cwd: opts.cwd, env: opts.env, stdio: [input, out, err] });
        const code = await new Promise((resolve, reject) => {
            const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`node.exe ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms`)); }, opts.timeoutMs ?? 60_000);
            child.once('error', (e) => { clearTimeout(t); reject(e); });
            child.once('exit', (c) => { clearTimeout(t); resolve(c); });
        });
        return { code, stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') };
    }
    finally {
        fs.closeSync(out);
        fs.closeSync(err);
        if (typeof input === 'number')
            fs.closeSync(input);
        cleanup();
    }
}
//# sourceMappingURL=windows-node.js.map