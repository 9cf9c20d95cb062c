/**
 * The conflict part of the VaultPort contract (describeVaultContract runs it for every engine): a conflict
 * keeps the machine's side (never a password) next to the vault's, resolves both ways, and the conflict
 * flag follows the open conflicts.
 *
 * `resolvedBy` says who an engine records as having chosen: the embedded engines keep the name given; the
 * hub records its logged-in user (src/hub/conflict-api.ts).
 */
import assert from 'node:assert/strict';
import type { Client } from '../../src/domain/types';
import { VaultNotFoundError, type NewCredential, type VaultPort } from '../../src/ports/vault.port';
import { VaultInputError } from '../../src/vault/errors';

export interface ConflictContractOptions {
  resolvedBy?: (given: string) => string;
}

const CANARY = 'Conflict-Canary-51e7b0';
const eventId = (n: number): string => (0x7000 + n).toString(16).padStart(32, '0');
const client: Client = { name: 'Acme', windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: true };
const cred = (username: string, password: string): NewCredential => ({ client: 'Acme', username, password: Buffer.from(password), windowsSync: true, mode: 'report' });

async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail('expected a rejection');
}

export function describeConflictContract(getVault: () => VaultPort, options: ConflictContractOptions = {}): void {
  const resolvedBy = options.resolvedBy ?? ((g) => g);

  describe('conflicts', () => {
    let vault: VaultPort;
    /** A capture time before every vault write of the test (the hub takes a future one as its now). */
    let past: number;
    beforeEach(async () => {
      vault = getVault();
      await vault.addClient(client);
      past = Date.now() - 3_600_000;
    });

    it('keeps the machine\'s side next to the vault\'s, flags the credential, and never holds a password', async () => {
      const c = await vault.addCredential(cred('svc', CANARY), undefined, { kind: 'user', user: 'alice' });
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      const [k, ...rest] = await vault.listConflicts();
      assert.equal(rest.length, 0);
      assert.equal(k.credentialId, c.id);
      assert.equal(k.client, 'Acme');
      assert.equal(k.username, 'svc');
      assert.equal(k.machine, 'WS01');
      assert.equal(k.capturedAt, past);
      assert.equal(k.eventId, eventId(1));
      assert.equal(k.vault.version, 1);
      assert.equal(k.vault.passwordSetAt, c.passwordSetAt);
      assert.equal(k.resolution, undefined);
      assert.ok(k.recordedAt >= c.updatedAt, "recorded after the credential was written");
      assert.doesNotMatch(JSON.stringify(k), new RegExp(CANARY));
      assert.deepEqual((await vault.findCredential('Acme', 'svc'))!.flags, ['conflict']);
    });

    it('keeps one side per machine: a newer capture replaces it and forgets the choice; the same capture again changes nothing', async () => {
      const c = await vault.addCredential(cred('svc', 'pw'));
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      await vault.recordConflict(c.id, { machine: 'ws02', capturedAt: past + 1, eventId: eventId(2) });
      await vault.resolveConflict(c.id, 'ws01', 'machine', 'alice');
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      assert.equal((await vault.listConflicts({ machine: 'ws01' }))[0].resolution?.choice, 'machine', 'the same capture again kept the choice');
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past + 5, eventId: eventId(3) });
      const list = await vault.listConflicts();
      assert.deepEqual(list.map((k) => [k.machine, k.eventId, k.resolution]), [['WS01', eventId(3), undefined], ['ws02', eventId(2), undefined]]);
      assert.deepEqual((await vault.listConflicts({ machine: 'WS02' })).map((k) => k.eventId), [eventId(2)]);
      assert.deepEqual(await vault.listConflicts({ client: 'Other' }), []);
      assert.deepEqual((await vault.listConflicts({ credentialId: c.id, client: 'acme' })).length, 2);
    });

    it('keep the vault\'s: the flag clears at once (unless another machine\'s is open), and the machine settles it', async () => {
      const c = await vault.addCredential(cred('svc', 'pw'));
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      await vault.recordConflict(c.id, { machine: 'WS02', capturedAt: past, eventId: eventId(2) });
      const r = await vault.resolveConflict(c.id, 'WS01', 'vault', 'alice');
      assert.equal(r.resolution?.choice, 'vault');
      assert.equal(r.resolution?.by, resolvedBy('alice'));
      assert.deepEqual((await vault.findCredential('Acme', 'svc'))!.flags, ['conflict'], 'WS02 is still open');
      await vault.resolveConflict(c.id, 'WS02', 'vault', 'alice');
      const after = (await vault.findCredential('Acme', 'svc'))!;
      assert.deepEqual(after.flags, []);
      assert.equal(after.version, 1, 'keeping the vault\'s writes no password');
      assert.ok(await rejects(vault.takeConflictedCapture(c.id, Buffer.from('x'), eventId(1), 'WS01')) instanceof VaultInputError);
      await vault.settleConflict(c.id, 'WS01', 'vault-kept');
      assert.deepEqual((await vault.listConflicts()).map((k) => k.machine), ['WS02']);
      assert.ok(await rejects(vault.settleConflict(c.id, 'WS01', 'vault-kept')) instanceof VaultNotFoundError);
    });

    it('take the machine\'s: the re-sent capture becomes a new version whatever the version, recorded as resolved, and the flag clears', async () => {
      const c = await vault.addCredential(cred('svc', 'vault-pw'));
      await vault.updateCredential('Acme', 'svc', { password: Buffer.from('newer-vault-pw') });
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      assert.ok(await rejects(vault.takeConflictedCapture(c.id, Buffer.from('machine-pw'), eventId(1), 'WS01')) instanceof VaultInputError,
        'no one chose the machine\'s yet');
      await vault.resolveConflict(c.id, 'WS01', 'machine', 'alice');
      assert.deepEqual((await vault.findCredential('Acme', 'svc'))!.flags, ['conflict'], 'the flag stays until the capture is in');
      const wrong = await rejects(vault.takeConflictedCapture(c.id, Buffer.from('machine-pw'), eventId(9), 'WS01'));
      assert.ok(wrong instanceof VaultInputError);
      assert.match(wrong.message, new RegExp(eventId(1)));
      const r = await vault.takeConflictedCapture(c.id, Buffer.from('machine-pw'), eventId(1), 'ws01');
      assert.equal(r.applied, true);
      assert.equal(r.credential.version, 3);
      assert.deepEqual(r.credential.flags, []);
      const pw = await vault.readPassword(c.id);
      assert.equal(pw.toString(), 'machine-pw');
      pw.fill(0);
      assert.deepEqual((await vault.listPasswordHistory(c.id))[0].source, { kind: 'capture', machine: 'WS01', resolvedBy: resolvedBy('alice') });
      assert.deepEqual(await vault.listConflicts(), []);
      const again = await vault.takeConflictedCapture(c.id, Buffer.from('machine-pw'), eventId(1), 'WS01');
      assert.equal(again.applied, false, 'a re-sent capture applies once');
      assert.equal(again.credential.version, 3);
    });

    it('a capture the machine no longer has: the choice is undone, the flag stays, and only keeping the vault\'s settles it', async () => {
      const c = await vault.addCredential(cred('svc', 'pw'));
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      await vault.resolveConflict(c.id, 'WS01', 'machine', 'alice');
      await vault.settleConflict(c.id, 'WS01', 'capture-missing');
      const [k] = await vault.listConflicts();
      assert.equal(k.resolution, undefined);
      assert.ok(k.captureMissingAt !== undefined);
      assert.deepEqual((await vault.findCredential('Acme', 'svc'))!.flags, ['conflict']);
      const refused = await rejects(vault.resolveConflict(c.id, 'WS01', 'machine', 'alice'));
      assert.ok(refused instanceof VaultInputError);
      assert.match(refused.message, /no longer holds the conflicted capture/);
      await vault.resolveConflict(c.id, 'WS01', 'vault', 'alice');
      assert.deepEqual((await vault.findCredential('Acme', 'svc'))!.flags, []);
    });

    it('refuses unknown credentials and conflicts, and bad input, by name', async () => {
      const c = await vault.addCredential(cred('svc', 'pw'));
      assert.ok(await rejects(vault.recordConflict(9999, { machine: 'WS01', capturedAt: past, eventId: eventId(1) })) instanceof VaultNotFoundError);
      assert.ok(await rejects(vault.resolveConflict(c.id, 'WS01', 'vault', 'alice')) instanceof VaultNotFoundError);
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      const bad = await rejects(vault.resolveConflict(c.id, 'WS01', 'both' as never, 'alice'));
      assert.ok(bad instanceof VaultInputError);
      assert.match(bad.message, /choice/);
      assert.match((await rejects(vault.recordConflict(c.id, { machine: '', capturedAt: past, eventId: eventId(2) }))).message, /machine/);
      assert.match((await rejects(vault.settleConflict(c.id, 'WS01', 'maybe' as never))).message, /settlement/);
    });

    it('deleting the credential deletes its conflicts', async () => {
      const c = await vault.addCredential(cred('svc', 'pw'));
      await vault.recordConflict(c.id, { machine: 'WS01', capturedAt: past, eventId: eventId(1) });
      await vault.deleteCredential('Acme', 'svc');
      assert.deepEqual(await vault.listConflicts(), []);
    });
  });
}
