"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// What an agent does when a credential it knew is deleted on the hub. With a real in-process hub (SQLite)
// and the agent's own HttpVault on its token: the push-down loop (src/service/push-down.ts) runs one pass
// for the delete and then waits again (no loop, no error); the pass no longer touches the deleted
// credential's account, and where a shared `user` of the same name exists that one now governs the account
// (MACHINE\user wins only while it exists). The accounts and the state store are the unit tests' fakes: the
// account side is not what is under test here. Then the capture path, on the FakeVault (it passes the vault
// contract): a change captured for a deleted credential, and one whose credential is deleted between the
// lookup and the write, end closed as an unknown account (one retry for the race), never dead or looping.
const node_assert_1 = require("node:assert");
const pino_1 = __importDefault(require("pino"));
const reconcile_1 = require("../../src/reconcile/reconcile");
const push_down_1 = require("../../src/service/push-down");
const http_vault_1 = require("../../src/vault/http.vault");
const fakes_1 = require("../helpers/fakes");
const hub_1 = require("../helpers/hub");
const world_1 = require("../pipeline/world");
const b64 = (s) => Buffer.from(s).toString('base64');
async function until(what, ok, ms = 8000) {
    const end = Date.now() + ms;
    while (!ok()) {
        if (Date.now() > end)
            node_assert_1.strict.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
describe('agent: a credential deleted on the hub', function () {
    this.timeout(60_000);
    let t;
    let operator;
    let agentVault;
    let push;
    const accounts = new fakes_1.FakeAccounts('WS01');
    const events = new fakes_1.FakeEvents();
    const reports = [];
    const vault = (method, body) => operator.request('POST', `/api/vault/${method}`, body);
    before(async () => {
        t = await (0, hub_1.startTestHub)('sqlite');
        operator = t.client(await t.token());
        node_assert_1.strict.equal((await vault('addClient', { client: { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change' } })).status, 200);
        for (const [username, pw] of [['WS01\\alice', 'alice-machine'], ['WS01\\carol', 'carol-machine'], ['carol', 'carol-shared'], ['bob', 'bob-shared']]) {
            const r = await vault('addCredential', { credential: { client: 'Acme', username, password: b64(pw), windowsSync: true, mode: 'change' } });
            node_assert_1.strict.equal(r.status, 200, JSON.stringify(r.body));
        }
        const enrolled = await operator.request('POST', '/api/agents', { client: 'Acme', machine: 'WS01' });
        agentVault = http_vault_1.HttpVault.open({ url: t.hub.url, fingerprint: t.hub.certificate.fingerprint }, enrolled.body.token);
        accounts.add('alice', 'local-a').add('bob', 'local-b').add('carol', 'local-c');
    });
    after(async () => {
        await push?.stop();
        await agentVault?.close();
        await t?.close();
    });
    it('push-down runs one pass for the delete, then waits; the pass leaves the account alone or hands it to the shared credential', async () => {
        const clock = new fakes_1.FakeClock(Date.now());
        const deps = { vault: agentVault, accounts, state: new fakes_1.FakeState(), echo: new fakes_1.FakeEcho(), events };
        const pass = async () => {
            const r = await (0, reconcile_1.reconcileOnce)(deps, { machine: 'WS01', client: 'Acme', echoTtlMs: 30_000, now: clock.now });
            reports.push(r);
            return r;
        };
        push = (0, push_down_1.startPushDown)(agentVault, pass, (0, pino_1.default)({ level: 'silent' }));
        await until('the connect pass', () => reports.length === 1);
        node_assert_1.strict.equal(reports[0].set, 3, JSON.stringify(reports[0]));
        node_assert_1.strict.equal(accounts.password('alice'), 'alice-machine');
        node_assert_1.strict.equal(accounts.password('carol'), 'carol-machine', 'WS01\\carol wins over the shared carol');
        node_assert_1.strict.equal(accounts.password('bob'), 'bob-shared');
        // The operator deletes WS01\alice (no shared alice) and WS01\carol (a shared carol exists).
        node_assert_1.strict.equal((await vault('deleteCredential', { client: 'Acme', username: 'WS01\\alice' })).status, 200);
        node_assert_1.strict.equal((await vault('deleteCredential', { client: 'Acme', username: 'WS01\\carol' })).status, 200);
        await until('a pass after the deletes', () => reports.some((r, i) => i > 0 && r.items.some((it) => it.username === 'carol')));
        // One pass for each delete at most (the two may fall into one answer), then quiet: no loop.
        await new Promise((r) => setTimeout(r, 2000));
        const after = reports.slice(1);
        node_assert_1.strict.ok(after.length >= 1 && after.length <= 2, `${after.length} passes after the deletes`);
        const last = after[after.length - 1];
        node_assert_1.strict.equal(last.failed, 0);
        node_assert_1.strict.equal(last.reason, undefined);
        node_assert_1.strict.ok(!last.items.some((it) => it.username.toLowerCase().includes('alice')), 'the deleted credential is not looked at');
        node_assert_1.strict.equal(accounts.password('alice'), 'alice-machine', 'the account keeps the password it had; nothing resets it');
        node_assert_1.strict.equal(accounts.password('carol'), 'carol-shared', 'the shared carol now governs the account (Change Password)');
        node_assert_1.strict.deepEqual(events.of('reconcile-error'), []);
    });
    it('a change captured for a deleted credential is closed as an unknown account, not retried', async () => {
        const w = (0, world_1.world)();
        await w.cred('HOST1\\alice', 'v1');
        await w.vault.deleteCredential('acme', 'HOST1\\alice');
        w.clock.advance(10);
        const id = w.change('alice', 'local');
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'done');
        node_assert_1.strict.equal(w.journal.get(id)?.attempts, 0);
        node_assert_1.strict.equal(w.events.forTrace(id)[0].reason, 'unknown account, auto-create off');
        node_assert_1.strict.equal(w.vault.calls.setPasswordFromCapture, 0);
    });
    it('a credential deleted between the lookup and the write: one retry, then closed as an unknown account', async () => {
        const w = (0, world_1.world)();
        await w.cred('HOST1\\alice', 'v1');
        w.clock.advance(10);
        const id = w.change('alice', 'local');
        const write = w.vault.setPasswordFromCapture.bind(w.vault);
        w.vault.setPasswordFromCapture = async (...args) => {
            await w.vault.deleteCredential('acme', 'HOST1\\alice');
            return write(...args);
        };
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'pending');
        node_assert_1.strict.equal(w.journal.get(id)?.attempts, 1);
        node_assert_1.strict.match(w.journal.get(id)?.lastError ?? '', /does not exist/);
        w.clock.advance(60_000);
        await w.proc.drain();
        node_assert_1.strict.equal(w.journal.get(id)?.state, 'done');
        node_assert_1.strict.deepEqual(w.events.forTrace(id).map((e) => e.kind), ['delivery-retry', 'change-ignored']);
        node_assert_1.strict.equal(w.vault.calls.setPasswordFromCapture, 1, 'written once (refused), never again');
    });
});
//# sourceMappingURL=credential-deleted-agent.test.js.map