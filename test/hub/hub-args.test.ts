// pwbridge hub's arguments: what --listen takes, and a --db URL that would show a password in ps.
import { strict as assert } from 'node:assert';
import { checkDbUrl, parseDbConnections, parseListen } from '../../src/cli/commands/hub';

describe('pwbridge hub arguments', () => {
  it('--listen takes HOST:PORT, [IPv6]:PORT; refuses the rest naming the flag', () => {
    assert.deepEqual(parseListen('0.0.0.0:8443'), { host: '0.0.0.0', port: 8443 });
    assert.deepEqual(parseListen('hub.example:443'), { host: 'hub.example', port: 443 });
    assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
    for (const bad of ['8443', 'host:', ':8443', 'host:70000', '::1:8443', 'a b:1']) {
      assert.throws(() => parseListen(bad), /--listen: .* is not HOST:PORT/, bad);
    }
  });

  it('--db: a postgres URL without a password; one with a password is refused before anything starts', () => {
    checkDbUrl('postgres://pwbridge@db.example/pwbridge');
    checkDbUrl('postgresql://pwbridge@/pwbridge?host=/run/postgresql');
    assert.throws(() => checkDbUrl('postgres://pwbridge:s3cret@db.example/pwbridge'), /--db: the URL holds a password.*~\/\.pgpass/);
    assert.throws(() => checkDbUrl('postgres://pwbridge@db.example/pwbridge?password=s3cret'), /holds a password/);
    assert.throws(() => checkDbUrl('mysql://db.example/x'), /postgres:\/\//);
    assert.throws(() => checkDbUrl('not a url'), /postgres:\/\//);
  });

  it('--db-connections: a whole number from 1 to 1000; the rest is refused naming the flag and the value', () => {
    assert.equal(parseDbConnections('1'), 1);
    assert.equal(parseDbConnections('10'), 10);
    assert.equal(parseDbConnections('1000'), 1000);
    for (const bad of ['0', '1001', '-1', '2.5', '1e2', '', ' 4', 'ten', '99999']) {
      assert.throws(() => parseDbConnections(bad), /--db-connections must be a whole number from 1 to 1000, not /, JSON.stringify(bad));
    }
  });
});
