"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resultCodeName = resultCodeName;
/**
 * SQLite result code numbers → the names better-sqlite3 puts in `err.code` ('SQLITE_CONSTRAINT_UNIQUE'),
 * so that an error from node:sqlite (which gives the number, `errcode`) reads the same. From SQLite's
 * "Result and Error Codes" page: an extended code is its primary code plus (n << 8), n counting from 1 in
 * the order listed below.
 */
const PRIMARY = {
    0: 'OK', 1: 'ERROR', 2: 'INTERNAL', 3: 'PERM', 4: 'ABORT', 5: 'BUSY', 6: 'LOCKED', 7: 'NOMEM', 8: 'READONLY',
    9: 'INTERRUPT', 10: 'IOERR', 11: 'CORRUPT', 12: 'NOTFOUND', 13: 'FULL', 14: 'CANTOPEN', 15: 'PROTOCOL', 16: 'EMPTY',
    17: 'SCHEMA', 18: 'TOOBIG', 19: 'CONSTRAINT', 20: 'MISMATCH', 21: 'MISUSE', 22: 'NOLFS', 23: 'AUTH', 24: 'FORMAT',
    25: 'RANGE', 26: 'NOTADB', 27: 'NOTICE', 28: 'WARNING', 100: 'ROW', 101: 'DONE',
};
/** Extended codes per primary code, n = 1, 2, … in this order. */
const EXTENDED = {
    0: ['LOAD_PERMANENTLY', 'SYMLINK'],
    1: ['MISSING_COLLSEQ', 'RETRY', 'SNAPSHOT'],
    4: ['ROLLBACK'],
    5: ['RECOVERY', 'SNAPSHOT', 'TIMEOUT'],
    6: ['SHAREDCACHE', 'VTAB'],
    8: ['RECOVERY', 'CANTLOCK', 'ROLLBACK', 'DBMOVED', 'CANTINIT', 'DIRECTORY'],
    10: ['READ', 'SHORT_READ', 'WRITE', 'FSYNC', 'DIR_FSYNC', 'TRUNCATE', 'FSTAT', 'UNLOCK', 'RDLOCK', 'DELETE', 'BLOCKED',
        'NOMEM', 'ACCESS', 'CHECKRESERVEDLOCK', 'LOCK', 'CLOSE', 'DIR_CLOSE', 'SHMOPEN', 'SHMSIZE', 'SHMLOCK', 'SHMMAP', 'SEEK',
        'DELETE_NOENT', 'MMAP', 'GETTEMPPATH', 'CONVPATH', 'VNODE', 'AUTH', 'BEGIN_ATOMIC', 'COMMIT_ATOMIC', 'ROLLBACK_ATOMIC',
        'DATA', 'CORRUPTFS', 'IN_PAGE'],
    11: ['VTAB', 'SEQUENCE', 'INDEX'],
    14: ['NOTEMPDIR', 'ISDIR', 'FULLPATH', 'CONVPATH', 'DIRTYWAL', 'SYMLINK'],
    19: ['CHECK', 'COMMITHOOK', 'FOREIGNKEY', 'FUNCTION', 'NOTNULL', 'PRIMARYKEY', 'TRIGGER', 'UNIQUE', 'VTAB', 'ROWID',
        'PINNED', 'DATATYPE'],
    23: ['USER'],
    27: ['RECOVER_WAL', 'RECOVER_ROLLBACK', 'RBU'],
    28: ['AUTOINDEX'],
};
/** 'SQLITE_…' for a primary or extended result code; an unknown extended code falls back to its primary. */
function resultCodeName(code) {
    const primary = code & 0xff;
    const base = PRIMARY[primary];
    if (base === undefined)
        return `SQLITE_UNKNOWN_${code}`;
    const n = code >> 8;
    const ext = n > 0 ? EXTENDED[primary]?.[n - 1] : undefined;
    return ext ? `SQLITE_${base}_${ext}` : `SQLITE_${base}`;
}
//# sourceMappingURL=result-codes.js.map