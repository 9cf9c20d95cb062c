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
// state.db as the Windows package runs it: the pinned Windows node.exe (Node 22, under Wine here) opens it
// through src/sqlite/, which must pick node:sqlite (the package has no better-sqlite3 for Windows), keep the
// durability settings, never load better-sqlite3, and print nothing on stderr (no ExperimentalWarning).
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const tmp_1 = require("../helpers/tmp");
const windows_node_1 = require("../helpers/windows-node");
const wine_1 = require("../helpers/wine");
const STATE_MODULE = path.resolve(__dirname, '../../src/journal/sqlite.state.js');
/** Appends one entry (unless told to only read), then prints what it sees as JSON. */
const SCRIPT = `
const [stateModule, file, mode] = process.argv.slice(2);
const { openStateDb } = require(stateModule);
const s = openStateDb(file, { echoKey: Buffer.alloc(32, 7) });
const id = 'ab'.repeat(16);
const appended = mode === 'append'
  ? s.journal.append([{ eventId: id, machine: 'WS01', account: 'WS01\\\\alice', accountId: 1001, capturedAt: 1, receivedAt: 2,
      encoding: 2, sealed: Buffer.from('sealed bytes') }])
  : undefined;
const got = s.journal.get(id);
const out = {
  platform: process.platform, driver: s.db.driver, appended, depth: s.journal.depth(),
  sealed: got && Buffer.isBuffer(got.sealed) ? got.sealed.toString() : null,
  pragmas: ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout'].map((p) => s.db.pragma(p)),
  betterSqlite3Loaded: Object.keys(require.cache).some((k) => k.includes('better-sqlite3')),
};
s.close();
process.stdout.write(JSON.stringify(out));
`;
describe('state.db on the Windows node.exe (node:sqlite, under Wine)', function () {
    this.timeout(180_000);
    let tmp;
    before(function () {
        // Here only: on Windows the workflow's MSI step runs the packaged node.exe itself.
        if (process.platform === 'win32')
            this.skip();
        const missing = (0, wine_1.windowsPartsMissing)();
        if (missing.fail)
            throw new Error(missing.fail);
        if (missing.skip)
            this.skip();
        tmp = (0, tmp_1.makeTempDir)('pwbridge-winsqlite-');
        fs.writeFileSync(path.join(tmp.dir, 'check.js'), SCRIPT);
    });
    after(() => tmp?.cleanup());
    const run = async (mode) => {
        const r = await (0, windows_node_1.runWindowsNode)([(0, wine_1.winPath)(path.join(tmp.dir, 'check.js')), (0, wine_1.winPath)(STATE_MODULE), (0, wine_1.winPath)(path.join(tmp.dir, 'state.db')), mode], { timeoutMs: 120_000 });
        strict_1.default.equal(r.code, 0, `node.exe failed: ${r.stdout}\n${r.stderr}`);
        strict_1.default.equal(r.stderr, '', 'nothing on stderr: no ExperimentalWarning, no error');
        return JSON.parse(r.stdout);
    };
    it('appends on node:sqlite with WAL, synchronous=FULL, foreign keys and a busy timeout, without better-sqlite3', async () => {
        const out = await run('append');
        strict_1.default.deepEqual(out, {
            platform: 'win32', driver: 'node:sqlite', appended: ['stored'], depth: 1, sealed: 'sealed bytes',
            pragmas: ['wal', 2, 1, 5000], betterSqlite3Loaded: false,
        });
    });
    it('a second node.exe process reads what the first committed', async () => {
        const out = await run('read');
        strict_1.default.equal(out.depth, 1);
        strict_1.default.equal(out.sealed, 'sealed bytes');
    });
});
//# sourceMappingURL=sqlite-node-exe.test.js.map