"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// GET /api/changes, the hub's half of push-down: agent tokens only, at once without a cursor, held until
// a change that matters to the agent's machine (or the wait runs out), and blind to changes that do not.
const node_assert_1 = require("node:assert");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_1 = require("../helpers/hub");
describe('hub: GET /api/changes (push-down)', function () {
    this.timeout(30_000);
    let t;
    let admin;
    let agent;
    let adminToken;
    let agentToken;
    const pw = (s) => Buffer.from(s);
    before(async () => {
        t = await (0, hub_1.startTestHub)('sqlite');
        adminToken = await t.token();
        admin = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, adminToken);
        await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'change' });
        for (const username of ['shared', 'WS01\\own', 'WS02\\other']) {
            await admin.addCredential({ client: 'Acme', username, password: pw('Initial-1'), windowsSync: true, mode: 'change' });
        }
        const r = await t.client(adminToken).request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
        node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
        agentToken = r.body.token;
        agent = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, agentToken);
    });
    after(async () => {
        await agent?.close();
        await admin?.close();
        await t?.close();
    });
    it('refuses a user\'s session: changes are for agents', async () => {
        const r = await t.client(adminToken).request('GET', '/api/changes?after=&waitMs=0');
        node_assert_1.strict.equal(r.status, 403);
    });
    it('answers at once without a cursor, and after the wait with changed false when nothing changed', async () => {
        const first = await agent.waitForChanges('', 25_000);
        node_assert_1.strict.equal(first.changed, false);
        const t0 = Date.now();
        const again = await agent.waitForChanges(first.cursor, 600);
        node_assert_1.strict.deepEqual(again, { cursor: first.cursor, changed: false });
        node_assert_1.strict.ok(Date.now() - t0 >= 500, 'it waited');
    });
    it('wakes within a poll for the shared credential and the machine\'s own, not for another machine\'s or a flag', async () => {
        let { cursor } = await agent.waitForChanges('', 0);
        // Another machine's credential and a flag: the cursor stays.
        await admin.updateCredential('Acme', 'WS02\\other', { password: pw('Other-2') });
        const other = await admin.findCredential('Acme', 'shared');
        await admin.setFlag(other.id, 'mismatch', true);
        node_assert_1.strict.deepEqual(await agent.waitForChanges(cursor, 500), { cursor, changed: false });
        for (const change of [() => admin.updateCredential('Acme', 'shared', { password: pw('Shared-2') }),
            () => admin.updateCredential('Acme', 'WS01\\own', { mode: 'report' })]) {
            const waiting = agent.waitForChanges(cursor, 20_000);
            await new Promise((r) => setTimeout(r, 300));
            const t0 = Date.now();
            await change();
            const r = await waiting;
            node_assert_1.strict.equal(r.changed, true);
            node_assert_1.strict.notEqual(r.cursor, cursor);
            node_assert_1.strict.ok(Date.now() - t0 < 2_000, `woke ${Date.now() - t0} ms after the change`);
            cursor = r.cursor;
        }
    });
    it('an open long poll does not hold the hub\'s close: it is answered within a poll', async () => {
        const second = await t.second();
        const on2 = http_vault_1.HttpVault.open({ url: second.url, fingerprint: second.certificate.fingerprint }, agentToken);
        try {
            const { cursor } = await on2.waitForChanges('', 0);
            const waiting = on2.waitForChanges(cursor, 25_000).catch((e) => e);
            await new Promise((r) => setTimeout(r, 300));
            const t0 = Date.now();
            await second.close();
            const r = await waiting;
            node_assert_1.strict.ok(Date.now() - t0 < 3_000, `closing took ${Date.now() - t0} ms`);
            node_assert_1.strict.ok(r instanceof Error || r.changed === false, JSON.stringify(r));
        }
        finally {
            await on2.close();
        }
    });
});
//# sourceMappingURL=changes.test.js.map