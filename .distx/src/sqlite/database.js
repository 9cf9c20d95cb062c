"use strict";
/**
 * The one SQLite interface every store in pwbridge talks to (journal, state, echo, the embedded vault, the
 * hub's own tables). Two drivers implement it: node:sqlite (Node's built-in) and better-sqlite3 (the
 * addon); src/sqlite/drivers.ts picks one. The interface holds only what the stores use, and both drivers
 * behave the same through it:
 * - a BLOB comes back as a Buffer; an INTEGER in the safe range as a number; rows as plain objects;
 * - values bind the same way: positional (`?`) as separate arguments, named (`@name`, `:name`, `$name`) as
 *   one plain object (the first argument) whose keys are the bare names; undefined binds as NULL; too few
 *   or too many positional values, or a name missing from the object, is a RangeError (no object at all
 *   for named parameters: a TypeError); a string holding two statements is refused by prepare();
 * - an SQLite error carries `code`, the result code's name as SQLite spells it ('SQLITE_BUSY',
 *   'SQLITE_CONSTRAINT_UNIQUE'): see sqliteCode();
 * - transaction() has better-sqlite3's semantics: BEGIN (IMMEDIATE when asked) … COMMIT, ROLLBACK on a
 *   throw, and a transaction inside another is a SAVEPOINT that undoes only its own writes (group commit
 *   relies on that).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_BUSY_TIMEOUT_MS = void 0;
exports.sqliteCode = sqliteCode;
/** The SQLite result code name of an error from either driver ('SQLITE_BUSY', …), or undefined. */
function sqliteCode(err) {
    const code = err?.code;
    return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
/** Busy-wait time both drivers set at open, the same as better-sqlite3's own default. */
exports.DEFAULT_BUSY_TIMEOUT_MS = 5000;
//# sourceMappingURL=database.js.map