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
exports.DataFileError = void 0;
exports.checkDataFile = checkDataFile;
exports.openNamingDamage = openNamingDamage;
exports.checkDataFiles = checkDataFiles;
/**
 * Before the service opens its SQLite files for good: are they SQLite files, and whole? A corrupt or
 * truncated state.db or vault.db is not something a restart mends, so `pwbridge run` stops with a
 * DataFileError (the CLI's exit status 65, which the systemd unit lists in RestartPreventExitStatus)
 * naming the file and the way to recover, instead of crashing later mid-write and being restarted in a loop.
 *
 * The check is SQLite's own `PRAGMA quick_check` (every page of every table and index is read; the
 * cross-checks of integrity_check are skipped): linear in the file's size, paid once per start.
 */
const fs = __importStar(require("node:fs"));
const database_1 = require("../sqlite/database");
const drivers_1 = require("../sqlite/drivers");
/** A data file the service cannot use as it is. The message says which and what to do. */
class DataFileError extends Error {
    file;
    constructor(file, problem, recovery) {
        super(`${file}: ${problem}. ${recovery}`);
        this.file = file;
        this.name = 'DataFileError';
    }
}
exports.DataFileError = DataFileError;
/** What the operator does about each file (docs: README "Recovery"). */
const RECOVERY = {
    state: 'Stop pwbridge, move the file aside (with its -wal and -shm files) and start again: a new journal is made; '
        + 'changes it still held as pending are lost unless recovered with `sqlite3 FILE .recover`, and the next reconcile pass '
        + 'finds passwords that differ from the vault',
    vault: 'Stop pwbridge and restore the file (with its -wal file) from a backup, or recover what is readable with '
        + '`sqlite3 FILE .recover`; pwbridge does not start on a damaged vault because every write it makes there would build on it',
};
/** Result codes that mean the bytes are not a (whole) SQLite database. */
function isDamage(err) {
    const code = (0, database_1.sqliteCode)(err) ?? '';
    return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}
/** Throws DataFileError when `file` exists and is not a sound SQLite database. A missing file passes (it is created). */
function checkDataFile(file, role) {
    if (!fs.existsSync(file))
        return;
    let problem;
    try {
        const db = (0, drivers_1.defaultSqliteDriver)().open(file);
        try {
            const rows = db.prepare('PRAGMA quick_check(3)').pluck().all();
            if (rows.length !== 1 || rows[0] !== 'ok')
                problem = `is damaged (SQLite's quick_check: ${rows.join('; ').slice(0, 300)})`;
        }
        finally {
            db.close();
        }
    }
    catch (err) {
        if (!isDamage(err))
            throw err;
        problem = (0, database_1.sqliteCode)(err) === 'SQLITE_NOTADB'
            ? 'is not a SQLite database (its header is damaged or it was overwritten)'
            : `is damaged (${err.message})`;
    }
    if (problem)
        throw new DataFileError(file, problem, RECOVERY[role].replace('FILE', file));
}
/** Run `open`; a damaged file's SQLite error becomes a DataFileError naming it (for every command, not only run). */
function openNamingDamage(file, role, open) {
    try {
        return open();
    }
    catch (err) {
        if (!isDamage(err))
            throw err;
        throw new DataFileError(file, `is damaged (${err.message})`, RECOVERY[role].replace('FILE', file));
    }
}
/** Both of the service's SQLite files; the vault's only when it is embedded (a hub keeps its own). */
function checkDataFiles(paths, embeddedVault) {
    checkDataFile(paths.stateDb, 'state');
    if (embeddedVault)
        checkDataFile(paths.vaultDb, 'vault');
}
//# sourceMappingURL=data-file-check.js.map