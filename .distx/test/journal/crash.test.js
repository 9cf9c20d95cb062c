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
/**
 * "Durable before ack": what append() returned from must be readable by the next process, even when
 * the writer never closed the database.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const fixtures_1 = require("./fixtures");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
// The compiled modules, beside this compiled test (works from dist/ and from a separate outDir).
const STATE_MODULE = path.resolve(__dirname, '../../src/journal/sqlite.state.js');
const DRIVERS_MODULE = path.resolve(__dirname, '../../src/sqlite/drivers.js');
/** A child that appends `count` entries on `driver` and then dies the way `how` says, without closing anything. */
function childAppends(file, count, how, driver) {
    const script = `
    const { openStateDb } = require(${JSON.stringify(STATE_MODULE)});
    const sqlite = require(${JSON.stringify(DRIVERS_MODULE)}).sqliteDriver(${JSON.stringify(driver)});
    const s = openStateDb(${JSON.stringify(file)}, { echoKey: Buffer.alloc(32, 7), sqlite });
    const batch = [];
    for (let i = 1; i <= ${count}; i++) {
      batch.push({ eventId: i.toString(16).padStart(32, '0'), machine: 'WS01', account: 'alice', accountId: 1000,
        capturedAt: i, receivedAt: i, encoding: 1, sealed: Buffer.alloc(100, i) });
    }
    const r = s.journal.append(batch);
    s.state.setValue('written-by', process.pid);
    process.stdout.write(JSON.stringify(r.filter((x) => x === 'stored').length));
    ${how === 'exit' ? 'process.exit(0);' : "process.kill(process.pid, 'SIGKILL');"}
  `;
    return (0, node_child_process_1.spawnSync)(process.execPath, ['-e', script], { encoding: 'utf8', env: process.env, timeout: 20_000 });
}
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('state.db durability', () => {
        let tmp;
        let file;
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-crash-');
            file = path.join(tmp.dir, 'state.db');
        });
        afterEach(() => tmp.cleanup());
        it('a second handle sees an append of a handle that was never closed', () => {
            const writer = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY, sqlite });
            writer.journal.append([(0, fixtures_1.entry)(1), (0, fixtures_1.entry)(2)]);
            writer.state.putMemo({ credentialId: 9, vaultVersion: 3, localFingerprint: 'fp', result: 'match', checkedAt: 1 });
            const reader = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY, sqlite });
            try {
                strict_1.default.equal(reader.journal.depth(), 2);
                strict_1.default.equal(reader.journal.get((0, fixtures_1.eventId)(2))?.account, 'alice');
                strict_1.default.equal(reader.state.getMemo(9)?.vaultVersion, 3);
                // and both may go on writing: the reader's duplicate check sees the writer's rows
                strict_1.default.deepEqual(reader.journal.append([(0, fixtures_1.entry)(2), (0, fixtures_1.entry)(3)]), ['duplicate', 'stored']);
                strict_1.default.equal(writer.journal.depth(), 3);
            }
            finally {
                reader.close();
                writer.close();
            }
        });
        for (const how of ['exit', 'kill']) {
            it(`entries appended by a process that ${how === 'exit' ? 'calls process.exit' : 'is SIGKILLed'} without closing survive`, function () {
                if (how === 'kill' && process.platform === 'win32')
                    this.skip();
                const r = childAppends(file, 300, how, sqlite.name);
                strict_1.default.equal(r.stdout, '300', `child output: ${r.stdout} ${r.stderr}`);
                if (how === 'kill')
                    strict_1.default.equal(r.signal, 'SIGKILL');
                else
                    strict_1.default.equal(r.status, 0);
                strict_1.default.ok(fs.existsSync(`${file}-wal`), 'the child left its WAL behind, uncheckpointed');
                const s = (0, sqlite_state_1.openStateDb)(file, { echoKey: fixtures_1.ECHO_KEY, sqlite });
                try {
                    strict_1.default.equal(s.journal.depth(), 300);
                    strict_1.default.ok(s.journal.get((0, fixtures_1.eventId)(300))?.sealed.equals(Buffer.alloc(100, 300 & 0xff)));
                    strict_1.default.equal(typeof s.state.getValue('written-by'), 'number');
                    strict_1.default.deepEqual(s.journal.append([(0, fixtures_1.entry)(300)]), ['duplicate']);
                }
                finally {
                    s.close();
                }
            });
        }
    });
});
//# sourceMappingURL=crash.test.js.map