"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VaultInputError = exports.SqliteVault = void 0;
const vault_port_1 = require("../ports/vault.port");
const client_delete_1 = require("./client-delete");
const errors_1 = require("./errors");
const fold_1 = require("./fold");
const machine_listing_1 = require("./machine-listing");
const migrations_1 = require("./migrations");
const group_commit_1 = require("./group-commit");
const secret_box_1 = require("./secret-box");
const sealing_1 = require("./sealing");
const shared_write_1 = require("./shared-write");
const sqlite_open_1 = require("./sqlite-open");
const validate_1 = require("./validate");
const DEFAULT_EVENT_LIMIT = 1000;
/** vault_meta row: the highest credential id ever deleted (as decimal text), below which no new id falls. */
const DELETED_HIGH = 'credential-id-deleted-high';
// One SELECT shape for every credential read, so the listing of 10k is one query (flags folded in).
const CRED_SELECT = `
  SELECT c.id, cl.name AS client, c.username, c.windows_sync, c.mode, c.version, c.updated_at, c.password_set_at,
         (SELECT group_concat(f.flag, ',') FROM credential_flags f WHERE f.credential_id = c.id) AS flags
  FROM credentials c JOIN clients cl ON cl.id = c.client_id`;
const CLIENT_SELECT = 'SELECT name, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared FROM clients';
const EVENT_SELECT = 'SELECT id, time, machine, account, credential_id, kind, outcome, reason, trace_id, uid FROM events';
/** Every statement the vault runs, prepared once at open. */
function prepareStatements(db) {
    return {
        insertClient: db.prepare(`INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared)
      VALUES (?, ?, ?, ?, ?, ?, ?)`),
        updateClient: db.prepare(`UPDATE clients SET windows_sync = ?, two_way_sync = ?, auto_create = ?, default_mode = ?, agents_write_shared = ?
      WHERE name_key = ?`),
        clientHoldings: db.prepare(client_delete_1.CLIENT_HOLDINGS_SQL.replace(/\$1/g, '@id')),
        deleteRevokedAgents: db.prepare('DELETE FROM hub_agents WHERE client_id = ? AND revoked_at IS NOT NULL'),
        deleteClient: db.prepare('DELETE FROM clients WHERE id = ?'),
        clientByKey: db.prepare(`${CLIENT_SELECT} WHERE name_key = ?`),
        listClients: db.prepare(`${CLIENT_SELECT} ORDER BY id`),
        clientId: db.prepare('SELECT id FROM clients WHERE name_key = ?').pluck(),
        // The id is spelled out: SQLite's own choice (the highest id + 1) would hand a deleted last credential's
        // id to the next one, and an agent's reconcile memo (keyed by id) would vouch for the newcomer.
        insertCred: db.prepare(`INSERT INTO credentials
      (id, client_id, username, username_key, password_enc, windows_sync, mode, version, updated_at, password_set_at)
      VALUES ((SELECT MAX(n) + 1 FROM (SELECT COALESCE(MAX(id), 0) AS n FROM credentials
        UNION ALL SELECT CAST(CAST(value AS TEXT) AS INTEGER) FROM vault_meta WHERE name = '${DELETED_HIGH}')),
        ?, ?, ?, ?, ?, ?, 1, ?, ?)`),
        deletedHighGet: db.prepare(`SELECT CAST(CAST(value AS TEXT) AS INTEGER) FROM vault_meta WHERE name = '${DELETED_HIGH}'`).pluck(),
        deletedHighPut: db.prepare(`INSERT INTO vault_meta (name, value) VALUES ('${DELETED_HIGH}', ?)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
        deleteCredFlags: db.prepare('DELETE FROM credential_flags WHERE credential_id = ?'),
        deleteCredApplied: db.prepare('DELETE FROM applied_events WHERE credential_id = ?'),
        deleteCred: db.prepare('DELETE FROM credentials WHERE id = ?'),
        credById: db.prepare(`${CRED_SELECT} WHERE c.id = ?`).raw(),
        credByName: db.prepare(`${CRED_SELECT} WHERE cl.name_key = ? AND c.username_key = ?`).raw(),
        listCreds: db.prepare(`${CRED_SELECT} WHERE cl.name_key = ? ORDER BY c.id`).raw(),
        // Shared (no `\` in the name) or the machine's own `MACHINE\user` (@prefix: the folded `MACHINE\`, or null).
        listMachineCreds: db.prepare(`${CRED_SELECT} WHERE cl.name_key = @client
      AND (instr(c.username_key, '\\') = 0 OR substr(c.username_key, 1, length(@prefix)) = @prefix) ORDER BY c.id`).raw(),
        sealedById: db.prepare('SELECT password_enc, username_key, version FROM credentials WHERE id = ?'),
        captureTarget: db.prepare(`SELECT c.username_key, c.version, c.username, cl.name AS client, cl.agents_write_shared
      FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE c.id = ?`),
        setSealed: db.prepare('UPDATE credentials SET password_enc = ? WHERE id = ?'),
        setPassword: db.prepare('UPDATE credentials SET password_enc = ?, version = version + 1, updated_at = ?, password_set_at = ? WHERE id = ?'),
        setMeta: db.prepare('UPDATE credentials SET mode = ?, windows_sync = ?, updated_at = ? WHERE id = ?'),
        appliedGet: db.prepare('SELECT credential_id FROM applied_events WHERE event_id = ?').pluck(),
        appliedPut: db.prepare('INSERT INTO applied_events (event_id, credential_id, at) VALUES (?, ?, ?)'),
        flagAdd: db.prepare('INSERT INTO credential_flags (credential_id, flag, set_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
        flagDel: db.prepare('DELETE FROM credential_flags WHERE credential_id = ? AND flag = ?'),
        upsertMachine: db.prepare(`INSERT INTO machines (name, name_key, client_id, filter_state, journal_depth, last_seen)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, client_id = excluded.client_id,
        filter_state = excluded.filter_state, journal_depth = excluded.journal_depth, last_seen = excluded.last_seen`),
        listMachines: db.prepare(`SELECT m.name, cl.name AS client, m.filter_state, m.journal_depth, m.last_seen
      FROM machines m JOIN clients cl ON cl.id = m.client_id ORDER BY m.name_key`),
        // An event whose uid this machine's events already hold was delivered before: stored once.
        insertEvent: db.prepare(`INSERT INTO events (time, machine, account, account_key, credential_id, kind, outcome, reason, trace_id, uid)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid, machine) DO NOTHING`),
        metaGet: db.prepare('SELECT value FROM vault_meta WHERE name = ?').pluck(),
        metaPut: db.prepare('INSERT INTO vault_meta (name, value) VALUES (?, ?)'),
    };
}
class SqliteVault {
    db;
    box;
    now;
    st;
    /** queryEvents statements, one per combination of filters used (at most 16). */
    eventQueries = new Map();
    /** The capture path's writes (and events, flags) share one COMMIT per turn of the event loop. */
    group;
    static async open(options) {
        return new SqliteVault(options);
    }
    constructor(options) {
        const box = new secret_box_1.SecretBox(options.key);
        const db = (0, sqlite_open_1.openDatabase)(options.path, (0, migrations_1.vaultMigrations)('sqlite'), options.sqlite);
        try {
            this.st = prepareStatements(db);
            this.db = db;
            this.group = new group_commit_1.GroupCommit(db);
            this.box = box;
            this.now = options.now ?? Date.now;
            this.checkKey(options.path);
        }
        catch (err) {
            db.close();
            throw err;
        }
    }
    // ---- clients -------------------------------------------------------------------------------------
    async addClient(input) {
        const client = (0, validate_1.checkNewClient)(input);
        const key = (0, fold_1.foldName)(client.name);
        this.db.transaction(() => {
            if (this.st.clientId.get(key) !== undefined)
                throw new errors_1.VaultInputError(`client "${client.name}" already exists`);
            this.st.insertClient.run(client.name, key, b(client.windowsSync), b(client.twoWaySync), b(client.autoCreate), client.defaultMode, b(client.agentsWriteShared));
        }, 'immediate');
        return this.clientSync(client.name);
    }
    async updateClient(name, change) {
        (0, validate_1.checkName)('client name', name);
        const options = (0, validate_1.checkClientChange)(change);
        return this.db.transaction(() => {
            const current = this.clientSync(name);
            if (!current)
                throw new vault_port_1.VaultNotFoundError(`client "${name}"`);
            const c = { ...current, ...options };
            this.st.updateClient.run(b(c.windowsSync), b(c.twoWaySync), b(c.autoCreate), c.defaultMode, b(c.agentsWriteShared), (0, fold_1.foldName)(name));
            return this.clientSync(name);
        }, 'immediate');
    }
    async deleteClient(name) {
        (0, validate_1.checkName)('client name', name);
        this.db.transaction(() => {
            const current = this.clientSync(name);
            if (!current)
                throw new vault_port_1.VaultNotFoundError(`client "${name}"`);
            const id = this.requireClientId(name);
            (0, client_delete_1.checkEmpty)(current.name, this.st.clientHoldings.get({ id }));
            this.st.deleteRevokedAgents.run(id);
            this.st.deleteClient.run(id);
        }, 'immediate');
    }
    async getClient(name) {
        return this.clientSync(name);
    }
    async listClients() {
        return this.st.listClients.all().map(toClient);
    }
    // ---- credentials ---------------------------------------------------------------------------------
    async addCredential(cred, eventId) {
        (0, validate_1.checkNewCredential)(cred);
        const ev = eventId === undefined ? undefined : (0, validate_1.checkEventId)(eventId);
        return this.db.transaction(() => {
            const done = ev === undefined ? undefined : this.appliedCredential(ev);
            if (done)
                return done;
            const clientId = this.requireClientId(cred.client);
            if (this.st.credByName.get((0, fold_1.foldName)(cred.client), (0, fold_1.foldName)(cred.username)) !== undefined) {
                throw new errors_1.VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
            }
            const id = this.insertCredential(clientId, cred);
            if (ev !== undefined)
                this.st.appliedPut.run(ev, id, this.now());
            return this.credentialById(id);
        }, 'immediate');
    }
    /**
     * Many credentials in one transaction (imports, benches): one fsync instead of one per row.
     * Not on the port. Refuses the whole batch if any username already exists.
     */
    bulkAddCredentials(creds) {
        creds.forEach(validate_1.checkNewCredential);
        return this.db.transaction(() => creds.map((cred) => {
            const clientId = this.requireClientId(cred.client);
            if (this.st.credByName.get((0, fold_1.foldName)(cred.client), (0, fold_1.foldName)(cred.username)) !== undefined) {
                throw new errors_1.VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
            }
            return this.credentialById(this.insertCredential(clientId, cred));
        }), 'immediate');
    }
    async updateCredential(client, username, change) {
        (0, validate_1.checkName)('client name', client);
        (0, validate_1.checkName)('username', username);
        (0, validate_1.checkChange)(change);
        return this.db.transaction(() => {
            const row = this.st.credByName.get((0, fold_1.foldName)(client), (0, fold_1.foldName)(username));
            if (!row)
                throw new vault_port_1.VaultNotFoundError(`credential "${username}" in client "${client}"`);
            const current = toCredential(row);
            const now = this.now();
            if (change.password !== undefined) {
                this.st.setPassword.run(this.seal(current.id, username, change.password), now, now, current.id);
            }
            if (change.mode !== undefined || change.windowsSync !== undefined) {
                this.st.setMeta.run(change.mode ?? current.mode, b(change.windowsSync ?? current.windowsSync), now, current.id);
            }
            return this.credentialById(current.id);
        }, 'immediate');
    }
    /** Its flags and applied-event ids go with it (their foreign keys); its id is remembered so none reuses it. */
    async deleteCredential(client, username) {
        (0, validate_1.checkName)('client name', client);
        (0, validate_1.checkName)('username', username);
        return this.db.transaction(() => {
            const row = this.st.credByName.get((0, fold_1.foldName)(client), (0, fold_1.foldName)(username));
            if (!row)
                throw new vault_port_1.VaultNotFoundError(`credential "${username}" in client "${client}"`);
            const gone = toCredential(row);
            this.st.deleteCredFlags.run(gone.id);
            this.st.deleteCredApplied.run(gone.id);
            this.st.deleteCred.run(gone.id);
            const high = this.st.deletedHighGet.get() ?? 0;
            if (gone.id > high)
                this.st.deletedHighPut.run(Buffer.from(String(gone.id)));
            return gone;
        }, 'immediate');
    }
    /** An unknown client lists nothing (reads do not fail on names; writes do). */
    async listCredentials(client) {
        return this.st.listCreds.all((0, fold_1.foldName)(client)).map(toCredential);
    }
    /** The agent's listing (src/vault/machine-listing.ts), filtered in SQL. */
    async listCredentialsForMachine(client, machine) {
        return this.st.listMachineCreds.all({ client: (0, fold_1.foldName)(client), prefix: (0, machine_listing_1.machinePrefix)(machine) }).map(toCredential);
    }
    async findCredential(client, username) {
        const row = this.st.credByName.get((0, fold_1.foldName)(client), (0, fold_1.foldName)(username));
        return row && toCredential(row);
    }
    async readPassword(credentialId) {
        (0, validate_1.checkId)('credentialId', credentialId);
        const row = this.st.sealedById.get(credentialId);
        if (!row)
            throw new vault_port_1.VaultNotFoundError(`credential ${credentialId}`);
        try {
            return this.box.open(row.password_enc, (0, sealing_1.credentialContext)(credentialId, row.username_key));
        }
        catch (err) {
            throw new Error(`credential ${credentialId}: ${err.message}`);
        }
    }
    async setPasswordFromCapture(credentialId, password, baseVersion, eventId, capturedAt) {
        (0, validate_1.checkId)('credentialId', credentialId);
        (0, validate_1.checkId)('baseVersion', baseVersion);
        const ev = (0, validate_1.checkEventId)(eventId);
        (0, validate_1.checkPassword)(password);
        return this.group.submit(() => {
            // Idempotency first: after the first apply the version has moved on, so a re-delivery would
            // otherwise look like a conflict.
            const done = this.appliedCredential(ev);
            if (done)
                return { credential: done, applied: false };
            const row = this.st.captureTarget.get(credentialId);
            if (!row)
                throw new vault_port_1.VaultNotFoundError(`credential ${credentialId}`);
            (0, shared_write_1.checkCaptureWrite)({ name: row.client, agentsWriteShared: row.agents_write_shared === 1 }, row.username);
            if (row.version !== baseVersion)
                throw new vault_port_1.VaultConflictError(credentialId, baseVersion, row.version);
            const now = this.now();
            this.st.setPassword.run(this.box.seal(password, (0, sealing_1.credentialContext)(credentialId, row.username_key)), now, capturedAt ?? now, credentialId);
            this.st.appliedPut.run(ev, credentialId, now);
            return { credential: this.credentialById(credentialId), applied: true };
        });
    }
    async createFromCapture(cred, eventId, capturedAt) {
        (0, validate_1.checkNewCredential)(cred);
        const ev = (0, validate_1.checkEventId)(eventId);
        return this.group.submit(() => {
            const done = this.appliedCredential(ev);
            if (done)
                return { credential: done, applied: false };
            const clientId = this.requireClientId(cred.client);
            (0, shared_write_1.checkCaptureWrite)(this.clientSync(cred.client), cred.username);
            // Someone (an operator, another event) created it meanwhile: keep theirs, never a duplicate.
            const existing = this.st.credByName.get((0, fold_1.foldName)(cred.client), (0, fold_1.foldName)(cred.username));
            if (existing)
                return { credential: toCredential(existing), applied: false };
            const id = this.insertCredential(clientId, cred, capturedAt);
            this.st.appliedPut.run(ev, id, this.now());
            return { credential: this.credentialById(id), applied: true };
        });
    }
    async setFlag(credentialId, flag, on) {
        (0, validate_1.checkId)('credentialId', credentialId);
        (0, validate_1.checkFlag)(flag);
        (0, validate_1.checkBool)('on', on);
        return this.group.submit(() => {
            if (this.st.sealedById.get(credentialId) === undefined)
                throw new vault_port_1.VaultNotFoundError(`credential ${credentialId}`);
            if (on)
                this.st.flagAdd.run(credentialId, flag, this.now());
            else
                this.st.flagDel.run(credentialId, flag);
        });
    }
    // ---- machines and events -------------------------------------------------------------------------
    async recordMachine(machine) {
        (0, validate_1.checkName)('machine name', machine?.name);
        (0, validate_1.checkName)('client name', machine.client);
        (0, validate_1.checkName)('filterState', machine.filterState);
        (0, validate_1.checkId)('journalDepth', machine.journalDepth);
        this.db.transaction(() => {
            const clientId = this.requireClientId(machine.client);
            this.st.upsertMachine.run(machine.name, (0, fold_1.foldName)(machine.name), clientId, machine.filterState, machine.journalDepth, this.now());
        }, 'immediate');
    }
    /** Not on the port: for `status` and tests. */
    listMachines() {
        return this.st.listMachines.all()
            .map((r) => ({ name: r.name, client: r.client, filterState: r.filter_state, journalDepth: r.journal_depth, lastSeen: r.last_seen }));
    }
    /**
     * All events in one transaction. Ids are assigned here; an `id` on the input is ignored. An event whose
     * `uid` is already stored for its machine is skipped (a repeated delivery).
     */
    async appendEvents(events) {
        events.forEach(validate_1.checkEvent);
        return this.group.submit(() => {
            for (const e of events) {
                this.st.insertEvent.run(e.time, e.machine, e.account ?? null, e.account === undefined ? null : (0, fold_1.foldName)(e.account), e.credentialId ?? null, e.kind, e.outcome, e.reason ?? null, e.traceId ?? null, e.uid ?? null);
            }
        });
    }
    /** Oldest first (by id). `limit` defaults to 1000; page with `afterId`. */
    async queryEvents(q) {
        const where = [];
        const args = [];
        if (q.sinceMs !== undefined) {
            where.push('time >= ?');
            args.push((0, validate_1.checkId)('sinceMs', q.sinceMs));
        }
        if (q.account !== undefined) {
            where.push('account_key = ?');
            args.push((0, fold_1.foldName)(q.account));
        }
        if (q.kind !== undefined) {
            where.push('kind = ?');
            args.push(q.kind);
        }
        if (q.machine !== undefined) {
            where.push('machine = ?');
            args.push(q.machine);
        }
        if (q.afterId !== undefined) {
            where.push('id > ?');
            args.push((0, validate_1.checkId)('afterId', q.afterId));
        }
        const limit = q.limit === undefined ? DEFAULT_EVENT_LIMIT : (0, validate_1.checkId)('limit', q.limit);
        const sql = `${EVENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id${q.latest ? ' DESC' : ''} LIMIT ?`;
        let stmt = this.eventQueries.get(sql);
        if (!stmt) {
            stmt = this.db.prepare(sql);
            this.eventQueries.set(sql, stmt);
        }
        const rows = stmt.all(...args, limit).map(toEvent);
        return q.latest ? rows.reverse() : rows;
    }
    async close() {
        if (!this.db.open)
            return;
        this.group.flush();
        this.db.close();
    }
    // ---- internals -----------------------------------------------------------------------------------
    clientSync(name) {
        const row = this.st.clientByKey.get((0, fold_1.foldName)(name));
        return row && toClient(row);
    }
    requireClientId(name) {
        const id = this.st.clientId.get((0, fold_1.foldName)(name));
        if (id === undefined)
            throw new vault_port_1.VaultNotFoundError(`client "${name}"`);
        return id;
    }
    credentialById(id) {
        const row = this.st.credById.get(id);
        if (!row)
            throw new vault_port_1.VaultNotFoundError(`credential ${id}`);
        return toCredential(row);
    }
    /** The credential an already-applied event id produced, or undefined when the id is new. */
    appliedCredential(eventId) {
        const id = this.st.appliedGet.get(eventId);
        return id === undefined ? undefined : this.credentialById(id);
    }
    /**
     * The row is inserted first and sealed second because the AAD binds the id, which only the insert
     * assigns; both happen in the caller's transaction, so no reader ever sees the empty placeholder.
     */
    insertCredential(clientId, cred, passwordSetAt) {
        const now = this.now();
        const id = Number(this.st.insertCred.run(clientId, cred.username, (0, fold_1.foldName)(cred.username), Buffer.alloc(0), b(cred.windowsSync), cred.mode, now, passwordSetAt ?? now).lastInsertRowid);
        this.st.setSealed.run(this.seal(id, cred.username, cred.password), id);
        return id;
    }
    seal(id, username, password) {
        return this.box.seal(password, (0, sealing_1.credentialContext)(id, (0, fold_1.foldName)(username)));
    }
    /** Fail at open, with a clear message, when the key is not the one this vault was created with. */
    checkKey(file) {
        const sealed = this.st.metaGet.get(sealing_1.KEY_CHECK_NAME);
        if (sealed === undefined) {
            this.st.metaPut.run(sealing_1.KEY_CHECK_NAME, (0, sealing_1.sealKeyCheck)(this.box));
            return;
        }
        const ok = (0, sealing_1.keyCheckOpens)(this.box, sealed);
        if (!ok)
            throw new Error(`the vault key does not open ${file} (the database was created with another key)`);
    }
}
exports.SqliteVault = SqliteVault;
const b = (v) => (v ? 1 : 0);
function toClient(r) {
    return {
        name: r.name, windowsSync: r.windows_sync === 1, twoWaySync: r.two_way_sync === 1, autoCreate: r.auto_create === 1,
        defaultMode: r.default_mode, agentsWriteShared: r.agents_write_shared === 1,
    };
}
function toCredential([id, client, username, windowsSync, mode, version, updatedAt, passwordSetAt, flags]) {
    // Flags in one fixed order, whatever order group_concat produced.
    const set = flags ? flags.split(',') : [];
    return {
        id, client, username, windowsSync: windowsSync === 1, mode, version, flags: validate_1.FLAGS.filter((f) => set.includes(f)), updatedAt, passwordSetAt,
    };
}
function toEvent(r) {
    const e = { id: r.id, time: r.time, machine: r.machine, kind: r.kind, outcome: r.outcome };
    if (r.account !== null)
        e.account = r.account;
    if (r.credential_id !== null)
        e.credentialId = r.credential_id;
    if (r.reason !== null)
        e.reason = r.reason;
    if (r.trace_id !== null)
        e.traceId = r.trace_id;
    if (r.uid !== null)
        e.uid = r.uid;
    return e;
}
// Re-exported so callers of the SQLite vault need one import.
var errors_2 = require("./errors");
Object.defineProperty(exports, "VaultInputError", { enumerable: true, get: function () { return errors_2.VaultInputError; } });
//# sourceMappingURL=sqlite.vault.js.map