"use strict";
// Time on Windows: FILETIME (100 ns ticks since 1601-01-01 UTC) and NetAPI's password age (whole seconds
// since the password was set, computed by netapi32 against the clock at the moment of the call).
//
// Password age is what reconcile's "did the local password change?" rests on, and it is noisy: the same
// password read twice gives a last-set time one second apart, depending on where in the second each call
// fell. A fingerprint that flickered would make reconcile verify again, and on Windows every failed
// verification is a failed logon. So last-set times go through a LastSetStabilizer, which keeps the value
// it saw before while a new reading stays within a small tolerance of it.
Object.defineProperty(exports, "__esModule", { value: true });
exports.LastSetStabilizer = exports.LAST_SET_TOLERANCE_SEC = exports.FILETIME_UNIX_EPOCH = void 0;
exports.filetimeToMs = filetimeToMs;
exports.msToFiletime = msToFiletime;
exports.splitFiletime = splitFiletime;
exports.joinFiletime = joinFiletime;
exports.lastSetFromAge = lastSetFromAge;
/** 100 ns ticks from 1601-01-01 to 1970-01-01. */
exports.FILETIME_UNIX_EPOCH = 116444736000000000n;
const TICKS_PER_MS = 10000n;
function filetimeToMs(ft) {
    return Number((ft - exports.FILETIME_UNIX_EPOCH) / TICKS_PER_MS);
}
function msToFiletime(ms) {
    return BigInt(Math.floor(ms)) * TICKS_PER_MS + exports.FILETIME_UNIX_EPOCH;
}
function splitFiletime(ft) {
    return { low: Number(ft & 0xffffffffn), high: Number((ft >> 32n) & 0xffffffffn) };
}
function joinFiletime(low, high) {
    return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}
/** When the password was set (whole seconds since 1970), from its age as NetAPI reported it at `nowMs`. */
function lastSetFromAge(nowMs, passwordAgeSec) {
    return Math.floor(nowMs / 1000) - passwordAgeSec;
}
/** Within this many seconds of the value seen before, a reading is the same password-set moment. */
exports.LAST_SET_TOLERANCE_SEC = 2;
class LastSetStabilizer {
    store;
    toleranceSec;
    values;
    dirty = false;
    constructor(store, toleranceSec = exports.LAST_SET_TOLERANCE_SEC) {
        this.store = store;
        this.toleranceSec = toleranceSec;
    }
    /** The stable last-set second for the account with this RID, given this reading. */
    stabilize(rid, readingSec) {
        const values = this.load();
        const key = String(rid);
        const known = values.get(key);
        if (known !== undefined && Math.abs(readingSec - known) <= this.toleranceSec)
            return known;
        values.set(key, readingSec);
        this.dirty = true;
        return readingSec;
    }
    /** Save what changed (once per listing, not once per account). */
    commit() {
        if (!this.dirty || !this.store || !this.values)
            return;
        this.store.save(Object.fromEntries(this.values));
        this.dirty = false;
    }
    load() {
        if (!this.values) {
            const raw = this.store?.load();
            this.values = new Map(Object.entries(raw ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)));
        }
        return this.values;
    }
}
exports.LastSetStabilizer = LastSetStabilizer;
//# sourceMappingURL=filetime.js.map