"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// HttpVault against a real in-process hub: capture times cross onto the hub's clock and credential times
// back onto the agent's (src/vault/hub-clock.ts), and a hub that stops answering and comes back is
// noticed by the adapter's own probe, with no other request (what wakes the journal after an outage).
const node_assert_1 = require("node:assert");
const pino_1 = __importDefault(require("pino"));
const server_1 = require("../../src/hub/server");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_1 = require("../helpers/hub");
describe('HttpVault and the hub: clocks and an outage', function () {
    this.timeout(30_000);
    it('an agent 10 minutes behind the hub: the hub stores a capture at its own time of it, and the agent reads back exactly the capture time it sent', async () => {
        const t = await (0, hub_1.startTestHub)('sqlite');
        const agentNow = () => Date.now() - 600_000;
        const vault = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token(), { now: agentNow });
        try {
            await vault.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
            const c = await vault.addCredential({ client: 'Acme', username: 'WS01\\alice', password: Buffer.from('initial-pw'), windowsSync: true, mode: 'report' });
            node_assert_1.strict.ok(Math.abs(c.passwordSetAt - agentNow()) < 5_000, 'the hub\'s time of the write, on the agent\'s clock');
            const capturedAt = agentNow() - 1_000;
            const r = await vault.setPasswordFromCapture(c.id, Buffer.from('captured-pw'), c.version, 'ab'.repeat(16), capturedAt);
            node_assert_1.strict.equal(r.applied, true);
            node_assert_1.strict.equal(r.credential.passwordSetAt, capturedAt);
            node_assert_1.strict.equal((await vault.findCredential('Acme', 'WS01\\alice'))?.passwordSetAt, capturedAt);
            const stored = (await t.hub.vault.findCredential('Acme', 'WS01\\alice')).passwordSetAt;
            node_assert_1.strict.ok(Math.abs(stored - (capturedAt + 600_000)) < 1_000, `stored on the hub's clock: ${stored - capturedAt} ms ahead`);
            node_assert_1.strict.ok(Math.abs(vault.clock.offsetMs - 600_000) < 1_000, `offset ${vault.clock.offsetMs}`);
        }
        finally {
            await vault.close();
            await t.close();
        }
    });
    it('a hub on the same clock: times cross unchanged', async () => {
        const t = await (0, hub_1.startTestHub)('sqlite');
        const vault = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
        try {
            await vault.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
            const c = await vault.addCredential({ client: 'Acme', username: 'WS01\\bob', password: Buffer.from('initial-pw'), windowsSync: true, mode: 'report' });
            await vault.setPasswordFromCapture(c.id, Buffer.from('captured-pw'), c.version, 'cd'.repeat(16), 1_700_000_000_123);
            node_assert_1.strict.equal((await t.hub.vault.findCredential('Acme', 'WS01\\bob')).passwordSetAt, 1_700_000_000_123);
            node_assert_1.strict.equal(vault.clock.offsetMs, 0);
        }
        finally {
            await vault.close();
            await t.close();
        }
    });
    it('a hub that stops answering and starts again is noticed by the probe alone (onReturn), once', async () => {
        const t = await (0, hub_1.startTestHub)('sqlite');
        const vault = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token(), { returnProbeMs: 100 });
        let returned = 0;
        vault.access.onReturn(() => returned++);
        let again;
        try {
            node_assert_1.strict.equal(await vault.getClient('nobody'), undefined);
            const port = t.hub.port;
            await t.hub.close();
            await node_assert_1.strict.rejects(vault.getClient('nobody'));
            await new Promise((r) => setTimeout(r, 400));
            node_assert_1.strict.equal(returned, 0, 'no return while the hub is away');
            again = await (0, server_1.startHub)({ dataDir: t.dataDir, host: '127.0.0.1', port, logger: (0, pino_1.default)({ level: 'silent' }) });
            const until = Date.now() + 5_000;
            while (returned === 0 && Date.now() < until)
                await new Promise((r) => setTimeout(r, 50));
            node_assert_1.strict.equal(returned, 1, 'the probe saw the hub back');
            node_assert_1.strict.equal(await vault.getClient('nobody'), undefined);
            node_assert_1.strict.equal(returned, 1, 'announced once');
        }
        finally {
            await vault.close();
            await again?.close();
            await t.close();
        }
    });
});
//# sourceMappingURL=hub-clock-and-return.test.js.map