"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// The hub's push-down watcher (src/hub/change-watch.ts) on both engines: a change written through another
// hub process on the same database wakes a poll held here; many open polls cost one signature query per
// tick and no credential reads while nothing changes; a change reaches exactly the polls it matters to.
const node_assert_1 = require("node:assert");
const change_watch_1 = require("../../src/hub/change-watch");
const http_vault_1 = require("../../src/vault/http.vault");
const hub_1 = require("../helpers/hub");
const pw = (s) => Buffer.from(s);
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub: push-down watcher (${engine})`, function () {
        this.timeout(60_000);
        let t;
        let other;
        let admin;
        let adminElsewhere;
        const agents = new Map();
        before(async () => {
            t = await (0, hub_1.startTestHub)(engine);
            other = await t.second();
            const token = await t.token();
            admin = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, token);
            adminElsewhere = http_vault_1.HttpVault.open({ url: other.url, fingerprint: other.certificate.fingerprint }, token);
            await admin.addClient({ name: 'Acme', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'change' });
            await admin.addClient({ name: 'Other', windowsSync: true, twoWaySync: false, autoCreate: false, defaultMode: 'change' });
            await admin.addCredential({ client: 'Acme', username: 'shared', password: pw('Initial-1'), windowsSync: true, mode: 'change' });
            await admin.addCredential({ client: 'Other', username: 'shared', password: pw('Initial-1'), windowsSync: true, mode: 'change' });
            for (let i = 0; i < 12; i++) {
                const machine = `WS${String(i).padStart(2, '0')}`;
                await admin.addCredential({ client: 'Acme', username: `${machine}\\own`, password: pw('Initial-1'), windowsSync: true, mode: 'change' });
                const r = await t.client(token).request('POST', '/api/agents', { client: 'Acme', machine });
                node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
                agents.set(machine, http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, r.body.token));
            }
        });
        after(async () => {
            for (const a of agents.values())
                await a.close();
            await adminElsewhere?.close();
            await admin?.close();
            await t?.close();
        });
        /** Every agent's current cursor, then a poll of each held open. */
        async function holdAll(waitMs) {
            const polls = new Map();
            for (const [m, a] of agents) {
                const { cursor } = await a.waitForChanges('', 0);
                polls.set(m, a.waitForChanges(cursor, waitMs).then((r) => ({ ...r, at: Date.now() })));
            }
            await new Promise((r) => setTimeout(r, 300)); // all of them held
            return polls;
        }
        it('a change written through another hub process wakes every poll held here that it matters to, and only those', async () => {
            const polls = await holdAll(6_000);
            const t0 = Date.now();
            await adminElsewhere.updateCredential('Acme', 'shared', { password: pw('Shared-2') });
            for (const [m, p] of polls) {
                const r = await p;
                node_assert_1.strict.equal(r.changed, true, `${m} woke`);
                node_assert_1.strict.ok(r.at - t0 < 2_000, `${m} woke ${r.at - t0} ms after the change`);
            }
            const again = await holdAll(2_000);
            await adminElsewhere.updateCredential('Acme', 'WS03\\own', { mode: 'report' });
            await adminElsewhere.updateCredential('Other', 'shared', { password: pw('Other-2') }); // another client: no one here
            for (const [m, p] of again)
                node_assert_1.strict.equal((await p).changed, m === 'WS03', `${m}: woke only for its own credential`);
        });
        it('a write straight into the database (no hub request at all) wakes a poll too', async () => {
            const a = agents.get('WS05');
            const { cursor } = await a.waitForChanges('', 0);
            const waiting = a.waitForChanges(cursor, 10_000);
            await new Promise((r) => setTimeout(r, 300));
            await other.vault.updateCredential('Acme', 'WS05\\own', { password: pw('Direct-3') });
            const r = await waiting;
            node_assert_1.strict.equal(r.changed, true);
            node_assert_1.strict.notEqual(r.cursor, cursor);
        });
        it('many held polls cost one signature query per tick and no credential reads while nothing changes', async () => {
            const store = t.hub.store;
            let signatures = 0;
            let states = 0;
            const counted = {
                changeSignatures: () => { signatures++; return store.changeSignatures(); },
                changeState: (client) => { states++; return store.changeState(client); },
            };
            const watch = new change_watch_1.ChangeWatch(counted, 50);
            try {
                const machines = [...agents.keys()];
                const cursors0 = await Promise.all(machines.map((m) => store.changeCursor('Acme', m)));
                const held = machines.map((m, i) => watch.wait({ client: 'Acme', machine: m }, cursors0[i], 1_000, () => false));
                // Polls that start while the watcher ticks take the client's credentials from its last read.
                await new Promise((r) => setTimeout(r, 300));
                const statesBefore = states;
                const more = await Promise.all(machines.map((m, i) => watch.wait({ client: 'Acme', machine: m }, cursors0[i], 200, () => false)));
                node_assert_1.strict.ok(more.every((a) => !a.changed));
                node_assert_1.strict.equal(states, statesBefore, 'no read for polls that start while the watcher ticks and nothing moved');
                const answers = await Promise.all(held);
                node_assert_1.strict.ok(answers.every((a) => !a.changed), 'nothing changed');
                // One read per poll as it started, and one for all of them at the watch's first tick (it has no baseline yet).
                node_assert_1.strict.ok(states <= machines.length + 1, `${states} reads of the credentials for ${machines.length} polls held 1 s`);
                // 1 s at 50 ms: about 20 ticks for all 12 polls together (not 12 × 20).
                node_assert_1.strict.ok(signatures >= 5 && signatures <= 30, `${signatures} signature queries`);
                // A change: the client's credentials are read once per tick for all of its polls.
                states = 0;
                const cursors = await Promise.all(machines.map((m) => store.changeCursor('Acme', m)));
                const woken = machines.map((m, i) => watch.wait({ client: 'Acme', machine: m }, cursors[i], 5_000, () => false));
                await new Promise((r) => setTimeout(r, 200));
                await other.vault.updateCredential('Acme', 'shared', { password: pw('Shared-4') });
                node_assert_1.strict.ok((await Promise.all(woken)).every((a) => a.changed));
                node_assert_1.strict.ok(states - machines.length <= 2, `${states - machines.length} reads of the credentials for ${machines.length} polls`);
            }
            finally {
                watch.close();
            }
        });
        it('a poll whose peer has gone, or a closing watch, is answered unchanged within a tick', async () => {
            const store = t.hub.store;
            const watch = new change_watch_1.ChangeWatch(store, 50);
            const cursor = await store.changeCursor('Acme', 'WS01');
            let gone = false;
            const leaving = watch.wait({ client: 'Acme', machine: 'WS01' }, cursor, 20_000, () => gone);
            const staying = watch.wait({ client: 'Acme', machine: 'WS02' }, await store.changeCursor('Acme', 'WS02'), 20_000, () => false);
            await new Promise((r) => setTimeout(r, 100));
            const t0 = Date.now();
            gone = true;
            node_assert_1.strict.deepEqual(await leaving, { cursor, changed: false });
            node_assert_1.strict.ok(Date.now() - t0 < 1_000);
            node_assert_1.strict.equal(watch.size, 1);
            watch.close();
            node_assert_1.strict.equal((await staying).changed, false);
            node_assert_1.strict.equal(watch.size, 0);
        });
    });
}
//# sourceMappingURL=change-watch.test.js.map