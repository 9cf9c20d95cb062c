import { strict as assert } from 'node:assert';
import { isDatabaseUnavailable } from '../../src/hub/db-unavailable';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('which database errors the hub answers with 503 (the database is away) rather than 500', () => {
  it('PostgreSQL stopping, starting, out of connections; a socket that refuses or is cut; pg\'s own "terminated"', () => {
    for (const e of [
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P03', 'the database system is starting up'),
      withCode('53300', 'sorry, too many clients already'),
      withCode('08006'), withCode('ECONNREFUSED'), withCode('ENOENT'), withCode('ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('wrapped'), { cause: withCode('57P01') }),
      withCode('SQLITE_BUSY', 'database is locked'),
    ]) assert.ok(isDatabaseUnavailable(e), `${(e as { code?: string }).code ?? ''} ${e.message}`);
  });

  it('not a bad query, a constraint, a programming error or a non-error', () => {
    for (const e of [withCode('42P01', 'relation does not exist'), withCode('23505'), new TypeError('x is undefined'), undefined, 'ECONNREFUSED', 42]) {
      assert.ok(!isDatabaseUnavailable(e), String(e));
    }
  });
});
