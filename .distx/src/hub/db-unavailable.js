"use strict";
/**
 * Whether an error means "the database is not there right now" (restarting, failing over, out of
 * connections) rather than "this request or this hub is broken". The hub answers the first with 503 and
 * a Retry-After, which an agent treats as the transient outage it is (its journal holds the change and
 * retries); a 500 would say the hub itself failed. The pool needs no help to recover: a connection the
 * server dropped is discarded and the next request opens a new one.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.DB_UNAVAILABLE_RETRY_S = void 0;
exports.isDatabaseUnavailable = isDatabaseUnavailable;
/** SQLSTATE classes and codes PostgreSQL sends while it cannot serve. */
const UNAVAILABLE_SQLSTATES = new Set([
    '57P01', // admin_shutdown: the server is stopping (pg_ctl stop/restart -m fast)
    '57P02', // crash_shutdown: another backend crashed, the server resets
    '57P03', // cannot_connect_now: starting up, shutting down, in recovery
    '53300', // too_many_connections
    '53400', // configuration_limit_exceeded
]);
/** Socket errors of a connection that could not be made or was cut. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What pg says when a connection ends under a query, or a pool cannot get one in time. */
const UNAVAILABLE_MESSAGES = [
    /^Connection terminated/,
    /^timeout exceeded when trying to connect/,
    /^Client has encountered a connection error and is not queryable/,
    /^Client was closed and is not queryable/,
];
/** SQLite: another process holds the write lock longer than busy_timeout. */
const SQLITE_BUSY = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED']);
function isDatabaseUnavailable(err) {
    for (let e = err, depth = 0; e && depth < 4; e = e.cause, depth++) {
        const code = e.code;
        if (typeof code === 'string') {
            if (/^08/.test(code) || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code) || SQLITE_BUSY.has(code))
                return true;
        }
        const message = e.message;
        if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message)))
            return true;
    }
    return false;
}
/** Seconds an agent is asked to wait before it tries again (a restart takes a few). */
exports.DB_UNAVAILABLE_RETRY_S = 2;
//# sourceMappingURL=db-unavailable.js.map