"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HubAccessGate = exports.HubAccessError = exports.HUB_REFUSED_RETRY_MS = void 0;
/**
 * Whether the hub still accepts this agent's token. A 401 means the token is not valid any more (revoked,
 * or the machine was enrolled again): every request would get the same answer until a person re-runs
 * `pwbridge setup`, so after one the gate holds requests back for `retryMs` and fails them at once with
 * the cause, instead of letting the journal, reconcile, push-down and the heartbeat each ask the hub again.
 * A replaced token (setup ran again) opens the gate at once: it is read again on every held request.
 */
const vault_port_1 = require("../ports/vault.port");
/** How long after a refusal the agent asks the hub again with the same token. */
exports.HUB_REFUSED_RETRY_MS = 5 * 60_000;
/** The hub refused the caller (401: no valid token; 403: outside the token's scope or the user's role). */
class HubAccessError extends vault_port_1.VaultRefusedError {
    constructor(status, message, retryAfterMs = exports.HUB_REFUSED_RETRY_MS) {
        super(status, message, retryAfterMs);
        this.name = 'HubAccessError';
    }
}
exports.HubAccessError = HubAccessError;
class HubAccessGate {
    hubUrl;
    retryMs;
    now;
    refusal;
    listeners = [];
    /** The last request got no answer (or a 502–504 from a proxy): the hub is out of reach. */
    unreachable = false;
    returnListeners = [];
    constructor(hubUrl, retryMs = exports.HUB_REFUSED_RETRY_MS, now = Date.now) {
        this.hubUrl = hubUrl;
        this.retryMs = retryMs;
        this.now = now;
    }
    /** The refusal in force, or undefined while the hub accepts the token. */
    current() {
        return this.refusal;
    }
    /** Called on every change: a refusal (once, not per held request), and undefined when access is back. */
    onChange(listener) {
        this.listeners.push(listener);
    }
    /**
     * Before a request: throws while a refusal holds, unless the token was replaced (`tokenChanged`) or the
     * retry time has come, in which case the request goes out as the probe.
     */
    check(what, tokenChanged) {
        const r = this.refusal;
        if (!r || tokenChanged || this.now() >= r.retryAt)
            return;
        throw new HubAccessError(r.status, `${what}: not sent: ${r.reason} (next try ${new Date(r.retryAt).toISOString()})`, r.retryAt - this.now());
    }
    /** After a 401: the token is refused. Returns the error for the caller to throw. */
    refused(status, hubMessage) {
        const at = this.now();
        const reason = `the hub refused this machine's agent token (${status}${hubMessage ? `: ${hubMessage}` : ''}): `
            + `re-run pwbridge setup --hub ${this.hubUrl}; captured changes stay in the journal until then`;
        const changed = !this.refusal || this.refusal.status !== status;
        this.refusal = { status, reason, at, retryAt: at + this.retryMs };
        if (changed)
            this.emit();
        return new HubAccessError(status, reason, this.retryMs);
    }
    /**
     * Reachability, apart from the token: a request got no answer. Entries that failed meanwhile wait out
     * their backoff (up to retryMax), so the first answer after an outage is announced (onReturn), and the
     * service makes them due at once instead of minutes later.
     */
    unanswered() {
        this.unreachable = true;
    }
    /** Any answer from the hub itself (whatever its status). */
    answered() {
        if (!this.unreachable)
            return;
        this.unreachable = false;
        for (const l of this.returnListeners) {
            try {
                l();
            }
            catch {
                /* a listener's failure is its own */
            }
        }
    }
    /** Called when the hub answers again after it did not. */
    onReturn(listener) {
        this.returnListeners.push(listener);
    }
    /** After any answer that shows the token works. */
    accepted() {
        if (!this.refusal)
            return;
        this.refusal = undefined;
        this.emit();
    }
    emit() {
        for (const l of this.listeners) {
            try {
                l(this.refusal);
            }
            catch {
                /* a listener's failure is its own: the gate keeps working */
            }
        }
    }
}
exports.HubAccessGate = HubAccessGate;
//# sourceMappingURL=hub-access.js.map