"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const node_assert_1 = require("node:assert");
const rxjs_1 = require("rxjs");
const reconcile_1 = require("../../src/reconcile/reconcile");
const fakes_1 = require("../helpers/fakes");
function world(client = {}) {
    const clock = new fakes_1.FakeClock();
    const vault = new fakes_1.FakeVault(clock);
    const accounts = new fakes_1.FakeAccounts('HOST1');
    const state = new fakes_1.FakeState();
    const echo = new fakes_1.FakeEcho();
    const events = new fakes_1.FakeEvents();
    const journal = new fakes_1.FakeJournal();
    void vault.addClient({ name: 'acme', windowsSync: client.windowsSync ?? true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
    const deps = { vault, accounts, state, echo, events, journal };
    const opts = { machine: 'HOST1', client: 'acme', echoTtlMs: 30_000, now: clock.now };
    const cred = (username, password, mode = 'report', windowsSync = true) => vault.addCredential({ client: 'acme', username, password: Buffer.from(password), windowsSync, mode });
    const pass = () => (0, reconcile_1.reconcileOnce)(deps, opts);
    return { clock, vault, accounts, state, echo, events, journal, deps, opts, cred, pass };
}
const actionOf = (r, id) => r.items.find((i) => i.credential === id)?.action;
describe('reconcile', () => {
    it('waits for another process\'s pass (the lease), and gives up with a reason rather than verify alongside it', async () => {
        const w = world();
        w.accounts.add('alice', 'local');
        await w.cred('HOST1\\alice', 'vault');
        w.state.tryLease('reconcile', 'the-service');
        const r = await (0, reconcile_1.reconcileOnce)(w.deps, { ...w.opts, leaseWaitMs: 150 });
        node_assert_1.strict.match(r.reason ?? '', /another reconcile pass/);
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, 0);
        setTimeout(() => w.state.releaseLease('reconcile', 'the-service'), 100);
        const r2 = await (0, reconcile_1.reconcileOnce)(w.deps, { ...w.opts, leaseWaitMs: 5000 });
        node_assert_1.strict.equal(r2.flagged, 1, 'ran once the other pass let go');
        node_assert_1.strict.equal(w.state.leases.size, 0, 'and let go itself');
    });
    it('never verifies or sets an excluded account (machine account, krbtgt, service account, configured name)', async () => {
        const w = world();
        for (const n of ['WS01$', 'krbtgt', 'pwbridge', 'backup', 'carol'])
            w.accounts.add(n, 'local');
        const ids = [];
        for (const n of ['WS01$', 'krbtgt', 'pwbridge', 'backup', 'carol'])
            ids.push((await w.cred(`HOST1\\${n}`, 'vault', 'change')).id);
        const r = await (0, reconcile_1.reconcileOnce)(w.deps, { ...w.opts, exclusions: { serviceAccount: 'PWBridge', exclude: ['Backup'] } });
        node_assert_1.strict.deepEqual(ids.map((id) => actionOf(r, id)), ['excluded', 'excluded', 'excluded', 'excluded', 'set']);
        node_assert_1.strict.equal(w.accounts.calls.setPassword, 1);
        node_assert_1.strict.equal(w.accounts.password('krbtgt'), 'local');
    });
    it('report mode: flags a mismatch, then clears the flag once the passwords match again', async () => {
        const w = world();
        w.accounts.add('alice', 'pwA').add('bob', 'pwB');
        const alice = await w.cred('HOST1\\alice', 'pwA');
        const bob = await w.cred('bob', 'vault-bob');
        const r1 = await w.pass();
        node_assert_1.strict.deepEqual([r1.checked, r1.matched, r1.flagged, r1.cleared], [2, 1, 1, 0]);
        node_assert_1.strict.equal(actionOf(r1, alice.id), 'matched');
        node_assert_1.strict.deepEqual(w.vault.creds.get(bob.id)?.flags, ['mismatch']);
        node_assert_1.strict.deepEqual(w.events.of('mismatch-flagged').map((e) => [e.outcome, e.credentialId]), [['flagged', bob.id]]);
        node_assert_1.strict.equal(w.accounts.password('bob'), 'pwB', 'report mode never touches the local password');
        w.accounts.change('bob', 'vault-bob');
        const r2 = await w.pass();
        node_assert_1.strict.deepEqual([r2.matched, r2.cleared, r2.unchanged], [1, 1, 1]);
        node_assert_1.strict.deepEqual(w.vault.creds.get(bob.id)?.flags, []);
        node_assert_1.strict.equal(w.events.of('mismatch-cleared').length, 1);
    });
    it('change mode: remembers the echo before setting the local password, then sees it unchanged', async () => {
        const w = world();
        w.accounts.add('carol', 'local-old');
        const carol = await w.cred('HOST1\\carol', 'from-vault', 'change');
        let echoKnownAtSet = false;
        const setPassword = w.accounts.setPassword.bind(w.accounts);
        w.accounts.setPassword = async (name, pw) => {
            echoKnownAtSet = w.echo.records.size === 1;
            return setPassword(name, pw);
        };
        const r1 = await w.pass();
        node_assert_1.strict.equal(r1.set, 1);
        node_assert_1.strict.equal(actionOf(r1, carol.id), 'set');
        node_assert_1.strict.equal(w.accounts.password('carol'), 'from-vault');
        node_assert_1.strict.ok(echoKnownAtSet, 'echo remembered before setPassword');
        node_assert_1.strict.equal(w.events.of('password-set')[0].outcome, 'ok');
        node_assert_1.strict.ok(w.echo.consume('carol', Buffer.from('from-vault'), w.clock.now()), 'the capture report of our write is an echo');
        const verifies = w.accounts.calls.verifyPassword;
        const r2 = await w.pass();
        node_assert_1.strict.deepEqual([r2.unchanged, r2.set], [1, 0]);
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, verifies, 'memo holds the new fingerprint: no verification');
        node_assert_1.strict.ok(w.vault.handedOut.every((b) => b.every((x) => x === 0)), 'vault passwords wiped');
    });
    it('change mode: a failed set logs, keeps the flag, and the next pass sets without verifying again', async () => {
        const w = world();
        w.accounts.add('dan', 'local');
        const dan = await w.cred('HOST1\\dan', 'vault', 'change');
        w.accounts.failSet = new Error('chpasswd: password rejected by policy');
        const r1 = await w.pass();
        node_assert_1.strict.equal(r1.failed, 1);
        node_assert_1.strict.deepEqual(w.vault.creds.get(dan.id)?.flags, ['mismatch']);
        node_assert_1.strict.deepEqual(w.events.of('password-set').map((e) => e.outcome), ['failed']);
        w.accounts.failSet = undefined;
        const r2 = await w.pass();
        node_assert_1.strict.equal(r2.set, 1);
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, 1, 'verified once in total');
        node_assert_1.strict.deepEqual(w.vault.creds.get(dan.id)?.flags, []);
        node_assert_1.strict.equal(r2.cleared, 1);
    });
    it('a second pass over unchanged credentials does no verification and reads each input once', async () => {
        const w = world();
        w.accounts.add('a', '1').add('b', '2');
        await w.cred('HOST1\\a', '1');
        await w.cred('b', 'different');
        await w.pass();
        const before = { ...w.accounts.calls, reads: w.vault.calls.readPassword };
        const r = await w.pass();
        node_assert_1.strict.deepEqual([r.checked, r.unchanged], [2, 2]);
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, before.verifyPassword);
        node_assert_1.strict.equal(w.vault.calls.readPassword, before.reads);
        node_assert_1.strict.equal(w.accounts.calls.listAccounts, 2);
        node_assert_1.strict.equal(w.state.allMemosCalls, 2);
    });
    it('verifies a wrong vault password at most once per (vault version, local fingerprint)', async () => {
        const w = world();
        w.accounts.add('eve', 'local');
        const eve = await w.cred('HOST1\\eve', 'wrong');
        for (let i = 0; i < 5; i++)
            await w.pass();
        node_assert_1.strict.equal(w.accounts.failedVerifications.length, 1);
        w.vault.changeInVault(eve.id, 'still-wrong');
        for (let i = 0; i < 3; i++)
            await w.pass();
        node_assert_1.strict.equal(w.accounts.failedVerifications.length, 2);
        w.accounts.change('eve', 'another-local');
        for (let i = 0; i < 3; i++)
            await w.pass();
        node_assert_1.strict.equal(w.accounts.failedVerifications.length, 3);
    });
    it('re-flags a known mismatch whose flag someone cleared, without verifying', async () => {
        const w = world();
        w.accounts.add('fay', 'local');
        const fay = await w.cred('HOST1\\fay', 'vault');
        await w.pass();
        await w.vault.setFlag(fay.id, 'mismatch', false);
        const r = await w.pass();
        node_assert_1.strict.equal(actionOf(r, fay.id), 'flagged');
        node_assert_1.strict.deepEqual(w.vault.creds.get(fay.id)?.flags, ['mismatch']);
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, 1);
    });
    it('applies MACHINE\\user over the shared user, ignores other machines, and reports missing accounts', async () => {
        const w = world();
        w.accounts.add('gus', 'g');
        const mine = await w.cred('host1\\GUS', 'g');
        const shared = await w.cred('gus', 'x');
        const other = await w.cred('OTHER\\gus', 'y');
        const ghost = await w.cred('ghost', 'z');
        const off = await w.cred('HOST1\\gus2', 'z', 'report', false);
        const r = await w.pass();
        node_assert_1.strict.equal(actionOf(r, mine.id), 'matched');
        node_assert_1.strict.equal(actionOf(r, shared.id), 'shadowed');
        node_assert_1.strict.equal(actionOf(r, other.id), undefined);
        node_assert_1.strict.equal(actionOf(r, ghost.id), 'no-local-account');
        node_assert_1.strict.equal(actionOf(r, off.id), 'sync-off');
        node_assert_1.strict.deepEqual([r.checked, r.skipped, r.failed], [1, 3, 0]);
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, 1);
    });
    it('does nothing when the client has windows sync off', async () => {
        const w = world({ windowsSync: false });
        w.accounts.add('a', '1');
        await w.cred('HOST1\\a', '2', 'change');
        const r = await w.pass();
        node_assert_1.strict.equal(r.reason, 'client windows sync off');
        node_assert_1.strict.equal(r.checked, 0);
        node_assert_1.strict.equal(w.accounts.calls.listAccounts, 0);
        node_assert_1.strict.equal(w.accounts.password('a'), '1');
    });
    it('leaves an account alone while a captured change for it is pending', async () => {
        const w = world();
        w.accounts.add('hal', 'new-local');
        const hal = await w.cred('HOST1\\hal', 'old-vault', 'change');
        (0, fakes_1.capture)(w.journal, w.clock, 'HAL', 'new-local');
        const r = await w.pass();
        node_assert_1.strict.equal(actionOf(r, hal.id), 'pending-capture');
        node_assert_1.strict.equal(w.accounts.password('hal'), 'new-local');
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, 0);
    });
    it('stores a summary of the pass', async () => {
        const w = world();
        w.accounts.add('a', '1');
        await w.cred('HOST1\\a', '1');
        await w.pass();
        const s = w.state.getValue('lastReconcile');
        node_assert_1.strict.equal(s?.checked, 1);
        node_assert_1.strict.equal(s?.matched, 1);
        node_assert_1.strict.equal(s?.items, undefined);
    });
    // The time it takes is the bench's business (reconcile_10k_unchanged_s); here, that it verifies nothing.
    it('settles 10 000 unchanged credentials without a single verification', async function () {
        const w = world();
        for (let i = 0; i < 10_000; i++) {
            w.accounts.add(`user${i}`, `pw${i}`);
            await w.cred(`HOST1\\user${i}`, `pw${i}`);
        }
        await w.pass();
        const before = w.accounts.calls.verifyPassword;
        const r = await w.pass();
        node_assert_1.strict.equal(r.unchanged, 10_000);
        node_assert_1.strict.equal(w.accounts.calls.verifyPassword, before);
    });
    it('reconcile$ runs one pass at a time and folds triggers during a pass into one more', async () => {
        const w = world();
        w.accounts.add('a', '1');
        await w.cred('HOST1\\a', '1');
        const trigger = new rxjs_1.Subject();
        const done = (0, rxjs_1.lastValueFrom)((0, reconcile_1.reconcile$)(trigger, w.deps, w.opts).pipe((0, rxjs_1.toArray)()));
        trigger.next();
        trigger.next();
        trigger.next();
        trigger.next();
        trigger.complete();
        const reports = await done;
        node_assert_1.strict.equal(reports.length, 2);
        node_assert_1.strict.equal(w.accounts.calls.listAccounts, 2);
    });
    it('createReconciler never overlaps a manual pass with an interval pass', async () => {
        const w = world();
        w.accounts.add('a', '1');
        await w.cred('HOST1\\a', 'other');
        let active = 0, maxActive = 0;
        const list = w.accounts.listAccounts.bind(w.accounts);
        w.accounts.listAccounts = async () => {
            active++;
            maxActive = Math.max(maxActive, active);
            await new Promise((r) => setTimeout(r, 5));
            active--;
            return list();
        };
        const rec = (0, reconcile_1.createReconciler)(w.deps, w.opts);
        const trigger = new rxjs_1.Subject();
        const streamed = (0, rxjs_1.lastValueFrom)(rec.stream(trigger).pipe((0, rxjs_1.toArray)()));
        trigger.next();
        const manual = await Promise.all([rec.once(), rec.once()]);
        trigger.complete();
        await streamed;
        node_assert_1.strict.equal(maxActive, 1);
        node_assert_1.strict.equal(manual.length, 2);
        node_assert_1.strict.equal(w.accounts.failedVerifications.length, 1, 'serial passes: the memo stops the second verification');
    });
    it('validates the reconcile interval', () => {
        node_assert_1.strict.match((0, reconcile_1.validateReconcileInterval)(9_999) ?? '', /at least 10000/);
        node_assert_1.strict.equal((0, reconcile_1.validateReconcileInterval)(10_000), undefined);
        node_assert_1.strict.equal((0, reconcile_1.validateReconcileInterval)(2 ** 31 - 2), undefined);
        node_assert_1.strict.match((0, reconcile_1.validateReconcileInterval)(2 ** 31 - 1) ?? '', /below/);
        node_assert_1.strict.ok((0, reconcile_1.validateReconcileInterval)(Number.NaN));
        node_assert_1.strict.ok((0, reconcile_1.validateReconcileInterval)(15_000.5));
        node_assert_1.strict.ok((0, reconcile_1.validateReconcileInterval)('60000'));
    });
});
//# sourceMappingURL=reconcile.test.js.map