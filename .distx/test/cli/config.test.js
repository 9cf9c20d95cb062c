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
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const cli_1 = require("./cli");
/** A bad config.json: every command that loads it refuses with exit 2 and touches nothing. */
const cases = [
    {
        name: 'invalid JSON',
        text: '{"machine": "TESTHOST",',
        patterns: [/config\.json/, /is not valid JSON/, /Fix the syntax or remove the file/],
    },
    {
        name: 'an unknown field',
        text: JSON.stringify({ machine: 'TESTHOST', reconcileIntrval: '5m' }),
        patterns: [/config\.json: reconcileIntrval/, /is not a known field/, /Known fields: .*reconcileInterval/],
    },
    {
        name: 'reconcileInterval below 10 s',
        text: JSON.stringify({ reconcileInterval: '5s' }),
        patterns: [/reconcileInterval/, /5s is out of range/, /at least 10s/],
    },
    {
        name: 'reconcileInterval above the timer limit',
        text: JSON.stringify({ reconcileInterval: '30d' }),
        patterns: [/reconcileInterval/, /30d is out of range/, /at most 2147483647 ms/, /timer limit/],
    },
    {
        name: 'reconcileInterval that is not a duration',
        text: JSON.stringify({ reconcileInterval: 'often' }),
        patterns: [/reconcileInterval/, /"often" is not a duration/, /"30s"/],
    },
    {
        name: 'concurrency 0',
        text: JSON.stringify({ concurrency: 0 }),
        patterns: [/concurrency/, /0 is not an integer from 1 to 256/, /Set a small integer/],
    },
    {
        name: 'excludeAccounts not a list',
        text: JSON.stringify({ excludeAccounts: 'backup' }),
        patterns: [/excludeAccounts/, /must be a list of account names/, /Write e\.g\. \["backup"/],
    },
    {
        name: 'a JSON array instead of an object',
        text: '[]',
        patterns: [/config\.json/, /must hold a JSON object/],
    },
    {
        name: 'logLevel that is not a level',
        text: JSON.stringify({ logLevel: 'loud' }),
        patterns: [/logLevel/, /"loud" is not a level/, /Use one of/],
    },
];
describe('pwbridge with a bad config.json (CLI, real child process)', function () {
    this.timeout(60_000);
    for (const t of cases) {
        describe(t.name, () => {
            let dir;
            let cleanup;
            beforeEach(() => {
                ({ dir, cleanup } = (0, cli_1.tempDataDir)());
                fs.writeFileSync(path.join(dir, 'config.json'), t.text);
            });
            afterEach(() => cleanup());
            for (const args of [['run'], ['status'], ['status', '--json'], ['reconcile', '--once', '--json']]) {
                it(`${args.join(' ')}: exit 2, names the field and the fix, creates nothing`, async () => {
                    const before = (0, cli_1.listing)(dir);
                    const r = await (0, cli_1.runCli)(args, { dataDir: dir, timeoutMs: 20_000 });
                    (0, cli_1.assertRefused)(r, `${args.join(' ')} with ${t.name}`, /^pwbridge: /, ...t.patterns);
                    node_assert_1.strict.equal(r.stderr.trimEnd().split('\n').length, 1, `one line, no stack trace:\n${r.stderr}`);
                    node_assert_1.strict.deepEqual((0, cli_1.listing)(dir), before, 'the data dir changed');
                    node_assert_1.strict.equal(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'), t.text, 'config.json was rewritten');
                });
            }
        });
    }
    it('run --client naming a client the vault lacks: exit 2, with the command that adds it', async () => {
        const { dir, cleanup } = (0, cli_1.tempDataDir)({ machine: 'TESTHOST', reconcileInterval: '1h' });
        try {
            const r = await (0, cli_1.runCli)(['run', '--client', 'Ghost'], { dataDir: dir, timeoutMs: 20_000 });
            (0, cli_1.assertRefused)(r, 'run --client Ghost', /"Ghost" does not exist in the vault/, /pwbridge vault client add "Ghost"/);
            node_assert_1.strict.equal(fs.existsSync(path.join(dir, 'run', 'capture.sock')), false, 'a refused run left a socket');
        }
        finally {
            cleanup();
        }
    });
});
//# sourceMappingURL=config.test.js.map