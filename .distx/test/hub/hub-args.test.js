"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// pwbridge hub's arguments: what --listen takes, and a --db URL that would show a password in ps.
const node_assert_1 = require("node:assert");
const hub_1 = require("../../src/cli/commands/hub");
describe('pwbridge hub arguments', () => {
    it('--listen takes HOST:PORT, [IPv6]:PORT; refuses the rest naming the flag', () => {
        node_assert_1.strict.deepEqual((0, hub_1.parseListen)('0.0.0.0:8443'), { host: '0.0.0.0', port: 8443 });
        node_assert_1.strict.deepEqual((0, hub_1.parseListen)('hub.example:443'), { host: 'hub.example', port: 443 });
        node_assert_1.strict.deepEqual((0, hub_1.parseListen)('[::1]:0'), { host: '::1', port: 0 });
        for (const bad of ['8443', 'host:', ':8443', 'host:70000', '::1:8443', 'a b:1']) {
            node_assert_1.strict.throws(() => (0, hub_1.parseListen)(bad), /--listen: .* is not HOST:PORT/, bad);
        }
    });
    it('--db: a postgres URL without a password; one with a password is refused before anything starts', () => {
        (0, hub_1.checkDbUrl)('postgres://pwbridge@db.example/pwbridge');
        (0, hub_1.checkDbUrl)('postgresql://pwbridge@/pwbridge?host=/run/postgresql');
        node_assert_1.strict.throws(() => (0, hub_1.checkDbUrl)('postgres://pwbridge:s3cret@db.example/pwbridge'), /--db: the URL holds a password.*~\/\.pgpass/);
        node_assert_1.strict.throws(() => (0, hub_1.checkDbUrl)('postgres://pwbridge@db.example/pwbridge?password=s3cret'), /holds a password/);
        node_assert_1.strict.throws(() => (0, hub_1.checkDbUrl)('mysql://db.example/x'), /postgres:\/\//);
        node_assert_1.strict.throws(() => (0, hub_1.checkDbUrl)('not a url'), /postgres:\/\//);
    });
    it('--db-connections: a whole number from 1 to 1000; the rest is refused naming the flag and the value', () => {
        node_assert_1.strict.equal((0, hub_1.parseDbConnections)('1'), 1);
        node_assert_1.strict.equal((0, hub_1.parseDbConnections)('10'), 10);
        node_assert_1.strict.equal((0, hub_1.parseDbConnections)('1000'), 1000);
        for (const bad of ['0', '1001', '-1', '2.5', '1e2', '', ' 4', 'ten', '99999']) {
            node_assert_1.strict.throws(() => (0, hub_1.parseDbConnections)(bad), /--db-connections must be a whole number from 1 to 1000, not /, JSON.stringify(bad));
        }
    });
});
//# sourceMappingURL=hub-args.test.js.map