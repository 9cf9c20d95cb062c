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
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const keys_1 = require("../../src/protocol/keys");
const constants_1 = require("../../src/protocol/constants");
const open_1 = require("../../src/service/open");
const bridge_harness_1 = require("../helpers/bridge-harness");
const capture_client_1 = require("../helpers/capture-client");
const tmp_1 = require("../helpers/tmp");
const repo_root_1 = require("../vectors/repo-root");
const bootId = () => Buffer.from(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/-/g, ''), 'hex');
async function waitFor(p, ms) {
    const until = Date.now() + ms;
    while (!fs.existsSync(p)) {
        if (Date.now() > until)
            throw new Error(`${p} did not appear within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
describe('crash and restart: nothing lost, nothing applied twice', function () {
    this.timeout(90_000);
    it('SIGKILL right after the acks; the restarted service applies every acked event exactly once', async () => {
        const tmp = (0, tmp_1.makeTempDir)();
        const dataDir = tmp.dir;
        fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({
            machine: 'TESTHOST', client: 'Acme', reconcileInterval: '1h', pamDir: path.join(dataDir, 'none'),
        }));
        const vault = await (0, open_1.openVaultAt)(dataDir);
        await vault.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
        await vault.close();
        const child = (0, node_child_process_1.spawn)(process.execPath, [path.join((0, repo_root_1.repoRoot)(), 'bin/pwbridge'), '--data-dir', dataDir, 'run'], { stdio: ['ignore', 'ignore', 'pipe'] });
        const exited = new Promise((r) => child.once('exit', (code) => r(code)));
        const socketPath = path.join(dataDir, 'run', 'capture.sock');
        await waitFor(socketPath, 20_000);
        const keys = (0, keys_1.loadKeys)(path.join(dataDir, 'keys'));
        const client = await capture_client_1.CaptureClient.connect(socketPath, { secret: keys.secret, bridgePub: keys.publicKey, bootId: bootId(), machine: 'TESTHOST' });
        // 2,000 changes over 40 accounts; the last password sent per account is what the vault must end with.
        const last = new Map();
        const sent = [];
        const acks = [];
        for (let i = 0; i < 2000; i++) {
            const account = `user${i % 40}`;
            const password = `pass-${i}-${account}`;
            last.set(account, password);
            const s = client.send({ account, encoding: constants_1.Encoding.raw, password: Buffer.from(password) });
            sent.push(s.eventIdHex);
            acks.push(s.acked);
        }
        await Promise.all(acks);
        child.kill('SIGKILL'); // mid-processing: some entries applied, others only journaled
        await exited;
        client.destroy();
        const h = await (0, bridge_harness_1.startHarness)({ dir: dataDir });
        try {
            await h.bridge.drain();
            const j = h.install.state.journal;
            node_assert_1.strict.equal(j.depth(), 0, 'nothing left pending');
            for (const id of sent) {
                const e = j.get(id);
                node_assert_1.strict.ok(e, `event ${id} is in the journal`);
                node_assert_1.strict.notEqual(e.state, 'pending');
            }
            for (const [account, password] of last) {
                const cred = await h.install.vault.findCredential('Acme', `TESTHOST\\${account}`);
                node_assert_1.strict.ok(cred, `credential for ${account}`);
                node_assert_1.strict.equal((await h.install.vault.readPassword(cred.id)).toString(), password);
            }
            await h.install.events.flush();
            const applied = [
                ...(await h.install.vault.queryEvents({ kind: 'change-synced', limit: 100_000 })),
                ...(await h.install.vault.queryEvents({ kind: 'credential-created', limit: 100_000 })),
            ];
            const perTrace = new Map();
            for (const e of applied)
                perTrace.set(e.traceId, (perTrace.get(e.traceId) ?? 0) + 1);
            for (const [trace, n] of perTrace)
                node_assert_1.strict.equal(n, 1, `event ${trace} applied ${n} times`);
            node_assert_1.strict.equal((await h.install.vault.listCredentials('Acme')).length, 40);
        }
        finally {
            await h.destroy();
        }
    });
});
//# sourceMappingURL=crash-restart.test.js.map