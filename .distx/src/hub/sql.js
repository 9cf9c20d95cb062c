"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sqliteSql = sqliteSql;
exports.postgresSql = postgresSql;
const postgres_open_1 = require("../vault/postgres-open");
/**
 * SQLite through src/sqlite/, which is synchronous: every call, and a whole transaction with the
 * awaits inside it, holds one in-process lock, so another request's statement never runs inside someone
 * else's open transaction. Across processes, BEGIN IMMEDIATE and busy_timeout order the writers.
 */
function sqliteSql(db) {
    const statements = new Map();
    const prepare = (sql) => {
        let s = statements.get(sql);
        if (!s) {
            const order = [];
            const text = sql.replace(/\$(\d+)/g, (_, n) => { order.push(Number(n) - 1); return '?'; });
            s = { stmt: db.prepare(text), order };
            statements.set(sql, s);
        }
        return s;
    };
    const args = (order, params) => order.map((i) => (params[i] === undefined ? null : params[i]));
    const direct = {
        async all(sql, params = []) {
            const s = prepare(sql);
            return s.stmt.all(...args(s.order, params));
        },
        async run(sql, params = []) {
            const s = prepare(sql);
            return s.stmt.run(...args(s.order, params)).changes;
        },
    };
    let lock = Promise.resolve();
    const locked = (fn) => {
        const result = lock.then(fn);
        lock = result.catch(() => undefined);
        return result;
    };
    return {
        dialect: 'sqlite',
        all: (sql, params) => locked(() => direct.all(sql, params)),
        run: (sql, params) => locked(() => direct.run(sql, params)),
        tx: (fn) => locked(async () => {
            db.exec('BEGIN IMMEDIATE');
            try {
                const result = await fn(direct);
                db.exec('COMMIT');
                return result;
            }
            catch (err) {
                if (db.inTransaction)
                    db.exec('ROLLBACK');
                throw err;
            }
        }),
        close: async () => { await lock; if (db.open)
            db.close(); },
    };
}
/** PostgreSQL through a pg pool (postgres-open.ts: BIGINT as numbers, durable commits, retried transactions). */
function postgresSql(pool) {
    const on = (c) => ({
        async all(sql, params = []) {
            return (await c.query(sql, params)).rows;
        },
        async run(sql, params = []) {
            return (await c.query(sql, params)).rowCount ?? 0;
        },
    });
    const direct = on(pool);
    let ended;
    return {
        dialect: 'postgres',
        all: direct.all,
        run: direct.run,
        tx: (fn) => (0, postgres_open_1.withTransaction)(pool, (client) => fn(on(client))),
        close: () => (ended ??= pool.end()),
    };
}
//# sourceMappingURL=sql.js.map