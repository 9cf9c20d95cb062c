"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// A vault password the local policy refuses (PolicyRefusedError from the account port) becomes the
// `policy-refused` flag and one event, not a set retried on every pass; a new vault password clears it.
const node_assert_1 = require("node:assert");
const account_port_1 = require("../../src/ports/account.port");
const reconcile_1 = require("../../src/reconcile/reconcile");
const fakes_1 = require("../helpers/fakes");
function world() {
    const clock = new fakes_1.FakeClock();
    const vault = new fakes_1.FakeVault(clock);
    const accounts = new fakes_1.FakeAccounts('HOST1');
    const events = new fakes_1.FakeEvents();
    void vault.addClient({ name: 'acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change' });
    const deps = { vault, accounts, state: new fakes_1.FakeState(), echo: new fakes_1.FakeEcho(), events, journal: new fakes_1.FakeJournal() };
    const opts = { machine: 'HOST1', client: 'acme', echoTtlMs: 30_000, now: clock.now };
    return { vault, accounts, events, pass: () => (0, reconcile_1.reconcileOnce)(deps, opts) };
}
describe('reconcile: a password the local policy refuses', () => {
    it('is flagged policy-refused once, and not set again until the vault has a new password', async () => {
        const w = world();
        w.accounts.add('dana', 'local');
        const cred = await w.vault.addCredential({ client: 'acme', username: 'HOST1\\dana', password: Buffer.from('abc'), windowsSync: true, mode: 'change' });
        w.accounts.failSet = new account_port_1.PolicyRefusedError('dana', 'NetValidatePasswordPolicy: NERR_PasswordTooShort');
        const r1 = await w.pass();
        node_assert_1.strict.equal(r1.failed, 1);
        node_assert_1.strict.deepEqual([...(w.vault.creds.get(cred.id)?.flags ?? [])].sort(), ['mismatch', 'policy-refused']);
        const ev = w.events.of('policy-refused');
        node_assert_1.strict.equal(ev.length, 1);
        node_assert_1.strict.equal(ev[0].outcome, 'flagged');
        node_assert_1.strict.match(ev[0].reason ?? '', /NERR_PasswordTooShort.*vault version 1/);
        node_assert_1.strict.equal(w.events.of('password-set').length, 0, 'a refusal is not reported as a failed set');
        for (let i = 0; i < 3; i++) {
            const r = await w.pass();
            node_assert_1.strict.equal(r.unchanged, 1, `pass ${i + 2} leaves it alone`);
        }
        node_assert_1.strict.equal(w.accounts.calls.setPassword, 1, 'no retry loop');
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, 1);
        node_assert_1.strict.equal(w.events.of('policy-refused').length, 1);
        // Someone puts a password the policy accepts into the vault: verified, set, both flags cleared.
        w.accounts.failSet = undefined;
        w.vault.changeInVault(cred.id, 'a-much-longer-password');
        const r5 = await w.pass();
        node_assert_1.strict.equal(r5.set, 1);
        node_assert_1.strict.equal(w.accounts.password('dana'), 'a-much-longer-password');
        node_assert_1.strict.deepEqual(w.vault.creds.get(cred.id)?.flags, []);
    });
    it('any other failure still retries on the next pass (it may be passing)', async () => {
        const w = world();
        w.accounts.add('erik', 'local');
        await w.vault.addCredential({ client: 'acme', username: 'HOST1\\erik', password: Buffer.from('vault'), windowsSync: true, mode: 'change' });
        w.accounts.failSet = new Error('NetUserSetInfo failed: ERROR_ACCESS_DENIED');
        await w.pass();
        await w.pass();
        node_assert_1.strict.equal(w.accounts.calls.setPassword, 2);
        node_assert_1.strict.equal(w.events.of('policy-refused').length, 0);
    });
});
//# sourceMappingURL=policy-refused.test.js.map