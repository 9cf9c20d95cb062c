"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Deleting a credential through the hub, on SQLite and PostgreSQL: an operator may (the credential-deleted
// event names it, its client and who, and carries no password); a viewer and an agent token may not, not even
// the agent's own machine's credential, and each refusal is recorded; an unknown one is a 404 naming it.
// After a delete the agent's push-down cursor moves (its listing no longer has the credential).
const node_assert_1 = require("node:assert");
const hub_1 = require("../helpers/hub");
const OP = 'olivia';
const OP_PW = 'Operator-Pw-canary-3a7e';
const VIEWER = 'victor';
const VIEWER_PW = 'Viewer-Pw-canary-6c1d';
const SECRET = 'Cred-Pw-canary-d4b9';
const b64 = (s) => Buffer.from(s).toString('base64');
for (const engine of ['sqlite', 'postgres']) {
    describe(`hub: deleting a credential (${engine})`, function () {
        this.timeout(60_000);
        let t;
        let operator;
        let viewer;
        let agent;
        const vault = (c, method, body) => c.request('POST', `/api/vault/${method}`, body);
        const names = async () => (await vault(operator, 'listCredentials', { client: 'Acme' })).body.credentials
            .map((c) => c.username);
        const events = async (kind) => (await vault(operator, 'queryEvents', { query: { kind } })).body.events;
        before(async () => {
            t = await (0, hub_1.startTestHub)(engine);
            await t.addUser(OP, 'operator', ['setup-ad-sync'], OP_PW);
            await t.addUser(VIEWER, 'viewer', [], VIEWER_PW);
            operator = t.client(await t.token(OP, OP_PW));
            viewer = t.client(await t.token(VIEWER, VIEWER_PW));
            const r = await vault(operator, 'addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change' } });
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            for (const username of ['WS01\\alice', 'bob', 'WS01\\dave']) {
                const c = await vault(operator, 'addCredential', { credential: { client: 'Acme', username, password: b64(SECRET), windowsSync: true, mode: 'change' } });
                node_assert_1.strict.equal(c.status, 200, JSON.stringify(c.body));
            }
            const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
            node_assert_1.strict.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
            agent = t.client(enrolled.body.token);
        });
        after(async () => t?.close());
        it('a viewer is refused (403, recorded) and nothing is deleted', async () => {
            const r = await vault(viewer, 'deleteCredential', { client: 'Acme', username: 'bob' });
            node_assert_1.strict.equal(r.status, 403);
            node_assert_1.strict.match(r.body.error.message, /user "victor" \(viewer\) may not delete credential "bob" of client "Acme"/);
            const refused = await events('access-refused');
            node_assert_1.strict.ok(refused.some((e) => e.account === 'bob' && /victor.*may not delete/.test(String(e.reason))), 'the refusal is recorded');
            node_assert_1.strict.ok((await names()).includes('bob'));
        });
        it('an agent token is refused even for its own machine\'s credential, and the refusal is recorded', async () => {
            const own = await vault(agent, 'deleteCredential', { client: 'Acme', username: 'WS01\\alice' });
            node_assert_1.strict.equal(own.status, 403);
            node_assert_1.strict.match(own.body.error.message, /agent "WS01" \(client "Acme"\) may not delete credential "WS01\\alice"/);
            const shared = await vault(agent, 'deleteCredential', { client: 'Acme', username: 'bob' });
            node_assert_1.strict.equal(shared.status, 403);
            const refused = await events('access-refused');
            node_assert_1.strict.ok(refused.some((e) => e.account === 'WS01\\alice' && /agent "WS01".*may not delete/.test(String(e.reason))));
            node_assert_1.strict.deepEqual(await names(), ['WS01\\alice', 'bob', 'WS01\\dave']);
        });
        it('an operator deletes one; the credential-deleted event names it, its client and who, with no password', async () => {
            const before = (await agent.request('GET', '/api/changes')).body.cursor;
            const r = await vault(operator, 'deleteCredential', { client: 'acme', username: 'ws01\\DAVE' });
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
            node_assert_1.strict.equal(r.body.credential.username, 'WS01\\dave');
            node_assert_1.strict.equal(r.body.credential.client, 'Acme');
            node_assert_1.strict.deepEqual(await names(), ['WS01\\alice', 'bob']);
            const [e] = await events('credential-deleted');
            node_assert_1.strict.equal(e.machine, 'hub');
            node_assert_1.strict.equal(e.account, 'WS01\\dave');
            node_assert_1.strict.equal(e.credentialId, r.body.credential.id);
            node_assert_1.strict.equal(e.outcome, 'ok');
            node_assert_1.strict.match(String(e.reason), /credential "WS01\\dave" \(id \d+, mode change\) of client "Acme" deleted by user "olivia" \(operator\)/);
            node_assert_1.strict.doesNotMatch(JSON.stringify(e), new RegExp(SECRET));
            // The agent's push-down sees a change at once (no wait): its listing lost a credential.
            const after = await agent.request('GET', `/api/changes?after=${encodeURIComponent(before)}&waitMs=5000`);
            node_assert_1.strict.equal(after.body.changed, true);
            node_assert_1.strict.notEqual(after.body.cursor, before);
        });
        it('an unknown credential is a 404 naming it; an agent may not forge the event', async () => {
            const r = await vault(operator, 'deleteCredential', { client: 'Acme', username: 'nobody' });
            node_assert_1.strict.equal(r.status, 404);
            node_assert_1.strict.match(r.body.error.message, /credential "nobody" in client "Acme" does not exist/);
            const bad = await vault(operator, 'deleteCredential', { client: 'Acme' });
            node_assert_1.strict.equal(bad.status, 400);
            node_assert_1.strict.match(bad.body.error.message, /username/);
            const forged = await vault(agent, 'appendEvents', { events: [{ time: Date.now(), machine: 'WS01', kind: 'credential-deleted', outcome: 'ok' }] });
            node_assert_1.strict.equal(forged.status, 403);
            node_assert_1.strict.equal((await events('credential-deleted')).length, 1);
        });
    });
}
//# sourceMappingURL=credential-delete-api.test.js.map