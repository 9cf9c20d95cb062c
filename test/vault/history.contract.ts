/**
 * The password-history part of the VaultPort contract (describeVaultContract runs it for every engine):
 * every password write keeps the one it replaces, newest first, the last 10; a restore is a new version;
 * a listing and an error never carry a password.
 *
 * `recorded` says what source an engine stores for a source given to a write: the embedded engines keep
 * the given one; the hub records its caller's login instead (src/hub/api/history-routes.ts).
 */
import assert from 'node:assert/strict';
import type { Client } from '../../src/domain/types';
import {
  VaultNotFoundError, type NewCredential, type PasswordHistoryEntry, type PasswordSource, type VaultPort,
} from '../../src/ports/vault.port';
import { VaultInputError } from '../../src/vault/errors';

export interface HistoryContractOptions {
  /** The source stored for a write given `given` (`by`: the restorer named in restorePassword). */
  recorded?: (given: PasswordSource | undefined) => PasswordSource | undefined;
}

const CANARY = 'History-Canary-9c41d2';
const eventId = (n: number): string => (0x4000 + n).toString(16).padStart(32, '0');
const cred = (username: string, password: string): NewCredential => ({
  client: 'Acme', username, password: Buffer.from(password), windowsSync: true, mode: 'change',
});
const client: Client = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: true };

async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail('expected a rejection');
}

const versions = (h: PasswordHistoryEntry[]): number[] => h.map((e) => e.version);

export function describeHistoryContract(getVault: () => VaultPort, options: HistoryContractOptions = {}): void {
  const recorded = options.recorded ?? ((s) => s);

  describe('password history', () => {
    let vault: VaultPort;
    beforeEach(async () => {
      vault = getVault();
      await vault.addClient(client);
    });

    it('keeps each replaced password with when it was set and where it came from, newest first', async () => {
      const alice: PasswordSource = { kind: 'user', user: 'alice' };
      const ws01: PasswordSource = { kind: 'capture', machine: 'WS01' };
      const v1 = await vault.addCredential(cred('WS01\\svc', 'one'), undefined, alice);
      const v2 = (await vault.setPasswordFromCapture(v1.id, Buffer.from('two'), 1, eventId(1), v1.passwordSetAt + 5, ws01)).credential;
      const v3 = await vault.updateCredential('Acme', 'WS01\\svc', { password: Buffer.from('three') }, { kind: 'cli' });
      const h = await vault.listPasswordHistory(v1.id);
      assert.deepEqual(versions(h), [3, 2, 1]);
      assert.deepEqual(h.map((e) => e.current), [true, false, false]);
      assert.deepEqual(h.map((e) => e.source), [recorded({ kind: 'cli' }), recorded(ws01), recorded(alice)]);
      assert.deepEqual(h.map((e) => e.setAt), [v3.passwordSetAt, v2.passwordSetAt, v1.passwordSetAt]);
      assert.equal(h[0].replacedAt, undefined, 'the current password was not replaced');
      assert.ok(h.slice(1).every((e) => typeof e.replacedAt === 'number' && e.replacedAt >= e.setAt - 1000), 'earlier ones say when they were replaced');
    });

    it('a write given no source records none; a change of mode alone adds nothing', async () => {
      const c = await vault.addCredential(cred('bob', 'one'));
      await vault.updateCredential('Acme', 'bob', { mode: 'report' });
      const h = await vault.listPasswordHistory(c.id);
      assert.deepEqual(versions(h), [1]);
      assert.deepEqual(h[0].source, recorded(undefined));
    });

    it('keeps the last 10 earlier passwords and drops older ones', async () => {
      const c = await vault.addCredential(cred('carol', 'p1'));
      for (let v = 2; v <= 13; v++) await vault.updateCredential('Acme', 'carol', { password: Buffer.from(`p${v}`) });
      const h = await vault.listPasswordHistory(c.id);
      assert.deepEqual(versions(h), [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
      const gone = await rejects(vault.restorePassword(c.id, 2, 'dave'));
      assert.ok(gone instanceof VaultNotFoundError, 'a dropped version cannot be restored');
    });

    it('a re-delivered capture and a conflicting one add nothing to the history', async () => {
      const c = await vault.addCredential(cred('erin', 'one'));
      await vault.setPasswordFromCapture(c.id, Buffer.from('two'), 1, eventId(2));
      assert.equal((await vault.setPasswordFromCapture(c.id, Buffer.from('two'), 1, eventId(2))).applied, false);
      await rejects(vault.setPasswordFromCapture(c.id, Buffer.from('stale'), 1, eventId(3)));
      assert.deepEqual(versions(await vault.listPasswordHistory(c.id)), [2, 1]);
    });

    it('restore makes an earlier password current as a new version, and is itself in the history', async () => {
      const c = await vault.addCredential(cred('frank', 'first'));
      const second = await vault.updateCredential('Acme', 'frank', { password: Buffer.from('second') });
      const restored = await vault.restorePassword(c.id, 1, 'grace');
      assert.equal(restored.version, 3);
      assert.ok(restored.passwordSetAt >= second.passwordSetAt, 'passwordSetAt is the time of the restore');
      assert.equal((await vault.readPassword(c.id)).toString(), 'first');
      assert.equal((await vault.findCredential('Acme', 'frank'))?.version, 3);
      const h = await vault.listPasswordHistory(c.id);
      assert.deepEqual(versions(h), [3, 2, 1]);
      assert.deepEqual(h[0].source, recorded({ kind: 'restore', fromVersion: 1, by: 'grace' }));
      // The restore is a version like any other: the next write moves it into the history, and it can be restored.
      await vault.updateCredential('Acme', 'frank', { password: Buffer.from('fourth') });
      const again = await vault.restorePassword(c.id, 2, 'grace');
      assert.equal(again.version, 5);
      assert.equal((await vault.readPassword(c.id)).toString(), 'second');
      const h2 = await vault.listPasswordHistory(c.id);
      assert.deepEqual(versions(h2), [5, 4, 3, 2, 1]);
      assert.deepEqual(h2[2].source, recorded({ kind: 'restore', fromVersion: 1, by: 'grace' }));
    });

    it('a capture based on the version before a restore is a conflict', async () => {
      const c = await vault.addCredential(cred('heidi', 'first'));
      await vault.updateCredential('Acme', 'heidi', { password: Buffer.from('second') });
      await vault.restorePassword(c.id, 1, 'ivan');
      await assert.rejects(vault.setPasswordFromCapture(c.id, Buffer.from('late'), 2, eventId(4)), { name: 'VaultConflictError' });
      assert.equal((await vault.readPassword(c.id)).toString(), 'first');
    });

    it('refuses an unknown credential, a version it does not keep (the current one too) and bad input, naming them', async () => {
      const c = await vault.addCredential(cred('judy', 'one'));
      await vault.updateCredential('Acme', 'judy', { password: Buffer.from('two') });
      const unknownCred = await rejects(vault.listPasswordHistory(c.id + 100));
      assert.ok(unknownCred instanceof VaultNotFoundError);
      assert.match(unknownCred.message, new RegExp(`credential ${c.id + 100}`));
      const restoreUnknown = await rejects(vault.restorePassword(c.id + 100, 1, 'ken'));
      assert.ok(restoreUnknown instanceof VaultNotFoundError);
      for (const v of [2, 7]) {
        const err = await rejects(vault.restorePassword(c.id, v, 'ken'));
        assert.ok(err instanceof VaultNotFoundError, `version ${v}`);
        assert.match(err.message, new RegExp(`version ${v}`));
      }
      const bad = await rejects(vault.restorePassword(c.id, -1, 'ken'));
      assert.ok(bad instanceof VaultInputError);
      assert.match(bad.message, /version/);
      assert.equal((await vault.readPassword(c.id)).toString(), 'two', 'nothing changed');
    });

    it('never puts a password in a listing or in an error', async () => {
      const c = await vault.addCredential(cred('WS02\\canary', CANARY));
      await vault.updateCredential('Acme', 'WS02\\canary', { password: Buffer.from(`${CANARY}-2`) });
      await vault.restorePassword(c.id, 1, 'leo');
      const listing = JSON.stringify(await vault.listPasswordHistory(c.id));
      for (const form of [CANARY, Buffer.from(CANARY).toString('base64'), Buffer.from(CANARY).toString('hex')]) {
        assert.ok(!listing.includes(form), 'the listing holds no password');
      }
      const errors = [await rejects(vault.restorePassword(c.id, 99, 'leo')), await rejects(vault.restorePassword(c.id, 3, 'leo'))];
      for (const err of errors) assert.ok(!`${err.message}\n${err.stack}`.includes(CANARY), `error "${err.message}" leaks a password`);
    });
  });
}
