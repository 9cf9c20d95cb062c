"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PARAMETER_CASES = void 0;
/**
 * SQL and the parameters in it: parameters.test.ts checks that statementParameters() counts these, and
 * driver.contract.test.ts that each driver binds exactly that many (better-sqlite3 asks SQLite itself).
 */
exports.PARAMETER_CASES = [
    { sql: 'SELECT ?, ?, ?', anonymous: 3, named: [] },
    { sql: "SELECT '?', ? -- ?\n, /* ? @x */ ?", anonymous: 2, named: [] },
    { sql: 'SELECT "a?b", [c?], `d?` FROM (SELECT 1 AS "a?b", 2 AS [c?], 3 AS `d?`) WHERE ? = 1', anonymous: 1, named: [] },
    { sql: "SELECT 'it''s ?', @a, :b, $c, @a", anonymous: 0, named: ['a', 'b', 'c'] },
    { sql: 'SELECT a$b, ? FROM (SELECT 1 AS a$b)', anonymous: 1, named: [] },
    { sql: 'SELECT @first + ?', anonymous: 1, named: ['first'] },
];
//# sourceMappingURL=fixtures.js.map