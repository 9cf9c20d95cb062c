"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FakeAccounts = exports.FakeVault = exports.FakeState = exports.FakeEcho = exports.FakeOpener = exports.FakeJournal = exports.FakeEvents = exports.FakeClock = void 0;
exports.capture = capture;
// Small in-memory fakes of the ports for unit tests. They keep what the real adapters promise
// (case-insensitive names, idempotency per event id, version checks) and count calls so tests can
// assert on what the code under test did. The lead's integration tests use the real adapters.
const node_crypto_1 = require("node:crypto");
const vault_port_1 = require("../../src/ports/vault.port");
const client_delete_1 = require("../../src/vault/client-delete");
const errors_1 = require("../../src/vault/errors");
const shared_write_1 = require("../../src/vault/shared-write");
const validate_1 = require("../../src/vault/validate");
class FakeClock {
    t;
    constructor(t = 1_700_000_000_000) {
        this.t = t;
    }
    now = () => this.t;
    advance(ms) { this.t += ms; }
}
exports.FakeClock = FakeClock;
class FakeEvents {
    list = [];
    record(event) { this.list.push(event); }
    kinds() { return this.list.map((e) => e.kind); }
    of(kind) { return this.list.filter((e) => e.kind === kind); }
    forTrace(traceId) { return this.list.filter((e) => e.traceId === traceId); }
}
exports.FakeEvents = FakeEvents;
class FakeJournal {
    entries = new Map();
    seq = 0;
    dueCalls = 0;
    append(entries) {
        return entries.map((e) => {
            if (this.entries.has(e.eventId))
                return 'duplicate';
            this.entries.set(e.eventId, { ...e, sealed: Buffer.from(e.sealed), seq: ++this.seq, state: 'pending', attempts: 0, nextAttemptAt: e.receivedAt });
            return 'stored';
        });
    }
    pending() {
        return [...this.entries.values()].filter((e) => e.state === 'pending').sort((a, b) => a.seq - b.seq);
    }
    due(now, limit) {
        this.dueCalls++;
        return this.pending().filter((e) => e.nextAttemptAt <= now).slice(0, limit).map((e) => ({ ...e }));
    }
    pendingFor(account) {
        return this.pending().filter((e) => e.account.toLowerCase() === account.toLowerCase()).map((e) => ({ ...e }));
    }
    must(id) {
        const e = this.entries.get(id);
        if (!e)
            throw new Error(`no journal entry ${id}`);
        return e;
    }
    markDone(eventId, outcome) { Object.assign(this.must(eventId), { state: 'done', outcome }); }
    markSuperseded(eventIds, byEventId) {
        for (const id of eventIds)
            Object.assign(this.must(id), { state: 'superseded', outcome: `superseded by ${byEventId}` });
    }
    markRetry(eventId, attempts, nextAttemptAt, error) {
        Object.assign(this.must(eventId), { attempts, nextAttemptAt, lastError: error });
    }
    markDead(eventId, reason) { Object.assign(this.must(eventId), { state: 'dead', outcome: reason }); }
    depth() { return this.pending().length; }
    nextDueAt() {
        const p = this.pending();
        return p.length ? Math.min(...p.map((e) => e.nextAttemptAt)) : undefined;
    }
    deadLetters() { return [...this.entries.values()].filter((e) => e.state === 'dead'); }
    get(eventId) { return this.entries.get(eventId); }
}
exports.FakeJournal = FakeJournal;
/** Test sealing: `sealed` holds the raw password bytes; open() returns a copy and keeps it to check wiping. */
class FakeOpener {
    handedOut = [];
    calls = 0;
    fail = false;
    open = (entry) => {
        this.calls++;
        if (this.fail)
            throw new Error('Unsupported state or unable to authenticate data');
        const b = Buffer.from(entry.sealed);
        this.handedOut.push(b);
        return b;
    };
    allWiped() { return this.handedOut.every((b) => b.every((x) => x === 0)); }
}
exports.FakeOpener = FakeOpener;
let nextId = 1;
/** Appends one captured change and returns its event id. */
function capture(journal, clock, account, password, o = {}) {
    const encoding = o.encoding ?? 1;
    const bytes = Buffer.isBuffer(password) ? password : Buffer.from(password, encoding === 2 ? 'utf16le' : 'utf8');
    const eventId = (nextId++).toString(16).padStart(32, '0');
    journal.append([{
            eventId, machine: o.machine ?? 'HOST1', account, accountId: 1000, capturedAt: o.capturedAt ?? clock.now(),
            receivedAt: clock.now(), encoding, sealed: bytes,
        }]);
    return eventId;
}
const digest = (account, pw) => (0, node_crypto_1.createHash)('sha256').update(account.toLowerCase()).update('\0').update(pw).digest('hex');
class FakeEcho {
    records = new Map();
    remembered = 0;
    remember(account, password, expiresAt) {
        this.remembered++;
        this.records.set(digest(account, password), expiresAt);
    }
    consume(account, password, now) {
        const k = digest(account, password);
        const exp = this.records.get(k);
        if (exp === undefined)
            return false;
        this.records.delete(k);
        return exp >= now;
    }
}
exports.FakeEcho = FakeEcho;
class FakeState {
    memos = new Map();
    values = new Map();
    allMemosCalls = 0;
    getMemo(id) { return this.memos.get(id); }
    allMemos() { this.allMemosCalls++; return new Map(this.memos); }
    putMemo(memo) { this.memos.set(memo.credentialId, { ...memo }); }
    getValue(key) { return this.values.get(key); }
    setValue(key, value) { this.values.set(key, value); }
    /** Leases as the real store keeps them (no clock: a lease lasts until released). */
    leases = new Map();
    tryLease(name, holder) {
        const cur = this.leases.get(name);
        if (cur !== undefined && cur !== holder)
            return false;
        this.leases.set(name, holder);
        return true;
    }
    releaseLease(name, holder) { if (this.leases.get(name) === holder)
        this.leases.delete(name); }
}
exports.FakeState = FakeState;
/**
 * The vault in memory, with hooks for failure tests. It passes the same contract suite as the real
 * engines (test/vault/fake.vault.test.ts): the same input checks, case-insensitive names, idempotency per
 * event id, version checks, the shared-write rule, events with ids, so what a unit test sees of it is
 * what a real vault would do.
 */
class FakeVault {
    clock;
    clients = new Map();
    creds = new Map();
    passwords = new Map();
    applied = new Map();
    machines = new Map();
    events = [];
    nextCred = 1;
    nextEvent = 1;
    /** Errors thrown by the next capture writes (setPasswordFromCapture, createFromCapture), one per call. */
    failures = [];
    /** Errors thrown by the next getClient calls, one per call. */
    lookupFailures = [];
    handedOut = [];
    calls = { setPasswordFromCapture: 0, createFromCapture: 0, readPassword: 0, setFlag: 0, listCredentials: 0 };
    constructor(clock = new FakeClock()) {
        this.clock = clock;
    }
    maybeFail() { const e = this.failures.shift(); if (e)
        throw e; }
    lk(client, username) {
        return [...this.creds.values()].find((c) => c.client.toLowerCase() === client.toLowerCase() && c.username.toLowerCase() === username.toLowerCase());
    }
    client(name) {
        const c = this.clients.get(name.toLowerCase());
        if (!c)
            throw new vault_port_1.VaultNotFoundError(`client "${name}"`);
        return c;
    }
    copy(c) { return { ...c, flags: validate_1.FLAGS.filter((f) => c.flags.includes(f)) }; }
    password(id) { return this.passwords.get(id)?.toString('utf8'); }
    byName(username) { return [...this.creds.values()].find((c) => c.username.toLowerCase() === username.toLowerCase()); }
    /** A change made in the vault (a person edits the credential): new version, new time. */
    changeInVault(id, password) {
        const c = this.creds.get(id);
        this.passwords.set(id, Buffer.from(password));
        Object.assign(c, { version: c.version + 1, updatedAt: this.clock.now(), passwordSetAt: this.clock.now() });
    }
    async addClient(input) {
        const client = (0, validate_1.checkNewClient)(input);
        if (this.clients.has(client.name.toLowerCase()))
            throw new errors_1.VaultInputError(`client "${client.name}" already exists`);
        this.clients.set(client.name.toLowerCase(), client);
        return { ...client };
    }
    async getClient(name) { const f = this.lookupFailures.shift(); if (f)
        throw f; const c = this.clients.get(name.toLowerCase()); return c && { ...c }; }
    async listClients() { return [...this.clients.values()].map((c) => ({ ...c })); }
    async updateClient(name, change) {
        (0, validate_1.checkName)('client name', name);
        const options = (0, validate_1.checkClientChange)(change);
        const c = Object.assign(this.client(name), options);
        return { ...c };
    }
    async deleteClient(name) {
        (0, validate_1.checkName)('client name', name);
        const c = this.client(name);
        const mine = (client) => client.toLowerCase() === c.name.toLowerCase();
        (0, client_delete_1.checkEmpty)(c.name, {
            credentials: [...this.creds.values()].filter((x) => mine(x.client)).length,
            machines: [...this.machines.values()].filter((m) => mine(m.client)).length,
            agents: 0,
        });
        this.clients.delete(c.name.toLowerCase());
    }
    async addCredential(cred, eventId) {
        (0, validate_1.checkNewCredential)(cred);
        const ev = eventId === undefined ? undefined : (0, validate_1.checkEventId)(eventId);
        const prior = ev === undefined ? undefined : this.applied.get(ev);
        if (prior !== undefined)
            return this.copy(this.creds.get(prior));
        const c = this.insert(cred);
        if (ev !== undefined)
            this.applied.set(ev, c.id);
        return c;
    }
    insert(cred, passwordSetAt) {
        const client = this.client(cred.client);
        if (this.lk(cred.client, cred.username))
            throw new errors_1.VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
        const now = this.clock.now();
        const c = { id: this.nextCred++, client: client.name, username: cred.username, windowsSync: cred.windowsSync, mode: cred.mode, version: 1, flags: [], updatedAt: now, passwordSetAt: passwordSetAt ?? now };
        this.creds.set(c.id, c);
        this.passwords.set(c.id, Buffer.from(cred.password));
        return this.copy(c);
    }
    async updateCredential(client, username, change) {
        (0, validate_1.checkName)('client name', client);
        (0, validate_1.checkName)('username', username);
        (0, validate_1.checkChange)(change);
        const c = this.lk(client, username);
        if (!c)
            throw new vault_port_1.VaultNotFoundError(`credential "${username}" in client "${client}"`);
        if (change.mode)
            c.mode = change.mode;
        if (change.windowsSync !== undefined)
            c.windowsSync = change.windowsSync;
        if (change.mode !== undefined || change.windowsSync !== undefined)
            c.updatedAt = this.clock.now();
        if (change.password)
            this.changeInVault(c.id, change.password.toString('utf8'));
        return this.copy(c);
    }
    async deleteCredential(client, username) {
        (0, validate_1.checkName)('client name', client);
        (0, validate_1.checkName)('username', username);
        const c = this.lk(client, username);
        if (!c)
            throw new vault_port_1.VaultNotFoundError(`credential "${username}" in client "${client}"`);
        this.creds.delete(c.id);
        this.passwords.get(c.id)?.fill(0);
        this.passwords.delete(c.id);
        for (const [ev, id] of this.applied)
            if (id === c.id)
                this.applied.delete(ev);
        return this.copy(c);
    }
    async listCredentials(client) {
        this.calls.listCredentials++;
        return [...this.creds.values()].filter((c) => c.client.toLowerCase() === client.toLowerCase()).map((c) => this.copy(c));
    }
    async findCredential(client, username) { const c = this.lk(client, username); return c && this.copy(c); }
    async readPassword(id) {
        this.calls.readPassword++;
        (0, validate_1.checkId)('credentialId', id);
        const p = this.passwords.get(id);
        if (!p)
            throw new vault_port_1.VaultNotFoundError(`credential ${id}`);
        const b = Buffer.from(p);
        this.handedOut.push(b);
        return b;
    }
    /** The next capture write is applied, then its answer is lost (a hub timeout after COMMIT). */
    loseNextAnswer = false;
    async setPasswordFromCapture(id, password, baseVersion, eventId, capturedAt) {
        this.calls.setPasswordFromCapture++;
        this.maybeFail();
        (0, validate_1.checkId)('credentialId', id);
        (0, validate_1.checkId)('baseVersion', baseVersion);
        const ev = (0, validate_1.checkEventId)(eventId);
        (0, validate_1.checkPassword)(password);
        const prior = this.applied.get(ev);
        if (prior !== undefined)
            return { credential: this.copy(this.creds.get(prior)), applied: false };
        const c = this.creds.get(id);
        if (!c)
            throw new vault_port_1.VaultNotFoundError(`credential ${id}`);
        (0, shared_write_1.checkCaptureWrite)(this.client(c.client), c.username);
        if (c.version !== baseVersion)
            throw new vault_port_1.VaultConflictError(id, baseVersion, c.version);
        this.passwords.set(id, Buffer.from(password));
        Object.assign(c, { version: c.version + 1, updatedAt: this.clock.now(), passwordSetAt: capturedAt ?? this.clock.now() });
        this.applied.set(ev, id);
        if (this.loseNextAnswer) {
            this.loseNextAnswer = false;
            throw new Error('socket hang up');
        }
        return { credential: this.copy(c), applied: true };
    }
    async createFromCapture(cred, eventId, capturedAt) {
        this.calls.createFromCapture++;
        this.maybeFail();
        (0, validate_1.checkNewCredential)(cred);
        const ev = (0, validate_1.checkEventId)(eventId);
        const prior = this.applied.get(ev);
        if (prior !== undefined)
            return { credential: this.copy(this.creds.get(prior)), applied: false };
        (0, shared_write_1.checkCaptureWrite)(this.client(cred.client), cred.username);
        const existing = this.lk(cred.client, cred.username);
        if (existing)
            return { credential: this.copy(existing), applied: false };
        const c = this.insert(cred, capturedAt);
        this.applied.set(ev, c.id);
        return { credential: c, applied: true };
    }
    async setFlag(id, flag, on) {
        this.calls.setFlag++;
        (0, validate_1.checkId)('credentialId', id);
        (0, validate_1.checkFlag)(flag);
        (0, validate_1.checkBool)('on', on);
        const c = this.creds.get(id);
        if (!c)
            throw new vault_port_1.VaultNotFoundError(`credential ${id}`);
        c.flags = c.flags.filter((f) => f !== flag);
        if (on)
            c.flags.push(flag);
    }
    async recordMachine(machine) {
        (0, validate_1.checkName)('machine name', machine?.name);
        (0, validate_1.checkName)('client name', machine.client);
        (0, validate_1.checkName)('filterState', machine.filterState);
        (0, validate_1.checkId)('journalDepth', machine.journalDepth);
        const client = this.client(machine.client);
        this.machines.set(machine.name.toLowerCase(), { name: machine.name, client: client.name });
    }
    async appendEvents(events) {
        events.forEach(validate_1.checkEvent);
        for (const e of events) {
            if (e.uid !== undefined && this.events.some((x) => x.uid === e.uid && x.machine === e.machine))
                continue;
            const { id: _ignored, ...rest } = e;
            this.events.push({ ...rest, id: this.nextEvent++ });
        }
    }
    async queryEvents(q) {
        const match = this.events.filter((e) => (q.sinceMs === undefined || e.time >= q.sinceMs)
            && (q.account === undefined || e.account?.toLowerCase() === q.account.toLowerCase())
            && (q.kind === undefined || e.kind === q.kind) && (q.machine === undefined || e.machine === q.machine)
            && (q.afterId === undefined || e.id > q.afterId));
        const limit = q.limit ?? 1000;
        return (q.latest ? match.slice(Math.max(0, match.length - limit)) : match.slice(0, limit)).map((e) => ({ ...e }));
    }
    async close() { }
}
exports.FakeVault = FakeVault;
class FakeAccounts {
    machine;
    users = new Map();
    calls = { listAccounts: 0, verifyPassword: 0, setPassword: 0, getAccount: 0 };
    /** Names whose verification failed, in order (a failed logon on Windows). */
    failedVerifications = [];
    failSet;
    salt = (0, node_crypto_1.randomBytes)(8).toString('hex');
    constructor(machine = 'HOST1') {
        this.machine = machine;
    }
    add(name, password) {
        this.users.set(name.toLowerCase(), { name, id: 1000 + this.users.size, password: Buffer.from(password), gen: 1 });
        return this;
    }
    /** A local change made outside pwbridge. */
    change(name, password) {
        const u = this.users.get(name.toLowerCase());
        u.password = Buffer.from(password);
        u.gen++;
    }
    password(name) { return this.users.get(name.toLowerCase())?.password.toString('utf8'); }
    view(u) {
        return { name: u.name, id: u.id, fingerprint: `${this.salt}:${u.gen}` };
    }
    async listAccounts() { this.calls.listAccounts++; return [...this.users.values()].map((u) => this.view(u)); }
    async getAccount(name) { this.calls.getAccount++; const u = this.users.get(name.toLowerCase()); return u && this.view(u); }
    async verifyPassword(name, password) {
        this.calls.verifyPassword++;
        const u = this.users.get(name.toLowerCase());
        const ok = !!u && u.password.equals(password);
        if (!ok)
            this.failedVerifications.push(name);
        return ok;
    }
    async setPassword(name, password) {
        this.calls.setPassword++;
        if (this.failSet)
            throw this.failSet;
        const u = this.users.get(name.toLowerCase());
        if (!u)
            throw new Error(`no user ${name}`);
        u.password = Buffer.from(password);
        u.gen++;
    }
}
exports.FakeAccounts = FakeAccounts;
//# sourceMappingURL=fakes.js.map