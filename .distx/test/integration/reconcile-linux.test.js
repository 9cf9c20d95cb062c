"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const constants_1 = require("../../src/protocol/constants");
const bridge_harness_1 = require("../helpers/bridge-harness");
const users_1 = require("../platform/users");
const acme = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' };
const pw = (s) => Buffer.from(s, 'utf8');
/** The real Linux platform, counting verifications per account (lockout safety is about that number). */
function counting(verifications) {
    return (real) => ({
        ...real,
        accounts: {
            machine: real.accounts.machine,
            listAccounts: () => real.accounts.listAccounts(),
            getAccount: (n) => real.accounts.getAccount(n),
            setPassword: (n, p) => real.accounts.setPassword(n, p),
            verifyPassword: (n, p) => {
                verifications.set(n, (verifications.get(n) ?? 0) + 1);
                return real.accounts.verifyPassword(n, p);
            },
        },
    });
}
describe('reconcile against real local accounts (root, throwaway users)', function () {
    let h;
    let user;
    const verifications = new Map();
    before(function () {
        if (!users_1.isRoot)
            this.skip();
    });
    beforeEach(async () => {
        verifications.clear();
        user = (0, users_1.createUser)();
        (0, users_1.setPasswordDirect)(user, pw('local-pass-1'));
        h = await (0, bridge_harness_1.startHarness)({ clients: [acme], config: { client: 'Acme' }, platform: counting(verifications) });
    });
    afterEach(async () => {
        await h?.destroy();
        (0, users_1.removeUser)(user);
    });
    it('Report Mismatches: flags a mismatch, verifies only once while nothing changes, clears when they match', async () => {
        const v = h.install.vault;
        await v.addCredential({ client: 'Acme', username: `TESTHOST\\${user}`, password: pw('vault-pass-2'), windowsSync: true, mode: 'report' });
        const r1 = await h.bridge.reconcileNow();
        node_assert_1.strict.equal(r1.flagged, 1);
        node_assert_1.strict.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`)).flags, ['mismatch']);
        node_assert_1.strict.equal(await h.install.platform.accounts.verifyPassword(user, pw('local-pass-1')), true, 'report mode never touches the local password');
        const afterFirst = verifications.get(user);
        for (let i = 0; i < 3; i++) {
            const r = await h.bridge.reconcileNow();
            node_assert_1.strict.equal(r.unchanged, 1);
            node_assert_1.strict.equal(r.flagged + r.matched + r.set, 0);
        }
        node_assert_1.strict.equal(verifications.get(user), afterFirst, 'lockout-safe: no verification while nothing changed');
        await v.updateCredential('Acme', `TESTHOST\\${user}`, { password: pw('local-pass-1') });
        const r2 = await h.bridge.reconcileNow();
        node_assert_1.strict.equal(r2.matched, 1);
        node_assert_1.strict.ok(r2.cleared >= 1);
        node_assert_1.strict.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`)).flags, []);
    });
    it('a local password change (new fingerprint) is verified again, once', async () => {
        const v = h.install.vault;
        await v.addCredential({ client: 'Acme', username: `TESTHOST\\${user}`, password: pw('vault-pass-2'), windowsSync: true, mode: 'report' });
        await h.bridge.reconcileNow();
        const n = verifications.get(user) ?? 0;
        await new Promise((r) => setTimeout(r, 10));
        (0, users_1.setPasswordDirect)(user, pw('vault-pass-2'));
        const r = await h.bridge.reconcileNow();
        node_assert_1.strict.equal(verifications.get(user), n + 1);
        node_assert_1.strict.equal(r.matched, 1);
        node_assert_1.strict.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`)).flags, []);
    });
    it('Change Password: sets the local password to the vault\'s, and the capture\'s echo of that set is not pushed back', async () => {
        const v = h.install.vault;
        const cred = await v.addCredential({ client: 'Acme', username: `TESTHOST\\${user}`, password: pw('vault-pass-3'), windowsSync: true, mode: 'change' });
        const r = await h.bridge.reconcileNow();
        node_assert_1.strict.equal(r.set, 1);
        const accounts = h.install.platform.accounts;
        node_assert_1.strict.equal(await accounts.verifyPassword(user, pw('vault-pass-3')), true);
        node_assert_1.strict.equal(await accounts.verifyPassword(user, pw('local-pass-1')), false);
        node_assert_1.strict.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`)).flags, []);
        const again = await h.bridge.reconcileNow();
        node_assert_1.strict.equal(again.unchanged, 1, 'the set is remembered: the next pass has nothing to do');
        // The PAM module reports pwbridge's own chpasswd as a change: it must not come back as a local change.
        const c = await h.connect();
        const s = c.send({ account: user, encoding: constants_1.Encoding.raw, password: pw('vault-pass-3') });
        await s.acked;
        await h.bridge.drain();
        c.destroy();
        node_assert_1.strict.equal((await v.findCredential('Acme', `TESTHOST\\${user}`)).version, cred.version);
        await h.install.events.flush();
        const echo = await v.queryEvents({ kind: 'echo-suppressed' });
        node_assert_1.strict.equal(echo.length, 1);
        node_assert_1.strict.equal(echo[0].traceId, s.eventIdHex);
    });
    it('a shared credential applies when the machine has no credential of its own; one for another machine does not', async () => {
        const v = h.install.vault;
        await v.addCredential({ client: 'Acme', username: user, password: pw('shared-vault'), windowsSync: true, mode: 'report' });
        await v.addCredential({ client: 'Acme', username: `OTHERHOST\\${user}`, password: pw('local-pass-1'), windowsSync: true, mode: 'report' });
        const r = await h.bridge.reconcileNow();
        node_assert_1.strict.equal(r.flagged, 1, 'the shared credential was checked and mismatched');
        node_assert_1.strict.deepEqual((await v.findCredential('Acme', user)).flags, ['mismatch']);
        node_assert_1.strict.deepEqual((await v.findCredential('Acme', `OTHERHOST\\${user}`)).flags, []);
    });
});
//# sourceMappingURL=reconcile-linux.test.js.map