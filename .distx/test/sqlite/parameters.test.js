"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const parameters_1 = require("../../src/sqlite/parameters");
const fixtures_1 = require("./fixtures");
describe('statementParameters (what the node:sqlite driver checks each call against)', () => {
    for (const c of fixtures_1.PARAMETER_CASES) {
        it(`counts ${c.anonymous} anonymous and [${c.named.join(', ')}] named in ${JSON.stringify(c.sql)}`, () => {
            strict_1.default.deepEqual((0, parameters_1.statementParameters)(c.sql), { anonymous: c.anonymous, named: c.named });
        });
    }
    it('an unterminated literal or comment ends the scan without counting what it holds', () => {
        strict_1.default.deepEqual((0, parameters_1.statementParameters)("SELECT ?, 'open ?"), { anonymous: 1, named: [] });
        strict_1.default.deepEqual((0, parameters_1.statementParameters)('SELECT ? /* open ?'), { anonymous: 1, named: [] });
    });
    it('refuses numbered parameters (?NNN), which the drivers would bind differently', () => {
        strict_1.default.throws(() => (0, parameters_1.statementParameters)('SELECT ?1'), /numbered parameters/);
    });
});
//# sourceMappingURL=parameters.test.js.map