"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const db_unavailable_1 = require("../../src/hub/db-unavailable");
const withCode = (code, message = 'x') => Object.assign(new Error(message), { code });
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
        ])
            node_assert_1.strict.ok((0, db_unavailable_1.isDatabaseUnavailable)(e), `${e.code ?? ''} ${e.message}`);
    });
    it('not a bad query, a constraint, a programming error or a non-error', () => {
        for (const e of [withCode('42P01', 'relation does not exist'), withCode('23505'), new TypeError('x is undefined'), undefined, 'ECONNREFUSED', 42]) {
            node_assert_1.strict.ok(!(0, db_unavailable_1.isDatabaseUnavailable)(e), String(e));
        }
    });
});
//# sourceMappingURL=db-unavailable.test.js.map