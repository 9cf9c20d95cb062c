"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The machine names the hub writes its own events under ("hub") cannot be enrolled: an agent reads and
// appends its own machine's events, so a machine called "hub" would read the hub's audit trail (logins,
// password reads, user changes). Against a real hub over HTTPS, on both engines; and a token enrolled
// under such a name before the rule (a row already in the database) no longer authenticates.
const node_assert_1 = require("node:assert");
const access_1 = require("../../src/hub/access");
const passwords_1 = require("../../src/hub/passwords");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_1 = require("../helpers/hub");
const OP = 'oscar';
const OP_PW = 'Operator-Pw-canary-2f71';
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub: reserved machine names (${engine})`, function () {
        this.timeout(60_000);
        let t;
        let session;
        before(async () => {
            t = await (0, hub_1.startTestHub)(engine);
            await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
            const admin = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, await t.token());
            await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: true, defaultMode: 'report' });
            await admin.close();
            session = await t.token(OP, OP_PW);
        });
        after(async () => t?.close());
        it('"hub" is the only name the hub gives its own events, and it is reserved', async () => {
            const machines = new Set((await t.hub.vault.queryEvents({ limit: 100_000 })).map((e) => e.machine));
            node_assert_1.strict.deepEqual([...machines], ['hub'], 'the logins and the user created above are the hub\'s own events');
            node_assert_1.strict.deepEqual(access_1.RESERVED_MACHINE_NAMES, ['hub']);
        });
        for (const name of ['hub', 'HUB', 'Hub']) {
            it(`enrolling machine "${name}" is refused (400) with a message naming the reserved name; nothing is stored`, async () => {
                const r = await t.client(session).request('POST', '/api/agents', { client: 'Acme', machine: name });
                node_assert_1.strict.equal(r.status, 400, JSON.stringify(r.body));
                node_assert_1.strict.equal(r.body.error.code, 'input');
                node_assert_1.strict.equal(r.body.error.message, `machine name "${name}" is reserved: the hub records its own events under "hub"; enrol this machine under another name (the "machine" setting of its config.json)`);
                node_assert_1.strict.deepEqual(await t.hub.store.sql.all('SELECT id FROM hub_agents'), []);
                node_assert_1.strict.equal((await t.hub.vault.queryEvents({ kind: 'agent-enrolled' })).length, 0);
            });
        }
        it('a name that only starts with it ("hub2") is enrolled as before, and reads none of the hub\'s events', async () => {
            const r = await t.client(session).request('POST', '/api/agents', { client: 'Acme', machine: 'hub2' });
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            const agent = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, r.body.token);
            try {
                const seen = await agent.queryEvents({ limit: 1000 });
                node_assert_1.strict.ok(seen.every((e) => e.machine === 'hub2'), JSON.stringify(seen));
            }
            finally {
                await agent.close();
            }
        });
        it('a token enrolled as "hub" before the rule is refused (401, saying why), so it reads none of the hub\'s events', async () => {
            const token = (0, passwords_1.newToken)('pwa');
            const client = await t.hub.store.sql.all('SELECT id FROM clients');
            await t.hub.store.sql.run('INSERT INTO hub_agents (token_hash, client_id, machine, machine_key, enrolled_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [(0, passwords_1.tokenHash)(token), client[0].id, 'hub', 'hub', OP, Date.now()]);
            const agent = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, token);
            try {
                await node_assert_1.strict.rejects(agent.queryEvents({ limit: 1000 }), (err) => {
                    node_assert_1.strict.ok(err instanceof http_vault_1.HubAccessError, String(err));
                    node_assert_1.strict.equal(err.status, 401);
                    node_assert_1.strict.match(err.message, /machine name "hub" is reserved/);
                    return true;
                });
            }
            finally {
                await agent.close();
            }
        });
    });
}
//# sourceMappingURL=reserved-machine.test.js.map