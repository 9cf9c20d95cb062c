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
const strict_1 = __importDefault(require("node:assert/strict"));
const crypto = __importStar(require("node:crypto"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const vault_port_1 = require("../../src/ports/vault.port");
const migrations_1 = require("../../src/vault/migrations");
const sqlite_open_1 = require("../../src/vault/sqlite-open");
const sqlite_vault_1 = require("../../src/vault/sqlite.vault");
const sqlite_drivers_1 = require("../helpers/sqlite-drivers");
const tmp_1 = require("../helpers/tmp");
const vault_contract_1 = require("./vault.contract");
(0, sqlite_drivers_1.forEachSqliteDriver)((sqlite) => {
    (0, vault_contract_1.describeVaultContract)('SqliteVault', async () => {
        const tmp = (0, tmp_1.makeTempDir)('pwbridge-vault-');
        const vault = await sqlite_vault_1.SqliteVault.open({ path: path.join(tmp.dir, 'vault.db'), key: crypto.randomBytes(32), sqlite });
        return { vault, cleanup: async () => { await vault.close(); tmp.cleanup(); } };
    });
    // These write bare `user` credentials from captures: the client lets agents write shared ones (the contract tests the rule).
    const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: true };
    const cred = (username, password) => ({
        client: 'Acme', username, password: Buffer.from(password, 'utf8'), windowsSync: true, mode: 'change',
    });
    describe('SqliteVault (SQLite specifics)', () => {
        let tmp;
        let file;
        let key;
        beforeEach(() => {
            tmp = (0, tmp_1.makeTempDir)('pwbridge-vault-');
            file = path.join(tmp.dir, 'vault.db');
            key = crypto.randomBytes(32);
        });
        afterEach(() => tmp.cleanup());
        it('keeps no password in clear on disk (db and wal, UTF-8 and UTF-16)', async () => {
            const canaryUser = 'canary-user-5c1d';
            const canaryPw = 'canary-pass-9b2e';
            const vault = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            await vault.addClient(acme);
            const c = await vault.addCredential(cred(canaryUser, canaryPw));
            await vault.updateCredential('Acme', canaryUser, { password: Buffer.from(`${canaryPw}-2`) });
            await vault.setPasswordFromCapture(c.id, Buffer.from(`${canaryPw}-3`), 2, 'e1');
            const scan = () => ['vault.db', 'vault.db-wal']
                .filter((f) => fs.existsSync(path.join(tmp.dir, f)))
                .map((f) => fs.readFileSync(path.join(tmp.dir, f)));
            const check = (files) => {
                strict_1.default.ok(files.length > 0);
                // The search works: the username (not a secret) is found in clear.
                strict_1.default.ok(files.some((b) => b.includes(Buffer.from(canaryUser))), 'username found: the scan reads the data');
                for (const bytes of files) {
                    strict_1.default.ok(!bytes.includes(Buffer.from(canaryPw, 'utf8')), 'password in clear (UTF-8)');
                    strict_1.default.ok(!bytes.includes(Buffer.from(canaryPw, 'utf16le')), 'password in clear (UTF-16LE)');
                }
            };
            check(scan()); // while open: the data is in the WAL
            await vault.close();
            check(scan()); // after close: checkpointed into the main file
        });
        it('keeps data across close and reopen', async () => {
            const v1 = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            await v1.addClient(acme);
            const c = await v1.addCredential(cred('alice', 'pässwort'));
            await v1.setFlag(c.id, 'mismatch', true);
            await v1.setPasswordFromCapture(c.id, Buffer.from('captured'), 1, 'ev1');
            await v1.appendEvents([{ time: 1, machine: 'WS01', kind: 'capture', outcome: 'ok' }]);
            await v1.close();
            const v2 = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            try {
                const back = await v2.findCredential('Acme', 'ALICE');
                strict_1.default.equal(back?.version, 2);
                strict_1.default.deepEqual(back?.flags, ['mismatch']);
                strict_1.default.equal((await v2.readPassword(c.id)).toString(), 'captured');
                strict_1.default.equal((await v2.setPasswordFromCapture(c.id, Buffer.from('again'), 2, 'ev1')).applied, false, 'applied ids persist');
                strict_1.default.equal((await v2.queryEvents({})).length, 1);
            }
            finally {
                await v2.close();
            }
        });
        it('refuses to open with another key, without printing either key', async () => {
            const v1 = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            await v1.close();
            const other = crypto.randomBytes(32);
            await strict_1.default.rejects(sqlite_vault_1.SqliteVault.open({ path: file, key: other, sqlite }), (err) => {
                strict_1.default.match(err.message, /vault key does not open/);
                strict_1.default.ok(err.message.includes(file));
                strict_1.default.ok(!err.message.includes(key.toString('hex')) && !err.message.includes(other.toString('hex')));
                return true;
            });
        });
        it('binds each sealed password to its row: a record copied into another row does not open', async () => {
            const vault = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            await vault.addClient(acme);
            const a = await vault.addCredential(cred('alice', 'alice-pw'));
            const b = await vault.addCredential(cred('bob', 'bob-pw'));
            const raw = sqlite.open(file);
            raw.prepare('UPDATE credentials SET password_enc = (SELECT password_enc FROM credentials WHERE id = ?) WHERE id = ?').run(a.id, b.id);
            raw.close();
            await strict_1.default.rejects(vault.readPassword(b.id), new RegExp(`credential ${b.id}: sealed record does not authenticate`));
            strict_1.default.equal((await vault.readPassword(a.id)).toString(), 'alice-pw');
            await vault.close();
        });
        it('opens on the driver asked for, in WAL mode with synchronous=FULL, foreign keys and a busy timeout, files private', async () => {
            const vault = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            const db = vault.db;
            strict_1.default.equal(db.driver, sqlite.name);
            strict_1.default.equal(db.pragma('journal_mode'), 'wal');
            strict_1.default.equal(db.pragma('synchronous'), 2);
            strict_1.default.equal(db.pragma('foreign_keys'), 1);
            strict_1.default.equal(db.pragma('busy_timeout'), 5000);
            await vault.addClient(acme);
            if (process.platform !== 'win32') {
                strict_1.default.equal(fs.statSync(file).mode & 0o777, 0o600);
                strict_1.default.equal(fs.statSync(`${file}-wal`).mode & 0o777, 0o600);
            }
            await vault.close();
        });
        it('upserts machines by name (any case)', async () => {
            const vault = await sqlite_vault_1.SqliteVault.open({ path: file, key, now: () => 42, sqlite });
            await vault.addClient(acme);
            await vault.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 1 });
            await vault.recordMachine({ name: 'ws01', client: 'acme', filterState: 'faulted', journalDepth: 5 });
            strict_1.default.deepEqual(vault.listMachines(), [{ name: 'ws01', client: 'Acme', filterState: 'faulted', journalDepth: 5, lastSeen: 42 }]);
            await vault.close();
        });
        it('refuses a database with a newer schema than it knows', async () => {
            (await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite })).close();
            const raw = sqlite.open(file);
            raw.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (99, ?, 0)').run('future');
            raw.close();
            await strict_1.default.rejects(sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite }), /schema version 99, newer than this pwbridge knows/);
        });
        it('migration 4 gives the clients of an older vault the new option, off: their shared credentials stop taking captures', async () => {
            const old = (0, sqlite_open_1.openDatabase)(file, (0, migrations_1.vaultMigrations)('sqlite').filter((m) => m.version <= 3), sqlite);
            old.prepare(`INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode)
        VALUES ('Acme', 'acme', 1, 1, 0, 'report')`).run();
            old.close();
            const vault = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            try {
                strict_1.default.deepEqual(await vault.getClient('Acme'), { ...acme, agentsWriteShared: false });
                const shared = await vault.addCredential(cred('alice', 'vault-pw'));
                await strict_1.default.rejects(vault.setPasswordFromCapture(shared.id, Buffer.from('pushed'), 1, 'e1'), vault_port_1.VaultPolicyError);
            }
            finally {
                await vault.close();
            }
        });
        // How fast is the bench's business (reconcile_10k_unchanged_s); here, that one listing returns them all.
        it('lists 10,000 credentials with their flags in one call', async function () {
            this.timeout(60_000);
            const vault = await sqlite_vault_1.SqliteVault.open({ path: file, key, sqlite });
            await vault.addClient(acme);
            const made = vault.bulkAddCredentials(Array.from({ length: 10_000 }, (_, i) => cred(`user${i}`, `pw-${i}`)));
            for (const id of [made[1].id, made[500].id])
                await vault.setFlag(id, 'mismatch', true);
            const list = await vault.listCredentials('Acme');
            strict_1.default.equal(list.length, 10_000);
            strict_1.default.deepEqual(list[1].flags, ['mismatch']);
            strict_1.default.equal(list[9999].username, 'user9999');
            await vault.close();
        });
    });
});
describe('vault migrations', () => {
    it('renders the migrations for PostgreSQL without SQLite-only spellings', () => {
        const sql = (0, migrations_1.vaultMigrations)('postgres').map((m) => m.sql).join('\n');
        strict_1.default.doesNotMatch(sql, /\{\{|BLOB|AUTOINCREMENT|NOCASE|INTEGER PRIMARY KEY/);
        strict_1.default.match(sql, /BYTEA/);
        strict_1.default.match(sql, /GENERATED BY DEFAULT AS IDENTITY/);
        strict_1.default.throws(() => (0, migrations_1.renderSql)('x {{nope}}', 'sqlite'), /unknown SQL token/);
    });
});
//# sourceMappingURL=sqlite.vault.test.js.map