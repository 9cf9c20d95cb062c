"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadBetterSqlite3Driver = loadBetterSqlite3Driver;
const database_1 = require("./database");
const transaction_1 = require("./transaction");
/**
 * Load better-sqlite3 and its addon. The addon is only loaded at the first open, so one is opened in
 * memory here: an addon built for another Node (another ABI) fails now, with its reason, not later.
 */
function loadBetterSqlite3Driver() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return {
        name: 'better-sqlite3',
        open: (file, options = {}) => new BetterSqlite3Database(new Database(file, {
            readonly: options.readonly === true, fileMustExist: options.readonly === true, timeout: database_1.DEFAULT_BUSY_TIMEOUT_MS,
        })),
    };
}
class BetterSqlite3Database {
    db;
    driver = 'better-sqlite3';
    tx;
    constructor(db) {
        this.db = db;
        this.tx = new transaction_1.Transactions(db);
    }
    get open() { return this.db.open; }
    get inTransaction() { return this.db.inTransaction; }
    exec(sql) {
        this.db.exec(sql);
    }
    prepare(sql) {
        return this.db.prepare(sql);
    }
    pragma(text) {
        return this.db.pragma(text, { simple: true });
    }
    transaction(fn, mode) {
        return this.tx.run(fn, mode);
    }
    close() {
        if (this.db.open)
            this.db.close();
    }
}
//# sourceMappingURL=better-sqlite3.driver.js.map