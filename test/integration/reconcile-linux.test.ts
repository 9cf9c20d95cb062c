import { strict as assert } from 'node:assert';
import type { NewClient } from '../../src/domain/types';
import type { Platform } from '../../src/platform';
import { Encoding } from '../../src/protocol/constants';
import { startHarness, type Harness } from '../helpers/bridge-harness';
import { createUser, isRoot, removeUser, setPasswordDirect } from '../platform/users';
import { skipBecause } from '../helpers/skip';

const acme: NewClient = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report' };
const pw = (s: string) => Buffer.from(s, 'utf8');

/** The real Linux platform, counting verifications per account (lockout safety is about that number). */
function counting(verifications: Map<string, number>) {
  return (real: Platform): Platform => ({
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
  let h: Harness;
  let user: string | undefined;
  const verifications = new Map<string, number>();

  before(function () {
    if (!isRoot) skipBecause(this, 'needs root (CI is root)');
  });
  beforeEach(async () => {
    verifications.clear();
    user = createUser();
    setPasswordDirect(user, pw('local-pass-1'));
    h = await startHarness({ clients: [acme], config: { client: 'Acme' }, platform: counting(verifications) });
  });
  afterEach(async () => {
    await h?.destroy();
    removeUser(user);
  });

  it('Report Mismatches: flags a mismatch, verifies only once while nothing changes, clears when they match', async () => {
    const v = h.install.vault;
    await v.addCredential({ client: 'Acme', username: `TESTHOST\\${user}`, password: pw('vault-pass-2'), windowsSync: true, mode: 'report' });

    const r1 = await h.bridge.reconcileNow();
    assert.equal(r1.flagged, 1);
    assert.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`))!.flags, ['mismatch']);
    assert.equal(await h.install.platform.accounts.verifyPassword(user!, pw('local-pass-1')), true, 'report mode never touches the local password');
    const afterFirst = verifications.get(user!);

    for (let i = 0; i < 3; i++) {
      const r = await h.bridge.reconcileNow();
      assert.equal(r.unchanged, 1);
      assert.equal(r.flagged + r.matched + r.set, 0);
    }
    assert.equal(verifications.get(user!), afterFirst, 'lockout-safe: no verification while nothing changed');

    await v.updateCredential('Acme', `TESTHOST\\${user}`, { password: pw('local-pass-1') });
    const r2 = await h.bridge.reconcileNow();
    assert.equal(r2.matched, 1);
    assert.ok(r2.cleared >= 1);
    assert.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`))!.flags, []);
  });

  it('a local password change (new fingerprint) is verified again, once', async () => {
    const v = h.install.vault;
    await v.addCredential({ client: 'Acme', username: `TESTHOST\\${user}`, password: pw('vault-pass-2'), windowsSync: true, mode: 'report' });
    await h.bridge.reconcileNow();
    const n = verifications.get(user!) ?? 0;
    await new Promise((r) => setTimeout(r, 10));
    setPasswordDirect(user!, pw('vault-pass-2'));
    const r = await h.bridge.reconcileNow();
    assert.equal(verifications.get(user!), n + 1);
    assert.equal(r.matched, 1);
    assert.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`))!.flags, []);
  });

  it('Change Password: sets the local password to the vault\'s, and the capture\'s echo of that set is not pushed back', async () => {
    const v = h.install.vault;
    const cred = await v.addCredential({ client: 'Acme', username: `TESTHOST\\${user}`, password: pw('vault-pass-3'), windowsSync: true, mode: 'change' });

    const r = await h.bridge.reconcileNow();
    assert.equal(r.set, 1);
    const accounts = h.install.platform.accounts;
    assert.equal(await accounts.verifyPassword(user!, pw('vault-pass-3')), true);
    assert.equal(await accounts.verifyPassword(user!, pw('local-pass-1')), false);
    assert.deepEqual((await v.findCredential('Acme', `TESTHOST\\${user}`))!.flags, []);

    const again = await h.bridge.reconcileNow();
    assert.equal(again.unchanged, 1, 'the set is remembered: the next pass has nothing to do');

    // The PAM module reports pwbridge's own chpasswd as a change: it must not come back as a local change.
    const c = await h.connect();
    const s = c.send({ account: user!, encoding: Encoding.raw, password: pw('vault-pass-3') });
    await s.acked;
    await h.bridge.drain();
    c.destroy();
    assert.equal((await v.findCredential('Acme', `TESTHOST\\${user}`))!.version, cred.version);
    await h.install.events.flush();
    const echo = await v.queryEvents({ kind: 'echo-suppressed' });
    assert.equal(echo.length, 1);
    assert.equal(echo[0].traceId, s.eventIdHex);
  });

  it('a shared credential applies when the machine has no credential of its own; one for another machine does not', async () => {
    const v = h.install.vault;
    await v.addCredential({ client: 'Acme', username: user!, password: pw('shared-vault'), windowsSync: true, mode: 'report' });
    await v.addCredential({ client: 'Acme', username: `OTHERHOST\\${user}`, password: pw('local-pass-1'), windowsSync: true, mode: 'report' });
    const r = await h.bridge.reconcileNow();
    assert.equal(r.flagged, 1, 'the shared credential was checked and mismatched');
    assert.deepEqual((await v.findCredential('Acme', user!))!.flags, ['mismatch']);
    assert.deepEqual((await v.findCredential('Acme', `OTHERHOST\\${user}`))!.flags, []);
  });
});
