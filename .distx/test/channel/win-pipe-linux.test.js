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
// The Windows pipe's TypeScript side, seen from Linux: never loaded by the service here, a loader that says
// what it tried, and the two places that read an "access denied" on the pipe as a running service.
const node_assert_1 = require("node:assert");
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const socket_listener_1 = require("../../src/channel/socket-listener");
const load_addon_1 = require("../../src/channel/win-pipe/load-addon");
const selftest_1 = require("../../src/cli/commands/selftest");
const tmp_1 = require("../helpers/tmp");
const repo_root_1 = require("../vectors/repo-root");
const PIPE = '\\\\.\\pipe\\pwbridge';
describe('the Windows pipe modules on Linux', function () {
    this.timeout(60_000);
    it('a running bridge takes a CHANGE over its Unix socket without ever loading the loader, the listener or the addon', function () {
        if (process.platform !== 'linux')
            this.skip();
        // In a process of its own: mocha's has loaded this file's imports.
        const harness = path.join((0, repo_root_1.repoRoot)(), 'dist', 'test', 'helpers', 'bridge-harness.js');
        const script = `
      const { startHarness } = require(${JSON.stringify(harness)});
      (async () => {
        const h = await startHarness();
        const c = await h.connect();
        const ack = await c.send({ account: 'alice', encoding: 1, password: Buffer.from('pw') }).acked;
        c.destroy();
        await h.destroy();
        const loaded = Object.keys(require.cache).filter((k) => /win-pipe|pwbridge_pipe/.test(k));
        const channel = Object.keys(require.cache).filter((k) => k.includes('socket-listener'));
        process.stdout.write(JSON.stringify({ status: ack.status, loaded, channel: channel.length }));
      })().catch((e) => { process.stdout.write(JSON.stringify({ error: e.stack })); });`;
        const out = JSON.parse((0, node_child_process_1.execFileSync)(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 50_000 }));
        node_assert_1.strict.equal(out.error, undefined, out.error);
        node_assert_1.strict.equal(out.status, 0);
        node_assert_1.strict.equal(out.channel, 1, 'the listener module that would load it was used');
        node_assert_1.strict.deepEqual(out.loaded, []);
    });
    it('the loader refuses on another platform, naming it', () => {
        node_assert_1.strict.throws(() => (0, load_addon_1.loadPipeAddon)({ platform: 'linux' }), /pwbridge_pipe\.node is the Windows named-pipe server; this is linux/);
    });
    it('looks in the package\'s addons/ (the MSI) and then native/build-win/ (a development build)', () => {
        node_assert_1.strict.deepEqual((0, load_addon_1.addonCandidates)('/opt/pwb'), ['/opt/pwb/addons/pwbridge_pipe.node', '/opt/pwb/native/build-win/pwbridge_pipe.node']);
        node_assert_1.strict.deepEqual((0, load_addon_1.addonCandidates)(), [path.join((0, repo_root_1.repoRoot)(), 'addons', 'pwbridge_pipe.node'), path.join((0, repo_root_1.repoRoot)(), 'native', 'build-win', 'pwbridge_pipe.node')]);
    });
    it('a failed load lists every path it tried and why each did not do', () => {
        const t = (0, tmp_1.makeTempDir)();
        try {
            const absent = path.join(t.dir, 'addons', 'pwbridge_pipe.node');
            const broken = path.join(t.dir, 'pwbridge_pipe.node');
            fs.writeFileSync(broken, 'not a shared library');
            node_assert_1.strict.throws(() => (0, load_addon_1.loadPipeAddon)({ platform: 'win32', candidates: [absent, broken] }), (err) => {
                node_assert_1.strict.match(err.message, /cannot load pwbridge_pipe\.node, which serves the capture pipe on Windows; tried:/);
                node_assert_1.strict.ok(err.message.includes(`${absent}: not there`), err.message);
                node_assert_1.strict.ok(err.message.includes(`${broken}: `) && !err.message.includes(`${broken}: not there`), err.message);
                node_assert_1.strict.match(err.message, /Reinstall pwbridge, or build it/);
                return true;
            });
        }
        finally {
            t.cleanup();
        }
    });
    it('access denied on the pipe means a running service that refuses this account; nothing else does', () => {
        node_assert_1.strict.equal((0, socket_listener_1.servedThoughRefused)(PIPE, 'EPERM', 'win32'), true);
        node_assert_1.strict.equal((0, socket_listener_1.servedThoughRefused)(PIPE, 'EACCES', 'win32'), true);
        node_assert_1.strict.equal((0, socket_listener_1.servedThoughRefused)(PIPE, 'ENOENT', 'win32'), false);
        node_assert_1.strict.equal((0, socket_listener_1.servedThoughRefused)(PIPE, 'EPERM', 'linux'), false);
        node_assert_1.strict.equal((0, socket_listener_1.servedThoughRefused)('C:\\data\\capture.sock', 'EPERM', 'win32'), false);
    });
    it('selftest says plainly when the pipe refuses the account, and when nothing serves it', () => {
        node_assert_1.strict.match((0, selftest_1.connectFailure)(PIPE, 'EPERM', 'win32'), /^the service is running, but its pipe does not let this account in \(access denied, EPERM\): only SYSTEM and the service account may open it/);
        node_assert_1.strict.equal((0, selftest_1.connectFailure)(PIPE, 'ENOENT', 'win32'), 'the service is not reachable (ENOENT)');
        node_assert_1.strict.equal((0, selftest_1.connectFailure)('/run/pwbridge/capture.sock', 'EACCES', 'linux'), 'the service is not reachable (EACCES)');
    });
    it('selftest against a server that hangs up before its first byte says it was refused, not that the handshake broke', async () => {
        const t = (0, tmp_1.makeTempDir)();
        const sock = path.join(t.dir, 's.sock');
        const server = net.createServer((s) => s.destroy());
        await new Promise((r) => server.listen(sock, r));
        try {
            const ecdh = (0, node_crypto_1.createECDH)('prime256v1');
            ecdh.generateKeys();
            const r = await (0, selftest_1.handshake)(sock, Buffer.alloc(32, 1), ecdh.getPublicKey(), 'host');
            node_assert_1.strict.deepEqual(r, { ok: false, detail: selftest_1.REFUSED_BEFORE_FIRST_BYTE });
        }
        finally {
            await new Promise((r) => server.close(r));
            t.cleanup();
        }
    });
});
//# sourceMappingURL=win-pipe-linux.test.js.map