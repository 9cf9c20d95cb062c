"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.routes = exports.CHANGES_POLL_MS = exports.CHANGES_MAX_WAIT_MS = exports.VAULT_METHODS = exports.MAX_EVENTS_PER_REQUEST = exports.MAX_USER_PASSWORD = exports.MIN_USER_PASSWORD = exports.SESSION_COOKIE = exports.SESSION_TTL_MS = exports.DEFAULT_LOGIN_LIMITS = void 0;
exports.record = record;
exports.refuse = refuse;
exports.passwordOut = passwordOut;
exports.checkUserPassword = checkUserPassword;
const vault_port_1 = require("../ports/vault.port");
const errors_1 = require("../vault/errors");
const fold_1 = require("../vault/fold");
const machine_listing_1 = require("../vault/machine-listing");
const validate_1 = require("../vault/validate");
const access_1 = require("./access");
const capture_time_1 = require("./capture-time");
const dashboard_api_1 = require("./dashboard-api");
const http_error_1 = require("./http-error");
const login_throttle_1 = require("./login-throttle");
const passwords_1 = require("./passwords");
const schema_1 = require("./schema");
const store_1 = require("./store");
const user_admin_1 = require("./user-admin");
/**
 * 5 failures of a user name (50 from an address: offices behind one NAT), then 1 s, 2 s, 4 s … up to
 * 5 min between attempts: about 290 guesses a day per user at most, against passwords of 12 characters or
 * more, while the user themself is only ever minutes from a login. Forgotten after 15 quiet minutes.
 */
exports.DEFAULT_LOGIN_LIMITS = { perUser: 5, perAddress: 50, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, windowMs: 15 * 60_000 };
exports.SESSION_TTL_MS = 12 * 3600_000;
exports.SESSION_COOKIE = 'pwbridge_session';
/** Hub user passwords: long enough to resist online guessing together with the rate limit. */
exports.MIN_USER_PASSWORD = 12;
exports.MAX_USER_PASSWORD = 1024;
// ---- shared schemas ----------------------------------------------------------------------------------
const CLIENT_OPTION_FIELDS = { windowsSync: schema_1.bool, twoWaySync: schema_1.bool, autoCreate: schema_1.bool, defaultMode: schema_1.str, agentsWriteShared: schema_1.bool };
/** A new client: the name, and the options that are not to be the defaults (CLIENT_DEFAULTS; the vault fills them in). */
const clientSchema = (0, schema_1.obj)({ name: schema_1.str, ...CLIENT_OPTION_FIELDS }, Object.keys(CLIENT_OPTION_FIELDS));
const clientChangeSchema = (0, schema_1.obj)(CLIENT_OPTION_FIELDS, Object.keys(CLIENT_OPTION_FIELDS));
const newCredSchema = (0, schema_1.obj)({ client: schema_1.str, username: schema_1.str, password: schema_1.bytes, windowsSync: schema_1.bool, mode: schema_1.str });
const eventSchema = (0, schema_1.obj)({ id: schema_1.integer, time: schema_1.integer, machine: schema_1.str, account: schema_1.str, credentialId: schema_1.integer, kind: schema_1.str, outcome: schema_1.str, reason: schema_1.str, traceId: schema_1.str, uid: schema_1.str }, ['id', 'account', 'credentialId', 'reason', 'traceId', 'uid']);
const querySchema = (0, schema_1.obj)({ sinceMs: schema_1.integer, account: schema_1.str, kind: schema_1.str, machine: schema_1.str, afterId: schema_1.integer, limit: schema_1.integer, latest: schema_1.bool }, ['sinceMs', 'account', 'kind', 'machine', 'afterId', 'limit', 'latest']);
/** Events per appendEvents request; the adapter sends bigger batches in several requests. */
exports.MAX_EVENTS_PER_REQUEST = 2000;
// ---- helpers -------------------------------------------------------------------------------------------
async function record(ctx, e) {
    const machine = ctx.principal?.kind === 'agent' ? ctx.principal.agent.machine : access_1.HUB_MACHINE;
    await ctx.vault.appendEvents([{ ...e, time: ctx.now(), machine }]);
}
/** Refuse with 403, after recording who tried what (the event is stored before the answer). */
async function refuse(ctx, what, about = {}) {
    const reason = `${(0, access_1.describePrincipal)(ctx.principal)} may not ${what}`;
    await record(ctx, { kind: 'access-refused', outcome: 'refused', reason, ...about });
    throw new http_error_1.HttpError(403, 'forbidden', reason);
}
function requireUser(ctx) {
    if (ctx.principal?.kind !== 'user')
        throw new http_error_1.HttpError(403, 'forbidden', `${(0, access_1.describePrincipal)(ctx.principal)}: this needs a user's login, not an agent token`);
    return ctx.principal.user;
}
/**
 * The gate of every vault route. A user needs `role`; an agent passes only what `agentAllows` says
 * (undefined: no agent may call it). Both refusals are recorded.
 */
async function gate(ctx, what, role, agentAllows, about = {}) {
    const p = ctx.principal;
    if (p.kind === 'user') {
        if (!(0, access_1.atLeast)(p.user.role, role))
            await refuse(ctx, what, about);
        return;
    }
    if (!agentAllows || !(await agentAllows()))
        await refuse(ctx, what, about);
}
/** For the id-based methods: where the credential is (an unknown id passes, and the vault says not found). */
async function agentMayTouchId(ctx, id) {
    if (ctx.principal?.kind !== 'agent')
        return { ok: true };
    return agentMayTouch(ctx, await ctx.store.credentialScope(id));
}
/** agentMayTouchId with the credential's scope already looked up (undefined: no such id). */
function agentMayTouch(ctx, scope) {
    if (ctx.principal?.kind !== 'agent' || !scope)
        return { ok: true };
    return { ok: (0, access_1.appliesToAgent)(ctx.principal.agent, scope.client, scope.username), account: scope.username };
}
/**
 * A capturedAt from the future is taken as the hub's now (capture-time.ts). The checked body is changed in
 * place, so the sync-latency metric sees the time stored. The event is recorded once the write applied
 * (a retry that finds it done, or a conflict, stored nothing of that time).
 */
function bindCaptureTime(ctx, a) {
    const sent = a.capturedAt;
    const bound = (0, capture_time_1.boundCaptureTime)(sent, ctx.now());
    a.capturedAt = bound.capturedAt;
    return {
        async recordIfClamped(credentialId, account) {
            if (bound.aheadMs === undefined)
                return;
            await record(ctx, { kind: 'capture-time-clamped', outcome: 'info', credentialId, account, reason: `${(0, capture_time_1.describeClamp)(sent, bound.aheadMs, bound.capturedAt)}; sent by ${(0, access_1.describePrincipal)(ctx.principal)}` });
        },
    };
}
/**
 * A credential's password for the caller (already let through), base64. The password-read event is stored
 * before the password leaves: if storing it fails, the request fails and nothing is sent, so no read goes
 * unrecorded. `how` ends the event's reason (the dashboard's reveal, src/hub/reveal-api.ts, says so).
 */
async function passwordOut(ctx, credentialId, found, how) {
    const password = await ctx.vault.readPassword(credentialId);
    try {
        await record(ctx, {
            kind: 'password-read', outcome: 'info', credentialId, account: found?.username,
            reason: `read by ${(0, access_1.describePrincipal)(ctx.principal)}${found && ctx.principal?.kind === 'user' ? `, credential of client "${found.client}"` : ''}${how ? `: ${how}` : ''}`,
        });
        return { password: password.toString('base64') };
    }
    finally {
        password.fill(0);
    }
}
const agentOf = (ctx) => ctx.principal.agent;
/**
 * A capture write the client's options refuse (a shared credential while agents may not write them): the
 * attempt is recorded before the 403, like any refusal, since it is what root on a machine would try.
 */
async function refusedByPolicy(ctx, about, write) {
    try {
        return await write();
    }
    catch (err) {
        if (err instanceof vault_port_1.VaultPolicyError) {
            await record(ctx, { kind: 'access-refused', outcome: 'refused', reason: `${(0, access_1.describePrincipal)(ctx.principal)}: ${err.message}`, ...about });
        }
        throw err;
    }
}
/** Who changed a client's options, and to what (the options are no secret). */
const describeChange = (c) => Object.entries(c).map(([k, v]) => `${k}=${String(v)}`).join(', ');
// ---- vault routes ----------------------------------------------------------------------------------------
const vaultRoutes = {
    addClient: {
        body: (0, schema_1.obj)({ client: clientSchema }),
        async handle(ctx, a) {
            await gate(ctx, `add client "${a.client.name}"`, 'operator');
            return { client: await ctx.vault.addClient(a.client) };
        },
    },
    updateClient: {
        body: (0, schema_1.obj)({ name: schema_1.str, change: clientChangeSchema }),
        async handle(ctx, a) {
            await gate(ctx, `change client "${a.name}"`, 'operator');
            const client = await ctx.vault.updateClient(a.name, a.change);
            await record(ctx, { kind: 'client-changed', outcome: 'ok', reason: `client "${client.name}" changed by ${(0, access_1.describePrincipal)(ctx.principal)}: ${describeChange(a.change) || 'nothing'}` });
            return { client };
        },
    },
    deleteClient: {
        body: (0, schema_1.obj)({ name: schema_1.str }),
        async handle(ctx, a) {
            await gate(ctx, `delete client "${a.name}"`, 'operator');
            await ctx.vault.deleteClient(a.name);
            await record(ctx, { kind: 'client-deleted', outcome: 'ok', reason: `client "${a.name}" deleted by ${(0, access_1.describePrincipal)(ctx.principal)}` });
            return {};
        },
    },
    getClient: {
        body: (0, schema_1.obj)({ name: schema_1.str }),
        async handle(ctx, a) {
            await gate(ctx, `read client "${a.name}"`, 'viewer', () => (0, access_1.sameName)(a.name, agentOf(ctx).client));
            return { client: (await ctx.vault.getClient(a.name)) ?? null };
        },
    },
    listClients: {
        body: (0, schema_1.obj)({}),
        async handle(ctx) {
            const all = await ctx.vault.listClients();
            const p = ctx.principal;
            return { clients: p.kind === 'agent' ? all.filter((c) => (0, access_1.sameName)(c.name, p.agent.client)) : all };
        },
    },
    addCredential: {
        body: (0, schema_1.obj)({ credential: newCredSchema, eventId: schema_1.str }, ['eventId']),
        async handle(ctx, a) {
            const c = a.credential;
            await gate(ctx, `add credential "${c.username}" to client "${c.client}"`, 'operator', () => (0, access_1.ownMachineCredential)(agentOf(ctx), c.client, c.username), { account: c.username });
            return { credential: await ctx.vault.addCredential(c, a.eventId) };
        },
    },
    updateCredential: {
        body: (0, schema_1.obj)({ client: schema_1.str, username: schema_1.str, change: (0, schema_1.obj)({ mode: schema_1.str, windowsSync: schema_1.bool, password: schema_1.bytes }, ['mode', 'windowsSync', 'password']) }),
        async handle(ctx, a) {
            await gate(ctx, `change credential "${a.username}" of client "${a.client}"`, 'operator', () => (0, access_1.ownMachineCredential)(agentOf(ctx), a.client, a.username), { account: a.username });
            return { credential: await ctx.vault.updateCredential(a.client, a.username, a.change) };
        },
    },
    deleteCredential: {
        body: (0, schema_1.obj)({ client: schema_1.str, username: schema_1.str }),
        async handle(ctx, a) {
            // Operators only: no agent token may delete, not even its own machine's credential (a machine that
            // could drop its vault entry could leave Change Password mode unseen).
            await gate(ctx, `delete credential "${a.username}" of client "${a.client}"`, 'operator', undefined, { account: a.username });
            const gone = await ctx.vault.deleteCredential(a.client, a.username);
            await record(ctx, {
                kind: 'credential-deleted', outcome: 'ok', credentialId: gone.id, account: gone.username,
                reason: `credential "${gone.username}" (id ${gone.id}, mode ${gone.mode}) of client "${gone.client}" deleted by ${(0, access_1.describePrincipal)(ctx.principal)}`,
            });
            return { credential: gone };
        },
    },
    listCredentials: {
        body: (0, schema_1.obj)({ client: schema_1.str }),
        async handle(ctx, a) {
            await gate(ctx, `list the credentials of client "${a.client}"`, 'viewer', () => (0, access_1.sameName)(a.client, agentOf(ctx).client));
            const p = ctx.principal;
            if (p.kind !== 'agent')
                return { credentials: await ctx.vault.listCredentials(a.client) };
            // The gate made a.client the agent's own client: only the machine's rows are fetched.
            if ((0, machine_listing_1.hasMachineListing)(ctx.vault))
                return { credentials: await ctx.vault.listCredentialsForMachine(a.client, p.agent.machine) };
            const all = await ctx.vault.listCredentials(a.client);
            return { credentials: all.filter((c) => (0, access_1.appliesToAgent)(p.agent, c.client, c.username)) };
        },
    },
    findCredential: {
        body: (0, schema_1.obj)({ client: schema_1.str, username: schema_1.str }),
        async handle(ctx, a) {
            await gate(ctx, `look up credential "${a.username}" of client "${a.client}"`, 'viewer', () => (0, access_1.appliesToAgent)(agentOf(ctx), a.client, a.username), { account: a.username });
            return { credential: (await ctx.vault.findCredential(a.client, a.username)) ?? null };
        },
    },
    readPassword: {
        body: (0, schema_1.obj)({ credentialId: schema_1.integer }),
        async handle(ctx, a) {
            // One lookup serves both the agent's gate and the audit event's account and client.
            const found = await ctx.store.credentialScope(a.credentialId);
            const scope = agentMayTouch(ctx, found);
            await gate(ctx, `read the password of credential ${a.credentialId}`, 'operator', () => scope.ok, { credentialId: a.credentialId, account: scope.account });
            return passwordOut(ctx, a.credentialId, found);
        },
    },
    setPasswordFromCapture: {
        body: (0, schema_1.obj)({ credentialId: schema_1.integer, password: schema_1.bytes, baseVersion: schema_1.integer, eventId: schema_1.str, capturedAt: schema_1.integer }, ['capturedAt']),
        async handle(ctx, a) {
            const scope = await agentMayTouchId(ctx, a.credentialId);
            await gate(ctx, `set the password of credential ${a.credentialId}`, 'operator', () => scope.ok, { credentialId: a.credentialId, account: scope.account });
            const at = bindCaptureTime(ctx, a);
            const r = await refusedByPolicy(ctx, { credentialId: a.credentialId, account: scope.account }, () => ctx.vault.setPasswordFromCapture(a.credentialId, a.password, a.baseVersion, a.eventId, a.capturedAt));
            if (r.applied)
                await at.recordIfClamped(r.credential.id, r.credential.username);
            return r;
        },
    },
    createFromCapture: {
        body: (0, schema_1.obj)({ credential: newCredSchema, eventId: schema_1.str, capturedAt: schema_1.integer }, ['capturedAt']),
        async handle(ctx, a) {
            const c = a.credential;
            await gate(ctx, `create credential "${c.username}" in client "${c.client}"`, 'operator', () => (0, access_1.ownMachineCredential)(agentOf(ctx), c.client, c.username), { account: c.username });
            const at = bindCaptureTime(ctx, a);
            const r = await refusedByPolicy(ctx, { account: c.username }, () => ctx.vault.createFromCapture(c, a.eventId, a.capturedAt));
            if (r.applied)
                await at.recordIfClamped(r.credential.id, r.credential.username);
            return r;
        },
    },
    setFlag: {
        body: (0, schema_1.obj)({ credentialId: schema_1.integer, flag: schema_1.str, on: schema_1.bool }),
        async handle(ctx, a) {
            const scope = await agentMayTouchId(ctx, a.credentialId);
            await gate(ctx, `flag credential ${a.credentialId}`, 'operator', () => scope.ok, { credentialId: a.credentialId, account: scope.account });
            await ctx.vault.setFlag(a.credentialId, a.flag, a.on);
            return {};
        },
    },
    recordMachine: {
        body: (0, schema_1.obj)({ machine: (0, schema_1.obj)({ name: schema_1.str, client: schema_1.str, filterState: schema_1.str, journalDepth: schema_1.integer }) }),
        async handle(ctx, a) {
            const m = a.machine;
            await gate(ctx, `record machine "${m.name}" in client "${m.client}"`, 'operator', () => (0, access_1.sameName)(m.name, agentOf(ctx).machine) && (0, access_1.sameName)(m.client, agentOf(ctx).client));
            await ctx.vault.recordMachine(m);
            return {};
        },
    },
    appendEvents: {
        body: (0, schema_1.obj)({ events: (0, schema_1.arr)(eventSchema, exports.MAX_EVENTS_PER_REQUEST) }),
        async handle(ctx, a) {
            const p = ctx.principal;
            if (p.kind === 'agent') {
                const other = a.events.find((e) => e.machine !== p.agent.machine);
                if (other)
                    await refuse(ctx, `append events of machine "${other.machine}"`);
                const forged = a.events.find((e) => access_1.HUB_EVENT_KINDS.has(e.kind));
                if (forged)
                    await refuse(ctx, `append an event of kind "${forged.kind}" (only the hub records those)`);
            }
            else {
                await gate(ctx, 'append events', 'operator');
            }
            await ctx.vault.appendEvents(a.events);
            return {};
        },
    },
    queryEvents: {
        body: (0, schema_1.obj)({ query: querySchema }),
        async handle(ctx, a) {
            const p = ctx.principal;
            let q = a.query;
            if (p.kind === 'agent') {
                if (q.machine !== undefined && q.machine !== p.agent.machine)
                    await refuse(ctx, `read the events of machine "${q.machine}"`);
                q = { ...q, machine: p.agent.machine };
            }
            return { events: await ctx.vault.queryEvents(q) };
        },
    },
};
exports.VAULT_METHODS = Object.keys(vaultRoutes);
// ---- sessions, users, agents ---------------------------------------------------------------------------
async function login(ctx, a) {
    const { store, limits } = ctx;
    const name = a.user;
    if (name.length === 0 || name.length > 256)
        throw new http_error_1.HttpError(400, 'bad-request', 'user must be 1 to 256 characters');
    const userKey = (0, login_throttle_1.userThrottleKey)((0, fold_1.foldName)(name));
    const addressKey = (0, login_throttle_1.addressThrottleKey)(ctx.address);
    const event = (outcome, why) => record(ctx, {
        kind: 'login', outcome, account: name, reason: `user "${name}" from ${ctx.address}: ${why}`,
    });
    // Counted before the password is looked at, in one statement per key: parallel guesses cannot all pass.
    const claim = await store.throttle.claim([{ key: userKey, free: limits.perUser }, { key: addressKey, free: limits.perAddress }], limits);
    if (!claim.allowed) {
        // Refused without looking at the password: a guess made now says nothing, right or wrong.
        const waitS = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
        await event('refused', `too many failed logins ${claim.key === userKey ? 'of this user' : 'from this address'}; slowed down, next attempt allowed in ${waitS} s`);
        throw new http_error_1.HttpError(429, 'rate-limited', `too many failed logins for this user or address; try again in ${waitS} s`, { retryAfterS: waitS }, { 'Retry-After': String(waitS) });
    }
    const found = await store.userForLogin(name);
    const ok = await (0, passwords_1.verifyPassword)(a.password, found?.passwordHash ?? await (0, passwords_1.decoyHash)());
    if (!found || !ok || found.user.disabled) {
        // Already counted by the claim.
        await event('refused', !found ? 'no such user' : !ok ? 'wrong password' : 'user disabled');
        throw new http_error_1.HttpError(401, 'unauthenticated', 'wrong user name or password');
    }
    await store.throttle.clear(userKey);
    await store.throttle.release(addressKey);
    const token = (0, passwords_1.newToken)('pws');
    const expiresAt = await store.createSession(found.user.id, (0, passwords_1.tokenHash)(token), exports.SESSION_TTL_MS);
    await event('ok', 'logged in');
    ctx.setHeader('Set-Cookie', `${exports.SESSION_COOKIE}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${exports.SESSION_TTL_MS / 1000}`);
    // The token is in the body only when asked for (the CLI): a browser keeps it in the HttpOnly cookie,
    // out of reach of the page's scripts.
    return { user: publicUser(found.user), expiresAt, ...(a.bearer ? { token } : {}) };
}
const publicUser = (u) => ({ name: u.name, role: u.role, permissions: u.permissions, disabled: u.disabled });
/** Also the hub host's CLI (src/cli/commands/hub-user.ts): one rule for a hub user's password. */
function checkUserPassword(password) {
    if (password.length < exports.MIN_USER_PASSWORD || password.length > exports.MAX_USER_PASSWORD) {
        throw new http_error_1.HttpError(400, 'bad-request', `password must be ${exports.MIN_USER_PASSWORD} to ${exports.MAX_USER_PASSWORD} bytes`);
    }
}
/** Changes to users made by the caller (an admin; src/hub/user-admin.ts records them as theirs). */
const userAdmin = (ctx) => ({ vault: ctx.vault, store: ctx.store, by: (0, access_1.describePrincipal)(ctx.principal), now: ctx.now });
/**
 * An admin's changes to users, the same operations as the hub host's CLI (src/hub/user-admin.ts):
 * POST /api/users/<op> with the user's name. Refusing the last enabled admin is a 409.
 */
function userChange(op, body, run) {
    return {
        method: 'POST', path: `/api/users/${op}`, body,
        async handle(ctx, args) {
            const me = requireUser(ctx);
            if (me.role !== 'admin')
                await refuse(ctx, `${op} user "${args.name}"`);
            try {
                const r = await run(userAdmin(ctx), args);
                return { user: publicUser((r.user ?? r.after)) };
            }
            catch (err) {
                if (err instanceof store_1.LastAdminError)
                    throw new http_error_1.HttpError(409, 'last-admin', err.message);
                throw err;
            }
        },
    };
}
const userChangeRoutes = [
    userChange('passwd', (0, schema_1.obj)({ name: schema_1.str, password: schema_1.bytes }), (a, x) => (0, user_admin_1.setPassword)(a, x.name, x.password)),
    userChange('disable', (0, schema_1.obj)({ name: schema_1.str }), (a, x) => (0, user_admin_1.setDisabled)(a, x.name, true)),
    userChange('enable', (0, schema_1.obj)({ name: schema_1.str }), (a, x) => (0, user_admin_1.setDisabled)(a, x.name, false)),
    userChange('set', (0, schema_1.obj)({ name: schema_1.str, role: schema_1.str, permissions: (0, schema_1.arr)(schema_1.str, 8) }, ['role', 'permissions']), (a, x) => {
        if (x.role === undefined && x.permissions === undefined)
            throw new http_error_1.HttpError(400, 'bad-request', 'give role, permissions or both');
        return (0, user_admin_1.changeAccess)(a, x.name, { role: x.role === undefined ? undefined : (0, store_1.checkRole)(x.role), permissions: x.permissions });
    }),
];
/** Push-down: how long GET /api/changes holds a request open at most. */
exports.CHANGES_MAX_WAIT_MS = 25_000;
var change_watch_1 = require("./change-watch");
Object.defineProperty(exports, "CHANGES_POLL_MS", { enumerable: true, get: function () { return change_watch_1.CHANGES_POLL_MS; } });
/**
 * GET /api/changes?after=CURSOR&waitMs=N (agent tokens only): answers `{ cursor, changed }` as soon as the
 * cursor of what the agent's reconcile depends on (src/hub/change-cursor.ts) differs from `after`, or after
 * the wait with `changed: false`. No `after`: at once (the agent's first call, on every (re)connect).
 * The poll waits in this process's ChangeWatch, which looks at the database once per tick for every open
 * poll; the cursor itself comes from the database alone, so any hub process can answer the next poll.
 */
async function changes(ctx) {
    const p = ctx.principal;
    if (p.kind !== 'agent')
        throw new http_error_1.HttpError(403, 'forbidden', `${(0, access_1.describePrincipal)(p)}: changes are for an agent token`);
    const after = ctx.query?.get('after') ?? '';
    const waitRaw = Number(ctx.query?.get('waitMs') ?? exports.CHANGES_MAX_WAIT_MS);
    const waitMs = Number.isFinite(waitRaw) ? Math.min(Math.max(0, Math.floor(waitRaw)), exports.CHANGES_MAX_WAIT_MS) : exports.CHANGES_MAX_WAIT_MS;
    return ctx.store.watchChanges().wait(p.agent, after, waitMs, () => ctx.gone?.() ?? false);
}
exports.routes = [
    { method: 'GET', path: '/api/changes', handle: changes },
    { method: 'GET', path: '/healthz', public: true, handle: async () => ({ ok: true }) },
    {
        method: 'GET', path: '/readyz', public: true,
        async handle(ctx) {
            try {
                await ctx.store.ping();
            }
            catch (err) {
                // Anyone may ask: the answer does not repeat the database's message (it names hosts and users); the log does.
                throw Object.assign(new http_error_1.HttpError(503, 'not-ready', 'the database does not answer; the hub\'s log has the detail'), { cause: err });
            }
            return { ready: true };
        },
    },
    {
        method: 'POST', path: '/api/login', public: true,
        body: (0, schema_1.obj)({ user: schema_1.str, password: schema_1.bytes, bearer: schema_1.bool }, ['bearer']),
        handle: login,
    },
    {
        method: 'POST', path: '/api/logout', body: (0, schema_1.obj)({}),
        async handle(ctx) {
            if (ctx.principal?.kind === 'user')
                await ctx.store.deleteSession(ctx.principal.tokenHash);
            ctx.setHeader('Set-Cookie', `${exports.SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`);
            return {};
        },
    },
    {
        method: 'GET', path: '/api/me',
        async handle(ctx) {
            const p = ctx.principal;
            return p.kind === 'user' ? { user: publicUser(p.user) } : { agent: { client: p.agent.client, machine: p.agent.machine } };
        },
    },
    {
        method: 'GET', path: '/api/users',
        async handle(ctx) {
            const me = requireUser(ctx);
            if (me.role !== 'admin')
                await refuse(ctx, 'list users');
            return { users: (await ctx.store.listUsers()).map(publicUser) };
        },
    },
    {
        method: 'POST', path: '/api/users',
        body: (0, schema_1.obj)({ name: schema_1.str, role: schema_1.str, permissions: (0, schema_1.arr)(schema_1.str, 8), password: schema_1.bytes }, ['permissions']),
        async handle(ctx, a) {
            const me = requireUser(ctx);
            if (me.role !== 'admin')
                await refuse(ctx, `create user "${a.name}"`);
            const user = await (0, user_admin_1.createUser)(userAdmin(ctx), a.name, (0, store_1.checkRole)(a.role), (a.permissions ?? []), a.password);
            return { user: publicUser(user) };
        },
    },
    ...userChangeRoutes,
    {
        // Enrol an agent (`pwbridge setup`): a token for one client and one machine; only its hash is kept.
        method: 'POST', path: '/api/agents',
        body: (0, schema_1.obj)({ client: schema_1.str, machine: schema_1.str }),
        async handle(ctx, a) {
            const me = requireUser(ctx);
            (0, validate_1.checkName)('machine', a.machine);
            const reserved = (0, access_1.reservedMachineName)(a.machine);
            if (reserved)
                throw new errors_1.VaultInputError((0, access_1.reservedMachineMessage)(a.machine, reserved));
            if (!me.permissions.includes('setup-ad-sync') || !(0, access_1.atLeast)(me.role, 'operator')) {
                await refuse(ctx, `enrol machine "${a.machine}" (it needs the permission setup-ad-sync)`);
            }
            if (a.machine.includes('\\'))
                throw new errors_1.VaultInputError('machine must not contain a backslash');
            const client = await ctx.vault.getClient(a.client);
            if (!client)
                throw new http_error_1.HttpError(404, 'not-found', `client "${a.client}" does not exist`, { what: `client "${a.client}"` });
            const token = (0, passwords_1.newToken)('pwa');
            const agent = await ctx.store.createAgent({ client: client.name, machine: a.machine, tokenHash: (0, passwords_1.tokenHash)(token), enrolledBy: me.name });
            await ctx.vault.recordMachine({ name: a.machine, client: client.name, filterState: 'unknown', journalDepth: 0 });
            await ctx.vault.appendEvents([{
                    time: ctx.now(), machine: a.machine, kind: 'agent-enrolled', outcome: 'ok',
                    reason: `machine "${a.machine}" enrolled into client "${client.name}" by ${(0, access_1.describePrincipal)(ctx.principal)}${agent.revoked ? `; ${agent.revoked} earlier token(s) of this machine revoked` : ''}`,
                }]);
            return { token, agent: { client: agent.client, machine: agent.machine } };
        },
    },
    ...Object.entries(vaultRoutes).map(([name, r]) => ({ method: 'POST', path: `/api/vault/${name}`, body: r.body, handle: r.handle })),
    ...dashboard_api_1.dashboardRoutes,
];
//# sourceMappingURL=api.js.map