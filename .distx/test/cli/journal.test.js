"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const path = __importStar(require("node:path"));
const sqlite_state_1 = require("../../src/journal/sqlite.state");
const cli_1 = require("./cli");
const id = (n) => n.toString(16).padStart(32, '0');
describe('pwbridge journal (CLI, real child process): dead letters and requeue', function () {
    this.timeout(60_000);
    let dir;
    let cleanup;
    const cli = (args) => (0, cli_1.runCli)(args, { dataDir: dir });
    /** A journal with two dead letters and one pending entry, as a long vault outage leaves it. */
    const seed = () => {
        const db = (0, sqlite_state_1.openStateDb)(path.join(dir, 'state.db'), { echoKey: (0, node_crypto_1.randomBytes)(32) });
        const entry = (n, account) => ({
            eventId: id(n), machine: 'TESTHOST', account, accountId: 1000 + n, capturedAt: 1000, receivedAt: 2000, encoding: 1, sealed: (0, node_crypto_1.randomBytes)(120),
        });
        db.journal.append([entry(1, 'alice'), entry(2, 'bob'), entry(3, 'carol')]);
        db.journal.markDead(id(1), 'vault unreachable for 7d');
        db.journal.markDead(id(2), 'vault unreachable for 7d');
        db.close();
    };
    const stateOf = (n) => {
        const db = (0, sqlite_state_1.openStateDb)(path.join(dir, 'state.db'), { echoKey: (0, node_crypto_1.randomBytes)(32) });
        try {
            return db.journal.get(id(n))?.state;
        }
        finally {
            db.close();
        }
    };
    beforeEach(() => {
        ({ dir, cleanup } = (0, cli_1.tempDataDir)({ machine: 'TESTHOST' }));
    });
    afterEach(() => cleanup());
    it('dead lists the dead letters; requeue ID puts one back to pending; requeue --all the rest', async () => {
        seed();
        const dead = (0, cli_1.jsonLines)(await cli(['journal', 'dead', '--json']));
        node_assert_1.strict.deepEqual(dead.map((d) => [d.eventId, d.account]), [[id(1), 'alice'], [id(2), 'bob']]);
        node_assert_1.strict.match(dead[0].reason, /unreachable/);
        const status = (0, cli_1.jsonLines)(await cli(['status', '--json']))[0];
        node_assert_1.strict.deepEqual(status.deadLetters.map((d) => d.eventId), [id(1), id(2)]);
        node_assert_1.strict.equal(status.journalDepth, 1);
        const one = await cli(['journal', 'requeue', id(1).toUpperCase()]);
        (0, cli_1.assertExit)(one, 0, 'journal requeue ID');
        node_assert_1.strict.match(one.stdout, /^1 requeued/);
        node_assert_1.strict.equal(stateOf(1), 'pending');
        node_assert_1.strict.equal(stateOf(2), 'dead');
        const all = await cli(['journal', 'requeue', '--all']);
        (0, cli_1.assertExit)(all, 0, 'journal requeue --all');
        node_assert_1.strict.equal(stateOf(2), 'pending');
        node_assert_1.strict.deepEqual((0, cli_1.jsonLines)(await cli(['journal', 'dead', '--json'])), []);
    });
    it('requeue of an id that is not a dead letter says so and exits 1; the pending entry stays as it was', async () => {
        seed();
        const r = await cli(['journal', 'requeue', id(3)]);
        node_assert_1.strict.equal(r.code, 1);
        node_assert_1.strict.match(r.stderr, new RegExp(id(3)));
        node_assert_1.strict.equal(stateOf(3), 'pending');
        node_assert_1.strict.equal(stateOf(1), 'dead');
    });
    it('bad arguments are refused with exit 2 and nothing changes', async () => {
        seed();
        for (const args of [['journal', 'requeue'], ['journal', 'requeue', '--all', id(1)], ['journal', 'requeue', 'not-an-id']]) {
            const r = await cli(args);
            node_assert_1.strict.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
            node_assert_1.strict.match(r.stderr, /journal requeue/);
        }
        node_assert_1.strict.equal(stateOf(1), 'dead');
        node_assert_1.strict.equal(stateOf(2), 'dead');
    });
    it('a data dir the service never ran in: exit 2, no journal created', async () => {
        const r = await cli(['journal', 'dead']);
        node_assert_1.strict.equal(r.code, 2);
        node_assert_1.strict.match(r.stderr, /never run/);
    });
});
//# sourceMappingURL=journal.test.js.map