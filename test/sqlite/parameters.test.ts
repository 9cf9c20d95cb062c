import assert from 'node:assert/strict';
import { statementParameters } from '../../src/sqlite/parameters';
import { PARAMETER_CASES } from './fixtures';

describe('statementParameters (what the node:sqlite driver checks each call against)', () => {
  for (const c of PARAMETER_CASES) {
    it(`counts ${c.anonymous} anonymous and [${c.named.join(', ')}] named in ${JSON.stringify(c.sql)}`, () => {
      assert.deepEqual(statementParameters(c.sql), { anonymous: c.anonymous, named: c.named });
    });
  }

  it('an unterminated literal or comment ends the scan without counting what it holds', () => {
    assert.deepEqual(statementParameters("SELECT ?, 'open ?"), { anonymous: 1, named: [] });
    assert.deepEqual(statementParameters('SELECT ? /* open ?'), { anonymous: 1, named: [] });
  });

  it('refuses numbered parameters (?NNN), which the drivers would bind differently', () => {
    assert.throws(() => statementParameters('SELECT ?1'), /numbered parameters/);
  });
});
