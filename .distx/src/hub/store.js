"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HubStore = exports.LastAdminError = exports.PERMISSIONS = exports.ROLES = void 0;
exports.checkRole = checkRole;
exports.checkPermissions = checkPermissions;
/**
 * The hub's own records, in the vault's database (migration 2): users, login sessions, enrolled agents
 * and failed-login counters (src/hub/login-throttle.ts). Everything lives in the database, so any hub
 * process on it can serve any request; a process keeps nothing of its own between requests. Tokens are
 * stored as SHA-256 only.
 */
const errors_1 = require("../vault/errors");
const fold_1 = require("../vault/fold");
const validate_1 = require("../vault/validate");
const access_1 = require("./access");
const change_cursor_1 = require("./change-cursor");
const change_watch_1 = require("./change-watch");
const login_throttle_1 = require("./login-throttle");
exports.ROLES = ['admin', 'operator', 'viewer'];
exports.PERMISSIONS = ['setup-ad-sync'];
const byKey = (a, b) => ((0, fold_1.foldName)(a) < (0, fold_1.foldName)(b) ? -1 : (0, fold_1.foldName)(a) > (0, fold_1.foldName)(b) ? 1 : 0);
const USER_COLUMNS = 'id, name, role, permissions, password_hash, disabled, created_at';
function toUser(r) {
    return {
        id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at,
        permissions: r.permissions === '' ? [] : r.permissions.split(','),
    };
}
function checkRole(value) {
    if (!exports.ROLES.includes(value))
        throw new errors_1.VaultInputError(`role must be one of ${exports.ROLES.join(', ')}, got ${JSON.stringify(value)}`);
    return value;
}
/**
 * Setup AD Sync hands out an agent token that reads the client's passwords, so only a role that may read
 * passwords itself may hold it: a viewer with it could read every password through an agent of their own.
 */
function checkPermissions(role, value) {
    if (!Array.isArray(value) || value.some((p) => !exports.PERMISSIONS.includes(p))) {
        throw new errors_1.VaultInputError(`permissions must be a list of ${exports.PERMISSIONS.join(', ')}`);
    }
    const perms = [...new Set(value)].sort();
    if (role === 'viewer' && perms.includes('setup-ad-sync')) {
        throw new errors_1.VaultInputError('permission setup-ad-sync needs role operator or admin: an enrolled agent reads passwords, which a viewer may not');
    }
    return perms;
}
/** Refused: the change would leave the hub without an enabled admin (nobody could manage users any more). */
class LastAdminError extends Error {
    user;
    constructor(user, what) {
        super(`user "${user}" is the last enabled admin: ${what} it and nobody could manage the hub's users; make another admin first`);
        this.user = user;
        this.name = 'LastAdminError';
    }
}
exports.LastAdminError = LastAdminError;
class HubStore {
    sql;
    now;
    watch;
    /** Failed logins per user name and per address. */
    throttle;
    constructor(sql, now = Date.now) {
        this.sql = sql;
        this.now = now;
        this.throttle = new login_throttle_1.LoginThrottle(sql, now);
    }
    async ping() {
        await this.sql.all('SELECT 1 AS ok');
    }
    // ---- users -------------------------------------------------------------------------------------
    /**
     * The first admin, only if the hub has no user yet. In one transaction, so hub processes starting
     * together on one new database make one admin between them. Returns whether this call made it.
     */
    async createFirstAdmin(name, passwordHash) {
        (0, validate_1.checkName)('admin name', name);
        return this.sql.tx(async (q) => {
            if ((await q.all('SELECT id FROM hub_users LIMIT 1')).length > 0)
                return false;
            await q.run(`INSERT INTO hub_users (name, name_key, role, permissions, password_hash, created_at) VALUES ($1, $2, 'admin', $3, $4, $5)`, [name, (0, fold_1.foldName)(name), 'setup-ad-sync', passwordHash, this.now()]);
            return true;
        });
    }
    async hasUsers() {
        return (await this.sql.all('SELECT id FROM hub_users LIMIT 1')).length > 0;
    }
    async createUser(user, passwordHash) {
        (0, validate_1.checkName)('name', user.name);
        const role = checkRole(user.role);
        const perms = checkPermissions(role, user.permissions);
        const rows = await this.sql.all(`INSERT INTO hub_users (name, name_key, role, permissions, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name_key) DO NOTHING RETURNING ${USER_COLUMNS}`, [user.name, (0, fold_1.foldName)(user.name), role, perms.join(','), passwordHash, this.now()]);
        if (rows.length === 0)
            throw new errors_1.VaultInputError(`user "${user.name}" already exists`);
        return toUser(rows[0]);
    }
    async listUsers() {
        return (await this.sql.all(`SELECT ${USER_COLUMNS} FROM hub_users ORDER BY id`)).map(toUser);
    }
    /** The user and their stored hash, for login. */
    async userForLogin(name) {
        const rows = await this.sql.all(`SELECT ${USER_COLUMNS} FROM hub_users WHERE name_key = $1`, [(0, fold_1.foldName)(name)]);
        return rows[0] && { user: toUser(rows[0]), passwordHash: rows[0].password_hash };
    }
    // ---- sessions ----------------------------------------------------------------------------------
    async createSession(userId, tokenHash, ttlMs) {
        const now = this.now();
        await this.sql.run('DELETE FROM hub_sessions WHERE expires_at < $1', [now]);
        await this.sql.run('INSERT INTO hub_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash, userId, now, now + ttlMs]);
        return now + ttlMs;
    }
    /** The user of a live session; a disabled user's sessions no longer count. */
    async sessionUser(tokenHash) {
        const rows = await this.sql.all(`SELECT ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')} FROM hub_sessions s JOIN hub_users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0`, [tokenHash, this.now()]);
        return rows[0] && toUser(rows[0]);
    }
    async deleteSession(tokenHash) {
        await this.sql.run('DELETE FROM hub_sessions WHERE token_hash = $1', [tokenHash]);
    }
    // ---- agents ------------------------------------------------------------------------------------
    /**
     * Enrol a machine into a client: earlier tokens of the same machine are revoked in the same
     * transaction (a machine serves one client, with one token). The client must exist.
     */
    async createAgent(a) {
        (0, validate_1.checkName)('machine', a.machine);
        const reserved = (0, access_1.reservedMachineName)(a.machine);
        if (reserved)
            throw new errors_1.VaultInputError((0, access_1.reservedMachineMessage)(a.machine, reserved));
        return this.sql.tx(async (q) => {
            const clients = await q.all('SELECT id, name FROM clients WHERE name_key = $1', [(0, fold_1.foldName)(a.client)]);
            if (clients.length === 0)
                throw new errors_1.VaultInputError(`client "${a.client}" does not exist`);
            const now = this.now();
            const revoked = await q.run('UPDATE hub_agents SET revoked_at = $1 WHERE machine_key = $2 AND revoked_at IS NULL', [now, (0, fold_1.foldName)(a.machine)]);
            const rows = await q.all(`INSERT INTO hub_agents (token_hash, client_id, machine, machine_key, enrolled_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [a.tokenHash, clients[0].id, a.machine, (0, fold_1.foldName)(a.machine), a.enrolledBy, now]);
            return { id: rows[0].id, client: clients[0].name, machine: a.machine, revoked };
        });
    }
    async agentByToken(tokenHash) {
        const rows = await this.sql.all(`SELECT a.id, c.name AS client, a.machine FROM hub_agents a JOIN clients c ON c.id = a.client_id
       WHERE a.token_hash = $1 AND a.revoked_at IS NULL`, [tokenHash]);
        return rows[0];
    }
    // ---- scope lookups -----------------------------------------------------------------------------
    /** Which client and username a credential id belongs to (names never change once created). */
    async credentialScope(id) {
        const rows = await this.sql.all('SELECT cl.name AS client, c.username FROM credentials c JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1', [id]);
        return rows[0];
    }
    /** What push-down's cursor is computed from (src/hub/change-cursor.ts); undefined: no such client. Two indexed queries. */
    async changeState(client) {
        const cl = await this.sql.all('SELECT id, windows_sync, two_way_sync, auto_create, default_mode FROM clients WHERE name_key = $1', [(0, fold_1.foldName)(client)]);
        if (cl.length === 0)
            return undefined;
        const c = cl[0];
        const rows = await this.sql.all('SELECT id, username, version, mode, windows_sync FROM credentials WHERE client_id = $1 ORDER BY id', [c.id]);
        return {
            client: { windowsSync: c.windows_sync, twoWaySync: c.two_way_sync, autoCreate: c.auto_create, defaultMode: c.default_mode },
            credentials: rows.map(change_cursor_1.toChangeCredential),
        };
    }
    /** The push-down cursor of an agent of `client` on `machine` (GET /api/changes). */
    async changeCursor(client, machine) {
        return (0, change_cursor_1.cursorFor)(await this.changeState(client), machine);
    }
    /**
     * One query for every client: a signature that moves whenever anything changeState reads for that client
     * moves (a credential added, a version bumped, a mode or switch flipped: every such write also sets
     * updated_at, so its sum moves too; the sync options). Flags are not in it. The watcher (change-watch.ts)
     * reads this once per tick for all open polls and reads a client's credentials only when it moved.
     */
    async changeSignatures() {
        const rows = await this.sql.all(`SELECT cl.name_key AS k, cl.windows_sync AS ws, cl.two_way_sync AS tw, cl.auto_create AS ac, cl.default_mode AS dm,
         COUNT(c.id) AS n, COALESCE(MAX(c.id), 0) AS top, COALESCE(SUM(c.version), 0) AS versions,
         COALESCE(SUM(c.updated_at), 0) AS touched, COALESCE(SUM(c.windows_sync), 0) AS synced,
         COALESCE(SUM(CASE WHEN c.mode = 'change' THEN 1 ELSE 0 END), 0) AS changing
       FROM clients cl LEFT JOIN credentials c ON c.client_id = cl.id GROUP BY cl.id`);
        // PostgreSQL's SUM is NUMERIC (a string here), SQLite's an integer: each engine compares with itself.
        return new Map(rows.map((r) => [r.k, `${r.ws}|${r.tw}|${r.ac}|${r.dm}|${r.n}|${r.top}|${r.versions}|${r.touched}|${r.synced}|${r.changing}`]));
    }
    /** This process's watcher of open push-down polls (made on first use, closed with the store). */
    watchChanges() {
        this.watch ??= new change_watch_1.ChangeWatch(this);
        return this.watch;
    }
    // ---- dashboard reads (src/hub/dashboard-api.ts) -----------------------------------------------
    /** Every machine the hub has heard of, with what its agent last reported; sorted by name here (collations differ). */
    async listMachines() {
        const rows = await this.sql.all(`SELECT m.name, cl.name AS client, m.filter_state, m.journal_depth, m.last_seen
       FROM machines m JOIN clients cl ON cl.id = m.client_id`);
        return rows
            .map((r) => ({ name: r.name, client: r.client, filterState: r.filter_state, journalDepth: Number(r.journal_depth), lastSeen: Number(r.last_seen) }))
            .sort((a, b) => byKey(a.name, b.name));
    }
    /** How many credentials carry each flag, per client (clients without a flag are left out). */
    async flagCounts() {
        const rows = await this.sql.all(`SELECT cl.name AS client, f.flag, COUNT(*) AS n
       FROM credential_flags f JOIN credentials c ON c.id = f.credential_id JOIN clients cl ON cl.id = c.client_id
       GROUP BY cl.name, f.flag`);
        return rows.map((r) => ({ client: r.client, flag: r.flag, count: Number(r.n) })).sort((a, b) => byKey(a.client, b.client) || byKey(a.flag, b.flag));
    }
    // ---- metrics (GET /metrics, src/hub/hub-metrics.ts) ----------------------------------------------
    /**
     * Events with afterId < id <= upToId (no upper bound when absent) counted by kind and outcome, and the
     * highest id among them: a range of the primary key, so a scrape reads only the events since the last.
     */
    async eventCounts(afterId, upToId) {
        const rows = await this.sql.all(`SELECT kind, outcome, COUNT(*) AS n, MAX(id) AS max_id FROM events WHERE id > $1 AND id <= $2 GROUP BY kind, outcome`, [afterId, upToId ?? Number.MAX_SAFE_INTEGER]);
        return rows.map((r) => ({ kind: r.kind, outcome: r.outcome, n: Number(r.n), maxId: Number(r.max_id) }));
    }
    /** The highest event id (0 when there is none): the end of the primary key's index. */
    async maxEventId() {
        const rows = await this.sql.all('SELECT MAX(id) AS m FROM events');
        return Number(rows[0]?.m ?? 0);
    }
    /** The lowest event id above `id`, if any (counting skips a gap in the ids with it). */
    async eventIdAfter(id) {
        const rows = await this.sql.all('SELECT MIN(id) AS m FROM events WHERE id > $1', [id]);
        return rows[0]?.m == null ? undefined : Number(rows[0].m);
    }
    /** Credentials by flag and by mode, machines by filter state (with their journal depths), live agents. */
    async metricsTotals() {
        const flags = await this.sql.all('SELECT flag, COUNT(*) AS n FROM credential_flags GROUP BY flag');
        const modes = await this.sql.all('SELECT mode, COUNT(*) AS n FROM credentials GROUP BY mode');
        // SUM of a BIGINT is NUMERIC on PostgreSQL (text through pg): cast back.
        const machines = await this.sql.all('SELECT filter_state AS state, COUNT(*) AS n, CAST(SUM(journal_depth) AS BIGINT) AS depth FROM machines GROUP BY filter_state');
        const agents = await this.sql.all('SELECT COUNT(*) AS n FROM hub_agents WHERE revoked_at IS NULL');
        return {
            flags: flags.map((r) => ({ flag: r.flag, n: Number(r.n) })),
            modes: modes.map((r) => ({ mode: r.mode, n: Number(r.n) })),
            machines: machines.map((r) => ({ state: r.state, n: Number(r.n), depth: Number(r.depth ?? 0) })),
            agents: Number(agents[0]?.n ?? 0),
        };
    }
    close() {
        this.watch?.close();
        return this.sql.close();
    }
    // ---- operator changes to users (src/hub/user-admin.ts) ----------------------------------------
    async findUser(name) {
        return (await this.userForLogin(name))?.user;
    }
    /**
     * A new password: the user's sessions end and its failed-login count is cleared, in the same
     * transaction (whoever knew the old password is logged out). Undefined: no such user.
     */
    async setUserPassword(name, passwordHash) {
        return this.sql.tx(async (q) => {
            const rows = await q.all(`UPDATE hub_users SET password_hash = $1 WHERE name_key = $2 RETURNING ${USER_COLUMNS}`, [passwordHash, (0, fold_1.foldName)(name)]);
            if (rows.length === 0)
                return undefined;
            const sessionsEnded = await q.run('DELETE FROM hub_sessions WHERE user_id = $1', [rows[0].id]);
            await this.throttle.clear((0, login_throttle_1.userThrottleKey)((0, fold_1.foldName)(name)), q);
            return { user: toUser(rows[0]), sessionsEnded };
        });
    }
    /**
     * Disable (its sessions end too) or enable a user. The last enabled admin is never disabled: a hub
     * without one can no longer manage its users. `changed` is false when it already was so.
     */
    async setUserDisabled(name, disabled) {
        return this.sql.tx(async (q) => {
            const user = await this.lockedUser(q, name);
            if (!user)
                return undefined;
            if (user.disabled === disabled)
                return { user, changed: false, sessionsEnded: 0 };
            if (disabled && user.role === 'admin')
                await this.keepAnAdmin(q, user, 'disable');
            await q.run('UPDATE hub_users SET disabled = $1 WHERE id = $2', [disabled ? 1 : 0, user.id]);
            const sessionsEnded = disabled ? await q.run('DELETE FROM hub_sessions WHERE user_id = $1', [user.id]) : 0;
            return { user: { ...user, disabled }, changed: true, sessionsEnded };
        });
    }
    /** A new role and permissions (checked together); the last enabled admin is never demoted. */
    async setUserRole(name, role, permissions) {
        const r = checkRole(role);
        const perms = checkPermissions(r, permissions);
        return this.sql.tx(async (q) => {
            const before = await this.lockedUser(q, name);
            if (!before)
                return undefined;
            if (before.role === 'admin' && r !== 'admin' && !before.disabled)
                await this.keepAnAdmin(q, before, 'demote');
            await q.run('UPDATE hub_users SET role = $1, permissions = $2 WHERE id = $3', [r, perms.join(','), before.id]);
            return { before, after: { ...before, role: r, permissions: perms } };
        });
    }
    /**
     * The user, and on PostgreSQL a lock on every enabled admin's row as well as its own, so two changes at
     * once cannot each leave "the other" admin (READ COMMITTED re-checks a locked row's WHERE after the
     * wait). SQLite's BEGIN IMMEDIATE already orders all writers.
     */
    async lockedUser(q, name) {
        const forUpdate = this.sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
        await q.all(`SELECT id FROM hub_users WHERE role = 'admin' AND disabled = 0 ORDER BY id${forUpdate}`);
        const rows = await q.all(`SELECT ${USER_COLUMNS} FROM hub_users WHERE name_key = $1${forUpdate}`, [(0, fold_1.foldName)(name)]);
        return rows[0] && toUser(rows[0]);
    }
    async keepAnAdmin(q, user, what) {
        const others = await q.all(`SELECT id FROM hub_users WHERE role = 'admin' AND disabled = 0 AND id <> $1`, [user.id]);
        if (others.length === 0)
            throw new LastAdminError(user.name, what);
    }
}
exports.HubStore = HubStore;
//# sourceMappingURL=store.js.map