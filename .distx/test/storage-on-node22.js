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
// `npm test`'s second run: the storage suites again, on the pinned Linux Node 22 (packaging/fetch-node.js,
// SHA-256 checked), where they run on node:sqlite, the driver the Windows package uses and the system's
// Node 20 lacks. PWBRIDGE_SQLITE_DRIVERS=node:sqlite makes each suite fail, not skip, if node:sqlite does
// not load there, so a run that fell back to better-sqlite3 (or to nothing) cannot pass. better-sqlite3's
// addon is built for Node 20's ABI and shows up as pending, with the reason.
//
//   node dist/test/storage-on-node22.js     (also: npm run test:node22)
const node_child_process_1 = require("node:child_process");
const path = __importStar(require("node:path"));
const repo_root_1 = require("./vectors/repo-root");
/** Compiled suites (under dist/test/) that touch SQLite through src/sqlite/. */
const SUITES = [
    'sqlite/*.test.js',
    'journal/*.test.js',
    'vault/sqlite.vault.test.js',
    'vault/group-commit.test.js',
    'hub/sqlite-sql.test.js',
    'hub/http.vault.sqlite.test.js',
];
function main() {
    const platform = `${process.platform}-${process.arch}`;
    if (platform !== 'linux-x64') {
        process.stderr.write(`storage-on-node22: no pinned Node 22 for ${platform} in packaging/node-runtimes.json; not run\n`);
        return 0;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fetchNode } = require(path.join((0, repo_root_1.repoRoot)(), 'packaging', 'fetch-node.js'));
    const node = fetchNode('linux-x64');
    const mocha = require.resolve('mocha/bin/mocha.js', { paths: [(0, repo_root_1.repoRoot)()] });
    const specs = SUITES.map((s) => path.join(__dirname, s));
    process.stdout.write(`\nThe storage suites on node:sqlite, with ${node}\n`);
    // The project's .mocharc.json would add every suite: its options are repeated here instead.
    const r = (0, node_child_process_1.spawnSync)(node, [mocha, '--no-config', '--timeout', '30000', '--enable-source-maps', '--exit', ...specs], {
        stdio: 'inherit',
        env: { ...process.env, PWBRIDGE_SQLITE_DRIVERS: 'node:sqlite' },
    });
    if (r.error)
        throw r.error;
    return r.status ?? 1;
}
process.exitCode = main();
//# sourceMappingURL=storage-on-node22.js.map