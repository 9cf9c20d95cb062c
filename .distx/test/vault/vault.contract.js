"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.describeVaultContract = describeVaultContract;
/**
 * The VaultPort contract, as a reusable mocha suite: every vault adapter (the embedded SQLite vault
 * today, the hub's HTTP adapter later) must pass it unchanged.
 *
 *   describeVaultContract('SqliteVault', async () => ({ vault, cleanup }));
 *
 * makeVault must return an empty vault; cleanup closes it and removes what it made.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const vault_port_1 = require("../../src/ports/vault.port");
const CANARY = 'Canary-Pw-7f3e9a';
const client = (name, over = {}) => ({
    name, windowsSync: true, twoWaySync: true, autoCreate: false, defaultMode: 'report', agentsWriteShared: false, ...over,
});
const cred = (clientName, username, password, over = {}) => ({
    client: clientName, username, password: Buffer.from(password, 'utf8'), windowsSync: true, mode: 'change', ...over,
});
const eventId = (n) => n.toString(16).padStart(32, '0');
/** Await `p`, expect it to reject, and return the error for further checks. */
async function rejects(p) {
    try {
        await p;
    }
    catch (err) {
        strict_1.default.ok(err instanceof Error, 'rejects with an Error');
        return err;
    }
    strict_1.default.fail('expected a rejection');
}
function describeVaultContract(name, makeVault) {
    describe(`VaultPort contract: ${name}`, () => {
        let vault;
        let cleanup;
        beforeEach(async () => {
            ({ vault, cleanup } = await makeVault());
        });
        afterEach(async () => {
            await cleanup();
        });
        // Most tests below write bare `user` credentials from captures: their client lets agents write shared
        // credentials. The rule itself ('the shared-write rule') starts from a client that does not.
        async function withClient(name = 'Acme') {
            await vault.addClient(client(name, { agentsWriteShared: true }));
        }
        describe('clients', () => {
            it('adds, gets (case-insensitively) and lists clients', async () => {
                const added = await vault.addClient(client('Acme', { autoCreate: true, defaultMode: 'change', twoWaySync: false }));
                strict_1.default.deepEqual(added, client('Acme', { autoCreate: true, defaultMode: 'change', twoWaySync: false }));
                await vault.addClient(client('Globex'));
                strict_1.default.deepEqual(await vault.getClient('aCME'), added);
                strict_1.default.equal(await vault.getClient('Initech'), undefined);
                strict_1.default.deepEqual((await vault.listClients()).map((c) => c.name).sort(), ['Acme', 'Globex']);
            });
            it('refuses a duplicate client, whatever its case, naming it', async () => {
                await vault.addClient(client('Acme'));
                const err = await rejects(vault.addClient(client('ACME')));
                strict_1.default.match(err.message, /ACME/);
                strict_1.default.match(err.message, /already exists/);
                strict_1.default.equal((await vault.listClients()).length, 1);
            });
            it('refuses bad client input with a message naming the field', async () => {
                strict_1.default.match((await rejects(vault.addClient(client('')))).message, /client name/);
                strict_1.default.match((await rejects(vault.addClient(client('X', { defaultMode: 'sync' })))).message, /defaultMode.*'report' or 'change'/);
                strict_1.default.match((await rejects(vault.addClient(client('X', { agentsWriteShared: 'yes' })))).message, /agentsWriteShared.*true or false/);
                strict_1.default.deepEqual(await vault.listClients(), []);
            });
            it('gives a new client the defaults for the options it leaves out: Change Password, no shared writes from agents, syncs off', async () => {
                strict_1.default.deepEqual(await vault.addClient({ name: 'Acme' }), {
                    name: 'Acme', windowsSync: false, twoWaySync: false, autoCreate: false, defaultMode: 'change', agentsWriteShared: false,
                });
                const report = await vault.addClient({ name: 'Globex', windowsSync: true, defaultMode: 'report' });
                strict_1.default.deepEqual([report.defaultMode, report.windowsSync, report.agentsWriteShared], ['report', true, false]);
                strict_1.default.deepEqual(await vault.getClient('globex'), report);
            });
            it('updateClient changes the options given and keeps the others and the name', async () => {
                await vault.addClient(client('Acme'));
                const first = await vault.updateClient('ACME', { twoWaySync: false, agentsWriteShared: true });
                strict_1.default.deepEqual(first, client('Acme', { twoWaySync: false, agentsWriteShared: true }));
                const second = await vault.updateClient('acme', { defaultMode: 'change', windowsSync: false, autoCreate: true });
                strict_1.default.deepEqual(second, client('Acme', { twoWaySync: false, agentsWriteShared: true, defaultMode: 'change', windowsSync: false, autoCreate: true }));
                strict_1.default.deepEqual(await vault.getClient('Acme'), second);
                strict_1.default.deepEqual(await vault.updateClient('Acme', {}), second, 'an empty change changes nothing');
            });
            it('updateClient refuses an unknown client and bad options, naming them, and changes nothing', async () => {
                await vault.addClient(client('Acme'));
                const unknown = await rejects(vault.updateClient('Initech', { windowsSync: false }));
                strict_1.default.ok(unknown instanceof vault_port_1.VaultNotFoundError);
                strict_1.default.match(unknown.message, /client "Initech"/);
                strict_1.default.match((await rejects(vault.updateClient('Acme', { defaultMode: 'sync' }))).message, /defaultMode/);
                strict_1.default.match((await rejects(vault.updateClient('Acme', { twoWaySync: 1 }))).message, /twoWaySync/);
                strict_1.default.match((await rejects(vault.updateClient('Acme', { name: 'Renamed' }))).message, /"name"/);
                strict_1.default.deepEqual(await vault.getClient('Acme'), client('Acme'));
            });
            it('deletes an empty client (any case); its name is free again', async () => {
                await vault.addClient(client('Acme'));
                await vault.addClient(client('Globex'));
                await vault.deleteClient('aCmE');
                strict_1.default.equal(await vault.getClient('Acme'), undefined);
                strict_1.default.deepEqual((await vault.listClients()).map((c) => c.name), ['Globex']);
                await vault.addClient(client('ACME'));
                strict_1.default.equal((await vault.getClient('acme'))?.name, 'ACME');
                const unknown = await rejects(vault.deleteClient('Initech'));
                strict_1.default.ok(unknown instanceof vault_port_1.VaultNotFoundError);
                strict_1.default.match(unknown.message, /client "Initech"/);
            });
            it('refuses to delete a client that has credentials or machines, saying how many, and deletes nothing', async () => {
                await withClient('Acme');
                await vault.addCredential(cred('Acme', 'WS01\\alice', 'pw'));
                await vault.addCredential(cred('Acme', 'bob', 'pw'));
                await vault.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 0 });
                const full = await rejects(vault.deleteClient('Acme'));
                strict_1.default.ok(!(full instanceof vault_port_1.VaultNotFoundError));
                strict_1.default.match(full.message, /client "Acme"/);
                strict_1.default.match(full.message, /2 credentials/);
                strict_1.default.match(full.message, /1 machine\b/);
                strict_1.default.equal((await vault.listCredentials('Acme')).length, 2);
                strict_1.default.ok(await vault.getClient('Acme'));
                await withClient('Globex');
                await vault.recordMachine({ name: 'WS02', client: 'Globex', filterState: 'active', journalDepth: 0 });
                const machinesOnly = await rejects(vault.deleteClient('Globex'));
                strict_1.default.match(machinesOnly.message, /0 credentials/);
                strict_1.default.match(machinesOnly.message, /1 machine\b/);
                strict_1.default.ok(await vault.getClient('Globex'));
            });
        });
        describe('credentials', () => {
            it('adds a credential at version 1 and finds it case-insensitively', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'Alice', 'pw1'));
                strict_1.default.equal(c.client, 'Acme');
                strict_1.default.equal(c.username, 'Alice');
                strict_1.default.equal(c.version, 1);
                strict_1.default.equal(c.mode, 'change');
                strict_1.default.equal(c.windowsSync, true);
                strict_1.default.deepEqual(c.flags, []);
                strict_1.default.equal(typeof c.updatedAt, 'number');
                strict_1.default.deepEqual(await vault.findCredential('acme', 'ALICE'), c);
                strict_1.default.equal(await vault.findCredential('Acme', 'Bob'), undefined);
                strict_1.default.equal(await vault.findCredential('Nobody', 'Alice'), undefined);
            });
            it('keeps MACHINE\\user and bare user apart', async () => {
                await withClient();
                const machine = await vault.addCredential(cred('Acme', 'WS01\\alice', 'machine-pw'));
                const shared = await vault.addCredential(cred('Acme', 'alice', 'shared-pw'));
                strict_1.default.notEqual(machine.id, shared.id);
                strict_1.default.equal((await vault.findCredential('Acme', 'ws01\\ALICE'))?.id, machine.id);
                strict_1.default.equal((await vault.findCredential('Acme', 'Alice'))?.id, shared.id);
                strict_1.default.equal((await vault.readPassword(machine.id)).toString(), 'machine-pw');
                strict_1.default.equal((await vault.readPassword(shared.id)).toString(), 'shared-pw');
            });
            it('refuses a duplicate username (any case), an unknown client and bad input, naming what is wrong', async () => {
                await withClient();
                await vault.addCredential(cred('Acme', 'alice', 'pw'));
                const dup = await rejects(vault.addCredential(cred('Acme', 'ALICE', 'pw2')));
                strict_1.default.match(dup.message, /ALICE.*already exists/);
                const unknown = await rejects(vault.addCredential(cred('Nope', 'bob', 'pw')));
                strict_1.default.ok(unknown instanceof vault_port_1.VaultNotFoundError);
                strict_1.default.match(unknown.message, /client "Nope"/);
                strict_1.default.match((await rejects(vault.addCredential(cred('Acme', '', 'pw')))).message, /username/);
                strict_1.default.match((await rejects(vault.addCredential(cred('Acme', 'bob', 'pw', { mode: 'sync' })))).message, /mode must be 'report' or 'change'/);
                strict_1.default.equal((await vault.listCredentials('Acme')).length, 1);
            });
            it('lists one client\'s credentials in creation order; an unknown client lists nothing', async () => {
                await withClient('Acme');
                await withClient('Globex');
                const a = await vault.addCredential(cred('Acme', 'a', 'x'));
                await vault.addCredential(cred('Globex', 'g', 'x'));
                const b = await vault.addCredential(cred('Acme', 'b', 'x'));
                strict_1.default.deepEqual((await vault.listCredentials('ACME')).map((c) => c.id), [a.id, b.id]);
                strict_1.default.deepEqual(await vault.listCredentials('Initech'), []);
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
                    strict_1.default.ok(Buffer.isBuffer(back));
                    strict_1.default.ok(back.equals(pw), `sample ${i} round-trips`);
                }
            });
            it('readPassword of an unknown credential is a VaultNotFoundError', async () => {
                strict_1.default.ok((await rejects(vault.readPassword(987654))) instanceof vault_port_1.VaultNotFoundError);
            });
            it('updateCredential bumps the version only when the password changes', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
                const moded = await vault.updateCredential('Acme', 'ALICE', { mode: 'report', windowsSync: false });
                strict_1.default.equal(moded.version, 1);
                strict_1.default.equal(moded.mode, 'report');
                strict_1.default.equal(moded.windowsSync, false);
                const pw = await vault.updateCredential('acme', 'alice', { password: Buffer.from('new') });
                strict_1.default.equal(pw.version, 2);
                strict_1.default.equal(pw.mode, 'report', 'an earlier change is kept');
                strict_1.default.equal((await vault.readPassword(c.id)).toString(), 'new');
                const unknown = await rejects(vault.updateCredential('Acme', 'bob', { mode: 'change' }));
                strict_1.default.ok(unknown instanceof vault_port_1.VaultNotFoundError);
                strict_1.default.match(unknown.message, /bob/);
            });
        });
        describe('deleting a credential', () => {
            it('deletes one credential (any case) and returns it as it was; the others stay', async () => {
                await withClient();
                const machine = await vault.addCredential(cred('Acme', 'WS01\\alice', 'machine-pw'));
                const shared = await vault.addCredential(cred('Acme', 'alice', 'shared-pw', { mode: 'report' }));
                const gone = await vault.deleteCredential('ACME', 'ws01\\ALICE');
                strict_1.default.deepEqual(gone, machine);
                strict_1.default.equal(await vault.findCredential('Acme', 'WS01\\alice'), undefined);
                strict_1.default.deepEqual((await vault.listCredentials('Acme')).map((c) => c.id), [shared.id]);
                strict_1.default.ok((await rejects(vault.readPassword(machine.id))) instanceof vault_port_1.VaultNotFoundError, 'its password is gone too');
                strict_1.default.equal((await vault.readPassword(shared.id)).toString(), 'shared-pw');
            });
            it('refuses an unknown credential or client and bad names, naming them, and deletes nothing', async () => {
                await withClient();
                await vault.addCredential(cred('Acme', 'alice', 'pw'));
                const unknown = await rejects(vault.deleteCredential('Acme', 'bob'));
                strict_1.default.ok(unknown instanceof vault_port_1.VaultNotFoundError);
                strict_1.default.match(unknown.message, /bob/);
                strict_1.default.ok((await rejects(vault.deleteCredential('Nope', 'alice'))) instanceof vault_port_1.VaultNotFoundError);
                strict_1.default.match((await rejects(vault.deleteCredential('Acme', ''))).message, /username/);
                strict_1.default.equal((await vault.listCredentials('Acme')).length, 1);
            });
            it('deletes a flagged credential with an applied capture; the writes by its id then say not found', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
                await vault.setPasswordFromCapture(c.id, Buffer.from('new'), 1, eventId(1));
                await vault.setFlag(c.id, 'mismatch', true);
                await vault.deleteCredential('Acme', 'alice');
                strict_1.default.ok((await rejects(vault.setPasswordFromCapture(c.id, Buffer.from('later'), 2, eventId(2)))) instanceof vault_port_1.VaultNotFoundError);
                strict_1.default.ok((await rejects(vault.setFlag(c.id, 'conflict', true))) instanceof vault_port_1.VaultNotFoundError);
                // The same username can be added again, as a new credential with a clean slate.
                const again = await vault.addCredential(cred('Acme', 'alice', 'fresh'));
                strict_1.default.equal(again.version, 1);
                strict_1.default.deepEqual(again.flags, []);
                strict_1.default.equal((await vault.readPassword(again.id)).toString(), 'fresh');
            });
            it('never gives a deleted credential\'s id to a new one, the last one deleted included', async () => {
                await withClient();
                await vault.addCredential(cred('Acme', 'a', 'x'));
                const last = await vault.addCredential(cred('Acme', 'b', 'x'));
                await vault.deleteCredential('Acme', 'b');
                const next = await vault.addCredential(cred('Acme', 'b', 'y'));
                strict_1.default.ok(next.id > last.id, `new id ${next.id} is above the deleted ${last.id}`);
                await vault.deleteCredential('Acme', 'b');
                await vault.deleteCredential('Acme', 'a');
                const r = await vault.createFromCapture(cred('Acme', 'c', 'z'), eventId(9));
                strict_1.default.ok(r.credential.id > next.id, 'a capture-created one too, with the table empty');
            });
        });
        describe('writes from captures', () => {
            it('setPasswordFromCapture applies at the base version and bumps it', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
                const r = await vault.setPasswordFromCapture(c.id, Buffer.from('new'), 1, eventId(1));
                strict_1.default.equal(r.applied, true);
                strict_1.default.equal(r.credential.version, 2);
                strict_1.default.equal((await vault.readPassword(c.id)).toString(), 'new');
            });
            it('setPasswordFromCapture at a stale version throws VaultConflictError and changes nothing', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'alice', 'v1'));
                await vault.updateCredential('Acme', 'alice', { password: Buffer.from('v2') });
                const err = await rejects(vault.setPasswordFromCapture(c.id, Buffer.from('stale'), 1, eventId(2)));
                strict_1.default.ok(err instanceof vault_port_1.VaultConflictError);
                strict_1.default.equal(err.credentialId, c.id);
                strict_1.default.equal(err.expected, 1);
                strict_1.default.equal(err.actual, 2);
                strict_1.default.equal((await vault.readPassword(c.id)).toString(), 'v2');
                strict_1.default.equal((await vault.findCredential('Acme', 'alice'))?.version, 2);
                // the refused event id was not consumed: it can still apply once rebased
                strict_1.default.equal((await vault.setPasswordFromCapture(c.id, Buffer.from('rebased'), 2, eventId(2))).applied, true);
            });
            it('applies each event id once: a re-delivery has no effect', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'alice', 'old'));
                const first = await vault.setPasswordFromCapture(c.id, Buffer.from('new'), 1, eventId(7));
                const again = await vault.setPasswordFromCapture(c.id, Buffer.from('other'), 1, eventId(7));
                strict_1.default.equal(again.applied, false);
                strict_1.default.equal(again.credential.version, first.credential.version);
                strict_1.default.equal((await vault.readPassword(c.id)).toString(), 'new');
                strict_1.default.equal((await vault.findCredential('Acme', 'alice'))?.version, 2);
            });
            it('createFromCapture creates once per event id', async () => {
                await withClient();
                const first = await vault.createFromCapture(cred('Acme', 'carol', 'pw-c'), eventId(10));
                strict_1.default.equal(first.applied, true);
                strict_1.default.equal(first.credential.username, 'carol');
                const again = await vault.createFromCapture(cred('Acme', 'carol', 'pw-other'), eventId(10));
                strict_1.default.equal(again.applied, false);
                strict_1.default.equal(again.credential.id, first.credential.id);
                strict_1.default.equal((await vault.readPassword(first.credential.id)).toString(), 'pw-c');
                strict_1.default.equal((await vault.listCredentials('Acme')).length, 1);
            });
            it('createFromCapture for an existing username returns it unchanged, never a duplicate', async () => {
                await withClient();
                const existing = await vault.addCredential(cred('Acme', 'Dave', 'operator-set'));
                const r = await vault.createFromCapture(cred('Acme', 'dave', 'captured'), eventId(11));
                strict_1.default.equal(r.applied, false);
                strict_1.default.equal(r.credential.id, existing.id);
                strict_1.default.equal(r.credential.version, 1);
                strict_1.default.equal((await vault.readPassword(existing.id)).toString(), 'operator-set');
                strict_1.default.equal((await vault.listCredentials('Acme')).length, 1);
            });
            it('createFromCapture into an unknown client is a VaultNotFoundError', async () => {
                strict_1.default.ok((await rejects(vault.createFromCapture(cred('Nope', 'x', 'pw'), eventId(12)))) instanceof vault_port_1.VaultNotFoundError);
            });
            it('addCredential with an event id is idempotent too', async () => {
                await withClient();
                const a = await vault.addCredential(cred('Acme', 'erin', 'pw'), eventId(20));
                const b = await vault.addCredential(cred('Acme', 'erin', 'pw'), eventId(20));
                strict_1.default.equal(b.id, a.id);
                strict_1.default.equal((await vault.listCredentials('Acme')).length, 1);
            });
        });
        describe('the shared-write rule', () => {
            it('refuses a captured password for a shared credential while the client does not let agents write them', async () => {
                await vault.addClient(client('Acme'));
                const shared = await vault.addCredential(cred('Acme', 'alice', 'vault-pw'));
                const own = await vault.addCredential(cred('Acme', 'WS01\\alice', 'own-pw'));
                const err = await rejects(vault.setPasswordFromCapture(shared.id, Buffer.from('pushed'), 1, eventId(40)));
                strict_1.default.ok(err instanceof vault_port_1.VaultPolicyError, `${err.name}: ${err.message}`);
                strict_1.default.match(err.message, /"alice"/);
                strict_1.default.match(err.message, /client "Acme"/);
                strict_1.default.match(err.message, /shared/);
                strict_1.default.equal((await vault.readPassword(shared.id)).toString(), 'vault-pw');
                strict_1.default.equal((await vault.findCredential('Acme', 'alice'))?.version, 1);
                // A machine's own credential in the same client is not shared: it takes the capture.
                strict_1.default.equal((await vault.setPasswordFromCapture(own.id, Buffer.from('own-2'), 1, eventId(41))).applied, true);
                // The option turned on: the same event (its id was not consumed by the refusal) now applies.
                await vault.updateClient('Acme', { agentsWriteShared: true });
                strict_1.default.equal((await vault.setPasswordFromCapture(shared.id, Buffer.from('pushed'), 1, eventId(40))).applied, true);
                strict_1.default.equal((await vault.readPassword(shared.id)).toString(), 'pushed');
            });
            it('refuses to create a shared credential from a capture, and creates a machine\'s own one', async () => {
                await vault.addClient(client('Acme', { autoCreate: true }));
                const err = await rejects(vault.createFromCapture(cred('Acme', 'carol', 'pw'), eventId(42)));
                strict_1.default.ok(err instanceof vault_port_1.VaultPolicyError);
                strict_1.default.match(err.message, /"carol"/);
                strict_1.default.equal(await vault.findCredential('Acme', 'carol'), undefined);
                strict_1.default.equal((await vault.createFromCapture(cred('Acme', 'WS01\\carol', 'pw'), eventId(43))).applied, true);
                // An operator's own writes are not captures: a shared credential is theirs to set.
                const op = await vault.addCredential(cred('Acme', 'dave', 'pw'));
                strict_1.default.equal((await vault.updateCredential('Acme', 'dave', { password: Buffer.from('pw-2') })).version, op.version + 1);
            });
        });
        describe('flags', () => {
            it('sets and clears flags idempotently', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'alice', 'pw'));
                await vault.setFlag(c.id, 'mismatch', true);
                await vault.setFlag(c.id, 'mismatch', true);
                await vault.setFlag(c.id, 'conflict', true);
                strict_1.default.deepEqual((await vault.findCredential('Acme', 'alice'))?.flags.slice().sort(), ['conflict', 'mismatch']);
                await vault.setFlag(c.id, 'mismatch', false);
                await vault.setFlag(c.id, 'mismatch', false);
                strict_1.default.deepEqual((await vault.findCredential('Acme', 'alice'))?.flags, ['conflict']);
                strict_1.default.deepEqual((await vault.listCredentials('Acme'))[0].flags, ['conflict']);
            });
            it('refuses an unknown flag and an unknown credential', async () => {
                await withClient();
                const c = await vault.addCredential(cred('Acme', 'alice', 'pw'));
                strict_1.default.match((await rejects(vault.setFlag(c.id, 'bogus', true))).message, /flag/);
                strict_1.default.ok((await rejects(vault.setFlag(c.id + 1000, 'mismatch', true))) instanceof vault_port_1.VaultNotFoundError);
            });
        });
        describe('machines', () => {
            it('records a machine of a known client, refuses an unknown client', async () => {
                await withClient();
                await vault.recordMachine({ name: 'WS01', client: 'Acme', filterState: 'active', journalDepth: 0 });
                await vault.recordMachine({ name: 'ws01', client: 'acme', filterState: 'faulted', journalDepth: 3 });
                const err = await rejects(vault.recordMachine({ name: 'WS02', client: 'Nope', filterState: 'active', journalDepth: 0 }));
                strict_1.default.match(err.message, /client "Nope"/);
            });
        });
        describe('events', () => {
            const ev = (time, account, kind, over = {}) => ({
                time, machine: 'WS01', kind, outcome: 'ok', ...(account === undefined ? {} : { account }), ...over,
            });
            it('stores events and returns them by id order with all their fields', async () => {
                await vault.appendEvents([
                    ev(1000, 'Alice', 'capture', { credentialId: 4, reason: 'synced', traceId: 'ab12' }),
                    ev(1001, undefined, 'reconcile', { outcome: 'info' }),
                ]);
                const all = await vault.queryEvents({});
                strict_1.default.equal(all.length, 2);
                strict_1.default.ok(all[0].id < all[1].id);
                strict_1.default.deepEqual({ ...all[0], id: 0 }, { id: 0, time: 1000, machine: 'WS01', account: 'Alice', credentialId: 4,
                    kind: 'capture', outcome: 'ok', reason: 'synced', traceId: 'ab12' });
                strict_1.default.deepEqual({ ...all[1], id: 0 }, { id: 0, time: 1001, machine: 'WS01', kind: 'reconcile', outcome: 'info' });
            });
            it('filters by sinceMs, account (any case), kind, afterId and limit', async () => {
                await vault.appendEvents([
                    ev(100, 'alice', 'capture'), ev(200, 'BOB', 'capture'), ev(300, 'Alice', 'reconcile'),
                    ev(400, 'ALICE', 'capture'), ev(500, 'bob', 'reconcile'),
                ]);
                const times = (rs) => rs.map((r) => r.time);
                strict_1.default.deepEqual(times(await vault.queryEvents({ sinceMs: 300 })), [300, 400, 500]);
                strict_1.default.deepEqual(times(await vault.queryEvents({ account: 'aLiCe' })), [100, 300, 400]);
                strict_1.default.deepEqual(times(await vault.queryEvents({ kind: 'reconcile' })), [300, 500]);
                strict_1.default.deepEqual(times(await vault.queryEvents({ account: 'alice', kind: 'capture', sinceMs: 150 })), [400]);
                const page1 = await vault.queryEvents({ limit: 2 });
                strict_1.default.deepEqual(times(page1), [100, 200]);
                strict_1.default.deepEqual(times(await vault.queryEvents({ afterId: page1[1].id, limit: 2 })), [300, 400]);
                strict_1.default.deepEqual(await vault.queryEvents({ account: 'carol' }), []);
                await vault.appendEvents([ev(600, 'alice', 'capture', { machine: 'WS02' })]);
                strict_1.default.deepEqual(times(await vault.queryEvents({ machine: 'WS02' })), [600]);
                strict_1.default.deepEqual(times(await vault.queryEvents({ machine: 'WS01', sinceMs: 450 })), [500]);
                // latest: the last matches, still oldest first (what `pwbridge events` shows).
                strict_1.default.deepEqual(times(await vault.queryEvents({ latest: true, limit: 2 })), [500, 600]);
                strict_1.default.deepEqual(times(await vault.queryEvents({ latest: true, limit: 2, account: 'alice' })), [400, 600]);
            });
            it('stores an event with a uid once per machine: a repeated delivery adds nothing, in or across batches', async () => {
                const u = (n) => n.toString(16).padStart(32, 'a');
                await vault.appendEvents([ev(1, 'alice', 'capture', { uid: u(1) }), ev(2, 'alice', 'capture', { uid: u(2) })]);
                // A crash between the vault's commit and the agent's delete: the same batch again, with a new one behind it.
                await vault.appendEvents([ev(1, 'alice', 'capture', { uid: u(1) }), ev(2, 'alice', 'capture', { uid: u(2) }), ev(3, 'alice', 'capture', { uid: u(3) })]);
                await vault.appendEvents([ev(4, 'alice', 'capture', { uid: u(4) }), ev(4, 'alice', 'capture', { uid: u(4) })]);
                // Another machine's event may carry the same uid (uids are per machine); events without one are never merged.
                await vault.appendEvents([ev(5, 'bob', 'capture', { uid: u(1), machine: 'WS02' }), ev(6, undefined, 'hub'), ev(6, undefined, 'hub')]);
                const all = await vault.queryEvents({});
                strict_1.default.deepEqual(all.map((e) => [e.time, e.machine, e.uid]), [
                    [1, 'WS01', u(1)], [2, 'WS01', u(2)], [3, 'WS01', u(3)], [4, 'WS01', u(4)], [5, 'WS02', u(1)], [6, 'WS01', undefined], [6, 'WS01', undefined],
                ]);
            });
            it('refuses a uid that is not 32 lowercase hex characters', async () => {
                for (const uid of ['', 'ABCDEF0123456789ABCDEF0123456789', 'abc', `${'a'.repeat(32)}0`]) {
                    const err = await rejects(vault.appendEvents([ev(1, 'a', 'capture', { uid })]));
                    strict_1.default.match(err.message, /uid/);
                }
                strict_1.default.deepEqual(await vault.queryEvents({}), []);
            });
            it('refuses a malformed event and stores none of the batch', async () => {
                const err = await rejects(vault.appendEvents([ev(1, 'a', 'capture'), ev(2, 'a', 'capture', { outcome: 'great' })]));
                strict_1.default.match(err.message, /outcome/);
                strict_1.default.deepEqual(await vault.queryEvents({}), []);
            });
        });
        it('never puts a password in an error message', async () => {
            await withClient();
            const c = await vault.addCredential(cred('Acme', 'alice', CANARY));
            const errors = [
                await rejects(vault.addCredential(cred('Acme', 'alice', CANARY))),
                await rejects(vault.addCredential(cred('Acme', 'bob', CANARY, { mode: 'bad' }))),
                await rejects(vault.addCredential(cred('Nope', 'bob', CANARY))),
                await rejects(vault.setPasswordFromCapture(c.id, Buffer.from(CANARY), 99, eventId(30))),
                await rejects(vault.updateCredential('Acme', 'nobody', { password: Buffer.from(CANARY) })),
                await rejects(vault.createFromCapture(cred('Acme', '', CANARY), eventId(31))),
            ];
            await vault.updateClient('Acme', { agentsWriteShared: false });
            errors.push(await rejects(vault.setPasswordFromCapture(c.id, Buffer.from(CANARY), 1, eventId(32))));
            errors.push(await rejects(vault.createFromCapture(cred('Acme', 'erin', CANARY), eventId(33))));
            strict_1.default.ok(errors.slice(-2).every((e) => e instanceof vault_port_1.VaultPolicyError));
            for (const err of errors) {
                const text = `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`;
                strict_1.default.ok(!text.includes(CANARY), `error "${err.message}" leaks the password`);
            }
        });
    });
}
//# sourceMappingURL=vault.contract.js.map