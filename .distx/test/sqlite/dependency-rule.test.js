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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// Dependency rule: SQLite is reached through src/sqlite/ only. Each driver package is imported by its one
// driver file and nowhere else in src/ (not even for types), so the node:sqlite build (the Windows package,
// which has no better-sqlite3) can never load the addon by way of some store. The tests and the bench keep
// to the rule too: they run each driver through the seam, and a test that opened better-sqlite3 itself
// would fail on the Node 22 run.
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const repo_root_1 = require("../vectors/repo-root");
/** Who may import each driver package (paths under the repository root): its driver file, first. */
const ALLOWED = {
    // drivers.test.ts: a child that requires node:sqlite directly, to show the warning the driver hides.
    'node:sqlite': ['src/sqlite/node-sqlite.driver.ts', 'test/sqlite/drivers.test.ts'],
    'better-sqlite3': ['src/sqlite/better-sqlite3.driver.ts'],
};
/** Every way TypeScript can name a module: import … from, import '…', import type, require(), import(), import x = require(). */
function importsOf(source) {
    const found = [];
    const re = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
    for (let m = re.exec(source); m; m = re.exec(source))
        found.push(m[1]);
    return found;
}
function sourcesUnder(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory())
            return sourcesUnder(p);
        return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
    });
}
describe('dependency rule: SQLite only through src/sqlite/', () => {
    const root = (0, repo_root_1.repoRoot)();
    const files = ['src', 'test', 'bench'].flatMap((d) => sourcesUnder(path.join(root, d)))
        .map((f) => path.relative(root, f).split(path.sep).join('/'));
    it('reads every source file under src/, test/ and bench/ (the rule checks something)', () => {
        strict_1.default.ok(files.filter((f) => f.startsWith('src/')).length > 50, `only ${files.length} files`);
        strict_1.default.ok(files.includes('src/vault/sqlite.vault.ts') && files.includes('src/hub/sql.ts') && files.includes('bench/run.ts'));
    });
    it('finds each driver package imported by its driver file (the scan sees imports, require() included)', () => {
        for (const [pkg, [file]] of Object.entries(ALLOWED)) {
            strict_1.default.ok(importsOf(fs.readFileSync(path.join(root, file), 'utf8')).includes(pkg), `${file} does not import ${pkg}`);
        }
        strict_1.default.deepEqual(importsOf("import type X from 'a';\nconst y = require( \"b\" );\nimport 'c';\nawait import('d');\nimport z = require('e');"), ['a', 'b', 'c', 'd', 'e']);
    });
    it('no other file imports node:sqlite or better-sqlite3, type-only imports included', () => {
        const offenders = files.flatMap((file) => {
            const text = fs.readFileSync(path.join(root, file), 'utf8');
            return importsOf(text)
                .filter((spec) => spec in ALLOWED && !ALLOWED[spec].includes(file))
                .map((spec) => `${file} imports ${spec}`);
        });
        strict_1.default.deepEqual(offenders, [], 'go through src/sqlite/database.ts (the interface) and drivers.ts (the choice)');
    });
});
//# sourceMappingURL=dependency-rule.test.js.map