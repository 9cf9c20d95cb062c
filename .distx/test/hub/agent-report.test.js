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
// The agent against a real hub (in this process, real HTTPS, SQLite), enrolled with the real `pwbridge
// setup`, running the real bridge (harness: real socket, journal, capture protocol):
// - its machine row on the hub (what the dashboard shows): client, filter state, journal depth, last seen;
// - a revoked agent token (the machine enrolled again): one clear report, no hammering, nothing lost, and
//   delivery resumes by itself once setup has stored a new token.
const node_assert_1 = require("node:assert");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const constants_1 = require("../../src/protocol/constants");
const bridge_harness_1 = require("../helpers/bridge-harness");
const hub_1 = require("../helpers/hub");
const tmp_1 = require("../helpers/tmp");
const cli_1 = require("../cli/cli");
const canary = (what) => Buffer.from(`${what}-canary-${(0, node_crypto_1.randomBytes)(6).toString('hex')}`);
describe('agent ↔ hub: machine report and a refused agent token (real hub, real setup, real bridge)', function () {
    this.timeout(120_000);
    let t;
    let h;
    let dir;
    let adminToken;
    const machines = async () => t.hub.vault.listMachines();
    const row = async () => (await machines()).find((m) => m.name === 'WS01');
    const setup = async () => (0, cli_1.assertExit)(await (0, cli_1.runCli)(['setup', '--hub', t.hub.url, '--insecure-fingerprint', t.hub.certificate.fingerprint, '--client', 'Acme'], { dataDir: dir, stdin: `${hub_1.ADMIN}\n${hub_1.ADMIN_PASSWORD}\n` }), 0, 'setup');
    /** The hub's own log: requests it answered with this status. */
    const answered = (status) => fs.readFileSync(t.logFile, 'utf8').split('\n')
        .filter((l) => l.includes('"msg":"request"') && JSON.parse(l).status === status).length;
    const status = async () => {
        const r = await (0, cli_1.runCli)(['status', '--json'], { dataDir: dir });
        (0, cli_1.assertExit)(r, 0, 'status');
        return JSON.parse(r.stdout);
    };
    const logLines = () => fs.readFileSync(h.install.paths.logFile, 'utf8');
    before(async () => {
        t = await (0, hub_1.startTestHub)('sqlite');
        adminToken = await t.token();
        const admin = t.client(adminToken);
        const r = await admin.request('POST', '/api/vault/addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' } });
        node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
        dir = (0, tmp_1.makeTempDir)('pwbridge-agent-report-').dir;
        fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ machine: 'WS01', reconcileInterval: '1h', pamDir: path.join(dir, 'no-pam.d') }));
        await setup();
        h = await (0, bridge_harness_1.startHarness)({ dir });
    });
    after(async () => {
        await h?.destroy();
        await t?.close();
    });
    it('reports its machine at start: the enrolment row gets the client, the filter state status computes and the journal depth', async () => {
        const r = await (0, cli_1.pollUntil)('the row reported', async () => {
            const m = await row();
            return m && m.filterState !== 'unknown' ? m : undefined; // enrolment wrote "unknown"
        }, 10_000);
        node_assert_1.strict.equal(r.client, 'Acme');
        node_assert_1.strict.equal(r.filterState, (await status()).filter.state);
        node_assert_1.strict.equal(r.journalDepth, 0);
    });
    it('after a capture batch the row shows the filter active (the hello) and last seen moves on; held entries count as depth', async () => {
        const before = (await row()).lastSeen;
        await (0, cli_1.sleep)(20);
        const c = await h.connect();
        await c.send({ account: 'alice', encoding: constants_1.Encoding.raw, password: canary('alice') }).acked;
        const r = await (0, cli_1.pollUntil)('active on the hub', async () => {
            const m = await row();
            return m?.filterState === 'active' ? m : undefined;
        }, 10_000);
        node_assert_1.strict.ok(r.lastSeen > before, `last seen ${r.lastSeen} after ${before}`);
        c.destroy();
        await h.bridge.drain();
        // An entry waiting out a backoff is depth: one received "in an hour" is pending and not due.
        h.install.state.journal.append([{
                eventId: (0, node_crypto_1.randomBytes)(16).toString('hex'), machine: 'WS01', account: 'later', accountId: 1001,
                capturedAt: Date.now(), receivedAt: Date.now() + 3_600_000, encoding: 1, sealed: (0, node_crypto_1.randomBytes)(80),
            }]);
        node_assert_1.strict.equal(await h.bridge.reportMachine(), true);
        node_assert_1.strict.equal((await row()).journalDepth, 1);
        node_assert_1.strict.equal((await status()).journalDepth, 1);
    });
    it('a revoked token: one clear report (event, log, status), requests held back, captures kept; a new setup resumes delivery with nothing lost', async () => {
        // Enrolling the machine again revokes the token the running agent holds.
        const again = await t.client(adminToken).request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
        node_assert_1.strict.equal(again.status, 200);
        const refusedBefore = answered(401);
        const c = await h.connect();
        const pw = canary('bob');
        await c.send({ account: 'bob', encoding: constants_1.Encoding.raw, password: pw }).acked;
        await h.bridge.drain();
        node_assert_1.strict.equal(await h.bridge.reportMachine(), false);
        await (0, cli_1.pollUntil)('the refusal in the log', () => /the hub refused this machine's agent token \(401/.test(logLines()) || undefined, 5_000);
        const s = await status();
        node_assert_1.strict.match(s.hub.refused.reason, /the hub refused this machine's agent token \(401: .*\): re-run pwbridge setup --hub https:\/\/127\.0\.0\.1:\d+/);
        node_assert_1.strict.ok(s.hub.refused.retryAt - s.hub.refused.at >= 5 * 60_000 - 1, 'the next try is minutes away');
        const bob = h.install.state.journal.pendingFor('bob');
        node_assert_1.strict.equal(bob.length, 1, 'kept in the journal');
        node_assert_1.strict.ok(bob[0].nextAttemptAt - Date.now() > 4 * 60_000, `held for minutes, not retried hot (${bob[0].nextAttemptAt - Date.now()} ms)`);
        const refusedOnce = answered(401) - refusedBefore;
        node_assert_1.strict.ok(refusedOnce >= 1 && refusedOnce <= 3, `401s while finding out: ${refusedOnce}`);
        // Everything the agent does now is held back without a request: more captures, reports, a reconcile pass.
        for (let i = 0; i < 5; i++) {
            await c.send({ account: `carol${i}`, encoding: constants_1.Encoding.raw, password: canary('carol') }).acked;
            await h.bridge.drain();
            node_assert_1.strict.equal(await h.bridge.reportMachine(), false);
        }
        await h.bridge.reconcileNow().catch(() => undefined);
        await (0, cli_1.sleep)(1500);
        node_assert_1.strict.equal(answered(401) - refusedBefore, refusedOnce, 'no request reached the hub with the refused token');
        node_assert_1.strict.equal(h.install.state.journal.depth(), 1 + 1 + 5, 'the held entry, bob and five carols');
        node_assert_1.strict.equal((logLines().match(/"msg":"the hub refused this machine's agent token/g) ?? []).length, 1, 'one error log, not one per held request');
        const text = await (0, cli_1.runCli)(['status'], { dataDir: dir });
        node_assert_1.strict.match(text.stdout, /hub: +https:\/\/127\.0\.0\.1:\d+: REFUSED since .*re-run pwbridge setup/);
        c.destroy();
        // A new setup stores a new token; the running agent picks it up at its next request (the heartbeat's).
        await setup();
        node_assert_1.strict.equal(await h.bridge.reportMachine(), true);
        await h.bridge.drain();
        const admin = t.client(adminToken);
        for (const account of ['bob', 'carol0', 'carol4']) {
            const found = await admin.request('POST', '/api/vault/findCredential', { client: 'Acme', username: `WS01\\${account}` });
            node_assert_1.strict.ok(found.body.credential, `${account} delivered after the new setup`);
        }
        const read = await admin.request('POST', '/api/vault/readPassword', { credentialId: (await admin.request('POST', '/api/vault/findCredential', { client: 'Acme', username: 'WS01\\bob' })).body.credential.id });
        node_assert_1.strict.equal(Buffer.from(read.body.password, 'base64').toString(), pw.toString());
        // Every held entry fell due when the hub took the token again, the one received "in an hour" too
        // (its made-up sealed part cannot be opened: it is refused, not retried).
        node_assert_1.strict.equal(h.install.state.journal.depth(), 0);
        node_assert_1.strict.equal((await status()).hub.refused, undefined);
        node_assert_1.strict.match(logLines(), /the hub accepts this machine's agent token again; \d+ held journal entr/);
        await (0, cli_1.pollUntil)('depth 0 on the hub', async () => ((await row())?.journalDepth === 0 ? true : undefined), 10_000);
        // No token, no password in the agent's log or the hub's.
        const token = fs.readFileSync(h.install.paths.agentToken, 'utf8').trim();
        for (const text2 of [logLines(), fs.readFileSync(t.logFile, 'utf8')]) {
            node_assert_1.strict.equal(text2.includes(token), false);
            node_assert_1.strict.equal(text2.includes(pw.toString()), false);
        }
    });
    it('a service that starts with a refused token starts anyway (no restart loop), says so, and resumes after setup', async () => {
        await h.stop();
        const again = await t.client(adminToken).request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
        node_assert_1.strict.equal(again.status, 200);
        h = await (0, bridge_harness_1.startHarness)({ dir });
        const s = await (0, cli_1.pollUntil)('the refusal in status', async () => (await status()).hub.refused, 5_000);
        node_assert_1.strict.match(s.reason, /refused this machine's agent token \(401/);
        const c = await h.connect();
        await c.send({ account: 'dave', encoding: constants_1.Encoding.raw, password: canary('dave') }).acked;
        c.destroy();
        await h.bridge.drain();
        node_assert_1.strict.equal(h.install.state.journal.pendingFor('dave').length, 1, 'kept');
        await setup();
        node_assert_1.strict.equal(await h.bridge.reportMachine(), true);
        await h.bridge.drain();
        const found = await t.client(adminToken).request('POST', '/api/vault/findCredential', { client: 'Acme', username: 'WS01\\dave' });
        node_assert_1.strict.ok(found.body.credential, 'delivered after the new setup');
        node_assert_1.strict.equal((await status()).hub.refused, undefined);
    });
});
//# sourceMappingURL=agent-report.test.js.map