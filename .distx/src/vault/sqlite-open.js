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
exports.openDatabase = openDatabase;
exports.runMigrations = runMigrations;
/**
 * Opening a pwbridge SQLite file the same way everywhere (vault.db and state.db): private file mode,
 * WAL, synchronous=FULL, foreign keys, and the schema brought up to date.
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const drivers_1 = require("../sqlite/drivers");
const migrations_1 = require("./migrations");
/** `driver`: the SQLite driver to open with; absent, the one src/sqlite/drivers.ts picks for this Node. */
function openDatabase(file, migrations, driver = (0, drivers_1.defaultSqliteDriver)()) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Create the file ourselves at 0600: SQLite gives the -wal and -shm files the main file's mode, so
    // this keeps all three private (they hold usernames and sealed blobs) whatever the umask is.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
    const db = driver.open(file);
    try {
        db.pragma('journal_mode = WAL');
        // FULL: a transaction is durable once COMMIT returns, even across power loss (the journal acks
        // captures on that promise; the vault applies events exactly once on it).
        db.pragma('synchronous = FULL');
        db.pragma('foreign_keys = ON');
        // Another handle (the CLI while the service runs) may hold the write lock briefly.
        db.pragma('busy_timeout = 5000');
        runMigrations(db, file, migrations);
        return db;
    }
    catch (err) {
        db.close();
        throw err;
    }
}
/** Apply each migration newer than the file's schema_version, each in its own transaction. */
function runMigrations(db, file, migrations) {
    db.exec(migrations_1.SCHEMA_VERSION_DDL);
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get();
    const current = row.v ?? 0;
    const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
    if (current > latest) {
        throw new Error(`${file} has schema version ${current}, newer than this pwbridge knows (${latest}); upgrade pwbridge`);
    }
    const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (m.version <= current)
            continue;
        try {
            db.transaction(() => {
                db.exec(m.sql);
                record.run(m.version, m.name, Date.now());
            });
        }
        catch (err) {
            throw new Error(`${file}: migration ${m.version} (${m.name}) failed: ${err.message}`);
        }
    }
}
//# sourceMappingURL=sqlite-open.js.map