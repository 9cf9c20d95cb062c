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
// The one place that picks the SQLite driver (src/sqlite/drivers.ts): which it picks, that it loads only
// that one, what it says when none loads, and that node:sqlite's own warning stays off the service's stderr.
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const drivers_1 = require("../../src/sqlite/drivers");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
const DIST_SRC = path.resolve(__dirname, '../../src');
const mod = (rel) => JSON.stringify(path.join(DIST_SRC, rel));
const nodeSqliteLoads = 'driver' in (0, drivers_1.probeSqliteDriver)('node:sqlite');
/** Run a script on this Node; stdout's last line parsed as JSON when asked. */
function child(script, args = []) {
    const r = (0, node_child_process_1.spawnSync)(process.execPath, [...args, '-e', script], { encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
describe('SQLite driver choice (src/sqlite/drivers.ts)', () => {
    let tmp;
    beforeEach(() => { tmp = (0, tmp_1.makeTempDir)('pwbridge-drivers-'); });
    afterEach(() => tmp.cleanup());
    it('picks node:sqlite where it loads, better-sqlite3 otherwise (Node 20.20: better-sqlite3; the pinned 22.23: node:sqlite)', () => {
        const expected = nodeSqliteLoads ? 'node:sqlite' : 'better-sqlite3';
        strict_1.default.equal((0, drivers_1.defaultSqliteDriver)().name, expected);
        const [major, minor] = process.versions.node.split('.').map(Number);
        if (major === 20)
            strict_1.default.equal(expected, 'better-sqlite3', 'Node 20 has no node:sqlite');
        if (major === 22 && minor >= 23)
            strict_1.default.equal(expected, 'node:sqlite', 'the pinned Node 22 has a complete node:sqlite');
        if ((0, sqlite_drivers_1.requiredSqliteDrivers)().includes('node:sqlite'))
            strict_1.default.equal((0, drivers_1.defaultSqliteDriver)().name, 'node:sqlite');
    });
    it('a process on node:sqlite never loads better-sqlite3; one on better-sqlite3 does (so the check can see it)', () => {
        const r = child(`
      const { openStateDb } = require(${mod('journal/sqlite.state.js')});
      const s = openStateDb(${JSON.stringify(path.join(tmp.dir, 'state.db'))}, { echoKey: Buffer.alloc(32, 7) });
      s.journal.append([{ eventId: '0'.repeat(32), machine: 'M', account: 'a', accountId: 1, capturedAt: 1, receivedAt: 1,
        encoding: 1, sealed: Buffer.alloc(10, 1) }]);
      const loaded = Object.keys(require.cache).some((k) => k.includes(require('node:path').sep + 'better-sqlite3' + require('node:path').sep));
      process.stdout.write(JSON.stringify({ driver: s.db.driver, depth: s.journal.depth(), loaded }));
      s.close();
    `);
        strict_1.default.equal(r.status, 0, r.stderr);
        const out = JSON.parse(r.stdout);
        strict_1.default.equal(out.driver, (0, drivers_1.defaultSqliteDriver)().name);
        strict_1.default.equal(out.depth, 1);
        strict_1.default.equal(out.loaded, out.driver === 'better-sqlite3');
    });
    it('when no driver loads, opening a store fails with an error naming both drivers, why, and the Node version', () => {
        // A preload that makes both packages fail to load, the way a missing addon or an old Node would.
        const preload = path.join(tmp.dir, 'block.js');
        fs.writeFileSync(preload, `
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (request === 'node:sqlite' || request === 'better-sqlite3') throw new Error('blocked for the test: ' + request);
        return load.call(this, request, ...rest);
      };
    `);
        const r = child(`
      const { openStateDb } = require(${mod('journal/sqlite.state.js')});
      try { openStateDb(${JSON.stringify(path.join(tmp.dir, 'state.db'))}, { echoKey: Buffer.alloc(32, 7) }); }
      catch (e) { process.stdout.write(e.message); process.exit(3); }
    `, ['--require', preload]);
        strict_1.default.equal(r.status, 3, r.stderr);
        strict_1.default.equal(r.stdout, `no SQLite driver loads on Node ${process.version} `
            + '(node:sqlite: blocked for the test: node:sqlite; better-sqlite3: blocked for the test: better-sqlite3)');
    });
    it('asking for a driver that does not load says which, on which Node, and why', function () {
        const absent = ['node:sqlite', 'better-sqlite3'].find((n) => !('driver' in (0, drivers_1.probeSqliteDriver)(n)));
        if (!absent)
            this.skip(); // both load on this Node: nothing to refuse
        strict_1.default.throws(() => (0, drivers_1.sqliteDriver)(absent), new RegExp(`SQLite driver ${absent} does not load on Node ${process.version.replace(/\./g, '\\.')}: .+`));
    });
    describe('node:sqlite\'s ExperimentalWarning', () => {
        before(function () {
            if (!nodeSqliteLoads)
                this.skip(); // node:sqlite does not load on this Node (the Node 22 run covers it)
        });
        it('is printed by Node when node:sqlite is required directly (what the driver has to keep off stderr)', () => {
            const r = child(`require('node:sqlite'); setImmediate(() => {});`);
            strict_1.default.match(r.stderr, /ExperimentalWarning: SQLite is an experimental feature/);
        });
        it('is not printed through the driver, while every other warning still is', () => {
            const r = child(`
        const db = require(${mod('sqlite/drivers.js')}).sqliteDriver('node:sqlite').open(':memory:');
        db.exec('CREATE TABLE t (a)');
        db.close();
        process.emitWarning('another experiment', 'ExperimentalWarning');
        process.emitWarning('a plain warning');
        setImmediate(() => {});
      `);
            strict_1.default.equal(r.status, 0, r.stderr);
            strict_1.default.doesNotMatch(r.stderr, /SQLite is an experimental feature/);
            strict_1.default.match(r.stderr, /ExperimentalWarning: another experiment/);
            strict_1.default.match(r.stderr, /Warning: a plain warning/);
        });
    });
});
//# sourceMappingURL=drivers.test.js.map