// A connection the server ends while this process holds it checked out (between two statements of a
// transaction) must not crash the process: found by the postgres-restart fault scenario, where the hub
// died with an unhandled 'error' event from pg's Client during `pg_ctl restart -m fast`.
import { strict as assert } from 'node:assert';
import { openPool } from '../../src/vault/postgres-open';
import { testPostgres } from '../helpers/postgres';

describe('a PostgreSQL session ended by the server while checked out (pg_terminate_backend)', function () {
  this.timeout(30_000);

  it('does not crash the process; the statement after it fails, and the pool serves again', async () => {
    const pg = await testPostgres();
    const database = await pg.createDatabase('pool_terminate');
    const pool = openPool({ url: pg.url(database), max: 2 });
    const uncaught: Error[] = [];
    const onUncaught = (err: Error) => { uncaught.push(err); };
    // mocha's own handler would report the crash as this test's failure; count it instead, to say so.
    const mochaHandlers = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      const client = await pool.connect();
      const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await client.query('BEGIN');
      await pg.query(database, 'SELECT pg_terminate_backend($1)', [pid]);
      await new Promise((r) => setTimeout(r, 300)); // the FATAL arrives while nothing is running on the client
      assert.deepEqual(uncaught.map((e) => e.message), [], 'no unhandled error event');
      await assert.rejects(client.query('SELECT 1'));
      client.release(true);
      assert.equal((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one, 1);
    } finally {
      process.off('uncaughtException', onUncaught);
      for (const h of mochaHandlers) process.on('uncaughtException', h);
      await pool.end();
    }
  });
});
