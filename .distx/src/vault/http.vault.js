"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HttpVault = exports.RETURN_PROBE_MS = exports.HUB_REFUSED_RETRY_MS = exports.HubAccessError = void 0;
const vault_port_1 = require("../ports/vault.port");
const errors_1 = require("./errors");
const hub_access_1 = require("./hub-access");
const hub_client_1 = require("./hub-client");
const hub_clock_1 = require("./hub-clock");
const validate_1 = require("./validate");
var hub_access_2 = require("./hub-access");
Object.defineProperty(exports, "HubAccessError", { enumerable: true, get: function () { return hub_access_2.HubAccessError; } });
Object.defineProperty(exports, "HUB_REFUSED_RETRY_MS", { enumerable: true, get: function () { return hub_access_2.HUB_REFUSED_RETRY_MS; } });
/**
 * While the hub does not answer (or answers 502–504), how often GET /readyz asks whether it is back: the journal's entries
 * wait out their own backoff (up to retryMax, minutes), and the hub's return makes them due at once.
 */
exports.RETURN_PROBE_MS = 5_000;
/** Events per request: the hub takes at most 2,000, and a batch is checked whole before any is sent. */
const EVENTS_PER_REQUEST = 1000;
class HttpVault {
    client;
    tokenSource;
    closed = false;
    /** Holds requests back for a while after the hub refused the token (see hub-access.ts). */
    access;
    /** The hub's clock against this machine's (hub-clock.ts): credential times and capture times cross it. */
    clock;
    probe;
    probeMs;
    constructor(client, tokenSource, opts = {}) {
        this.client = client;
        this.tokenSource = tokenSource;
        this.access = new hub_access_1.HubAccessGate(client.origin, opts.refusedRetryMs ?? hub_access_1.HUB_REFUSED_RETRY_MS);
        this.clock = new hub_clock_1.HubClock(opts.now);
        this.probeMs = opts.returnProbeMs ?? exports.RETURN_PROBE_MS;
    }
    /**
     * `token` is the agent token (or, in tests and tools, a user's session token); given as a function, it
     * is read again while the hub refuses the current one, so a new `pwbridge setup` takes effect at once.
     */
    static open(endpoint, token, opts = {}) {
        const source = typeof token === 'function' ? token : undefined;
        return new HttpVault(new hub_client_1.HubClient(endpoint, source ? source() : token), source, opts);
    }
    async addClient(client) {
        return (await this.call('addClient', { client })).client;
    }
    async updateClient(name, change) {
        return (await this.call('updateClient', { name, change })).client;
    }
    async deleteClient(name) {
        await this.call('deleteClient', { name });
    }
    async getClient(name) {
        return (await this.call('getClient', { name })).client ?? undefined;
    }
    async listClients() {
        return (await this.call('listClients', {})).clients;
    }
    async addCredential(cred, eventId) {
        (0, validate_1.checkNewCredential)(cred);
        return this.local((await this.call('addCredential', { credential: wireCred(cred), eventId })).credential);
    }
    async updateCredential(client, username, change) {
        (0, validate_1.checkChange)(change);
        const wire = { ...change, password: change.password?.toString('base64') };
        return this.local((await this.call('updateCredential', { client, username, change: wire })).credential);
    }
    async deleteCredential(client, username) {
        return this.local((await this.call('deleteCredential', { client, username })).credential);
    }
    async listCredentials(client) {
        return (await this.call('listCredentials', { client })).credentials.map((c) => this.local(c));
    }
    async findCredential(client, username) {
        const found = (await this.call('findCredential', { client, username })).credential;
        return found ? this.local(found) : undefined;
    }
    async readPassword(credentialId) {
        const { password } = await this.call('readPassword', { credentialId });
        return Buffer.from(password, 'base64');
    }
    async setPasswordFromCapture(credentialId, password, baseVersion, eventId, capturedAt) {
        (0, validate_1.checkPassword)(password);
        return this.localResult(await this.call('setPasswordFromCapture', { credentialId, password: password.toString('base64'), baseVersion, eventId, capturedAt: this.hubTime(capturedAt) }));
    }
    async createFromCapture(cred, eventId, capturedAt) {
        (0, validate_1.checkNewCredential)(cred);
        return this.localResult(await this.call('createFromCapture', { credential: wireCred(cred), eventId, capturedAt: this.hubTime(capturedAt) }));
    }
    async setFlag(credentialId, flag, on) {
        await this.call('setFlag', { credentialId, flag, on });
    }
    async recordMachine(machine) {
        await this.call('recordMachine', { machine });
    }
    /**
     * The whole batch is checked here first, as the embedded vault checks it before storing any: a bad
     * event refuses the batch. A batch larger than one request goes in several, each stored whole.
     */
    async appendEvents(events) {
        events.forEach(validate_1.checkEvent);
        for (let i = 0; i < events.length; i += EVENTS_PER_REQUEST) {
            await this.call('appendEvents', { events: events.slice(i, i + EVENTS_PER_REQUEST) });
        }
    }
    async queryEvents(q) {
        return (await this.call('queryEvents', { query: q })).events;
    }
    /**
     * Push-down: wait (at most `waitMs`, the hub caps it at 25 s) until what this agent's reconcile depends
     * on differs from `after` (a cursor from an earlier answer; '' answers at once). Rejects on no answer
     * or any status but 200 (the caller backs off).
     */
    async waitForChanges(after, waitMs, signal) {
        const q = new URLSearchParams({ after, waitMs: String(waitMs) });
        const res = await this.send('GET /api/changes', () => this.client.request('GET', `/api/changes?${q.toString()}`, undefined, undefined, signal));
        if (res.status !== 200 || typeof res.body?.cursor !== 'string') {
            throw new Error(`the hub answered GET /api/changes with HTTP ${res.status}${res.body?.error?.message ? `: ${res.body.error.message}` : ''}`);
        }
        return { cursor: res.body.cursor, changed: res.body.changed === true };
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        this.stopProbe();
        this.client.close();
    }
    // ---- the wire ------------------------------------------------------------------------------------
    async call(method, args) {
        const res = await this.send(method, () => this.client.request('POST', `/api/vault/${method}`, args));
        if (res.status === 200)
            return res.body;
        throw toVaultError(method, res);
    }
    /** Every request passes the access gate: held back (thrown at once) while the hub refuses the token. */
    async send(what, request) {
        this.access.check(what, this.access.current() !== undefined && this.tokenReplaced());
        let res;
        const sentAt = this.clock.localNow();
        try {
            res = await request();
        }
        catch (err) {
            this.unanswered();
            throw err;
        }
        this.clock.observe(res.headers?.[hub_clock_1.HUB_TIME_HEADER.toLowerCase()], sentAt);
        if (res.status >= 502 && res.status <= 504)
            this.unanswered();
        else
            this.answered();
        if (res.status === 401) {
            const m = res.body?.error?.message;
            throw this.access.refused(401, typeof m === 'string' ? m : '');
        }
        if (res.status >= 200 && res.status < 300)
            this.access.accepted();
        return res;
    }
    unanswered() {
        this.access.unanswered();
        if (this.probe || this.closed)
            return;
        this.probe = setInterval(() => {
            // Public, and 200 only when the hub's database answers too (a hub without it answers 503): what
            // the journal waits for.
            this.client.request('GET', '/readyz').then((r) => { if (r.status === 200)
                this.answered(); }, () => undefined);
        }, this.probeMs);
        this.probe.unref();
    }
    answered() {
        this.stopProbe();
        this.access.answered();
    }
    stopProbe() {
        if (this.probe)
            clearInterval(this.probe);
        this.probe = undefined;
    }
    /** A credential as the hub sent it, with its times on this machine's clock. */
    local(c) {
        return { ...c, updatedAt: this.clock.toLocal(c.updatedAt), passwordSetAt: this.clock.toLocal(c.passwordSetAt) };
    }
    localResult(r) {
        return { ...r, credential: this.local(r.credential) };
    }
    hubTime(local) {
        return local === undefined ? undefined : this.clock.toHub(local);
    }
    /** The token source holds another token than the one in use (setup ran again): use it from now on. */
    tokenReplaced() {
        if (!this.tokenSource)
            return false;
        let token;
        try {
            token = this.tokenSource();
        }
        catch {
            return false; // missing or unreadable: keep the refusal, its message says what to do
        }
        if (this.client.hasToken(token))
            return false;
        this.client.setToken(token);
        return true;
    }
}
exports.HttpVault = HttpVault;
function wireCred(c) {
    return { client: c.client, username: c.username, password: c.password.toString('base64'), windowsSync: c.windowsSync, mode: c.mode };
}
/** The hub's error body back into the error the embedded vault would have thrown. */
function toVaultError(method, res) {
    const e = (res.body?.error ?? {});
    const message = typeof e.message === 'string' ? e.message : `HTTP ${res.status}`;
    switch (res.status) {
        case 400:
            return new errors_1.VaultInputError(message);
        case 404:
            if (e.code === 'not-found' && typeof e.what === 'string')
                return new vault_port_1.VaultNotFoundError(e.what);
            break;
        case 409:
            if (e.code === 'conflict')
                return new vault_port_1.VaultConflictError(Number(e.credentialId), Number(e.expected), Number(e.actual));
            break;
        case 403:
            // The client's options refuse this write (final), as opposed to a token or role refusal (held, retried later).
            if (e.code === 'policy')
                return new vault_port_1.VaultPolicyError(message);
            return new hub_access_1.HubAccessError(res.status, `hub refused ${method}: ${message}`);
        default:
            break;
    }
    return new Error(`hub: ${method} failed with HTTP ${res.status}: ${message}`);
}
//# sourceMappingURL=http.vault.js.map