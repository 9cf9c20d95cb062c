"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// A connection the server ends while this process holds it checked out (between two statements of a
// transaction) must not crash the process: found by the postgres-restart fault scenario, where the hub
// died with an unhandled 'error' event from pg's Client during `pg_ctl restart -m fast`.
const node_assert_1 = require("node:assert");
const postgres_open_1 = require("../../src/vault/postgres-open");
const postgres_1 = require("../helpers/postgres");
describe('a PostgreSQL session ended by the server while checked out (pg_terminate_backend)', function () {
    this.timeout(30_000);
    it('does not crash the process; the statement after it fails, and the pool serves again', async () => {
        const pg = await (0, postgres_1.testPostgres)();
        const database = await pg.createDatabase('pool_terminate');
        const pool = (0, postgres_open_1.openPool)({ url: pg.url(database), max: 2 });
        const uncaught = [];
        const onUncaught = (err) => { uncaught.push(err); };
        // mocha's own handler would report the crash as this test's failure; count it instead, to say so.
        const mochaHandlers = process.listeners('uncaughtException');
        process.removeAllListeners('uncaughtException');
        process.on('uncaughtException', onUncaught);
        try {
            const client = await pool.connect();
            const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
            await client.query('BEGIN');
            await pg.query(database, 'SELECT pg_terminate_backend($1)', [pid]);
            await new Promise((r) => setTimeout(r, 300)); // the FATAL arrives while nothing is running on the client
            node_assert_1.strict.deepEqual(uncaught.map((e) => e.message), [], 'no unhandled error event');
            await node_assert_1.strict.rejects(client.query('SELECT 1'));
            client.release(true);
            node_assert_1.strict.equal((await pool.query('SELECT 1 AS one')).rows[0].one, 1);
        }
        finally {
            process.off('uncaughtException', onUncaught);
            for (const h of mochaHandlers)
                process.on('uncaughtException', h);
            await pool.end();
        }
    });
});
//# sourceMappingURL=postgres-pool-terminate.test.js.map