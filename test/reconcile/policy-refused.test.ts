// A vault password the local policy refuses (PolicyRefusedError from the account port) becomes the
// `policy-refused` flag and one event, not a set retried on every pass; a new vault password clears it.
import { strict as assert } from 'node:assert';
import { PolicyRefusedError } from '../../src/ports/account.port';
import { reconcileOnce } from '../../src/reconcile/reconcile';
import type { ReconcileDeps, ReconcileOptions } from '../../src/reconcile/types';
import { FakeAccounts, FakeClock, FakeEcho, FakeEvents, FakeJournal, FakeState, FakeVault } from '../helpers/fakes';

function world() {
  const clock = new FakeClock();
  const vault = new FakeVault(clock);
  const accounts = new FakeAccounts('HOST1');
  const events = new FakeEvents();
  void vault.addClient({ name: 'acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'change' });
  const deps: ReconcileDeps = { vault, accounts, state: new FakeState(), echo: new FakeEcho(), events, journal: new FakeJournal() };
  const opts: ReconcileOptions = { machine: 'HOST1', client: 'acme', echoTtlMs: 30_000, now: clock.now };
  return { vault, accounts, events, pass: () => reconcileOnce(deps, opts) };
}

describe('reconcile: a password the local policy refuses', () => {
  it('is flagged policy-refused once, and not set again until the vault has a new password', async () => {
    const w = world();
    w.accounts.add('dana', 'local');
    const cred = await w.vault.addCredential({ client: 'acme', username: 'HOST1\\dana', password: Buffer.from('abc'), windowsSync: true, mode: 'change' });
    w.accounts.failSet = new PolicyRefusedError('dana', 'NetValidatePasswordPolicy: NERR_PasswordTooShort');

    const r1 = await w.pass();
    assert.equal(r1.failed, 1);
    assert.deepEqual([...(w.vault.creds.get(cred.id)?.flags ?? [])].sort(), ['mismatch', 'policy-refused']);
    const ev = w.events.of('policy-refused');
    assert.equal(ev.length, 1);
    assert.equal(ev[0].outcome, 'flagged');
    assert.match(ev[0].reason ?? '', /NERR_PasswordTooShort.*vault version 1/);
    assert.equal(w.events.of('password-set').length, 0, 'a refusal is not reported as a failed set');

    for (let i = 0; i < 3; i++) {
      const r = await w.pass();
      assert.equal(r.unchanged, 1, `pass ${i + 2} leaves it alone`);
    }
    assert.equal(w.accounts.calls.setPassword, 1, 'no retry loop');
    assert.equal(w.accounts.calls.verifyPassword, 1);
    assert.equal(w.events.of('policy-refused').length, 1);

    // Someone puts a password the policy accepts into the vault: verified, set, both flags cleared.
    w.accounts.failSet = undefined;
    w.vault.changeInVault(cred.id, 'a-much-longer-password');
    const r5 = await w.pass();
    assert.equal(r5.set, 1);
    assert.equal(w.accounts.password('dana'), 'a-much-longer-password');
    assert.deepEqual(w.vault.creds.get(cred.id)?.flags, []);
  });

  it('any other failure still retries on the next pass (it may be passing)', async () => {
    const w = world();
    w.accounts.add('erik', 'local');
    await w.vault.addCredential({ client: 'acme', username: 'HOST1\\erik', password: Buffer.from('vault'), windowsSync: true, mode: 'change' });
    w.accounts.failSet = new Error('NetUserSetInfo failed: ERROR_ACCESS_DENIED');
    await w.pass();
    await w.pass();
    assert.equal(w.accounts.calls.setPassword, 2);
    assert.equal(w.events.of('policy-refused').length, 0);
  });
});
