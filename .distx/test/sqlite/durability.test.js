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
// Durability did not change with the driver: every SQLite handle pwbridge opens (state.db, the vault, the
// hub's own handle on vault.db) is in WAL mode with synchronous=FULL, foreign keys on and a busy timeout,
// read back through the handle itself, on each driver.
const strict_1 = __importDefault(require("node:assert/strict"));
const crypto = __importStar(require("node:crypto"));
const path = __importStar(require("node:path"));
const server_1 = require("../../src/hub/server");
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const sqlite_vault_1 = require("../../src/vault/sqlite.vault");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
const DURABLE = { journal_mode: 'wal', synchronous: 2, foreign_keys: 1, busy_timeout: 5000 };
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    describe('durability settings of every handle', () => {
        let tmp;
        beforeEach(() => { tmp = (0, tmp_1.makeTempDir)('pwbridge-durable-'); });
        afterEach(() => tmp.cleanup());
        const pragmas = (db) => ({
            journal_mode: db.pragma('journal_mode'), synchronous: db.pragma('synchronous'), foreign_keys: db.pragma('foreign_keys'),
            busy_timeout: db.pragma('busy_timeout'),
        });
        it('state.db (journal, echo, state)', () => {
            const s = (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: Buffer.alloc(32, 7), sqlite });
            try {
                strict_1.default.equal(s.db.driver, sqlite.name);
                strict_1.default.deepEqual(pragmas(s.db), DURABLE);
            }
            finally {
                s.close();
            }
        });
        it('vault.db (the embedded vault)', async () => {
            const vault = await sqlite_vault_1.SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: crypto.randomBytes(32), sqlite });
            try {
                const db = vault.db;
                strict_1.default.equal(db.driver, sqlite.name);
                strict_1.default.deepEqual(pragmas(db), DURABLE);
            }
            finally {
                await vault.close();
            }
        });
        it('the hub: its vault handle and its own handle on vault.db', async () => {
            const { vault, store } = await (0, server_1.openHubDatabase)(tmp.dir, undefined, undefined, sqlite);
            try {
                strict_1.default.deepEqual(pragmas(vault.db), DURABLE);
                const read = async (name) => Object.values((await store.sql.all(`PRAGMA ${name}`))[0])[0];
                strict_1.default.deepEqual({
                    journal_mode: await read('journal_mode'), synchronous: await read('synchronous'), foreign_keys: await read('foreign_keys'),
                    busy_timeout: await read('busy_timeout'),
                }, DURABLE);
            }
            finally {
                await vault.close();
                await store.close();
            }
        });
        it('a plain handle opened later finds the file still in WAL mode (a property of the file, not of the handle)', () => {
            (0, sqlite_state_1.openStateDb)(path.join(tmp.dir, 'state.db'), { echoKey: Buffer.alloc(32, 7), sqlite }).close();
            const db = sqlite.open(path.join(tmp.dir, 'state.db'));
            try {
                strict_1.default.equal(db.pragma('journal_mode'), 'wal');
            }
            finally {
                db.close();
            }
        });
    });
});
//# sourceMappingURL=durability.test.js.map