"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadNodeSqliteDriver = loadNodeSqliteDriver;
/**
 * The node:sqlite driver: Node's built-in SQLite (DatabaseSync), which the Windows package runs on (its
 * node.exe has no better-sqlite3 build). What it does beyond passing calls through is what makes it behave
 * like the better-sqlite3 driver (see database.ts): one statement per prepare(), SQLite result code names
 * in `err.code`, a 5 s busy timeout, and statements held to the same rules (node-sqlite.statement.ts).
 */
const database_1 = require("./database");
const node_sqlite_statement_1 = require("./node-sqlite.statement");
const parameters_1 = require("./parameters");
const transaction_1 = require("./transaction");
/**
 * Load node:sqlite and check it has what this driver uses (DatabaseSync.isTransaction and
 * StatementSync.setReturnArrays, which earlier releases of node:sqlite lack). Throws with the reason when
 * it cannot serve; the pinned Node 22.23.3 (packaging/node-runtimes.json) has both.
 */
function loadNodeSqliteDriver() {
    const mod = requireQuietly();
    const probe = new mod.DatabaseSync(':memory:');
    const missing = [
        typeof probe.isTransaction === 'boolean' ? '' : 'DatabaseSync.isTransaction',
        typeof probe.prepare('SELECT 1').setReturnArrays === 'function' ? '' : 'StatementSync.setReturnArrays',
    ].filter(Boolean);
    probe.close();
    if (missing.length)
        throw new Error(`node:sqlite of Node ${process.version} lacks ${missing.join(' and ')}`);
    return { name: 'node:sqlite', open: (file, options) => new NodeSqliteDatabase(mod, file, options) };
}
/**
 * require('node:sqlite') without its "SQLite is an experimental feature" ExperimentalWarning: the
 * service's stderr is read by administrators, and the module is no experiment for pwbridge (it runs the
 * same suites as better-sqlite3). Every other warning, during the load or after, goes through as before.
 */
function requireQuietly() {
    const emitWarning = process.emitWarning;
    process.emitWarning = function (warning, ...rest) {
        if (isSqliteExperimentalWarning(warning, rest[0]))
            return;
        return emitWarning.call(process, warning, ...rest);
    };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require('node:sqlite');
    }
    finally {
        process.emitWarning = emitWarning;
    }
}
function isSqliteExperimentalWarning(warning, typeOrOptions) {
    const message = typeof warning === 'string' ? warning : warning?.message;
    const type = typeof warning === 'string'
        ? (typeof typeOrOptions === 'string' ? typeOrOptions : typeOrOptions?.type)
        : warning?.name;
    return type === 'ExperimentalWarning' && typeof message === 'string' && message.startsWith('SQLite is an experimental feature');
}
class NodeSqliteDatabase {
    driver = 'node:sqlite';
    db;
    tx;
    constructor(mod, file, options = {}) {
        this.db = translate(() => new mod.DatabaseSync(file, { readOnly: options.readonly === true }));
        try {
            this.db.exec(`PRAGMA busy_timeout = ${database_1.DEFAULT_BUSY_TIMEOUT_MS}`);
            const db = this.db;
            this.tx = new transaction_1.Transactions({
                get inTransaction() { return db.isTransaction; },
                prepare: (sql) => {
                    const st = translate(() => db.prepare(sql));
                    return {
                        run: () => {
                            try {
                                return st.run();
                            }
                            catch (err) {
                                throw (0, node_sqlite_statement_1.translateError)(err);
                            }
                        },
                    };
                },
            });
        }
        catch (err) {
            this.db.close();
            throw (0, node_sqlite_statement_1.translateError)(err);
        }
    }
    get open() { return this.db.isOpen; }
    // better-sqlite3 answers false on a closed database; node:sqlite throws. The seam answers as the former.
    get inTransaction() { return this.db.isOpen && this.db.isTransaction; }
    exec(sql) {
        translate(() => this.db.exec(sql));
    }
    prepare(sql) {
        const st = translate(() => this.db.prepare(sql));
        // node:sqlite compiles the first statement and drops the rest without a word; better-sqlite3 refuses.
        const source = typeof st.sourceSQL === 'function' ? st.sourceSQL() : st.sourceSQL;
        if (typeof source === 'string' && sql.startsWith(source) && !/^(?:\s|;|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*$/.test(sql.slice(source.length))) {
            throw new RangeError('The supplied SQL string contains more than one statement');
        }
        return new node_sqlite_statement_1.NodeSqliteStatement(st, (0, parameters_1.statementParameters)(sql));
    }
    pragma(text) {
        const st = translate(() => this.db.prepare(`PRAGMA ${text}`));
        st.setReturnArrays(true);
        const row = translate(() => st.get());
        return row?.[0];
    }
    transaction(fn, mode) {
        return this.tx.run(fn, mode);
    }
    close() {
        if (this.db.isOpen)
            this.db.close();
    }
}
/** fn's result, or its error with the SQLite result code name in `code`. */
function translate(fn) {
    try {
        return fn();
    }
    catch (err) {
        throw (0, node_sqlite_statement_1.translateError)(err);
    }
}
//# sourceMappingURL=node-sqlite.driver.js.map