import { strict as assert } from 'node:assert';
import { Subject, lastValueFrom, toArray } from 'rxjs';
import { createReconciler, reconcileOnce, validateReconcileInterval } from '../../src/reconcile/reconcile';
import type { ReconcileDeps, ReconcileOptions } from '../../src/reconcile/types';
import { FakeAccounts, FakeClock, FakeEcho, FakeEvents, FakeJournal, FakeState, FakeVault, capture } from '../helpers/fakes';

function world(client: { windowsSync?: boolean } = {}) {
  const clock = new FakeClock();
  const vault = new FakeVault(clock);
  const accounts = new FakeAccounts('HOST1');
  const state = new FakeState();
  const echo = new FakeEcho();
  const events = new FakeEvents();
  const journal = new FakeJournal();
  void vault.addClient({ name: 'acme', windowsSync: client.windowsSync ?? true, twoWaySync: true, autoCreate: false, defaultMode: 'report' });
  const deps: ReconcileDeps = { vault, accounts, state, echo, events, journal };
  const opts: ReconcileOptions = { machine: 'HOST1', client: 'acme', echoTtlMs: 30_000, now: clock.now };
  const cred = (username: string, password: string, mode: 'report' | 'change' = 'report', windowsSync = true) =>
    vault.addCredential({ client: 'acme', username, password: Buffer.from(password), windowsSync, mode });
  const pass = () => reconcileOnce(deps, opts);
  return { clock, vault, accounts, state, echo, events, journal, deps, opts, cred, pass };
}

const actionOf = (r: Awaited<ReturnType<typeof reconcileOnce>>, id: number) => r.items.find((i) => i.credential === id)?.action;

describe('reconcile', () => {
  it('waits for another process\'s pass (the lease), and gives up with a reason rather than verify alongside it', async () => {
    const w = world();
    w.accounts.add('alice', 'local');
    await w.cred('HOST1\\alice', 'vault');
    w.state.tryLease('reconcile', 'the-service');
    const r = await reconcileOnce(w.deps, { ...w.opts, leaseWaitMs: 150 });
    assert.match(r.reason ?? '', /another reconcile pass/);
    assert.equal(w.accounts.calls.verifyPassword, 0);
    setTimeout(() => w.state.releaseLease('reconcile', 'the-service'), 100);
    const r2 = await reconcileOnce(w.deps, { ...w.opts, leaseWaitMs: 5000 });
    assert.equal(r2.flagged, 1, 'ran once the other pass let go');
    assert.equal(w.state.leases.size, 0, 'and let go itself');
  });

  it('never verifies or sets an excluded account (machine account, krbtgt, service account, configured name)', async () => {
    const w = world();
    for (const n of ['WS01$', 'krbtgt', 'pwbridge', 'backup', 'carol']) w.accounts.add(n, 'local');
    const ids = [];
    for (const n of ['WS01$', 'krbtgt', 'pwbridge', 'backup', 'carol']) ids.push((await w.cred(`HOST1\\${n}`, 'vault', 'change')).id);
    const r = await reconcileOnce(w.deps, { ...w.opts, exclusions: { serviceAccount: 'PWBridge', exclude: ['Backup'] } });
    assert.deepEqual(ids.map((id) => actionOf(r, id)), ['excluded', 'excluded', 'excluded', 'excluded', 'set']);
    assert.equal(w.accounts.calls.setPassword, 1);
    assert.equal(w.accounts.password('krbtgt'), 'local');
  });

  it('report mode: flags a mismatch, then clears the flag once the passwords match again', async () => {
    const w = world();
    w.accounts.add('alice', 'pwA').add('bob', 'pwB');
    const alice = await w.cred('HOST1\\alice', 'pwA');
    const bob = await w.cred('bob', 'vault-bob');
    const r1 = await w.pass();
    assert.deepEqual([r1.checked, r1.matched, r1.flagged, r1.cleared], [2, 1, 1, 0]);
    assert.equal(actionOf(r1, alice.id), 'matched');
    assert.deepEqual(w.vault.creds.get(bob.id)?.flags, ['mismatch']);
    assert.deepEqual(w.events.of('mismatch-flagged').map((e) => [e.outcome, e.credentialId]), [['flagged', bob.id]]);
    assert.equal(w.accounts.password('bob'), 'pwB', 'report mode never touches the local password');

    w.accounts.change('bob', 'vault-bob');
    const r2 = await w.pass();
    assert.deepEqual([r2.matched, r2.cleared, r2.unchanged], [1, 1, 1]);
    assert.deepEqual(w.vault.creds.get(bob.id)?.flags, []);
    assert.equal(w.events.of('mismatch-cleared').length, 1);
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
    assert.equal(r1.set, 1);
    assert.equal(actionOf(r1, carol.id), 'set');
    assert.equal(w.accounts.password('carol'), 'from-vault');
    assert.ok(echoKnownAtSet, 'echo remembered before setPassword');
    assert.equal(w.events.of('password-set')[0].outcome, 'ok');
    assert.ok(w.echo.consume('carol', Buffer.from('from-vault'), w.clock.now()), 'the capture report of our write is an echo');
    const verifies = w.accounts.calls.verifyPassword;
    const r2 = await w.pass();
    assert.deepEqual([r2.unchanged, r2.set], [1, 0]);
    assert.equal(w.accounts.calls.verifyPassword, verifies, 'memo holds the new fingerprint: no verification');
    assert.ok(w.vault.handedOut.every((b) => b.every((x) => x === 0)), 'vault passwords wiped');
  });

  it('change mode: a failed set logs, keeps the flag, and the next pass sets without verifying again', async () => {
    const w = world();
    w.accounts.add('dan', 'local');
    const dan = await w.cred('HOST1\\dan', 'vault', 'change');
    w.accounts.failSet = new Error('chpasswd: password rejected by policy');
    const r1 = await w.pass();
    assert.equal(r1.failed, 1);
    assert.deepEqual(w.vault.creds.get(dan.id)?.flags, ['mismatch']);
    assert.deepEqual(w.events.of('password-set').map((e) => e.outcome), ['failed']);
    w.accounts.failSet = undefined;
    const r2 = await w.pass();
    assert.equal(r2.set, 1);
    assert.equal(w.accounts.calls.verifyPassword, 1, 'verified once in total');
    assert.deepEqual(w.vault.creds.get(dan.id)?.flags, []);
    assert.equal(r2.cleared, 1);
  });

  it('a second pass over unchanged credentials does no verification and reads each input once', async () => {
    const w = world();
    w.accounts.add('a', '1').add('b', '2');
    await w.cred('HOST1\\a', '1');
    await w.cred('b', 'different');
    await w.pass();
    const before = { ...w.accounts.calls, reads: w.vault.calls.readPassword };
    const r = await w.pass();
    assert.deepEqual([r.checked, r.unchanged], [2, 2]);
    assert.equal(w.accounts.calls.verifyPassword, before.verifyPassword);
    assert.equal(w.vault.calls.readPassword, before.reads);
    assert.equal(w.accounts.calls.listAccounts, 2);
    assert.equal(w.state.allMemosCalls, 2);
  });

  it('verifies a wrong vault password at most once per (vault version, local fingerprint)', async () => {
    const w = world();
    w.accounts.add('eve', 'local');
    const eve = await w.cred('HOST1\\eve', 'wrong');
    for (let i = 0; i < 5; i++) await w.pass();
    assert.equal(w.accounts.failedVerifications.length, 1);
    w.vault.changeInVault(eve.id, 'still-wrong');
    for (let i = 0; i < 3; i++) await w.pass();
    assert.equal(w.accounts.failedVerifications.length, 2);
    w.accounts.change('eve', 'another-local');
    for (let i = 0; i < 3; i++) await w.pass();
    assert.equal(w.accounts.failedVerifications.length, 3);
  });

  it('re-flags a known mismatch whose flag someone cleared, without verifying', async () => {
    const w = world();
    w.accounts.add('fay', 'local');
    const fay = await w.cred('HOST1\\fay', 'vault');
    await w.pass();
    await w.vault.setFlag(fay.id, 'mismatch', false);
    const r = await w.pass();
    assert.equal(actionOf(r, fay.id), 'flagged');
    assert.deepEqual(w.vault.creds.get(fay.id)?.flags, ['mismatch']);
    assert.equal(w.accounts.calls.verifyPassword, 1);
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
    assert.equal(actionOf(r, mine.id), 'matched');
    assert.equal(actionOf(r, shared.id), 'shadowed');
    assert.equal(actionOf(r, other.id), undefined);
    assert.equal(actionOf(r, ghost.id), 'no-local-account');
    assert.equal(actionOf(r, off.id), 'sync-off');
    assert.deepEqual([r.checked, r.skipped, r.failed], [1, 3, 0]);
    assert.equal(w.accounts.calls.verifyPassword, 1);
  });

  it('does nothing when the client has windows sync off', async () => {
    const w = world({ windowsSync: false });
    w.accounts.add('a', '1');
    await w.cred('HOST1\\a', '2', 'change');
    const r = await w.pass();
    assert.equal(r.reason, 'client windows sync off');
    assert.equal(r.checked, 0);
    assert.equal(w.accounts.calls.listAccounts, 0);
    assert.equal(w.accounts.password('a'), '1');
  });

  it('leaves an account alone while a captured change for it is pending', async () => {
    const w = world();
    w.accounts.add('hal', 'new-local');
    const hal = await w.cred('HOST1\\hal', 'old-vault', 'change');
    capture(w.journal, w.clock, 'HAL', 'new-local');
    const r = await w.pass();
    assert.equal(actionOf(r, hal.id), 'pending-capture');
    assert.equal(w.accounts.password('hal'), 'new-local');
    assert.equal(w.accounts.calls.verifyPassword, 0);
  });

  it('stores a summary of the pass', async () => {
    const w = world();
    w.accounts.add('a', '1');
    await w.cred('HOST1\\a', '1');
    await w.pass();
    const s = w.state.getValue<{ checked: number; matched: number; items?: unknown }>('lastReconcile');
    assert.equal(s?.checked, 1);
    assert.equal(s?.matched, 1);
    assert.equal(s?.items, undefined);
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
    assert.equal(r.unchanged, 10_000);
    assert.equal(w.accounts.calls.verifyPassword, before);
  });

  it('the stream the service uses runs one pass at a time and folds triggers during a pass into one more', async () => {
    const w = world();
    w.accounts.add('a', '1');
    await w.cred('HOST1\\a', '1');
    // Each pass holds until the test lets it go, so the triggers provably arrive while one is running.
    const gates: Array<() => void> = [];
    const list = w.accounts.listAccounts.bind(w.accounts);
    w.accounts.listAccounts = async () => {
      await new Promise<void>((r) => gates.push(r));
      return list();
    };
    const trigger = new Subject<void>();
    const done = lastValueFrom(createReconciler(w.deps, w.opts).stream(trigger).pipe(toArray()));
    trigger.next();
    await until(() => gates.length === 1);
    trigger.next(); trigger.next(); trigger.next();
    gates.shift()!();
    await until(() => gates.length === 1);
    trigger.complete();
    gates.shift()!();
    const reports = await done;
    assert.equal(reports.length, 2, 'four triggers, the last three during the first pass: two passes');
    assert.equal(w.accounts.calls.listAccounts, 2);
    assert.equal(gates.length, 0, 'no third pass was started');
  });

  it('createReconciler never overlaps a manual pass with an interval pass', async () => {
    const w = world();
    w.accounts.add('a', '1');
    await w.cred('HOST1\\a', 'other');
    let active = 0, maxActive = 0;
    const list = w.accounts.listAccounts.bind(w.accounts);
    w.accounts.listAccounts = async () => {
      active++; maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return list();
    };
    const rec = createReconciler(w.deps, w.opts);
    const trigger = new Subject<void>();
    const streamed = lastValueFrom(rec.stream(trigger).pipe(toArray()));
    trigger.next();
    const manual = await Promise.all([rec.once(), rec.once()]);
    trigger.complete();
    await streamed;
    assert.equal(maxActive, 1);
    assert.equal(manual.length, 2);
    assert.equal(w.accounts.failedVerifications.length, 1, 'serial passes: the memo stops the second verification');
  });

  it('validates the reconcile interval', () => {
    assert.match(validateReconcileInterval(9_999) ?? '', /at least 10000/);
    assert.equal(validateReconcileInterval(10_000), undefined);
    assert.equal(validateReconcileInterval(2 ** 31 - 2), undefined);
    assert.match(validateReconcileInterval(2 ** 31 - 1) ?? '', /below/);
    assert.ok(validateReconcileInterval(Number.NaN));
    assert.ok(validateReconcileInterval(15_000.5));
    assert.ok(validateReconcileInterval('60000'));
  });
});

/** Waits (on the event loop, not the clock) until `cond` holds; fails after 2,000 turns. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), 'the condition never held');
}
