/**
 * The VaultPort contract, as a reusable mocha suite: every vault adapter (the embedded SQLite vault
 * today, the hub's HTTP adapter later) must pass it unchanged.
 *
 *   describeVaultContract('SqliteVault', async () => ({ vault, cleanup }));
 *
 * makeVault must return an empty vault; cleanup closes it and removes what it made.
 */
import assert from 'node:assert/strict';
import type { Client, EventRecord } from '../../src/domain/types';
import {
  VaultConflictError, VaultNotFoundError, VaultPolicyError, type NewCredential, type VaultPort,
} from '../../src/ports/vault.port';
import { describeConflictContract, type ConflictContractOptions } from './conflicts.contract';
import { describeHistoryContract, type HistoryContractOptions } from './history.contract';

export type MakeVault = () => Promise<{ vault: VaultPort; cleanup: () => Promise<void> }>;

const CANARY = 'Canary-Pw-7f3e9a';

const client = (name: string, over: Partial<Client> = {}): Client => ({
  name, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: false, ...over,
});

const cred = (clientName: string, username: string, password: string, over: Partial<NewCredential> = {}): NewCredential => ({
  client: clientName, username, password: Buffer.from(password, 'utf8'), windowsSync: true, mode: 'change', ...over,
});

const eventId = (n: number): string => n.toString(16).padStart(32, '0');

/** Await `p`, expect it to reject, and return the error for further checks. */
async function rejects(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof Error, 'rejects with an Error');
    return err;
  }
  assert.fail('expected a rejection');
}

export function describeVaultContract(name: string, makeVault: MakeVault, history?: HistoryContractOptions & ConflictContractOptions): void {
  describe(`VaultPort contract: ${name}`, () => {
    let vault: VaultPort;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ vault, cleanup } = await makeVault());
    });
    afterEach(async () => {
      await cleanup();
    });

    // Most tests below write bare `user` credentials from captures: their client lets agents write shared
    // credentials. The rule itself ('the shared-write rule') starts from a client that does not.
    async function withClient(name = 'Acme'): Promise<void> {
      await vault.addClient(client(name, { agentsWriteShared: true }));
    }

    describe('clients', () => {
      it('adds, gets (case-insensitively) and lists clients', async () => {
        const added = await vault.addClient(client('Acme', { autoCreate: true, defaultMode: 'change', twoWaySync: false }));
        assert.deepEqual(added, client('Acme', { autoCreate: true, defaultMode: 'change', twoWaySync: false }));
        await vault.addClient(client('Globex'));
        assert.deepEqual(await vault.getClient('aCME'), added);
        assert.equal(await vault.getClient('Initech'), undefined);
        assert.deepEqual((await vault.listClients()).map((c) => c.name).sort(), ['Acme', 'Globex']);
      });

      it('refuses a duplicate client, whatever its case, naming it', async () => {
        await vault.addClient(client('Acme'));
        const err = await rejects(vault.addClient(client('ACME')));
        assert.match(err.message, /ACME/);
        assert.match(err.message, /already exists/);
        assert.equal((await vault.listClients()).length, 1);
      });

      it('refuses bad client input with a message naming the field', async () => {
        assert.match((await rejects(vault.addClient(client('')))).message, /client name/);
        assert.match((await rejects(vault.addClient(client('X', { defaultMode: 'sync' as never })))).message, /defaultMode.*'report' or 'change'/);
        assert.match((await rejects(vault.addClient(client('X', { agentsWriteShared: 'yes' as never })))).message, /agentsWriteShared.*true or false/);
        assert.deepEqual(await vault.listClients(), []);
      });

      it('gives a new client the defaults for the options it leaves out: Change Password, no shared writes from agents, syncs off', async () => {
        assert.deepEqual(await vault.addClient({ name: 'Acme' }), {
          name: 'Acme', windowsSync: false, twoWaySync: false, autoCreate: false, defaultMode: 'change', agentsWriteShared: false,
        });
        const report = await vault.addClient({ name: 'Globex', windowsSync: true, defaultMode: 'report' });
        assert.deepEqual([report.defaultMode, report.windowsSync, report.agentsWriteShared], ['report', true, false]);
        assert.deepEqual(await vault.getClient('globex'), report);
      });

      it('updateClient changes the options given and keeps the others and the name', async () => {
        await vault.addClient(client('Acme'));
        const first = await vault.updateClient('ACME', { twoWaySync: false, agentsWriteShared: true });
        assert.deepEqual(first, client('Acme', { twoWaySync: false, agentsWriteShared: true }));
        const second = await vault.updateClient('acme', { defaultMode: 'change', windowsSync: false, autoCreate: true });
        assert.deepEqual(second, client('Acme', { twoWaySync: false, agentsWriteShared: true, defaultMode: 'change', windowsSync: false, autoCreate: true }));
        assert.deepEqual(await vault.getClient('Acme'), second);
        assert.deepEqual(await vault.updateClient('Acme', {}), second, 'an empty change changes nothing');
      });

      it('updateClient refuses an unknown client and bad options, naming them, and changes nothing', async () => {
        await vault.addClient(client('Acme'));
        const unknown = await rejects(vault.updateClient('Initech', { windowsSync: false }));
        assert.ok(unknown instanceof VaultNotFoundError);
        assert.match(unknown.message, /client "Initech"/);
        assert.match((await rejects(vault.updateClient('Acme', { defaultMode: 'sync' as never }))).message, /defaultMode/);
        assert.match((await rejects(vault.updateClient('Acme', { twoWaySync: 1 as never }))).message, /twoWaySync/);
        assert.match((await rejects(vault.updateClient('Acme', { name: 'Renamed' } as never))).message, /"name"/);
        assert.deepEqual(await vault.getClient('Acme'), client('Acme'));
      });

      it('deletes an empty client (any case); its name is free again', async () => {
        await vault.addClient(client('Acme'));
        await vault.addClient(client('Globex'));
        await vault.deleteClient('aCmE');
        assert.equal(await vault.getClient('Acme'), undefined);
        assert.deepEqual((await vault.listClients()).map((c) => c.name), ['Globex']);
        await vault.addClient(client('ACME'));
        assert.equal((await vault.getClient('acme'))?.name, 'ACME');
        const unknown = await rejects(vault.deleteClient('Initech'));
        assert.ok(unknown instanceof VaultNotFoundError);
        assert.match(unknown.message, /client "Initech"/);
      });

      it('refuses to delete a client that has credentials or machines, saying how many, and deletes nothing', async () => {
        await withClient('Acme');
        await vault.addCredential(cred('Acme', 'WS01\\alice', 'pw'));
        await vault.addCredential(cred('Acme', 'bob', 'pw'));
        await vault.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 0 });
        const full = await rejects(vault.deleteClient('Acme'));
        assert.ok(!(full instanceof VaultNotFoundError));
        assert.match(full.message, /client "Acme"/);
        assert.match(full.message, /2 credentials/);
        assert.match(full.message, /1 machine\b/);
        assert.equal((await vault.listCredentials('Acme')).length, 2);
        assert.ok(await vault.getClient('Acme'));

        await withClient('Globex');
        await vault.recordMachine({ name: 'WS02', client: 'Globex', filterState: 'active', journalDepth: 0 });
        const machinesOnly = await rejects(vault.deleteClient('Globex'));
        assert.match(machinesOnly.message, /0 credentials/);
        assert.match(machinesOnly.message, /1 machine\b/);
        assert.ok(await vault.getClient('Globex'));
      });
    });

    describe('credentials', () => {
      it('adds a credential at version 1 and finds it case-insensitively', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'Alice', 'pw1'));
        assert.equal(c.client, 'Acme');
        assert.equal(c.username, 'Alice');
        assert.equal(c.version, 1);
        assert.equal(c.mode, 'change');
        assert.equal(c.windowsSync, true);
        assert.deepEqual(c.flags, []);
        assert.equal(typeof c.updatedAt, 'number');
        assert.deepEqual(await vault.findCredential('acme', 'ALICE'), c);
        assert.equal(await vault.findCredential('Acme', 'Bob'), undefined);
        assert.equal(await vault.findCredential('Nobody', 'Alice'), undefined);
      });

      it('keeps MACHINE\\user and bare user apart', async () => {
        await withClient();
        const machine = await vault.addCredential(cred('Acme', 'WS01\\alice', 'machine-pw'));
        const shared = await vault.addCredential(cred('Acme', 'alice', 'shared-pw'));
        assert.notEqual(machine.id, shared.id);
        assert.equal((await vault.findCredential('Acme', 'ws01\\ALICE'))?.id, machine.id);
        assert.equal((await vault.findCredential('Acme', 'Alice'))?.id, shared.id);
        assert.equal((await vault.readPassword(machine.id)).toString(), 'machine-pw');
        assert.equal((await vault.readPassword(shared.id)).toString(), 'shared-pw');
      });

      it('refuses a duplicate username (any case), an unknown client and bad input, naming what is wrong', async () => {
        await withClient();
        await vault.addCredential(cred('Acme', 'alice', 'pw'));
        const dup = await rejects(vault.addCredential(cred('Acme', 'ALICE', 'pw2')));
        assert.match(dup.message, /ALICE.*already exists/);
        const unknown = await rejects(vault.addCredential(cred('Nope', 'bob', 'pw')));
        assert.ok(unknown instanceof VaultNotFoundError);
        assert.match(unknown.message, /client "Nope"/);
        assert.match((await rejects(vault.addCredential(cred('Acme', '', 'pw')))).message, /username/);
        assert.match((await rejects(vault.addCredential(cred('Acme', 'bob', 'pw', { mode: 'sync' as never })))).message,
          /mode must be 'report' or 'change'/);
        assert.equal((await vault.listCredentials('Acme')).length, 1);
      });

      it('lists one client\'s credentials in creation order; an unknown client lists nothing', async () => {
        await withClient('Acme');
        await withClient('Globex');
        const a = await vault.addCredential(cred('Acme', 'a', 'x'));
        await vault.addCredential(cred('Globex', 'g', 'x'));
        const b = await vault.addCredential(cred('Acme', 'b', 'x'));
        assert.deepEqual((await vault.listCredentials('ACME')).map((c) => c.id), [a.id, b.id]);
        assert.deepEqual(await vault.listCredentials('Initech'), []);
      });

      it('returns passwords byte for byte, non-ASCII included', async () => {
        await withClient();
        const samples = [
          Buffer.from('pässwörd-日本語-🔑', 'utf8'),
          Buffer.from('with\u0000nul and spaces  ', 'utf8'),
          Buffer.from('x'.repeat(1024), 'utf8'),
        ];
        for (const [i, pw] of samples.entries()) {
          const c = await vault.addCredential({ client: 'Acme', username: `u${i}`, password: pw, windowsSync: false, mode: 'report' });
          const back = await vault.readPassword(c.id);
          assert.ok(Buffer.isBuffer(back));
          assert.ok(back.equals(pw), `sample ${i} round-trips`);
        }
      });

      it('readPassword of an unknown credential is a VaultNotFoundError', async () => {
        assert.ok((await rejects(vault.readPassword(987654))) instanceof VaultNotFoundError);
      });

      it('updateCredential bumps the version only when the password changes', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
        const moded = await vault.updateCredential('Acme', 'ALICE', { mode: 'report', windowsSync: false });
        assert.equal(moded.version, 1);
        assert.equal(moded.mode, 'report');
        assert.equal(moded.windowsSync, false);
        const pw = await vault.updateCredential('acme', 'alice', { password: Buffer.from('new') });
        assert.equal(pw.version, 2);
        assert.equal(pw.mode, 'report', 'an earlier change is kept');
        assert.equal((await vault.readPassword(c.id)).toString(), 'new');
        const unknown = await rejects(vault.updateCredential('Acme', 'bob', { mode: 'change' }));
        assert.ok(unknown instanceof VaultNotFoundError);
        assert.match(unknown.message, /bob/);
      });
    });

    describe('deleting a credential', () => {
      it('deletes one credential (any case) and returns it as it was; the others stay', async () => {
        await withClient();
        const machine = await vault.addCredential(cred('Acme', 'WS01\\alice', 'machine-pw'));
        const shared = await vault.addCredential(cred('Acme', 'alice', 'shared-pw', { mode: 'report' }));
        const gone = await vault.deleteCredential('ACME', 'ws01\\ALICE');
        assert.deepEqual(gone, machine);
        assert.equal(await vault.findCredential('Acme', 'WS01\\alice'), undefined);
        assert.deepEqual((await vault.listCredentials('Acme')).map((c) => c.id), [shared.id]);
        assert.ok((await rejects(vault.readPassword(machine.id))) instanceof VaultNotFoundError, 'its password is gone too');
        assert.equal((await vault.readPassword(shared.id)).toString(), 'shared-pw');
      });

      it('refuses an unknown credential or client and bad names, naming them, and deletes nothing', async () => {
        await withClient();
        await vault.addCredential(cred('Acme', 'alice', 'pw'));
        const unknown = await rejects(vault.deleteCredential('Acme', 'bob'));
        assert.ok(unknown instanceof VaultNotFoundError);
        assert.match(unknown.message, /bob/);
        assert.ok((await rejects(vault.deleteCredential('Nope', 'alice'))) instanceof VaultNotFoundError);
        assert.match((await rejects(vault.deleteCredential('Acme', ''))).message, /username/);
        assert.equal((await vault.listCredentials('Acme')).length, 1);
      });

      it('deletes a flagged credential with an applied capture; the writes by its id then say not found', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
        await vault.setPasswordFromCapture(c.id, Buffer.from('new'), 1, eventId(1));
        await vault.setFlag(c.id, 'mismatch', true);
        await vault.deleteCredential('Acme', 'alice');
        assert.ok((await rejects(vault.setPasswordFromCapture(c.id, Buffer.from('later'), 2, eventId(2)))) instanceof VaultNotFoundError);
        assert.ok((await rejects(vault.setFlag(c.id, 'conflict', true))) instanceof VaultNotFoundError);
        // The same username can be added again, as a new credential with a clean slate.
        const again = await vault.addCredential(cred('Acme', 'alice', 'fresh'));
        assert.equal(again.version, 1);
        assert.deepEqual(again.flags, []);
        assert.equal((await vault.readPassword(again.id)).toString(), 'fresh');
      });

      it('never gives a deleted credential\'s id to a new one, the last one deleted included', async () => {
        await withClient();
        await vault.addCredential(cred('Acme', 'a', 'x'));
        const last = await vault.addCredential(cred('Acme', 'b', 'x'));
        await vault.deleteCredential('Acme', 'b');
        const next = await vault.addCredential(cred('Acme', 'b', 'y'));
        assert.ok(next.id > last.id, `new id ${next.id} is above the deleted ${last.id}`);
        await vault.deleteCredential('Acme', 'b');
        await vault.deleteCredential('Acme', 'a');
        const r = await vault.createFromCapture(cred('Acme', 'c', 'z'), eventId(9));
        assert.ok(r.credential.id > next.id, 'a capture-created one too, with the table empty');
      });
    });

    describe('writes from captures', () => {
      it('setPasswordFromCapture applies at the base version and bumps it', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
        const r = await vault.setPasswordFromCapture(c.id, Buffer.from('new'), 1, eventId(1));
        assert.equal(r.applied, true);
        assert.equal(r.credential.version, 2);
        assert.equal((await vault.readPassword(c.id)).toString(), 'new');
      });

      it('setPasswordFromCapture at a stale version throws VaultConflictError and changes nothing', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'alice', 'v1'));
        await vault.updateCredential('Acme', 'alice', { password: Buffer.from('v2') });
        const err = await rejects(vault.setPasswordFromCapture(c.id, Buffer.from('stale'), 1, eventId(2)));
        assert.ok(err instanceof VaultConflictError);
        assert.equal(err.credentialId, c.id);
        assert.equal(err.expected, 1);
        assert.equal(err.actual, 2);
        assert.equal((await vault.readPassword(c.id)).toString(), 'v2');
        assert.equal((await vault.findCredential('Acme', 'alice'))?.version, 2);
        // the refused event id was not consumed: it can still apply once rebased
        assert.equal((await vault.setPasswordFromCapture(c.id, Buffer.from('rebased'), 2, eventId(2))).applied, true);
      });

      it('applies each event id once: a re-delivery has no effect', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
        const first = await vault.setPasswordFromCapture(c.id, Buffer.from('new'), 1, eventId(7));
        const again = await vault.setPasswordFromCapture(c.id, Buffer.from('other'), 1, eventId(7));
        assert.equal(again.applied, false);
        assert.equal(again.credential.version, first.credential.version);
        assert.equal((await vault.readPassword(c.id)).toString(), 'new');
        assert.equal((await vault.findCredential('Acme', 'alice'))?.version, 2);
      });

      it('createFromCapture creates once per event id', async () => {
        await withClient();
        const first = await vault.createFromCapture(cred('Acme', 'carol', 'pw-c'), eventId(10));
        assert.equal(first.applied, true);
        assert.equal(first.credential.username, 'carol');
        const again = await vault.createFromCapture(cred('Acme', 'carol', 'pw-other'), eventId(10));
        assert.equal(again.applied, false);
        assert.equal(again.credential.id, first.credential.id);
        assert.equal((await vault.readPassword(first.credential.id)).toString(), 'pw-c');
        assert.equal((await vault.listCredentials('Acme')).length, 1);
      });

      it('createFromCapture for an existing username returns it unchanged, never a duplicate', async () => {
        await withClient();
        const existing = await vault.addCredential(cred('Acme', 'Dave', 'operator-set'));
        const r = await vault.createFromCapture(cred('Acme', 'dave', 'captured'), eventId(11));
        assert.equal(r.applied, false);
        assert.equal(r.credential.id, existing.id);
        assert.equal(r.credential.version, 1);
        assert.equal((await vault.readPassword(existing.id)).toString(), 'operator-set');
        assert.equal((await vault.listCredentials('Acme')).length, 1);
      });

      it('createFromCapture into an unknown client is a VaultNotFoundError', async () => {
        assert.ok((await rejects(vault.createFromCapture(cred('Nope', 'x', 'pw'), eventId(12)))) instanceof VaultNotFoundError);
      });

      it('addCredential with an event id is idempotent too', async () => {
        await withClient();
        const a = await vault.addCredential(cred('Acme', 'erin', 'pw'), eventId(20));
        const b = await vault.addCredential(cred('Acme', 'erin', 'pw'), eventId(20));
        assert.equal(b.id, a.id);
        assert.equal((await vault.listCredentials('Acme')).length, 1);
      });
    });

    describe('the shared-write rule', () => {
      it('refuses a captured password for a shared credential while the client does not let agents write them', async () => {
        await vault.addClient(client('Acme'));
        const shared = await vault.addCredential(cred('Acme', 'alice', 'vault-pw'));
        const own = await vault.addCredential(cred('Acme', 'WS01\\alice', 'own-pw'));
        const err = await rejects(vault.setPasswordFromCapture(shared.id, Buffer.from('pushed'), 1, eventId(40)));
        assert.ok(err instanceof VaultPolicyError, `${err.name}: ${err.message}`);
        assert.match(err.message, /"alice"/);
        assert.match(err.message, /client "Acme"/);
        assert.match(err.message, /shared/);
        assert.equal((await vault.readPassword(shared.id)).toString(), 'vault-pw');
        assert.equal((await vault.findCredential('Acme', 'alice'))?.version, 1);
        // A machine's own credential in the same client is not shared: it takes the capture.
        assert.equal((await vault.setPasswordFromCapture(own.id, Buffer.from('own-2'), 1, eventId(41))).applied, true);
        // The option turned on: the same event (its id was not consumed by the refusal) now applies.
        await vault.updateClient('Acme', { agentsWriteShared: true });
        assert.equal((await vault.setPasswordFromCapture(shared.id, Buffer.from('pushed'), 1, eventId(40))).applied, true);
        assert.equal((await vault.readPassword(shared.id)).toString(), 'pushed');
      });

      it('refuses to create a shared credential from a capture, and creates a machine\'s own one', async () => {
        await vault.addClient(client('Acme', { autoCreate: true }));
        const err = await rejects(vault.createFromCapture(cred('Acme', 'carol', 'pw'), eventId(42)));
        assert.ok(err instanceof VaultPolicyError);
        assert.match(err.message, /"carol"/);
        assert.equal(await vault.findCredential('Acme', 'carol'), undefined);
        assert.equal((await vault.createFromCapture(cred('Acme', 'WS01\\carol', 'pw'), eventId(43))).applied, true);
        // An operator's own writes are not captures: a shared credential is theirs to set.
        const op = await vault.addCredential(cred('Acme', 'dave', 'pw'));
        assert.equal((await vault.updateCredential('Acme', 'dave', { password: Buffer.from('pw-2') })).version, op.version + 1);
      });
    });

    describe('flags', () => {
      it('sets and clears flags idempotently', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'alice', 'pw'));
        await vault.setFlag(c.id, 'mismatch', true);
        await vault.setFlag(c.id, 'mismatch', true);
        await vault.setFlag(c.id, 'conflict', true);
        assert.deepEqual((await vault.findCredential('Acme', 'alice'))?.flags.slice().sort(), ['conflict', 'mismatch']);
        await vault.setFlag(c.id, 'mismatch', false);
        await vault.setFlag(c.id, 'mismatch', false);
        assert.deepEqual((await vault.findCredential('Acme', 'alice'))?.flags, ['conflict']);
        assert.deepEqual((await vault.listCredentials('Acme'))[0].flags, ['conflict']);
      });

      it('refuses an unknown flag and an unknown credential', async () => {
        await withClient();
        const c = await vault.addCredential(cred('Acme', 'alice', 'pw'));
        assert.match((await rejects(vault.setFlag(c.id, 'bogus' as never, true))).message, /flag/);
        assert.ok((await rejects(vault.setFlag(c.id + 1000, 'mismatch', true))) instanceof VaultNotFoundError);
      });
    });

    describe('machines', () => {
      it('records a machine of a known client, refuses an unknown client', async () => {
        await withClient();
        await vault.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 0 });
        await vault.recordMachine({ name: 'ws01', client: 'acme', filterState: 'faulted', journalDepth: 3 });
        const err = await rejects(vault.recordMachine({ name: 'WS02', client: 'Nope', filterState: 'active', journalDepth: 0 }));
        assert.match(err.message, /client "Nope"/);
        // Read back through the port: the client now holds exactly one machine (WS01 and ws01 are one name).
        const held = await rejects(vault.deleteClient('Acme'));
        assert.match(held.message, /still has 0 credentials, 1 machine[;\s]/);
      });
    });

    describe('events', () => {
      const ev = (time: number, account: string | undefined, kind: string, over: Partial<EventRecord> = {}): EventRecord => ({
        time, machine: 'WS01', kind, outcome: 'ok', ...(account === undefined ? {} : { account }), ...over,
      });

      it('stores events and returns them by id order with all their fields', async () => {
        await vault.appendEvents([
          ev(1000, 'Alice', 'capture', { credentialId: 4, reason: 'synced', traceId: 'ab12' }),
          ev(1001, undefined, 'reconcile', { outcome: 'info' }),
        ]);
        const all = await vault.queryEvents({});
        assert.equal(all.length, 2);
        assert.ok(all[0].id! < all[1].id!);
        assert.deepEqual({ ...all[0], id: 0 }, { id: 0, time: 1000, machine: 'WS01', account: 'Alice', credentialId: 4,
          kind: 'capture', outcome: 'ok', reason: 'synced', traceId: 'ab12' });
        assert.deepEqual({ ...all[1], id: 0 }, { id: 0, time: 1001, machine: 'WS01', kind: 'reconcile', outcome: 'info' });
      });

      it('filters by sinceMs, account (any case), kind, afterId and limit', async () => {
        await vault.appendEvents([
          ev(100, 'alice', 'capture'), ev(200, 'BOB', 'capture'), ev(300, 'Alice', 'reconcile'),
          ev(400, 'ALICE', 'capture'), ev(500, 'bob', 'reconcile'),
        ]);
        const times = (rs: EventRecord[]) => rs.map((r) => r.time);
        assert.deepEqual(times(await vault.queryEvents({ sinceMs: 300 })), [300, 400, 500]);
        assert.deepEqual(times(await vault.queryEvents({ account: 'aLiCe' })), [100, 300, 400]);
        assert.deepEqual(times(await vault.queryEvents({ kind: 'reconcile' })), [300, 500]);
        assert.deepEqual(times(await vault.queryEvents({ account: 'alice', kind: 'capture', sinceMs: 150 })), [400]);
        const page1 = await vault.queryEvents({ limit: 2 });
        assert.deepEqual(times(page1), [100, 200]);
        assert.deepEqual(times(await vault.queryEvents({ afterId: page1[1].id, limit: 2 })), [300, 400]);
        assert.deepEqual(await vault.queryEvents({ account: 'carol' }), []);
        await vault.appendEvents([ev(600, 'alice', 'capture', { machine: 'WS02' })]);
        assert.deepEqual(times(await vault.queryEvents({ machine: 'WS02' })), [600]);
        assert.deepEqual(times(await vault.queryEvents({ machine: 'WS01', sinceMs: 450 })), [500]);
        // latest: the last matches, still oldest first (what `pwbridge events` shows).
        assert.deepEqual(times(await vault.queryEvents({ latest: true, limit: 2 })), [500, 600]);
        assert.deepEqual(times(await vault.queryEvents({ latest: true, limit: 2, account: 'alice' })), [400, 600]);
      });

      it('stores an event with a uid once per machine: a repeated delivery adds nothing, in or across batches', async () => {
        const u = (n: number) => n.toString(16).padStart(32, 'a');
        await vault.appendEvents([ev(1, 'alice', 'capture', { uid: u(1) }), ev(2, 'alice', 'capture', { uid: u(2) })]);
        // A crash between the vault's commit and the agent's delete: the same batch again, with a new one behind it.
        await vault.appendEvents([ev(1, 'alice', 'capture', { uid: u(1) }), ev(2, 'alice', 'capture', { uid: u(2) }), ev(3, 'alice', 'capture', { uid: u(3) })]);
        await vault.appendEvents([ev(4, 'alice', 'capture', { uid: u(4) }), ev(4, 'alice', 'capture', { uid: u(4) })]);
        // Another machine's event may carry the same uid (uids are per machine); events without one are never merged.
        await vault.appendEvents([ev(5, 'bob', 'capture', { uid: u(1), machine: 'WS02' }), ev(6, undefined, 'hub'), ev(6, undefined, 'hub')]);
        const all = await vault.queryEvents({});
        assert.deepEqual(all.map((e) => [e.time, e.machine, e.uid]), [
          [1, 'WS01', u(1)], [2, 'WS01', u(2)], [3, 'WS01', u(3)], [4, 'WS01', u(4)], [5, 'WS02', u(1)], [6, 'WS01', undefined], [6, 'WS01', undefined],
        ]);
      });

      it('refuses a uid that is not 32 lowercase hex characters', async () => {
        for (const uid of ['', 'ABCDEF0123456789ABCDEF0123456789', 'abc', `${'a'.repeat(32)}0`]) {
          const err = await rejects(vault.appendEvents([ev(1, 'a', 'capture', { uid })]));
          assert.match(err.message, /uid/);
        }
        assert.deepEqual(await vault.queryEvents({}), []);
      });

      it('refuses a malformed event and stores none of the batch', async () => {
        const err = await rejects(vault.appendEvents([ev(1, 'a', 'capture'), ev(2, 'a', 'capture', { outcome: 'great' as never })]));
        assert.match(err.message, /outcome/);
        assert.deepEqual(await vault.queryEvents({}), []);
      });
    });

    describeHistoryContract(() => vault, history);
    describeConflictContract(() => vault, history);

    it('never puts a password in an error message', async () => {
      await withClient();
      const c = await vault.addCredential(cred('Acme', 'alice', CANARY));
      const errors = [
        await rejects(vault.addCredential(cred('Acme', 'alice', CANARY))),
        await rejects(vault.addCredential(cred('Acme', 'bob', CANARY, { mode: 'bad' as never }))),
        await rejects(vault.addCredential(cred('Nope', 'bob', CANARY))),
        await rejects(vault.setPasswordFromCapture(c.id, Buffer.from(CANARY), 99, eventId(30))),
        await rejects(vault.updateCredential('Acme', 'nobody', { password: Buffer.from(CANARY) })),
        await rejects(vault.createFromCapture(cred('Acme', '', CANARY), eventId(31))),
      ];
      await vault.updateClient('Acme', { agentsWriteShared: false });
      errors.push(await rejects(vault.setPasswordFromCapture(c.id, Buffer.from(CANARY), 1, eventId(32))));
      errors.push(await rejects(vault.createFromCapture(cred('Acme', 'erin', CANARY), eventId(33))));
      assert.ok(errors.slice(-2).every((e) => e instanceof VaultPolicyError));
      for (const err of errors) {
        const text = `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`;
        assert.ok(!text.includes(CANARY), `error "${err.message}" leaks the password`);
      }
    });
  });
}
