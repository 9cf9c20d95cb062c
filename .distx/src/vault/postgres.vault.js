"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PostgresVault = void 0;
const vault_port_1 = require("../ports/vault.port");
const client_delete_1 = require("./client-delete");
const errors_1 = require("./errors");
const fold_1 = require("./fold");
const machine_listing_1 = require("./machine-listing");
const migrations_1 = require("./migrations");
const postgres_open_1 = require("./postgres-open");
const sealing_1 = require("./sealing");
const secret_box_1 = require("./secret-box");
const shared_write_1 = require("./shared-write");
const validate_1 = require("./validate");
const DEFAULT_EVENT_LIMIT = 1000;
// The same shapes as SqliteVault's. Flags come back as a text[] (pg parses it into string[]).
const CRED_SELECT = `
  SELECT c.id, cl.name AS client, c.username, c.windows_sync, c.mode, c.version, c.updated_at, c.password_set_at,
         ARRAY(SELECT f.flag FROM credential_flags f WHERE f.credential_id = c.id) AS flags
  FROM credentials c JOIN clients cl ON cl.id = c.client_id`;
/**
 * A listing (many rows): the rows first, then the flags of just those rows in one pass, instead of
 * CRED_SELECT's subquery per row. One statement, so one snapshot, as before.
 */
const credPage = (where) => `
  WITH page AS (
    SELECT c.id, cl.name AS client, c.username, c.windows_sync, c.mode, c.version, c.updated_at, c.password_set_at
    FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE ${where})
  SELECT p.*, COALESCE(f.flags, '{}') AS flags
  FROM page p LEFT JOIN (
    SELECT credential_id, array_agg(flag) AS flags FROM credential_flags
    WHERE credential_id IN (SELECT id FROM page) GROUP BY credential_id) f ON f.credential_id = p.id
  ORDER BY p.id`;
const LIST_CREDS = credPage('cl.name_key = $1');
// Shared (no `\` in the name) or the machine's own `MACHINE\user` ($2 is the folded `MACHINE\`, or null).
const LIST_MACHINE_CREDS = credPage("cl.name_key = $1 AND (strpos(c.username_key, '\\') = 0 OR left(c.username_key, length($2::text)) = $2::text)");
const CLIENT_COLUMNS = 'name, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared';
const CLIENT_SELECT = `SELECT ${CLIENT_COLUMNS} FROM clients`;
const EVENT_SELECT = 'SELECT id, time, machine, account, credential_id, kind, outcome, reason, trace_id, uid FROM events';
class PostgresVault {
    pool;
    box;
    now;
    closed = false;
    constructor(pool, box, now) {
        this.pool = pool;
        this.box = box;
        this.now = now;
    }
    /**
     * Connect, bring the schema up to date (creating it in an empty database) and check the key. Errors
     * name the database by user, host and name; never the URL's password, never a key.
     */
    static async open(options) {
        const box = new secret_box_1.SecretBox(options.key);
        const where = (0, postgres_open_1.describePostgresUrl)(options.url);
        const pool = (0, postgres_open_1.openPool)({ url: options.url, max: options.maxConnections });
        try {
            await (0, postgres_open_1.runPostgresMigrations)(pool, where, (0, migrations_1.vaultMigrations)('postgres'));
            const vault = new PostgresVault(pool, box, options.now ?? Date.now);
            await vault.checkKey(where);
            return vault;
        }
        catch (err) {
            await pool.end().catch(() => undefined);
            const message = err.message;
            throw new Error(message.includes(where) ? message : `PostgreSQL vault ${where}: ${message}`);
        }
    }
    // ---- clients -------------------------------------------------------------------------------------
    async addClient(input) {
        const client = (0, validate_1.checkNewClient)(input);
        const key = (0, fold_1.foldName)(client.name);
        return (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            if ((await db.query('SELECT 1 FROM clients WHERE name_key = $1', [key])).rowCount) {
                throw new errors_1.VaultInputError(`client "${client.name}" already exists`);
            }
            const { rows } = await db.query(`INSERT INTO clients (name, name_key, windows_sync, two_way_sync, auto_create, default_mode, agents_write_shared)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CLIENT_COLUMNS}`, [client.name, key, b(client.windowsSync), b(client.twoWaySync), b(client.autoCreate), client.defaultMode, b(client.agentsWriteShared)]);
            return toClient(rows[0]);
        });
    }
    /** One statement: an option not given keeps its value (COALESCE), whatever another process changed meanwhile. */
    async updateClient(name, change) {
        (0, validate_1.checkName)('client name', name);
        const c = (0, validate_1.checkClientChange)(change);
        const opt = (v) => (v === undefined ? null : b(v));
        const { rows } = await this.pool.query(`UPDATE clients SET windows_sync = COALESCE($2, windows_sync), two_way_sync = COALESCE($3, two_way_sync),
         auto_create = COALESCE($4, auto_create), default_mode = COALESCE($5, default_mode),
         agents_write_shared = COALESCE($6, agents_write_shared)
       WHERE name_key = $1 RETURNING ${CLIENT_COLUMNS}`, [(0, fold_1.foldName)(name), opt(c.windowsSync), opt(c.twoWaySync), opt(c.autoCreate), c.defaultMode ?? null, opt(c.agentsWriteShared)]);
        if (rows.length === 0)
            throw new vault_port_1.VaultNotFoundError(`client "${name}"`);
        return toClient(rows[0]);
    }
    /**
     * The client's row is locked first (FOR UPDATE): a credential, machine or agent being added to it in
     * another process holds a key-share lock on it (the foreign key), so the counts below wait for that
     * insert and see it; an insert that comes after waits for this delete and then finds no client.
     */
    async deleteClient(name) {
        (0, validate_1.checkName)('client name', name);
        await (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            const { rows } = await db.query('SELECT id, name FROM clients WHERE name_key = $1 FOR UPDATE', [(0, fold_1.foldName)(name)]);
            if (rows.length === 0)
                throw new vault_port_1.VaultNotFoundError(`client "${name}"`);
            const { id } = rows[0];
            const held = (await db.query(client_delete_1.CLIENT_HOLDINGS_SQL, [id])).rows[0];
            (0, client_delete_1.checkEmpty)(rows[0].name, { credentials: Number(held.credentials), machines: Number(held.machines), agents: Number(held.agents) });
            await db.query('DELETE FROM hub_agents WHERE client_id = $1 AND revoked_at IS NOT NULL', [id]);
            await db.query('DELETE FROM clients WHERE id = $1', [id]);
        });
    }
    async getClient(name) {
        const { rows } = await this.pool.query(`${CLIENT_SELECT} WHERE name_key = $1`, [(0, fold_1.foldName)(name)]);
        return rows[0] && toClient(rows[0]);
    }
    async listClients() {
        return (await this.pool.query(`${CLIENT_SELECT} ORDER BY id`)).rows.map(toClient);
    }
    // ---- credentials ---------------------------------------------------------------------------------
    async addCredential(cred, eventId) {
        (0, validate_1.checkNewCredential)(cred);
        const ev = eventId === undefined ? undefined : (0, validate_1.checkEventId)(eventId);
        return (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            const done = ev === undefined ? undefined : await this.appliedCredential(db, ev);
            if (done)
                return done;
            const clientId = await this.requireClientId(db, cred.client);
            if (await this.credentialByName(db, cred.client, cred.username)) {
                throw new errors_1.VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
            }
            const id = await this.insertCredential(db, clientId, cred);
            if (ev !== undefined)
                await this.markApplied(db, ev, id);
            return this.credentialById(db, id);
        });
    }
    /**
     * Many credentials in one transaction (imports, benches). Not on the port. Refuses the whole batch if
     * any username already exists.
     */
    async bulkAddCredentials(creds) {
        creds.forEach(validate_1.checkNewCredential);
        return (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            const ids = [];
            for (const cred of creds) {
                const clientId = await this.requireClientId(db, cred.client);
                if (await this.credentialByName(db, cred.client, cred.username)) {
                    throw new errors_1.VaultInputError(`credential "${cred.username}" already exists in client "${cred.client}"`);
                }
                ids.push(await this.insertCredential(db, clientId, cred));
            }
            const { rows } = await db.query(`${CRED_SELECT} WHERE c.id = ANY($1::bigint[]) ORDER BY c.id`, [ids]);
            return rows.map(toCredential);
        });
    }
    async updateCredential(client, username, change) {
        (0, validate_1.checkName)('client name', client);
        (0, validate_1.checkName)('username', username);
        (0, validate_1.checkChange)(change);
        return (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            const { rows } = await db.query(`SELECT c.id FROM credentials c JOIN clients cl ON cl.id = c.client_id
         WHERE cl.name_key = $1 AND c.username_key = $2 FOR NO KEY UPDATE OF c`, [(0, fold_1.foldName)(client), (0, fold_1.foldName)(username)]);
            if (rows.length === 0)
                throw new vault_port_1.VaultNotFoundError(`credential "${username}" in client "${client}"`);
            const id = rows[0].id;
            const now = this.now();
            if (change.password !== undefined) {
                await db.query('UPDATE credentials SET password_enc = $1, version = version + 1, updated_at = $2, password_set_at = $2 WHERE id = $3', [this.seal(id, username, change.password), now, id]);
            }
            if (change.mode !== undefined || change.windowsSync !== undefined) {
                await db.query('UPDATE credentials SET mode = COALESCE($1, mode), windows_sync = COALESCE($2, windows_sync), updated_at = $3 WHERE id = $4', [change.mode ?? null, change.windowsSync === undefined ? null : b(change.windowsSync), now, id]);
            }
            return this.credentialById(db, id);
        });
    }
    /** Its flags and applied-event ids go with it (their foreign keys); the identity column never hands its id out again. */
    async deleteCredential(client, username) {
        (0, validate_1.checkName)('client name', client);
        (0, validate_1.checkName)('username', username);
        return (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            const { rows } = await db.query(`SELECT c.id FROM credentials c JOIN clients cl ON cl.id = c.client_id
         WHERE cl.name_key = $1 AND c.username_key = $2 FOR UPDATE OF c`, [(0, fold_1.foldName)(client), (0, fold_1.foldName)(username)]);
            if (rows.length === 0)
                throw new vault_port_1.VaultNotFoundError(`credential "${username}" in client "${client}"`);
            const gone = await this.credentialById(db, rows[0].id);
            await db.query('DELETE FROM credential_flags WHERE credential_id = $1', [gone.id]);
            await db.query('DELETE FROM applied_events WHERE credential_id = $1', [gone.id]);
            await db.query('DELETE FROM credentials WHERE id = $1', [gone.id]);
            return gone;
        });
    }
    /** An unknown client lists nothing (reads do not fail on names; writes do). */
    async listCredentials(client) {
        const { rows } = await this.pool.query(LIST_CREDS, [(0, fold_1.foldName)(client)]);
        return rows.map(toCredential);
    }
    /** The agent's listing (src/vault/machine-listing.ts), filtered in SQL. */
    async listCredentialsForMachine(client, machine) {
        const { rows } = await this.pool.query(LIST_MACHINE_CREDS, [(0, fold_1.foldName)(client), (0, machine_listing_1.machinePrefix)(machine)]);
        return rows.map(toCredential);
    }
    async findCredential(client, username) {
        return this.credentialByName(this.pool, client, username);
    }
    async readPassword(credentialId) {
        (0, validate_1.checkId)('credentialId', credentialId);
        const { rows } = await this.pool.query('SELECT password_enc, username_key FROM credentials WHERE id = $1', [credentialId]);
        if (rows.length === 0)
            throw new vault_port_1.VaultNotFoundError(`credential ${credentialId}`);
        try {
            return this.box.open(rows[0].password_enc, (0, sealing_1.credentialContext)(credentialId, rows[0].username_key));
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
        return (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            // Idempotency first: after the first apply the version has moved on, so a re-delivery would
            // otherwise look like a conflict.
            const done = await this.appliedCredential(db, ev);
            if (done)
                return { credential: done, applied: false };
            // The lock holds the version until COMMIT: a writer in another process waits here, then reads the
            // version this transaction wrote.
            const { rows } = await db.query(`SELECT c.username_key, c.version, c.username, cl.name AS client, cl.agents_write_shared
         FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1 FOR NO KEY UPDATE OF c`, [credentialId]);
            if (rows.length === 0)
                throw new vault_port_1.VaultNotFoundError(`credential ${credentialId}`);
            (0, shared_write_1.checkCaptureWrite)({ name: rows[0].client, agentsWriteShared: rows[0].agents_write_shared === 1 }, rows[0].username);
            // Asked again under the lock: the same event, delivered to another process, may have just committed.
            const doneMeanwhile = await this.appliedCredential(db, ev);
            if (doneMeanwhile)
                return { credential: doneMeanwhile, applied: false };
            const { username_key: usernameKey, version } = rows[0];
            if (version !== baseVersion)
                throw new vault_port_1.VaultConflictError(credentialId, baseVersion, version);
            const now = this.now();
            await db.query('UPDATE credentials SET password_enc = $1, version = version + 1, updated_at = $2, password_set_at = $3 WHERE id = $4', [this.box.seal(password, (0, sealing_1.credentialContext)(credentialId, usernameKey)), now, capturedAt ?? now, credentialId]);
            await this.markApplied(db, ev, credentialId);
            return { credential: await this.credentialById(db, credentialId), applied: true };
        });
    }
    async createFromCapture(cred, eventId, capturedAt) {
        (0, validate_1.checkNewCredential)(cred);
        const ev = (0, validate_1.checkEventId)(eventId);
        return (0, postgres_open_1.withTransaction)(this.pool, async (db) => {
            const done = await this.appliedCredential(db, ev);
            if (done)
                return { credential: done, applied: false };
            const clientId = await this.requireClientId(db, cred.client);
            const client = (await db.query(`${CLIENT_SELECT} WHERE id = $1`, [clientId])).rows[0];
            (0, shared_write_1.checkCaptureWrite)(toClient(client), cred.username);
            // Someone (an operator, another event, another hub process) created it meanwhile: keep theirs.
            const existing = await this.credentialByName(db, cred.client, cred.username);
            if (existing)
                return { credential: existing, applied: false };
            const id = await this.insertCredential(db, clientId, cred, capturedAt);
            await this.markApplied(db, ev, id);
            return { credential: await this.credentialById(db, id), applied: true };
        });
    }
    async setFlag(credentialId, flag, on) {
        (0, validate_1.checkId)('credentialId', credentialId);
        (0, validate_1.checkFlag)(flag);
        (0, validate_1.checkBool)('on', on);
        // Credentials are never deleted, so existence checked outside a transaction stays true.
        const exists = (await this.pool.query('SELECT 1 FROM credentials WHERE id = $1', [credentialId])).rowCount;
        if (!exists)
            throw new vault_port_1.VaultNotFoundError(`credential ${credentialId}`);
        if (on) {
            await this.pool.query('INSERT INTO credential_flags (credential_id, flag, set_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [credentialId, flag, this.now()]);
        }
        else {
            await this.pool.query('DELETE FROM credential_flags WHERE credential_id = $1 AND flag = $2', [credentialId, flag]);
        }
    }
    // ---- machines and events -------------------------------------------------------------------------
    async recordMachine(machine) {
        (0, validate_1.checkName)('machine name', machine?.name);
        (0, validate_1.checkName)('client name', machine.client);
        (0, validate_1.checkName)('filterState', machine.filterState);
        (0, validate_1.checkId)('journalDepth', machine.journalDepth);
        // One statement: the client lookup and the upsert are atomic, and concurrent upserts of one name merge.
        const { rowCount } = await this.pool.query(`INSERT INTO machines (name, name_key, client_id, filter_state, journal_depth, last_seen)
       SELECT $1, $2, cl.id, $4, $5, $6 FROM clients cl WHERE cl.name_key = $3
       ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, client_id = excluded.client_id,
         filter_state = excluded.filter_state, journal_depth = excluded.journal_depth, last_seen = excluded.last_seen`, [machine.name, (0, fold_1.foldName)(machine.name), (0, fold_1.foldName)(machine.client), machine.filterState, machine.journalDepth, this.now()]);
        if (!rowCount)
            throw new vault_port_1.VaultNotFoundError(`client "${machine.client}"`);
    }
    /** Not on the port: for `status`, the hub and tests. Ordered by folded name, byte order as on SQLite. */
    async listMachines() {
        const { rows } = await this.pool.query(`SELECT m.name, cl.name AS client, m.filter_state, m.journal_depth, m.last_seen
       FROM machines m JOIN clients cl ON cl.id = m.client_id ORDER BY m.name_key COLLATE "C"`);
        return rows.map((r) => ({ name: r.name, client: r.client, filterState: r.filter_state, journalDepth: r.journal_depth, lastSeen: r.last_seen }));
    }
    /**
     * All events in one transaction. Ids are assigned here; an `id` on the input is ignored. An event whose
     * `uid` is already stored for its machine is skipped (a repeated delivery; its identity value is spent).
     *
     * Appends from all processes take turns (a table lock that readers do not wait for), so ids are
     * assigned in commit order: a reader paging with `afterId` (`events --follow`) never sees an event
     * whose id is below one it has already seen. Without it, an identity value taken by a transaction that
     * commits later would appear behind the reader's cursor and be skipped for good.
     *
     * The lock is held for one round trip, not four: BEGIN, LOCK, INSERT and COMMIT go as one simple query
     * (every audited read on the hub appends here, so they queue on this lock). That protocol takes no bind
     * parameters, so the whole batch travels as ONE JSON literal quoted by pg's escapeLiteral, and nothing
     * else is interpolated (appendEventsSql).
     */
    async appendEvents(events) {
        events.forEach(validate_1.checkEvent);
        events.forEach(checkEventText);
        if (events.length === 0)
            return;
        const client = await this.pool.connect();
        let broken;
        try {
            await client.query(appendEventsSql(client.escapeLiteral(eventsJson(events))));
        }
        catch (err) {
            // A statement that failed mid-way leaves the session inside an aborted transaction (the server skips
            // the rest, COMMIT included): end it before the connection goes back to the pool.
            try {
                await client.query('ROLLBACK');
            }
            catch (rollbackErr) {
                broken = rollbackErr; // the connection is gone: do not hand it back to the pool
            }
            throw err;
        }
        finally {
            client.release(broken);
        }
    }
    /** Oldest first (by id). `limit` defaults to 1000; page with `afterId`. */
    async queryEvents(q) {
        const where = [];
        const args = [];
        const arg = (v) => `$${args.push(v)}`;
        if (q.sinceMs !== undefined)
            where.push(`time >= ${arg((0, validate_1.checkId)('sinceMs', q.sinceMs))}`);
        if (q.account !== undefined)
            where.push(`account_key = ${arg((0, fold_1.foldName)(q.account))}`);
        if (q.kind !== undefined)
            where.push(`kind = ${arg(q.kind)}`);
        if (q.machine !== undefined)
            where.push(`machine = ${arg(q.machine)}`);
        if (q.afterId !== undefined)
            where.push(`id > ${arg((0, validate_1.checkId)('afterId', q.afterId))}`);
        const limit = q.limit === undefined ? DEFAULT_EVENT_LIMIT : (0, validate_1.checkId)('limit', q.limit);
        const sql = `${EVENT_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id${q.latest ? ' DESC' : ''} LIMIT ${arg(limit)}`;
        const rows = (await this.pool.query(sql, args)).rows.map(toEvent);
        return q.latest ? rows.reverse() : rows;
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        await this.pool.end();
    }
    // ---- internals -----------------------------------------------------------------------------------
    async requireClientId(db, name) {
        const { rows } = await db.query('SELECT id FROM clients WHERE name_key = $1', [(0, fold_1.foldName)(name)]);
        if (rows.length === 0)
            throw new vault_port_1.VaultNotFoundError(`client "${name}"`);
        return rows[0].id;
    }
    async credentialByName(db, client, username) {
        const { rows } = await db.query(`${CRED_SELECT} WHERE cl.name_key = $1 AND c.username_key = $2`, [(0, fold_1.foldName)(client), (0, fold_1.foldName)(username)]);
        return rows[0] && toCredential(rows[0]);
    }
    async credentialById(db, id) {
        const { rows } = await db.query(`${CRED_SELECT} WHERE c.id = $1`, [id]);
        if (rows.length === 0)
            throw new vault_port_1.VaultNotFoundError(`credential ${id}`);
        return toCredential(rows[0]);
    }
    /** The credential an already-applied event id produced, or undefined when the id is new. */
    async appliedCredential(db, eventId) {
        const { rows } = await db.query('SELECT credential_id FROM applied_events WHERE event_id = $1', [eventId]);
        return rows.length === 0 ? undefined : this.credentialById(db, rows[0].credential_id);
    }
    /** A concurrent apply of the same id elsewhere makes this insert fail (unique), and the retry answers applied: false. */
    async markApplied(db, eventId, credentialId) {
        await db.query('INSERT INTO applied_events (event_id, credential_id, at) VALUES ($1, $2, $3)', [eventId, credentialId, this.now()]);
    }
    /**
     * The row is inserted first and sealed second because the AAD binds the id, which only the insert
     * assigns; both happen in the caller's transaction, so no reader ever sees the empty placeholder.
     */
    async insertCredential(db, clientId, cred, passwordSetAt) {
        const now = this.now();
        const { rows } = await db.query(`INSERT INTO credentials
      (client_id, username, username_key, password_enc, windows_sync, mode, version, updated_at, password_set_at)
      VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id`, [clientId, cred.username, (0, fold_1.foldName)(cred.username), Buffer.alloc(0), b(cred.windowsSync), cred.mode, now, passwordSetAt ?? now]);
        const id = rows[0].id;
        await db.query('UPDATE credentials SET password_enc = $1 WHERE id = $2', [this.seal(id, cred.username, cred.password), id]);
        return id;
    }
    seal(id, username, password) {
        return this.box.seal(password, (0, sealing_1.credentialContext)(id, (0, fold_1.foldName)(username)));
    }
    /**
     * Fail at open, with a clear message, when the key is not the one this vault was created with. Two
     * processes opening a new database at once store one record: the second checks against the first's.
     */
    async checkKey(where) {
        await this.pool.query('INSERT INTO vault_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [sealing_1.KEY_CHECK_NAME, (0, sealing_1.sealKeyCheck)(this.box)]);
        const { rows } = await this.pool.query('SELECT value FROM vault_meta WHERE name = $1', [sealing_1.KEY_CHECK_NAME]);
        if (!(0, sealing_1.keyCheckOpens)(this.box, rows[0].value)) {
            throw new Error(`the vault key does not open ${where} (the database was created with another key)`);
        }
    }
}
exports.PostgresVault = PostgresVault;
/**
 * PostgreSQL's TEXT cannot hold U+0000 (SQLite's can). Refused up front with the field's name, like any
 * other bad event, rather than as a driver error. Names never get here: checkName refuses control
 * characters. No event field holds a password, so the message may say which field.
 */
function checkEventText(e, index) {
    for (const field of ['account', 'reason', 'traceId']) {
        if (e[field]?.includes('\u0000'))
            throw new errors_1.VaultInputError(`event ${index}: ${field} contains a NUL character`);
    }
}
/**
 * The batch as a JSON array of arrays, in the column order of appendEventsSql. account_key is folded
 * here, with the same foldName as every other key. Lone surrogates become U+FFFD, as pg's UTF-8 encoding
 * of a bind parameter did: JSON.stringify would write them as `\udXXX` escapes, which PostgreSQL's json
 * refuses.
 */
function eventsJson(events) {
    const text = (v) => (v === undefined ? null : v.replace(/\p{Cs}/gu, '\uFFFD'));
    return JSON.stringify(events.map((e) => [
        e.time, text(e.machine), text(e.account), e.account === undefined ? null : text((0, fold_1.foldName)(e.account)),
        e.credentialId ?? null, text(e.kind), e.outcome, text(e.reason), text(e.traceId), e.uid ?? null,
    ]));
}
/**
 * One simple query: lock, insert the batch, commit. `batch` is the already-quoted JSON literal and the
 * only value in the text. Rows are inserted in array order (ORDER BY the ordinality), so a batch keeps its
 * order in the ids.
 */
function appendEventsSql(batch) {
    return `BEGIN;
LOCK TABLE events IN EXCLUSIVE MODE;
INSERT INTO events (time, machine, account, account_key, credential_id, kind, outcome, reason, trace_id, uid)
  SELECT (e->>0)::bigint, e->>1, e->>2, e->>3, (e->>4)::bigint, e->>5, e->>6, e->>7, e->>8, e->>9
  FROM json_array_elements(${batch}::json) WITH ORDINALITY AS x(e, n) ORDER BY n
  ON CONFLICT (uid, machine) DO NOTHING;
COMMIT;`;
}
const b = (v) => (v ? 1 : 0);
function toClient(r) {
    return {
        name: r.name, windowsSync: r.windows_sync === 1, twoWaySync: r.two_way_sync === 1, autoCreate: r.auto_create === 1,
        defaultMode: r.default_mode, agentsWriteShared: r.agents_write_shared === 1,
    };
}
function toCredential(r) {
    return {
        id: r.id, client: r.client, username: r.username, windowsSync: r.windows_sync === 1, mode: r.mode, version: r.version,
        // Flags in one fixed order, whatever order the subquery produced.
        flags: validate_1.FLAGS.filter((f) => r.flags.includes(f)), updatedAt: r.updated_at, passwordSetAt: r.password_set_at,
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
//# sourceMappingURL=postgres.vault.js.map