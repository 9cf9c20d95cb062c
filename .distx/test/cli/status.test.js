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
const tmp_1 = require("../helpers/tmp");
const net = __importStar(require("node:net"));
const node_crypto_1 = require("node:crypto");
const constants_1 = require("../../src/protocol/constants");
const frame_1 = require("../../src/protocol/frame");
const cli_1 = require("./cli");
describe('pwbridge status (CLI): the filter state as of now, with the service stopped', function () {
    this.timeout(60_000);
    let dir;
    let cleanup;
    let pam;
    const status = async () => {
        const r = await (0, cli_1.runCli)(['status', '--json'], { dataDir: dir });
        (0, cli_1.assertExit)(r, 0, 'status --json');
        return (0, cli_1.jsonLines)(r)[0];
    };
    beforeEach(() => {
        pam = (0, tmp_1.makeTempDir)('pwbridge-cli-pam-');
        ({ dir, cleanup } = (0, cli_1.tempDataDir)({ machine: 'TESTHOST', pamDir: pam.dir }));
    });
    afterEach(() => {
        cleanup();
        pam.cleanup();
    });
    it('counts the spool: events waiting for the service and refused ones kept as .bad', async () => {
        (0, cli_1.assertExit)(await (0, cli_1.runCli)(['reconcile', '--once', '--json'], { dataDir: dir }), 0, 'reconcile --once (creates the install)');
        node_assert_1.strict.deepEqual((await status()).spool, { waiting: 0, refused: 0 });
        const spool = path.join(dir, 'spool');
        for (const n of ['a.chg', 'b.chg', 'c.chg.bad', '.d.tmp'])
            fs.writeFileSync(path.join(spool, n), 'x');
        node_assert_1.strict.deepEqual((await status()).spool, { waiting: 2, refused: 1 });
        const text = await (0, cli_1.runCli)(['status'], { dataDir: dir });
        node_assert_1.strict.match(text.stdout, /spool: +2 waiting for the service, 1 refused/);
    });
    it('follows the PAM stack: not-installed, then active once the module is optional in it, faulted once its file is gone', async () => {
        (0, cli_1.assertExit)(await (0, cli_1.runCli)(['reconcile', '--once', '--json'], { dataDir: dir }), 0, 'reconcile --once (creates the install)');
        let s = await status();
        node_assert_1.strict.equal(s.serviceRunning, false);
        node_assert_1.strict.equal(s.filter.state, 'not-installed');
        const so = path.join(pam.dir, 'pam_pwbridge.so');
        fs.writeFileSync(so, '');
        fs.writeFileSync(path.join(pam.dir, 'common-password'), `password [success=1 default=ignore] pam_unix.so obscure yescrypt\npassword requisite pam_deny.so\npassword required pam_permit.so\npassword optional ${so}\n`);
        s = await status();
        node_assert_1.strict.equal(s.filter.state, 'active', s.filter.reason);
        node_assert_1.strict.match(s.filter.reason, /common-password/);
        fs.rmSync(so);
        s = await status();
        node_assert_1.strict.equal(s.filter.state, 'faulted');
        node_assert_1.strict.match(s.filter.reason, /missing|not found|does not exist/i);
    });
});
describe('pwbridge selftest (CLI) when the service is not there', function () {
    this.timeout(60_000);
    let dir;
    let cleanup;
    beforeEach(async () => {
        ({ dir, cleanup } = (0, cli_1.tempDataDir)({ machine: 'TESTHOST' }));
        // An install whose service is not running: keys and journal exist.
        (0, cli_1.assertExit)(await (0, cli_1.runCli)(['reconcile', '--once', '--json'], { dataDir: dir }), 0, 'reconcile --once (creates the install)');
    });
    afterEach(() => cleanup());
    it('nothing listening: exit 1, says the service is not reachable', async () => {
        const r = await (0, cli_1.runCli)(['selftest'], { dataDir: dir });
        node_assert_1.strict.equal(r.code, 1);
        node_assert_1.strict.match(r.stdout, /FAILED: the service is not reachable/);
    });
    it('a squatter on the socket that cannot prove the secret: exit 1, says it is not this install\'s bridge', async () => {
        const socketPath = path.join(dir, 'run', 'capture.sock');
        fs.mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
        const got = [];
        const squatter = net.createServer((c) => {
            c.write((0, frame_1.encodeFrame)(constants_1.MessageType.CHALLENGE, 1n, (0, node_crypto_1.randomBytes)(32)));
            c.on('data', (d) => {
                got.push(d);
                c.write((0, frame_1.encodeFrame)(constants_1.MessageType.HELLO_ACK, 2n, Buffer.alloc(4), (0, node_crypto_1.randomBytes)(32)));
            });
        });
        await new Promise((r) => squatter.listen(socketPath, () => r()));
        try {
            const r = await (0, cli_1.runCli)(['selftest', '--json'], { dataDir: dir });
            node_assert_1.strict.equal(r.code, 1);
            const [res] = (0, cli_1.jsonLines)(r);
            node_assert_1.strict.equal(res.ok, false);
            node_assert_1.strict.match(res.detail, /not this install's bridge/);
            node_assert_1.strict.ok(Buffer.concat(got).length > 0, 'the squatter saw the HELLO, and nothing more is sent to it');
        }
        finally {
            squatter.close();
        }
    });
});
//# sourceMappingURL=status.test.js.map